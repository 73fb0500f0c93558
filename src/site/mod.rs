//! The stage driver: load → render → write, the one path `helpsite build`, `build --verify`
//! and `helpsite serve` all take (`Site::load(root)?.build(out, cache)?`), with an optional
//! [`RenderCache`] for the dev server. Stages hand values forward; nothing is global, and
//! nothing here prints: what a build found comes back as data for the caller to show.

mod cache;
mod update;

use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::{
    content::{self, Corpus},
    harness::Suite,
    markdown::{self, RenderedPage},
    output::{self, Written},
    remote::Scenario,
};

pub use crate::content::InputErrors;
pub use cache::RenderCache;
pub use update::Updated;

/// A loaded site, ready to render.
#[derive(Debug)]
pub struct Site {
    /// The pages and settings, as loaded.
    pub corpus: Corpus,
    /// How long loading took (for the build summary).
    pub load_time: Duration,
    /// Set by [`Site::with_verification`]: the marks each snippet shows (issue 6).
    pub(crate) marks: Option<output::verify::Marks>,
    /// Set by [`Site::refusing_failing`]: a build whose marks include a failing snippet is
    /// refused with [`FailingSnippets`] before anything is written.
    pub(crate) refuse_failing: bool,
}

/// The build was refused: the test report records these snippets (still as they are in the
/// pages) as failing. Each line is `file:line: test name`.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "not publishing: the test report records {} failing snippet(s):\n{}\nfix them and run \
     `helpsite test` again, or build anyway with --allow-failing",
    .0.len(),
    .0.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
)]
pub struct FailingSnippets(pub Vec<String>);

/// What a build did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Built {
    /// The site is written.
    Site(BuildStats),
    /// Nothing was written (the output folder is as it was): these links are broken, each as
    /// `file:line: broken link …`.
    BrokenLinks(Vec<String>),
}

/// What a written build did, for the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildStats {
    /// Pages written.
    pub pages: usize,
    /// Snippets published with a failing mark (only possible when not refusing them).
    pub failing: usize,
    /// Pages rendered afresh (not taken from the render cache).
    pub rendered: usize,
    /// Time spent rendering.
    pub render_time: Duration,
    /// Time spent writing.
    pub write_time: Duration,
}

impl Site {
    /// Loads `ROOT/helpsite.toml` and every page under `ROOT/content`.
    pub fn load(root: &Path) -> anyhow::Result<Site> {
        let start = Instant::now();
        // Errors already name their file (`content/x.md:3:10: …`) and read best unprefixed.
        let corpus = content::load(root)?;
        Ok(Site {
            corpus,
            load_time: start.elapsed(),
            marks: None,
            refuse_failing: false,
        })
    }

    /// Renders every page (in parallel, in reading order). Input errors (front matter found
    /// while loading, every malformed fence, and then every broken link too) are all reported
    /// in one [`InputErrors`], grouped by file.
    pub fn render(&self) -> anyhow::Result<Vec<RenderedPage>> {
        self.render_with(None).map(|(rendered, _)| rendered)
    }

    /// [`Site::render`], taking unchanged pages from `cache` when there is one. Also says how
    /// many pages were rendered afresh.
    pub fn render_with(
        &self,
        cache: Option<&RenderCache>,
    ) -> anyhow::Result<(Vec<RenderedPage>, usize)> {
        let pages = &self.corpus.pages;
        let (results, fresh) = match cache {
            Some(cache) => cache.render(&self.corpus),
            None => (
                pages
                    .par_iter()
                    .enumerate()
                    .map(|(i, page)| markdown::render_checked(i, page))
                    .collect(),
                pages.len(),
            ),
        };
        let mut rendered = Vec::with_capacity(results.len());
        let mut errors = self.corpus.errors.clone();
        for (page, fence_errors) in results {
            rendered.push(page);
            errors.extend(fence_errors.into_iter().map(Into::into));
        }
        if errors.is_empty() {
            return Ok((rendered, fresh));
        }
        errors.extend(output::broken_link_errors(&self.corpus, &rendered));
        Err(InputErrors(errors).into())
    }

    /// The scenario the snippets' mock remotes start from: `helpsite.toml`'s `[remote]` table,
    /// or the built-in one.
    pub fn scenario(&self) -> anyhow::Result<Scenario> {
        let file = self.corpus.root.join("helpsite.toml");
        match &self.corpus.config.remote {
            Some(table) => Scenario::from_toml_table(table, &file),
            None => Ok(Scenario::default()),
        }
    }

    /// Renders the site and chains its snippets for the harness, with `scenario` (else the
    /// site's own, [`Site::scenario`]).
    pub fn suite(&self, scenario: Option<Scenario>) -> anyhow::Result<Suite> {
        let rendered = self.render()?;
        self.suite_of(&rendered, scenario)
    }

    /// [`Site::suite`] over pages already rendered (through the dev server's render cache).
    pub fn suite_of(
        &self,
        rendered: &[RenderedPage],
        scenario: Option<Scenario>,
    ) -> anyhow::Result<Suite> {
        // `[snippets.run]` interpreters are checked before anything runs.
        let config_text =
            std::fs::read_to_string(self.corpus.root.join("helpsite.toml")).unwrap_or_default();
        self.corpus.config.snippets.check_runners(&config_text)?;
        let own = self.scenario()?;
        Suite::new(&self.corpus, rendered, scenario.unwrap_or(own))
    }

    /// Marks every snippet from a test report (verified, failing, not run) and adds the
    /// generated "How this guide is tested" page.
    pub(crate) fn with_verification(mut self, marks: output::verify::Marks) -> Site {
        output::tested::add_page(&mut self.corpus);
        self.marks = Some(marks);
        self
    }

    /// Makes [`Site::build`] refuse (with [`FailingSnippets`]) when a snippet's mark is failing.
    pub(crate) fn refusing_failing(mut self) -> Site {
        self.refuse_failing = true;
        self
    }

    /// The snippets of `rendered` whose mark is failing, as `file:line: name`, in page order.
    pub(crate) fn failing(&self, rendered: &[RenderedPage]) -> Vec<String> {
        let Some(marks) = &self.marks else {
            return Vec::new();
        };
        rendered
            .iter()
            .flat_map(|page| &page.snippets)
            .filter(|s| {
                matches!(
                    marks.mark(s, &s.hash()),
                    Some(output::verify::Mark::Failing { .. })
                )
            })
            .map(|s| format!("{}:{}: {}", s.file.display(), s.line, s.test_name))
            .collect()
    }

    /// Renders the site (unchanged pages from `cache`, when given) and writes it to `out`, each
    /// snippet with its mark when the site has them. The links are checked first: with a
    /// broken one nothing is written. Refused with [`FailingSnippets`] when asked to
    /// ([`Site::refusing_failing`]) and a mark is failing.
    pub fn build(&self, out: &Path, cache: Option<&RenderCache>) -> anyhow::Result<Built> {
        self.build_keeping(out, cache).map(|(built, _)| built)
    }

    /// [`Site::build`], also handing back the rendered pages (in page order, as written), for
    /// [`Site::update_page`] to start from.
    pub fn build_keeping(
        &self,
        out: &Path,
        cache: Option<&RenderCache>,
    ) -> anyhow::Result<(Built, Vec<RenderedPage>)> {
        let start = Instant::now();
        let (mut rendered, fresh) = self.render_with(cache)?;
        let failing = self.failing(&rendered);
        if self.refuse_failing && !failing.is_empty() {
            return Err(FailingSnippets(failing).into());
        }
        if let Some(marks) = &self.marks {
            output::tested::fill(&self.corpus, &mut rendered, marks);
        }
        let render_time = start.elapsed();
        let start = Instant::now();
        let built = match output::write(&self.corpus, &rendered, self.marks.as_ref(), out)? {
            Written::BrokenLinks(links) => Built::BrokenLinks(links),
            Written::Site => Built::Site(BuildStats {
                pages: rendered.len(),
                failing: failing.len(),
                rendered: fresh,
                render_time,
                write_time: start.elapsed(),
            }),
        };
        Ok((built, rendered))
    }
}

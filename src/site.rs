//! Orchestration: load → render → write, the two-call API the CLI uses
//! (`Site::load(root)?.build(out)?`). Stages hand values forward; nothing is global.

use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::{
    Outcome,
    content::{self, Corpus},
    harness::Suite,
    markdown::{self, RenderedPage},
    output,
    remote::Scenario,
    snippets::FenceError,
};

/// Every malformed fence of a site, in page order; shown one per line (the first 50).
#[derive(Debug, thiserror::Error)]
pub struct FenceErrors(pub Vec<FenceError>);

impl std::fmt::Display for FenceErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const SHOWN: usize = 50;
        for (i, err) in self.0.iter().take(SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{err}")?;
        }
        if self.0.len() > SHOWN {
            write!(f, "\n… and {} more", self.0.len() - SHOWN)?;
        }
        if self.0.len() > 1 {
            write!(f, "\n{} malformed code blocks", self.0.len())?;
        }
        Ok(())
    }
}

/// A loaded site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub corpus: Corpus,
    /// How long loading took (for the build summary).
    pub load_time: Duration,
    /// Set by [`Site::with_verification`]: the marks each snippet shows (issue 6).
    pub marks: Option<output::verify::Marks>,
}

/// What a build did, for the summary line.
#[derive(Debug, Clone, Copy)]
pub struct BuildStats {
    pub pages: usize,
    pub render_time: Duration,
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
        })
    }

    /// Renders every page (in parallel, in reading order). Malformed fences are errors; all of
    /// them are reported, in page order, each as `file:line:column: …` ([`FenceErrors`]).
    pub fn render(&self) -> anyhow::Result<Vec<RenderedPage>> {
        let pages = &self.corpus.pages;
        let results: Vec<_> = pages
            .par_iter()
            .enumerate()
            .map(|(i, page)| markdown::render(i, page))
            .collect();
        let mut rendered = Vec::with_capacity(results.len());
        let mut errors = Vec::new();
        for result in results {
            match result {
                Ok(page) => rendered.push(page),
                Err(err) => errors.push(err),
            }
        }
        if errors.is_empty() {
            Ok(rendered)
        } else {
            Err(FenceErrors(errors).into())
        }
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
        let own = self.scenario()?;
        Suite::new(&self.corpus, &rendered, scenario.unwrap_or(own))
    }

    /// Marks every snippet from a test report (verified, failing, not run) and adds the
    /// generated "How this guide is tested" page.
    pub fn with_verification(mut self, marks: output::verify::Marks) -> Site {
        output::tested::add_page(&mut self.corpus);
        self.marks = Some(marks);
        self
    }

    /// Renders and writes the site to `out` (checking links first).
    pub fn build(&self, out: &Path) -> anyhow::Result<Outcome> {
        self.build_with_stats(out).map(|(outcome, _)| outcome)
    }

    /// [`Site::build`], also returning how long each stage took.
    pub fn build_with_stats(&self, out: &Path) -> anyhow::Result<(Outcome, BuildStats)> {
        let start = Instant::now();
        let mut rendered = self.render()?;
        if let Some(marks) = &self.marks {
            output::verify::apply(marks, &mut rendered);
            output::tested::fill(&self.corpus, &mut rendered, marks);
        }
        let render_time = start.elapsed();
        let start = Instant::now();
        let outcome = output::write(&self.corpus, &rendered, out)?;
        let stats = BuildStats {
            pages: rendered.len(),
            render_time,
            write_time: start.elapsed(),
        };
        Ok((outcome, stats))
    }
}

//! Orchestration: load → render → write, the two-call API the CLI uses
//! (`Site::load(root)?.build(out)?`). Stages hand values forward; nothing is global.

use std::path::Path;

use anyhow::Context as _;
use rayon::prelude::*;

use crate::{
    Outcome,
    content::{self, Corpus},
    markdown::{self, RenderedPage},
    output,
};

/// A loaded site, ready to render.
#[derive(Debug)]
pub struct Site {
    pub corpus: Corpus,
}

impl Site {
    /// Loads `ROOT/helpsite.toml` and every page under `ROOT/content`.
    pub fn load(root: &Path) -> anyhow::Result<Site> {
        let corpus = content::load(root)
            .with_context(|| format!("loading the site at {}", root.display()))?;
        Ok(Site { corpus })
    }

    /// Renders every page (in parallel); errors name file:line:column.
    pub fn render(&self) -> anyhow::Result<Vec<RenderedPage>> {
        let pages = &self.corpus.pages;
        let rendered: Result<Vec<_>, _> = pages
            .par_iter()
            .enumerate()
            .map(|(i, page)| markdown::render(i, page))
            .collect();
        Ok(rendered?)
    }

    /// Renders and writes the site to `out`.
    pub fn build(&self, out: &Path) -> anyhow::Result<Outcome> {
        let rendered = self.render()?;
        output::write(&self.corpus, &rendered, out)
    }
}

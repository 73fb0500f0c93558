//! The client-side search index, shipped as a script (`static/search-index.js`) so search works
//! from `file://`. Owned by the search work; the output stage only calls [`index_script`].

use crate::{content::Corpus, markdown::RenderedPage};

/// The whole `static/search-index.js`. `urls[i]` is the URL of `corpus.pages[i]` relative to the
/// site root (`guide/fix.html`, `index.html`); `rendered[j].page` indexes both.
/// (Placeholder until the search work lands.)
pub fn index_script(corpus: &Corpus, rendered: &[RenderedPage], urls: &[String]) -> String {
    let _ = (corpus, rendered, urls);
    "window.HELPSITE_SEARCH=[];".to_string()
}

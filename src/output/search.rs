//! The client-side search index: one script (`static/search-index.js`) that sets the global
//! `HELPSITE_SEARCH_INDEX`, so search works from `file://` with nothing fetched. It is a term →
//! postings table, not the pages' text: terms are sorted (UTF-16 order, as JavaScript compares)
//! for prefix lookup, postings are delta-coded or bitmap-coded in a 64-letter alphabet, URL
//! folders and headings are deduplicated, and each section keeps a short excerpt whose length
//! shrinks as the site grows. `templates/static/search.js` reads it; README "Search" has the
//! format and the figures at 10,000 pages.

mod code;
mod html;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::{content::Corpus, markdown::RenderedPage};
use code::encode_postings;
use html::sections_of;

/// Total excerpt characters the index aims for; each section gets `BUDGET / sections`,
/// clamped to `EXCERPT_MIN..=EXCERPT_MAX`. Small guides keep whole sections.
const EXCERPT_BUDGET: usize = 1_000_000;
const EXCERPT_MIN: usize = 80;
const EXCERPT_MAX: usize = 2_000;
/// Longer "words" (hashes, base64) are not indexed.
const MAX_TERM_CHARS: usize = 40;
/// Words too common to tell sections apart; dropped here and in search.js alike.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "if", "in", "is", "it", "of", "on",
    "or", "that", "the", "this", "to", "with",
];

/// Builds the text of `static/search-index.js`. `body_of(r)` is the HTML of `r` as the page
/// shows it (see `verify::body`). `urls[i]` is the URL, relative to the site root, of
/// `corpus.pages[i]` (`rendered[j].page` indexes it); a `urls` as long as `rendered` but not as
/// the corpus is taken as one URL per rendered page.
pub fn index_script(
    corpus: &Corpus,
    rendered: &[RenderedPage],
    body_of: super::BodyOf<'_>,
    urls: &[String],
) -> String {
    let by_page = urls.len() == corpus.pages.len();
    let pages: Vec<PageText> = rendered
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            let url = urls.get(if by_page { r.page } else { i });
            PageText::new(corpus, r, &body_of(r), url)
        })
        .collect();
    let total: usize = pages.iter().map(|p| p.sections.len()).sum();
    let excerpt_len = (EXCERPT_BUDGET / total.max(1)).clamp(EXCERPT_MIN, EXCERPT_MAX);
    let mut builder = Builder::default();
    for page in &pages {
        builder.add_page(page, excerpt_len);
    }
    builder.finish()
}

/// One page read and split into words, in parallel, before the index is assembled in order.
struct PageText {
    url: String,
    title: String,
    title_terms: Vec<String>,
    sections: Vec<Section>,
    /// Per section: (heading words, text words), each sorted and deduplicated.
    terms: Vec<(Vec<String>, Vec<String>)>,
}

impl PageText {
    /// An untitled page is named by its first heading, else by its URL.
    fn new(corpus: &Corpus, r: &RenderedPage, html: &str, url: Option<&String>) -> PageText {
        let url = url.cloned().unwrap_or_default();
        let title = corpus
            .pages
            .get(r.page)
            .map_or("", |p| p.front.title.trim());
        let title = match (title, r.headings.first()) {
            ("", Some(h)) => h.text.clone(),
            ("", None) => url.clone(),
            (title, _) => title.to_string(),
        };
        let sections = sections_of(r, html);
        let terms = sections
            .iter()
            .map(|s| (word_set(&s.heading), word_set(&s.text)))
            .collect();
        PageText {
            title_terms: word_set(&title),
            url,
            title,
            sections,
            terms,
        }
    }
}

fn word_set(text: &str) -> Vec<String> {
    let mut words: Vec<String> = tokens(text).collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// The text under one heading (or before the first: empty `id` and `heading`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Section {
    id: String,
    heading: String,
    text: String,
}

/// The serialized index (README "Search" describes it); search.js reads these names.
#[derive(Serialize)]
struct Index {
    /// Format version.
    v: u32,
    /// URL folders (`section-001/`), deduplicated.
    dirs: Vec<String>,
    /// Pages: (index into `dirs`, file name, title, number of sections). A page's sections follow the
    /// previous page's, so section → page needs no table.
    pages: Vec<(u32, String, String, u32)>,
    /// Distinct (anchor id, heading text); `("", "")` is a page's top, linked without anchor.
    heads: Vec<(String, String)>,
    /// Sections: (index into `heads`, excerpt).
    secs: Vec<(u32, String)>,
    /// Terms, sorted by UTF-16 code units.
    terms: Vec<String>,
    /// For each term: `body,heading,title` lists (sections, sections, pages), trailing empty
    /// lists left out.
    post: Vec<String>,
}

#[derive(Default)]
struct Postings {
    body: Vec<u32>,
    heading: Vec<u32>,
    title: Vec<u32>,
}

#[derive(Default)]
struct Builder {
    dirs: Vec<String>,
    dir_ids: HashMap<String, u32>,
    heads: Vec<(String, String)>,
    head_ids: HashMap<(String, String), u32>,
    pages: Vec<(u32, String, String, u32)>,
    secs: Vec<(u32, String)>,
    terms: HashMap<String, Postings>,
}

impl Builder {
    fn add_page(&mut self, page: &PageText, excerpt_len: usize) {
        let id = self.pages.len() as u32;
        let url = page.url.as_str();
        let (dir, file) = url.rsplit_once('/').map_or(("", url), |(d, f)| (d, f));
        let dir = intern(&mut self.dirs, &mut self.dir_ids, dir.to_string());
        let count = page.sections.len() as u32;
        self.pages
            .push((dir, file.to_string(), page.title.clone(), count));
        for term in &page.title_terms {
            self.postings(term).title.push(id);
        }
        for (section, (heading_terms, text_terms)) in page.sections.iter().zip(&page.terms) {
            let sec = self.secs.len() as u32;
            let key = (section.id.clone(), section.heading.clone());
            let head = intern(&mut self.heads, &mut self.head_ids, key);
            self.secs.push((head, excerpt(&section.text, excerpt_len)));
            for term in heading_terms {
                self.postings(term).heading.push(sec);
            }
            for term in text_terms {
                self.postings(term).body.push(sec);
            }
        }
    }

    fn postings(&mut self, term: &str) -> &mut Postings {
        if !self.terms.contains_key(term) {
            self.terms.insert(term.to_string(), Postings::default());
        }
        self.terms.get_mut(term).expect("just inserted")
    }

    fn finish(self) -> String {
        let mut terms: Vec<(String, Postings)> = self.terms.into_iter().collect();
        terms.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        let post = terms.iter().map(|(_, p)| encode_postings(p)).collect();
        let index = Index {
            v: 1,
            dirs: self
                .dirs
                .into_iter()
                .map(|d| if d.is_empty() { d } else { d + "/" })
                .collect(),
            pages: self.pages,
            heads: self.heads,
            secs: self.secs,
            terms: terms.into_iter().map(|(t, _)| t).collect(),
            post,
        };
        let json = serde_json::to_string(&index).expect("serializing strings and numbers");
        // JSON allows U+2028/2029 raw; older JavaScript parsers do not.
        let json = json
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029");
        format!("var HELPSITE_SEARCH_INDEX = {json};\n")
    }
}

/// Index of `value` in `table`, adding it the first time.
fn intern<T: Clone + Eq + std::hash::Hash>(
    table: &mut Vec<T>,
    ids: &mut HashMap<T, u32>,
    value: T,
) -> u32 {
    *ids.entry(value.clone()).or_insert_with(|| {
        table.push(value);
        table.len() as u32 - 1
    })
}

/// Lowercased words (letters and digits), without stop words and overlong ones. search.js
/// splits queries the same way (`/[\p{Alphabetic}\p{N}]+/gu`).
fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.chars().count() <= MAX_TERM_CHARS)
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
}

/// The first `max` characters of `text`, cut at a space, with `…` when cut.
fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => {
            let cut = text[..end]
                .rfind(' ')
                .filter(|&i| i > end / 2)
                .unwrap_or(end);
            format!("{}…", text[..cut].trim_end())
        }
    }
}

#[cfg(test)]
mod tests;

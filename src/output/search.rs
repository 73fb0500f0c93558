//! The client-side search index. Everything the browser reads is a script (never fetched
//! JSON), so search works from `file://`. It is a term → postings table, not the pages' text:
//! terms are sorted (UTF-16 order, as JavaScript compares) for prefix lookup, postings are
//! delta-coded or bitmap-coded in a 64-letter alphabet, and each section keeps a short excerpt
//! whose length shrinks as the site grows. `templates/static/search.js` reads it; README
//! "Search" has the format and the figures at 10,000 pages.
//!
//! Two layouts, chosen by `[search] split` (`auto`: split when the one script would exceed
//! `SPLIT_ABOVE` bytes; `always`; `never`):
//!
//! * **One file** (format 1): `static/search-index.js` sets `HELPSITE_SEARCH_INDEX` to the
//!   whole index; URL folders and headings are deduplicated. Small sites: one request, and
//!   nothing to wait for between keystrokes.
//! * **Split** (format 2), so that one query downloads a small part of a large index:
//!   `static/search-index.js` is the entry, with every term (prefix and one-letter-typo lookups
//!   stay in the browser, exactly as with one file), the number of sections, and where the
//!   postings are; `static/search/s<i>.js` are the postings of runs of consecutive terms (a
//!   run closes at `SHARD_BYTES`; a title list holds the page's sections rather than the
//!   page, so ranking needs no page table); `static/search/c<i>.js` hold the URL, title,
//!   heading and excerpt of `CHUNK_SECTIONS` consecutive sections, loaded only for results
//!   shown. Each part is a script that puts its data into the global `HELPSITE_SEARCH_PARTS`;
//!   search.js adds its `<script>` when a query needs it (`?k=`, the index's hash, keeps a
//!   cached part of another build out). Same input, byte-identical files.
//!
//! The term list in the entry grows with the vocabulary (the generated 10,000-page corpus has
//! 245 terms; a real site of that size may have tens of thousands): it is what makes typo
//! matching across the whole dictionary possible without loading every shard.

mod code;
mod html;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::{config::SearchSplit, content::Corpus, markdown::RenderedPage};
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

/// Above this many bytes as one script, `split = "auto"` splits the index.
const SPLIT_ABOVE: usize = 200_000;
/// A postings shard is closed once it holds this many bytes of postings (a term's postings are
/// never split, so one term may make a larger one).
const SHARD_BYTES: usize = 2_048;
/// Sections per page-metadata chunk.
const CHUNK_SECTIONS: usize = 8;

/// How a split index is cut: `SHARD_BYTES` and `CHUNK_SECTIONS`, smaller in tests.
#[derive(Debug, Clone, Copy)]
struct Layout {
    shard_bytes: usize,
    /// At least 1.
    chunk_sections: usize,
}

const LAYOUT: Layout = Layout {
    shard_bytes: SHARD_BYTES,
    chunk_sections: CHUNK_SECTIONS,
};
/// The entry script (the whole index when not split).
pub const ENTRY: &str = "static/search-index.js";
/// The folder of a split index's parts.
pub const PARTS: &str = "static/search";

/// A file of the search index: its path under the output folder and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    /// Relative to the output folder: `static/search/s3.js`.
    pub path: String,
    /// The script.
    pub text: String,
}

/// Builds the text of `static/search-index.js`, the whole index as one script. `body_of(r)` is
/// the HTML of `r` as the page shows it (see `verify::body`). `urls[i]` is the URL,
/// relative to the site root, of `corpus.pages[i]` (`rendered[j].page` indexes it); a `urls` as
/// long as `rendered` but not as the corpus is taken as one URL per rendered page.
pub fn index_script(
    corpus: &Corpus,
    rendered: &[RenderedPage],
    body_of: super::BodyOf<'_>,
    urls: &[String],
) -> String {
    tables(corpus, rendered, body_of, urls).single()
}

/// The files of the index as `split` asks: the one script, or the entry ([`ENTRY`], first)
/// and its parts under [`PARTS`]; `auto` splits when the one script would exceed
/// `SPLIT_ABOVE` bytes. Arguments as for [`index_script`].
pub fn index_files(
    corpus: &Corpus,
    rendered: &[RenderedPage],
    body_of: super::BodyOf<'_>,
    urls: &[String],
    split: SearchSplit,
) -> Vec<IndexFile> {
    index_files_in(corpus, rendered, body_of, urls, split, LAYOUT)
}

fn index_files_in(
    corpus: &Corpus,
    rendered: &[RenderedPage],
    body_of: super::BodyOf<'_>,
    urls: &[String],
    split: SearchSplit,
    layout: Layout,
) -> Vec<IndexFile> {
    let tables = tables(corpus, rendered, body_of, urls);
    let single = || IndexFile {
        path: ENTRY.into(),
        text: tables.single(),
    };
    match split {
        SearchSplit::Never => vec![single()],
        SearchSplit::Always => tables.split(layout),
        SearchSplit::Auto => {
            let one = single();
            if one.text.len() <= SPLIT_ABOVE {
                vec![one]
            } else {
                tables.split(layout)
            }
        }
    }
}

fn tables(
    corpus: &Corpus,
    rendered: &[RenderedPage],
    body_of: super::BodyOf<'_>,
    urls: &[String],
) -> Tables {
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

    /// Sorts the terms (UTF-16 order, as JavaScript compares) and finishes the folder names.
    fn finish(self) -> Tables {
        let mut terms: Vec<(String, Postings)> = self.terms.into_iter().collect();
        terms.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        Tables {
            dirs: self
                .dirs
                .into_iter()
                .map(|d| if d.is_empty() { d } else { d + "/" })
                .collect(),
            pages: self.pages,
            heads: self.heads,
            secs: self.secs,
            terms,
        }
    }
}

/// The index's tables, ready to be written as one script or split into parts.
struct Tables {
    dirs: Vec<String>,
    pages: Vec<(u32, String, String, u32)>,
    heads: Vec<(String, String)>,
    secs: Vec<(u32, String)>,
    terms: Vec<(String, Postings)>,
}

impl Tables {
    /// The whole index as one script (format 1).
    fn single(&self) -> String {
        let index = Index {
            v: 1,
            dirs: self.dirs.clone(),
            pages: self.pages.clone(),
            heads: self.heads.clone(),
            secs: self.secs.clone(),
            terms: self.terms.iter().map(|(t, _)| t.clone()).collect(),
            post: self.terms.iter().map(|(_, p)| encode_postings(p)).collect(),
        };
        format!("var HELPSITE_SEARCH_INDEX = {};\n", to_json(&index))
    }

    /// The index split (format 2): the entry `static/search-index.js` (terms, where each
    /// term's postings are) and the parts under `static/search/`: `s<i>.js`, the postings of a
    /// run of consecutive terms (title lists hold sections here, not pages), and `c<i>.js`, the
    /// title, URL, heading and excerpt of sections `i * layout.chunk_sections ..`.
    fn split(&self, layout: Layout) -> Vec<IndexFile> {
        let mut first_sec = Vec::with_capacity(self.pages.len() + 1);
        let mut at = 0u32;
        for page in &self.pages {
            first_sec.push(at);
            at += page.3;
        }
        first_sec.push(at);
        let mut parts = Vec::new();
        let mut shards = Vec::new();
        let mut shard: Vec<String> = Vec::new();
        let mut shard_bytes = 0;
        for (i, (_, p)) in self.terms.iter().enumerate() {
            if shard.is_empty() {
                shards.push(i as u32);
            }
            let title: Vec<u32> = p
                .title
                .iter()
                .flat_map(|&page| {
                    let page = page as usize;
                    let from = first_sec.get(page).copied().unwrap_or(0);
                    let to = first_sec.get(page + 1).copied().unwrap_or(from);
                    from..to
                })
                .collect();
            let code = encode_postings(&Postings {
                body: p.body.clone(),
                heading: p.heading.clone(),
                title,
            });
            shard_bytes += code.len();
            shard.push(code);
            if shard_bytes >= layout.shard_bytes || i + 1 == self.terms.len() {
                let name = format!("s{}", shards.len() - 1);
                parts.push((name, to_json(&std::mem::take(&mut shard))));
                shard_bytes = 0;
            }
        }
        let mut sec_page = Vec::with_capacity(self.secs.len());
        for (p, page) in self.pages.iter().enumerate() {
            sec_page.extend(std::iter::repeat_n(p, page.3 as usize));
        }
        for (c, secs) in self.secs.chunks(layout.chunk_sections).enumerate() {
            let mut pages: Vec<(String, &str)> = Vec::new();
            let mut rows: Vec<(usize, &str, &str, &str)> = Vec::with_capacity(secs.len());
            for (k, (head, text)) in secs.iter().enumerate() {
                let page = sec_page.get(c * layout.chunk_sections + k).copied();
                let Some((dir, file, title, _)) = page.and_then(|p| self.pages.get(p)) else {
                    continue;
                };
                let dir = self.dirs.get(*dir as usize).map_or("", String::as_str);
                let url = format!("{dir}{file}");
                if pages.last().is_none_or(|(u, _)| *u != url) {
                    pages.push((url, title));
                }
                let (id, heading) = self
                    .heads
                    .get(*head as usize)
                    .map_or(("", ""), |(i, h)| (i, h));
                rows.push((pages.len() - 1, id, heading, text));
            }
            parts.push((format!("c{c}"), to_json(&(pages, rows))));
        }
        let mut hash = Fnv::default();
        for (name, json) in &parts {
            hash.write(name.as_bytes());
            hash.write(json.as_bytes());
        }
        let terms: Vec<&str> = self.terms.iter().map(|(t, _)| t.as_str()).collect();
        hash.write(to_json(&terms).as_bytes());
        let entry = Entry {
            v: 2,
            key: format!("{:016x}", hash.0),
            n: self.secs.len() as u32,
            chunk: layout.chunk_sections as u32,
            terms,
            shards,
        };
        let mut files = vec![IndexFile {
            path: ENTRY.into(),
            text: format!("var HELPSITE_SEARCH_INDEX = {};\n", to_json(&entry)),
        }];
        files.extend(parts.into_iter().map(|(name, json)| IndexFile {
            path: format!("{PARTS}/{name}.js"),
            text: format!(
                "var HELPSITE_SEARCH_PARTS = HELPSITE_SEARCH_PARTS || {{}};\n\
                 HELPSITE_SEARCH_PARTS[\"{name}\"] = {json};\n"
            ),
        }));
        files
    }
}

/// The entry script of a split index (format 2); search.js reads these names.
#[derive(Serialize)]
struct Entry<'a> {
    v: u32,
    /// A hash of the whole index, appended to the parts' URLs (`?k=`) so that a browser never
    /// mixes parts of two builds from its cache.
    key: String,
    /// Number of sections.
    n: u32,
    /// Sections per `c<i>.js` chunk.
    chunk: u32,
    /// All terms, sorted by UTF-16 code units (prefix and typo lookups need no part).
    terms: Vec<&'a str>,
    /// The number of the first term of each `s<i>.js` shard.
    shards: Vec<u32>,
}

/// JSON text, with U+2028/2029 escaped: JSON allows them raw, older JavaScript parsers do not.
fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_default()
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// FNV-1a, 64 bits: stable across builds and platforms, unlike std's hasher.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
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

//! The client-side search index: one script (`static/search-index.js`) that sets the global
//! `HELPSITE_SEARCH_INDEX`, so search works from `file://` with nothing fetched. It is a term →
//! postings table, not the pages' text: terms are sorted (UTF-16 order, as JavaScript compares)
//! for prefix lookup, postings are delta-coded or bitmap-coded in a 64-letter alphabet, URL
//! folders and headings are deduplicated, and each section keeps a short excerpt whose length
//! shrinks as the site grows. `templates/static/search.js` reads it; README "Search" has the
//! format and the figures at 10,000 pages.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::{content::Corpus, markdown::RenderedPage};

/// Total excerpt characters the index aims for; each section gets `BUDGET / sections`,
/// clamped to `EXCERPT_MIN..=EXCERPT_MAX`. Small guides keep whole sections.
const EXCERPT_BUDGET: usize = 1_000_000;
const EXCERPT_MIN: usize = 80;
const EXCERPT_MAX: usize = 2_000;
/// Longer "words" (hashes, base64) are not indexed.
const MAX_TERM_CHARS: usize = 40;
/// Words too common to tell sections apart; dropped here and in search.js alike.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "if", "in", "is", "it", "of", "on",
    "or", "that", "the", "this", "to", "with",
];
/// Letters of the postings code: values 0–31 end a number, 32–63 continue it (5 bits each);
/// a bitmap list starts with `.` and carries 6 bits per letter. Lists are separated by `,`.
const ALPHABET: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// Builds the text of `static/search-index.js`. `urls[i]` is the URL, relative to the site root,
/// of `rendered[i]` (or of `corpus.pages[i]` when `urls` covers every page of the corpus).
pub fn index_script(corpus: &Corpus, rendered: &[RenderedPage], urls: &[String]) -> String {
    let mut builder = Builder::default();
    let pages: Vec<(String, String, Vec<Section>)> = rendered
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let url = urls.get(if urls.len() == rendered.len() {
                i
            } else {
                r.page
            });
            let title = corpus
                .pages
                .get(r.page)
                .map(|p| p.front.title.trim())
                .unwrap_or("");
            let sections = sections_of(r);
            let title = if title.is_empty() {
                fallback_title(r, url)
            } else {
                title.to_string()
            };
            (url.cloned().unwrap_or_default(), title, sections)
        })
        .collect();
    let total: usize = pages.iter().map(|p| p.2.len()).sum();
    let excerpt_len = (EXCERPT_BUDGET / total.max(1)).clamp(EXCERPT_MIN, EXCERPT_MAX);
    for (url, title, sections) in &pages {
        builder.add_page(url, title, sections, excerpt_len);
    }
    builder.finish()
}

fn fallback_title(r: &RenderedPage, url: Option<&String>) -> String {
    match r.headings.first() {
        Some(h) => h.text.clone(),
        None => url.cloned().unwrap_or_default(),
    }
}

/// The text under one heading (or before the first: empty `id` and `heading`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Section {
    id: String,
    heading: String,
    text: String,
}

/// The serialized index; field names are short because they are repeated in no loop.
#[derive(Serialize)]
struct Index {
    /// Format version.
    v: u32,
    /// URL folders (`section-001/`), deduplicated.
    dirs: Vec<String>,
    /// Pages: (folder, file name#, title, number of sections). A page's sections follow the
    /// previous page's, so section → page needs no table.
    pages: Vec<(u32, String, String, u32)>,
    /// Distinct (anchor id, heading text); entry 0 is the page top `("", "")`.
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
    terms: BTreeMap<String, Postings>,
}

impl Builder {
    fn add_page(&mut self, url: &str, title: &str, sections: &[Section], excerpt_len: usize) {
        let page = self.pages.len() as u32;
        let (dir, file) = url.rsplit_once('/').map_or(("", url), |(d, f)| (d, f));
        let dir = intern(&mut self.dirs, &mut self.dir_ids, dir.to_string());
        self.pages.push((
            dir,
            file.to_string(),
            title.to_string(),
            sections.len() as u32,
        ));
        for term in tokens(title) {
            push_once(&mut self.terms.entry(term).or_default().title, page);
        }
        for section in sections {
            let sec = self.secs.len() as u32;
            let key = (section.id.clone(), section.heading.clone());
            let head = intern(&mut self.heads, &mut self.head_ids, key);
            self.secs.push((head, excerpt(&section.text, excerpt_len)));
            for term in tokens(&section.heading) {
                push_once(&mut self.terms.entry(term).or_default().heading, sec);
            }
            for term in tokens(&section.text) {
                push_once(&mut self.terms.entry(term).or_default().body, sec);
            }
        }
    }

    fn finish(self) -> String {
        let mut terms: Vec<(String, Postings)> = self.terms.into_iter().collect();
        terms.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        let post = terms.iter().map(|(_, p)| encode_postings(p)).collect();
        let mut heads = self.heads;
        if heads.is_empty() {
            heads.push((String::new(), String::new()));
        }
        let index = Index {
            v: 1,
            dirs: self
                .dirs
                .into_iter()
                .map(|d| if d.is_empty() { d } else { d + "/" })
                .collect(),
            pages: self.pages,
            heads,
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

/// Index of `value` in `table`, adding it the first time. Entry 0 of `heads` is the page top
/// because every page's first section is its top.
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

/// Appends `id` unless it is already the last entry (ids arrive in increasing order).
fn push_once(list: &mut Vec<u32>, id: u32) {
    if list.last() != Some(&id) {
        list.push(id);
    }
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

fn encode_postings(p: &Postings) -> String {
    let mut lists = vec![
        encode_list(&p.body),
        encode_list(&p.heading),
        encode_list(&p.title),
    ];
    while lists.last().is_some_and(String::is_empty) {
        lists.pop();
    }
    lists.join(",")
}

/// The shorter of the delta code and the bitmap code of an increasing list.
fn encode_list(ids: &[u32]) -> String {
    let mut delta = String::new();
    let mut prev = 0;
    for (i, &id) in ids.iter().enumerate() {
        // The first id is stored as is, later ones as the gap minus one.
        push_number(&mut delta, if i == 0 { id } else { id - prev - 1 });
        prev = id;
    }
    let Some(&last) = ids.last() else {
        return delta;
    };
    let bits = last as usize + 1;
    if bits.div_ceil(6) + 1 >= delta.len() {
        return delta;
    }
    let mut cells = vec![0u8; bits.div_ceil(6)];
    for &id in ids {
        cells[id as usize / 6] |= 1 << (id % 6);
    }
    std::iter::once('.')
        .chain(cells.iter().map(|&c| ALPHABET[c as usize] as char))
        .collect()
}

/// Most significant 5-bit group first; every letter but the last has bit 5 set.
fn push_number(out: &mut String, mut n: u32) {
    let mut groups = vec![n & 31];
    n >>= 5;
    while n > 0 {
        groups.push((n & 31) | 32);
        n >>= 5;
    }
    out.extend(groups.iter().rev().map(|&g| ALPHABET[g as usize] as char));
}

/// Splits a page into sections from its HTML and headings: the text before the first heading,
/// then each heading's. Tags are dropped, entities decoded, whitespace collapsed; the
/// heading's own markup (permalink included) is skipped, its text taken from `headings`.
fn sections_of(r: &RenderedPage) -> Vec<Section> {
    let mut sections = vec![Section {
        id: String::new(),
        heading: String::new(),
        text: String::new(),
    }];
    let mut headings = r.headings.iter();
    let mut rest = r.html.as_str();
    let mut text = String::new();
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        rest = &rest[open..];
        let tag_end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let name = tag_name(&rest[..tag_end]);
        let skip_to = match name.as_str() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "button" | "script" | "style" => {
                let close = format!("</{name}");
                rest.find(&close).map_or(rest.len(), |i| {
                    i + rest[i..].find('>').map_or(rest.len() - i, |j| j + 1)
                })
            }
            _ => tag_end,
        };
        if name.len() == 2 && name.starts_with('h') && name != "hr" {
            finish_text(sections.last_mut().expect("never empty"), &text);
            text.clear();
            let (id, heading) = headings
                .next()
                .map_or_else(Default::default, |h| (h.id.clone(), h.text.clone()));
            sections.push(Section {
                id,
                heading,
                text: String::new(),
            });
        } else if is_block(&name) {
            text.push(' ');
        }
        rest = &rest[skip_to..];
    }
    text.push_str(rest);
    finish_text(sections.last_mut().expect("never empty"), &text);
    if sections.len() > 1 && sections[0].text.is_empty() {
        sections.remove(0);
    }
    sections
}

/// `<h2 id="x">` → `h2`; `</p>` → `p`.
fn tag_name(tag: &str) -> String {
    tag.trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "br" | "li" | "td" | "th" | "tr" | "pre" | "div" | "blockquote" | "dt" | "dd" | "hr"
    )
}

fn finish_text(section: &mut Section, raw: &str) {
    let decoded = decode_entities(raw);
    section.text = decoded.split_whitespace().collect::<Vec<_>>().join(" ");
}

/// Decodes the entities an HTML writer emits: the five named ones, `&nbsp;` and numeric ones.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| entity(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests;

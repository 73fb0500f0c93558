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
/// of `corpus.pages[i]` (`rendered[j].page` indexes it); a `urls` as long as `rendered` but not
/// as the corpus is taken as one URL per rendered page.
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

/// A page's sections: the renderer's plain text per heading (`RenderedPage::sections`, which
/// leaves code out) followed by the text of the code blocks under that heading, taken from the
/// HTML — error messages live in code blocks, and they are what readers paste. A page top with
/// no text is dropped when the page has headings.
fn sections_of(r: &RenderedPage) -> Vec<Section> {
    let mut code = code_text(&r.html);
    let mut sections: Vec<Section> = r
        .sections
        .iter()
        .map(|s| {
            let extra = code.remove(&s.id).unwrap_or_default();
            let text = [s.text.trim(), extra.trim()].join(" ").trim().to_string();
            Section {
                id: s.id.clone(),
                heading: s.heading.clone(),
                text,
            }
        })
        .collect();
    if sections.is_empty() {
        sections.push(Section {
            id: String::new(),
            heading: String::new(),
            text: String::new(),
        });
    }
    if sections.len() > 1 && sections[0].text.is_empty() {
        sections.remove(0);
    }
    sections
}

/// The text inside `<pre>` elements, per id of the heading above them (`""` before the first),
/// tags dropped, entities decoded, whitespace collapsed.
fn code_text(html: &str) -> HashMap<String, String> {
    let mut found: HashMap<String, String> = HashMap::new();
    let mut section = String::new();
    let mut pre_depth = 0usize;
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        if pre_depth > 0 {
            let text = decode_entities(&rest[..open]);
            let entry = found.entry(section.clone()).or_default();
            entry.extend(text.split_whitespace().flat_map(|w| [" ", w]));
        }
        rest = &rest[open..];
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        let tag = &rest[..end];
        match tag_name(tag).as_str() {
            "pre" if tag.starts_with("</") => pre_depth = pre_depth.saturating_sub(1),
            "pre" => pre_depth += 1,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if !tag.starts_with("</") => {
                section = attribute(tag, "id")
                    .map(decode_entities)
                    .unwrap_or_default();
            }
            _ => {}
        }
        rest = &rest[end..];
    }
    found
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

/// The value of a double-quoted attribute in a start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
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

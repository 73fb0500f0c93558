//! What the search index reads from a rendered page: the renderer's text per heading, plus the
//! text of code blocks, which the renderer leaves out of `RenderedPage::sections` but which
//! holds the error messages readers paste.

use std::collections::HashMap;

use super::Section;
use crate::markdown::RenderedPage;

/// A page's sections: the renderer's plain text per heading (`RenderedPage::sections`, which
/// leaves code out) followed by the text of the code blocks under that heading, taken from the
/// HTML (`html`, the body as shown) — error messages live in code blocks, and they are what
/// readers paste. A page top with no text is dropped when the page has headings.
pub(super) fn sections_of(r: &RenderedPage, html: &str) -> Vec<Section> {
    let mut code = code_text(html);
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
pub(super) fn code_text(html: &str) -> HashMap<String, String> {
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
pub(super) fn decode_entities(s: &str) -> String {
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

//! One page file read into a [`Page`]: its bytes checked as UTF-8, its front matter split and
//! parsed (an error recorded, the page kept with defaults), its `{{#…}}` directives expanded and
//! its shortcodes noted; and the check that no two sources write the same output file.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context as _;

use super::{FrontMatter, InputError, Kind, Page, Warning, front, include, shortcodes};

/// Reads and parses one page; errors name `content/REL` (and line:column where it applies).
/// A front-matter error is added to `errors` and the page is loaded with defaults (so its
/// fences and links are still checked); a file that is not UTF-8 is left out.
pub(super) fn load_page(
    path: &Path,
    rel: &str,
    errors: &mut Vec<InputError>,
) -> anyhow::Result<Option<Page>> {
    let source = Path::new("content").join(rel);
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            errors.push(InputError {
                kind: Kind::Other,
                file: source,
                line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
                column: 0,
                message: format!(
                    "not valid UTF-8 (byte {}): save the file as UTF-8",
                    valid.len()
                ),
            });
            return Ok(None);
        }
    };
    let (front, body, body_line) = match front::split(&text, &source) {
        Ok(split) => {
            let front = front::parse(&split, &source).unwrap_or_else(|err| {
                errors.push(err.into());
                FrontMatter::default()
            });
            (front, split.body, split.body_line)
        }
        Err(err) => {
            errors.push(err.into());
            (FrontMatter::default(), "", 1)
        }
    };
    Ok(Some(Page::new(rel, front, body.to_string(), body_line)))
}

/// Two sources that would write the same output file (`a/index.md` and `a/_index.md`): an
/// error naming both, added to `errors`.
pub(super) fn check_duplicates(pages: &[Page], assets: &[String], errors: &mut Vec<InputError>) {
    let mut seen: HashMap<&str, &str> = assets.iter().map(|a| (a.as_str(), a.as_str())).collect();
    for page in pages {
        if let Some(other) = seen.insert(&page.url, &page.rel) {
            errors.push(InputError {
                kind: Kind::Clash,
                file: page.source.clone(),
                line: 0,
                column: 0,
                message: format!(
                    "content/{} and content/{other} would both be written to {}: rename one",
                    page.rel, page.url
                ),
            });
        }
    }
}

/// Expands a page's `{{#…}}` directives (when it has any) and notes its shortcodes.
pub(super) fn expand_page(
    page: &mut Page,
    path: &Path,
    root: &Path,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<Warning>,
) {
    if include::has_directives(&page.body) {
        let dir = path.parent().unwrap_or(root);
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        let mut cx = include::Context {
            root,
            source: &page.source,
            errors,
            warnings,
        };
        let expanded = include::expand(&page.body, page.body_line, &dir, &mut cx);
        if let Some(title) = expanded.title {
            page.front.title = title;
        }
        page.body = expanded.text;
        page.line_map = Some(std::sync::Arc::new(expanded.lines));
    }
    let (map, first) = (page.line_map.clone(), page.body_line);
    warnings.extend(shortcodes::scan(&page.body, &page.source, |i| {
        map.as_ref()
            .and_then(|m| m.get(i).copied())
            .unwrap_or(first + i)
    }));
}

//! mdBook's `SUMMARY.md` (in `content/`): when it exists, it gives the reading order and the
//! part titles, as mdBook reads it. Prefix chapters (`[Intro](README.md)`), part titles
//! (`# User guide`), numbered chapters in nested lists (`- [Install](guide/install.md)`, in
//! line order, depth first), separators (`---`), suffix chapters, and draft chapters
//! (`[Later]()`, which have no page and are left out). The first `# heading` before any
//! chapter is the summary's own title. The nav still groups pages by folder; the nesting of the
//! list is not a second tree.

use std::path::Path;

use super::errors::{InputError, Kind};
use super::warnings::{Warning, WarningKind};

/// Where the summary lives, relative to `content/`.
pub(crate) const FILE: &str = "SUMMARY.md";

/// One chapter with a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chapter {
    pub title: String,
    /// Relative to `content/`, with `/` separators (`guide/install.md`).
    pub rel: String,
    /// The part title this chapter opens, when it is the first one after `# Part`.
    pub part: Option<String>,
    /// 1-based line in SUMMARY.md.
    pub line: usize,
}

/// Reads SUMMARY.md's chapters in order. Lines it cannot read are warnings; so are drafts.
pub(crate) fn parse(text: &str, warnings: &mut Vec<Warning>) -> Vec<Chapter> {
    let source = Path::new("content").join(FILE);
    let mut chapters = Vec::new();
    let mut part: Option<String> = None;
    let mut seen_title = false;
    let mut in_comment = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if in_comment || line.starts_with("<!--") {
            in_comment = !line.contains("-->");
            continue;
        }
        if line.is_empty() || is_separator(line) {
            continue;
        }
        if let Some(heading) = line.strip_prefix('#') {
            let title = heading.trim_start_matches('#').trim().to_string();
            if seen_title || !chapters.is_empty() {
                part = Some(title);
            }
            seen_title = true;
            continue;
        }
        let item = strip_marker(line);
        match link_of(item) {
            Some((title, target)) if target.is_empty() => warnings.push(Warning {
                kind: WarningKind::Summary,
                file: source.clone(),
                line: i + 1,
                message: format!("draft chapter '{title}' has no page yet: left out of the nav"),
            }),
            Some((title, target)) => chapters.push(Chapter {
                title,
                rel: normalize(&target),
                part: part.take(),
                line: i + 1,
            }),
            None => warnings.push(Warning {
                kind: WarningKind::Summary,
                file: source.clone(),
                line: i + 1,
                message: format!(
                    "'{line}' is not a chapter (`- [Title](page.md)`), a part title (`# Part`) \
                     or a separator (`---`): ignored"
                ),
            }),
        }
    }
    chapters
}

/// Checks that every chapter's page exists (`exists(rel)`): the missing ones are errors at
/// their SUMMARY.md line.
pub(crate) fn missing(chapters: &[Chapter], exists: impl Fn(&str) -> bool) -> Vec<InputError> {
    chapters
        .iter()
        .filter(|c| !exists(&c.rel))
        .map(|c| InputError {
            kind: Kind::Other,
            file: Path::new("content").join(FILE),
            line: c.line,
            column: 0,
            message: format!(
                "chapter '{}' links to content/{}, which does not exist (or is a draft)",
                c.title, c.rel
            ),
        })
        .collect()
}

fn is_separator(line: &str) -> bool {
    let c = line.chars().next().unwrap_or(' ');
    matches!(c, '-' | '*' | '_')
        && line.chars().filter(|x| !x.is_whitespace()).count() >= 3
        && line.chars().all(|x| x == c || x.is_whitespace())
}

/// `- [x](y)`, `* [x](y)`, `1. [x](y)` → `[x](y)`.
fn strip_marker(line: &str) -> &str {
    if let Some(rest) = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("+ "))
    {
        return rest.trim_start();
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    match line[digits..].strip_prefix(". ") {
        Some(rest) if digits > 0 => rest.trim_start(),
        _ => line,
    }
}

/// `[Title](target)` → (Title, target); the title's Markdown escapes and backticks dropped.
fn link_of(item: &str) -> Option<(String, String)> {
    let inner = item.strip_prefix('[')?.strip_suffix(')')?;
    let (title, target) = inner.rsplit_once("](")?;
    let title = title.replace(['\\', '`'], "");
    Some((title.trim().to_string(), target.trim().to_string()))
}

/// `./guide/x.md` → `guide/x.md`; `%20` → space.
fn normalize(target: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
    let trimmed = decoded.trim_start_matches("./").trim_start_matches('/');
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOOK: &str = "# Summary\n\n[Introduction](README.md)\n\n# User Guide\n\n\
        - [Install](guide/install.md)\n    - [From source](./guide/source.md)\n\
        - [Later]()\n\n---\n\n# Reference\n\n1. [CLI](cli/README.md)\n\n-----\n\n\
        [Contributors](misc/contributors.md)\n<!-- a\ncomment -->\nstray text\n";

    #[test]
    fn chapters_parts_drafts_and_separators() {
        let mut warnings = Vec::new();
        let got = parse(BOOK, &mut warnings);
        let summary: Vec<(&str, Option<&str>, usize)> = got
            .iter()
            .map(|c| (c.rel.as_str(), c.part.as_deref(), c.line))
            .collect();
        assert_eq!(
            summary,
            [
                ("README.md", None, 3),
                ("guide/install.md", Some("User Guide"), 7),
                ("guide/source.md", None, 8),
                ("cli/README.md", Some("Reference"), 15),
                ("misc/contributors.md", None, 19),
            ]
        );
        assert_eq!(got[2].title, "From source");
        let lines: Vec<usize> = warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [9, 22], "{warnings:?}");
        assert!(warnings[0].message.contains("draft chapter 'Later'"));
    }

    #[test]
    fn missing_pages_are_errors_at_their_line() {
        let chapters = parse(BOOK, &mut Vec::new());
        let errors = missing(&chapters, |rel| rel != "guide/source.md");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 8);
        assert!(
            errors[0]
                .to_string()
                .starts_with("content/SUMMARY.md:8: chapter 'From source'")
        );
    }
}

//! Front matter: split the `+++` TOML block off the top of a page and parse it, with errors
//! located in the page's file (`content/x.md:LINE:COL: …`). Also the title fallback for pages
//! without a `title` (the first `# heading`, else the file name).

use std::path::Path;

use serde::Deserialize;

use crate::config::TomlError;
use crate::remote::{AsOf, Profile};

/// TOML between `+++` lines at the top of a page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FrontMatter {
    /// The page's title (nav, `<title>`, search). Default: the first `# heading`, else the
    /// file name.
    pub title: String,
    /// One sentence for `<meta name="description">`.
    pub description: Option<String>,
    /// Order within the section; lower first. Ties break on the file path. A section's
    /// `_index.md` weight orders the section among its siblings.
    pub weight: i64,
    /// Drafts are not rendered and their snippets are not run.
    pub draft: bool,
    /// `[snippets]`: settings for the page's snippet chain (mock remote profile and date).
    pub snippets: PageSettings,
}

/// The `[snippets]` table of a page's front matter: settings for the page's chain, checked when
/// the page is loaded (a bad value is an error at its `file:line:column` for every command).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PageSettings {
    /// The mock remote's host profile for this page (`bitbucket`, `github`, `gitlab`).
    pub profile: Option<Profile>,
    /// The mock remote's date for this page (`2026-05-01`), deciding which credentials still work.
    pub as_of: Option<AsOf>,
}

/// A page split into its parts: (front matter text, its first line, body, body's first line).
pub struct Split<'a> {
    pub front: &'a str,
    pub front_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// Splits `+++\n…\n+++\n` off the top of `text`. A page without front matter is all body.
/// An opening `+++` without a closing one is an error naming the file.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, TomlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Ok(Split {
            front: "",
            front_line: 1,
            body: text,
            body_line: 1,
        });
    }
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = start;
    for (n, line) in text[start..].split_inclusive('\n').enumerate() {
        if line.trim_end() == "+++" {
            let body_start = offset + line.len();
            return Ok(Split {
                front: &text[start..offset],
                front_line: 2,
                body: &text[body_start..],
                body_line: n + 3,
            });
        }
        offset += line.len();
    }
    Err(TomlError {
        file: file.to_path_buf(),
        line: 1,
        column: 1,
        message: "front matter opened with `+++` is never closed: expected a line `+++` after \
                  the TOML keys"
            .into(),
    })
}

/// Parses the front matter text, with errors located in `file`.
pub fn parse(split: &Split<'_>, file: &Path) -> Result<FrontMatter, TomlError> {
    toml::from_str(split.front)
        .map_err(|err| TomlError::new(file, split.front, split.front_line, &err))
}

/// The title of a page without one: the first `# heading` outside code, else the file stem
/// (`fix-push.md` → `fix-push`; `_index.md` → its folder's name).
pub fn fallback_title(body: &str, rel: &str) -> String {
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else if let Some(title) = trimmed.strip_prefix("# ") {
            let title = title.trim().trim_end_matches('#').trim();
            if !title.is_empty() {
                return title.to_string();
            }
        }
    }
    let stem = rel.trim_end_matches(".md");
    let stem = stem.strip_suffix("/_index").unwrap_or(stem);
    match stem.rsplit('/').next() {
        Some("_index") | Some("") | None => "Home".to_string(),
        Some(name) => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("content/x.md")
    }

    #[test]
    fn splits_and_counts_lines() {
        let s = split("+++\ntitle = \"T\"\nweight = 2\n+++\n# Body\n", p()).unwrap();
        assert_eq!(s.front, "title = \"T\"\nweight = 2\n");
        assert_eq!((s.body, s.body_line), ("# Body\n", 5));
        let fm = parse(&s, p()).unwrap();
        assert_eq!((fm.title.as_str(), fm.weight), ("T", 2));
    }

    #[test]
    fn crlf_and_no_front_matter() {
        let s = split("+++\r\ntitle = \"T\"\r\n+++\r\nbody", p()).unwrap();
        assert_eq!((s.body, s.body_line), ("body", 4));
        let s = split("just text", p()).unwrap();
        assert_eq!((s.front, s.body, s.body_line), ("", "just text", 1));
        assert!(split("", p()).unwrap().body.is_empty());
    }

    #[test]
    fn errors_are_located_in_the_file() {
        let s = split("+++\ntitle = \"T\"\nweight = \"heavy\"\n+++\n", p()).unwrap();
        let err = parse(&s, p()).unwrap_err();
        assert_eq!((err.line, err.column), (3, 10), "{err}");
        assert!(err.message.contains("weight"), "{err}");
        let err = split("+++\ntitle = 1\n", p()).err().unwrap();
        assert!(err.to_string().starts_with("content/x.md:1:1: "), "{err}");
    }

    #[test]
    fn snippet_settings_are_typed_and_located() {
        let s = split(
            "+++\n[snippets]\nprofile = \"github\"\nas_of = \"2026-05-01\"\n+++\n",
            p(),
        );
        let fm = parse(&s.unwrap(), p()).unwrap();
        assert_eq!(fm.snippets.profile, Some(Profile::Github));
        assert_eq!(fm.snippets.as_of, Some("2026-05-01".parse().unwrap()));
        let s = split("+++\n[snippets]\nprofile = \"gitea\"\n+++\n", p()).unwrap();
        let err = parse(&s, p()).unwrap_err().to_string();
        assert!(err.starts_with("content/x.md:3:11: "), "{err}");
        assert!(err.contains("`gitea`") && err.contains("`github`"), "{err}");
        let s = split("+++\n[snippets]\nas_of = \"soon\"\n+++\n", p()).unwrap();
        let err = parse(&s, p()).unwrap_err().to_string();
        assert!(err.starts_with("content/x.md:3:9: "), "{err}");
        assert!(err.contains("expected a date like 2026-11-28"), "{err}");
    }

    #[test]
    fn title_fallback() {
        assert_eq!(
            fallback_title("```\n# not\n```\n# Real  \n", "a.md"),
            "Real"
        );
        assert_eq!(fallback_title("text", "guide/fix-push.md"), "fix-push");
        assert_eq!(fallback_title("", "guide/_index.md"), "guide");
        assert_eq!(fallback_title("", "_index.md"), "Home");
    }
}

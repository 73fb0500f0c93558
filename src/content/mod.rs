//! Loading: walk `content/` (sorted, deterministic), split each file's TOML front matter from its
//! Markdown body, and return the [`Corpus`]. Nothing here knows about HTML.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Deserialize;

use crate::config::Config;

/// Everything the later stages need, loaded once.
#[derive(Debug)]
pub struct Corpus {
    /// The site's root folder.
    pub root: PathBuf,
    pub config: Config,
    /// Pages in reading order (sections first by weight, then their pages by weight, then path).
    pub pages: Vec<Page>,
}

/// One Markdown file.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path as shown in messages, relative to the site root: `content/guide/fix.md`.
    pub source: PathBuf,
    /// Path relative to `content/`, with `/` separators: `guide/fix.md`.
    pub rel: String,
    pub front: FrontMatter,
    /// The Markdown after the front matter.
    pub body: String,
    /// 1-based line in `source` where `body` starts, so body offsets map to file lines.
    pub body_line: usize,
}

/// TOML between `+++` lines at the top of a page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub description: Option<String>,
    /// Order within the section; lower first. Ties break on the file path.
    pub weight: i64,
    /// Drafts are not rendered and their snippets are not run.
    pub draft: bool,
    /// `[snippets]`: settings for the page's snippet chain (mock remote profile and date).
    pub snippets: crate::snippets::PageSettings,
}

impl Page {
    /// The page's stable test-name prefix: `rel` without `.md`, `/` → `::`, `_index` → section.
    pub fn test_prefix(&self) -> String {
        let stem = self.rel.trim_end_matches(".md");
        let stem = stem
            .strip_suffix("/_index")
            .or(stem.strip_suffix("_index"))
            .unwrap_or(stem);
        let stem = if stem.is_empty() { "index" } else { stem };
        stem.split('/')
            .map(|part| part.replace(['-', '.'], "_"))
            .collect::<Vec<_>>()
            .join("::")
    }
}

/// Loads the site at `root`. (Minimal version: the site-generator work extends this.)
pub fn load(root: &Path) -> anyhow::Result<Corpus> {
    let config = Config::load(root)?;
    let content = root.join("content");
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = entry.with_context(|| format!("walking {}", content.display()))?;
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())
            .with_context(|| format!("reading {}", entry.path().display()))?;
        let rel = entry
            .path()
            .strip_prefix(&content)?
            .to_string_lossy()
            .replace('\\', "/");
        let (front, body, body_line) = split_front_matter(&text);
        let front: FrontMatter =
            toml::from_str(front).with_context(|| format!("content/{rel}: front matter"))?;
        pages.push(Page {
            source: Path::new("content").join(&rel),
            rel,
            front,
            body: body.to_string(),
            body_line,
        });
    }
    Ok(Corpus {
        root: root.to_path_buf(),
        config,
        pages,
    })
}

/// Splits `+++\n…\n+++\n` off the top; returns (front matter, body, body's first line).
fn split_front_matter(text: &str) -> (&str, &str, usize) {
    if let Some(rest) = text.strip_prefix("+++\n")
        && let Some(end) = rest.find("\n+++\n")
    {
        let front = &rest[..end];
        let body = &rest[end + 5..];
        return (front, body, front.lines().count() + 3);
    }
    ("", text, 1)
}

//! Loading: walk `content/` (sorted, deterministic), split each file's TOML front matter from its
//! Markdown body, expand mdBook's `{{#include}}` directives, note shortcodes left in the text,
//! skip drafts, put the pages in reading order (`SUMMARY.md`'s when there is one) and give each
//! its output path. Returns the [`Corpus`]. Nothing here knows about HTML.

pub(crate) mod errors;
pub mod front;
pub(crate) mod include;
pub(crate) mod order;
mod read;
mod reload;
pub(crate) mod shortcodes;
pub(crate) mod summary;
pub(crate) mod warnings;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::config::Config;
use read::{check_duplicates, expand_page, load_page};

pub use errors::InputErrors;
pub(crate) use errors::{InputError, Kind};
pub(crate) use front::{FrontMatter, PageSettings};
pub(crate) use order::{folder_of, url_for};
pub(crate) use reload::reload;
pub(crate) use warnings::{Warning, WarningKind};

/// Everything the later stages need, loaded once.
#[derive(Debug)]
pub struct Corpus {
    /// The site's root folder.
    pub root: PathBuf,
    /// `helpsite.toml`, read and checked.
    pub config: Config,
    /// Pages in reading order (sections first by weight, then their pages by weight, then path).
    pub pages: Vec<Page>,
    /// Files under `content/` that are not Markdown (images, downloads), relative to `content/`
    /// with `/` separators, sorted. Copied to the output as they are.
    pub assets: Vec<String>,
    /// `rel` of the draft pages, sorted (so a link to one can say so).
    pub drafts: Vec<String>,
    /// Problems found while loading (front matter, …). The pages are still loaded, so the
    /// later stages can report their own problems in the same run; nothing is written while
    /// this is not empty.
    pub errors: Vec<InputError>,
    /// What the build shows but does not understand (shortcodes, unsupported directives), each
    /// with its file and line; they do not stop the build.
    pub warnings: Vec<Warning>,
}

/// One Markdown file.
#[derive(Debug, Clone, Hash)]
pub struct Page {
    /// Path as shown in messages, relative to the site root: `content/guide/fix.md`.
    pub source: PathBuf,
    /// Path relative to `content/`, with `/` separators: `guide/fix.md`.
    pub rel: String,
    /// The page's front matter (defaults when it had none or it was wrong).
    pub front: FrontMatter,
    /// The Markdown after the front matter.
    pub body: String,
    /// 1-based line in `source` where `body` starts, so body offsets map to file lines.
    pub body_line: usize,
    /// The output file, relative to the output root: `guide/fix.html`.
    pub url: String,
    /// Whether this is a section's own page (`_index.md`, `index.md` or mdBook's `README.md`).
    pub is_index: bool,
    /// The part title (`# Part` in SUMMARY.md) that starts with this page.
    pub part: Option<String>,
    /// For each line of `body` (0-based), its line in `source`, when `{{#include}}` expanded the
    /// body (so an included line maps to its directive); `None`: line `i` is `body_line + i`.
    pub line_map: Option<std::sync::Arc<Vec<usize>>>,
    /// Made by helpsite, not read from a file: the start page of a site without `_index.md`.
    pub generated: bool,
    /// The site's `[snippets]` policy, which decides how the page's fences are classified.
    pub policy: std::sync::Arc<crate::config::SnippetPolicy>,
    /// Byte offsets in `body` where its lines start, built on first use ([`Page::line_text`]).
    pub line_starts: LineStarts,
}

/// Where a body's lines start, worked out on first use. Made from the body, so it adds
/// nothing to a page's hash.
#[derive(Debug, Clone, Default)]
pub struct LineStarts(std::sync::OnceLock<Vec<usize>>);

impl std::hash::Hash for LineStarts {
    fn hash<H: std::hash::Hasher>(&self, _state: &mut H) {}
}

impl Page {
    /// A page from its parts; `title` falls back to the first `# heading` or the file name.
    pub fn new(rel: &str, mut front: FrontMatter, body: String, body_line: usize) -> Page {
        if front.title.trim().is_empty() {
            front.title = front::fallback_title(&body, rel);
        }
        let is_index = order::is_index_name(rel.rsplit('/').next().unwrap_or(rel));
        let url = match &front.slug {
            Some(slug) if !is_index && !slug.trim().is_empty() => slug_url(rel, slug),
            _ => url_for(rel),
        };
        Page {
            source: Path::new("content").join(rel),
            rel: rel.to_string(),
            front,
            body,
            body_line,
            url,
            is_index,
            part: None,
            line_map: None,
            generated: false,
            policy: std::sync::Arc::default(),
            line_starts: LineStarts::default(),
        }
    }

    /// The text of source line `line` (1-based in the file, without its line ending), or ""
    /// when it is not in the body. Constant time after the first call (no rescan per snippet).
    pub fn line_text(&self, line: usize) -> &str {
        let starts = self.line_starts();
        let Some(&start) = line.checked_sub(self.body_line).and_then(|i| starts.get(i)) else {
            return "";
        };
        let rest = &self.body[start..];
        let end = rest.find('\n').unwrap_or(rest.len());
        rest[..end].strip_suffix('\r').unwrap_or(&rest[..end])
    }

    /// Byte offsets in `body` where its lines start, built on first use.
    pub(crate) fn line_starts(&self) -> &[usize] {
        self.line_starts.0.get_or_init(|| {
            std::iter::once(0)
                .chain(self.body.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The page's stable test-name prefix: `rel` without `.md`, `/` → `::`, a folder's own page
    /// (`_index`, `README`, `index`) → the folder.
    pub(crate) fn test_prefix(&self) -> String {
        let stem = self.rel.trim_end_matches(".md");
        let stem = stem
            .strip_suffix("/_index")
            .or(stem.strip_suffix("_index"))
            .or(stem.strip_suffix("/README"))
            .or(stem.strip_suffix("/index"))
            .or((stem == "README").then_some(""))
            .unwrap_or(stem);
        let stem = if stem.is_empty() { "index" } else { stem };
        stem.split('/')
            .map(|part| part.replace(['-', '.'], "_"))
            .collect::<Vec<_>>()
            .join("::")
    }
}

/// A page's URL from its `slug`: the same folder, the slug as the file name.
fn slug_url(rel: &str, slug: &str) -> String {
    let slug: String = slug
        .trim()
        .chars()
        .map(|c| {
            if c == '/' || c.is_whitespace() {
                '-'
            } else {
                c
            }
        })
        .collect();
    match folder_of(rel) {
        "" => format!("{slug}.html"),
        folder => format!("{folder}/{slug}.html"),
    }
}

/// Loads the site at `root`: its config and every page under `root/content`.
pub(crate) fn load(root: &Path) -> anyhow::Result<Corpus> {
    let config = Config::load(root)?;
    let content = root.join("content");
    if !content.is_dir() {
        bail!(
            "no content/ folder in {}: put the Markdown pages there",
            root.display()
        );
    }
    let mut pages = Vec::new();
    let mut assets = Vec::new();
    let mut drafts = Vec::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut summary_text = None;
    let canonical_root = root
        .canonicalize()
        .with_context(|| format!("reading {}", root.display()))?;
    let policy = std::sync::Arc::new(config.snippets.clone());
    for entry in walkdir::WalkDir::new(&content).sort_by_file_name() {
        let entry = entry.with_context(|| format!("walking {}", content.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&content)?
            .to_string_lossy()
            .replace('\\', "/");
        if rel.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        if rel == summary::FILE {
            summary_text = Some(
                std::fs::read_to_string(entry.path())
                    .with_context(|| format!("reading {}", entry.path().display()))?,
            );
            continue;
        }
        if !rel.ends_with(".md") {
            assets.push(rel);
            continue;
        }
        let Some(mut page) = load_page(entry.path(), &rel, &mut errors)? else {
            continue;
        };
        expand_page(
            &mut page,
            entry.path(),
            &canonical_root,
            &mut errors,
            &mut warnings,
        );
        page.policy = policy.clone();
        if page.front.draft {
            drafts.push(rel);
        } else {
            pages.push(page);
        }
    }
    check_duplicates(&pages, &assets, &mut errors);
    if !pages
        .iter()
        .any(|p| p.is_index && folder_of(&p.rel).is_empty())
    {
        pages.push(start_page(&config));
    }
    let mut pages = order::reading_order(pages);
    if let Some(text) = summary_text {
        pages = summary_order(pages, &text, &mut errors, &mut warnings);
    }
    Ok(Corpus {
        root: root.to_path_buf(),
        config,
        pages,
        assets,
        drafts,
        errors,
        warnings,
    })
}

/// `pages` (in the folders' reading order) in SUMMARY.md's order: the start page, then the
/// chapters as listed, then the pages it does not list (one warning counts them). SUMMARY.md's
/// titles name pages that set none of their own; a chapter without a page is an error.
fn summary_order(
    pages: Vec<Page>,
    text: &str,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<Warning>,
) -> Vec<Page> {
    let chapters = summary::parse(text, warnings);
    let index: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.generated)
        .map(|(i, p)| (p.rel.clone(), i))
        .collect();
    errors.extend(summary::missing(&chapters, |rel| index.contains_key(rel)));
    let mut pages = pages;
    for chapter in &chapters {
        if let Some(page) = index.get(&chapter.rel).map(|&i| &mut pages[i]) {
            if page.front.title == front::fallback_title(&page.body, &page.rel) {
                page.front.title = chapter.title.clone();
            }
            page.part = page.part.take().or(chapter.part.clone());
        }
    }
    let mut slots: Vec<Option<Page>> = pages.into_iter().map(Some).collect();
    let mut ordered = Vec::with_capacity(slots.len());
    if let Some(home) = slots.iter().position(|p| {
        p.as_ref()
            .is_some_and(|p| p.is_index && folder_of(&p.rel).is_empty())
    }) {
        ordered.extend(slots[home].take());
    }
    for chapter in &chapters {
        ordered.extend(index.get(&chapter.rel).and_then(|&i| slots[i].take()));
    }
    let unlisted: Vec<Page> = slots.into_iter().flatten().collect();
    // mdBook's `404.md` is the 404 page, not a chapter: not worth a warning.
    let names: Vec<String> = unlisted
        .iter()
        .filter(|p| p.rel != "404.md")
        .map(|p| format!("content/{}", p.rel))
        .collect();
    if !names.is_empty() {
        let more = if names.len() > 3 { ", …" } else { "" };
        warnings.push(Warning {
            kind: WarningKind::Summary,
            file: Path::new("content").join(summary::FILE),
            line: 0,
            message: format!(
                "{} page(s) not listed ({}{more}): built, and placed after the listed ones",
                names.len(),
                names[..names.len().min(3)].join(", ")
            ),
        });
    }
    ordered.extend(unlisted);
    ordered
}

/// The start page (`index.html`) of a site whose content has no `_index.md`: the site's title
/// and the navigation, so `public/index.html` always exists. It has no source file.
fn start_page(config: &Config) -> Page {
    let front = FrontMatter {
        title: config.title.clone(),
        ..FrontMatter::default()
    };
    let mut page = Page::new("_index.md", front, String::new(), 1);
    page.generated = true;
    page
}

//! Updating a site already written, in place, for the dev server's fast path: after an edit
//! that changed only some pages' text, only their files are written again, then (off the
//! reader's path) the files made from every page: the print page and the search index. Each
//! file is replaced whole (written beside it, then renamed over it), so a reader gets the old
//! file or the new one, never half of one.

use std::path::Path;

use anyhow::Context as _;

use super::context::SiteCtx;
use super::{Nav, Theme, extras, page_html, verify};
use crate::content::Corpus;
use crate::markdown::RenderedPage;

/// Writes the pages `which` (indexes into `rendered`) of the site in `out` again, with their
/// `marks`. The rest of `out` must be this corpus's build: the navigation, order and URLs are
/// taken as unchanged.
pub(crate) fn rewrite_pages(
    corpus: &Corpus,
    rendered: &[RenderedPage],
    marks: Option<&verify::Marks>,
    out: &Path,
    which: &[usize],
) -> anyhow::Result<()> {
    let theme = Theme::load(&corpus.root)?;
    let nav = Nav::new(corpus);
    let site = SiteCtx::new(corpus);
    for &j in which {
        let Some(r) = rendered.get(j) else { continue };
        let body = verify::body(r, marks);
        let html = page_html(&theme, corpus, &site, &nav, r, &body)?;
        replace(&out.join(&corpus.pages[r.page].url), html.as_bytes())?;
    }
    Ok(())
}

/// Writes the files made from every page's text (the print page and the search index; the 404
/// page and sitemap hold no page text) of the site in `out` again: built in a folder beside
/// `out`, then each moved over its old self. Gives up (returning `false`, `out` untouched) as
/// soon as `cancelled()` says so: a newer edit wants the pages.
pub(crate) fn rewrite_site_files(
    corpus: &Corpus,
    rendered: &[RenderedPage],
    marks: Option<&verify::Marks>,
    out: &Path,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> anyhow::Result<bool> {
    let parent = out.parent().unwrap_or(Path::new("."));
    let scratch = tempfile::Builder::new()
        .prefix(".helpsite-update-")
        .tempdir_in(parent)
        .with_context(|| format!("making a scratch folder in {}", parent.display()))?;
    let dir = scratch.path();
    std::fs::create_dir_all(dir.join("static"))
        .with_context(|| format!("creating {}", dir.display()))?;
    let theme = Theme::load(&corpus.root)?;
    let nav = Nav::new(corpus);
    let site = SiteCtx::new(corpus);
    // Once cancelled, every page reads as empty: what is left of the stage runs through fast.
    let body_of = |r: &RenderedPage| match cancelled() {
        true => String::new(),
        false => verify::body(r, marks),
    };
    let print = extras::top_level(&site, &nav, "Print", "print.html");
    super::print::write(dir, &theme, corpus, rendered, &body_of, print)?;
    if cancelled() {
        return Ok(false);
    }
    extras::write_search_index(dir, corpus, rendered, &body_of)?;
    if cancelled() {
        return Ok(false);
    }
    // Listed first, then moved: a folder is not changed while it is being read.
    let entries: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .collect::<Result<_, _>>()
        .with_context(|| format!("reading {}", dir.display()))?;
    for entry in entries {
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let target = out.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)
                .with_context(|| format!("creating {}", target.display()))?;
        } else {
            std::fs::rename(entry.path(), &target)
                .with_context(|| format!("moving the new {} into place", target.display()))?;
        }
    }
    Ok(true)
}

/// Replaces the file at `path` by one holding `bytes`, atomically.
fn replace(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("writing beside {}", path.display()))?;
    std::io::Write::write_all(&mut file, bytes)
        .with_context(|| format!("writing beside {}", path.display()))?;
    // Keep the old file's mode (a temporary file starts private).
    if let Ok(meta) = std::fs::metadata(path) {
        file.as_file()
            .set_permissions(meta.permissions())
            .with_context(|| format!("writing beside {}", path.display()))?;
    }
    file.persist(path)
        .with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}

//! Atomic output: the site is written into a temporary folder beside the output folder, and
//! only swapped in when complete. Until then (and after any failure) the previous output stays
//! exactly as it was. Every output holds a [`MARKER`] file, and a non-empty folder without one
//! is never replaced: `--out ~/Documents` is refused, not deleted.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

/// The file that marks a folder as a helpsite output, which a later build may replace whole.
pub(super) const MARKER: &str = ".helpsite-output";

/// A folder being filled, to replace `out` on [`Staging::commit`]; removed if dropped.
pub(super) struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
}

impl Staging {
    /// Creates the staging folder next to `out` (same file system, so the swap is a rename).
    /// `keep` are folders the swap must never replace or land in (the site's sources).
    pub(super) fn new(out: &Path, keep: &[&Path]) -> anyhow::Result<Staging> {
        if out.exists() && !out.is_dir() {
            bail!("{} exists and is not a folder", out.display());
        }
        let out_abs = absolute(out);
        for source in keep.iter().filter(|p| p.exists()) {
            let source = absolute(source);
            if source.starts_with(&out_abs) || out_abs.starts_with(&source) {
                bail!(
                    "refusing to write the site to {}: it would replace or land in {}",
                    out.display(),
                    source.display()
                );
            }
        }
        refuse_foreign(out)?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("creating {}", parent.display()))?;
        let dir = tempfile::Builder::new()
            .prefix(".helpsite-build-")
            .tempdir_in(&parent)
            .with_context(|| format!("creating a staging folder in {}", parent.display()))?;
        let marker = dir.path().join(MARKER);
        std::fs::write(
            &marker,
            "A site built by helpsite: the next build replaces this folder whole.\n",
        )
        .with_context(|| format!("writing {}", marker.display()))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
        })
    }

    /// Where to write.
    pub(super) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Swaps the staged folder in for `out`; the old output is removed afterwards.
    pub(super) fn commit(self) -> anyhow::Result<()> {
        let out = self.out;
        make_readable(self.dir.path())?;
        let staged = self.dir.keep();
        if !out.exists() {
            return std::fs::rename(&staged, &out)
                .with_context(|| format!("moving the new site to {}", out.display()));
        }
        let old = staged.with_file_name(format!(
            "{}.old",
            staged
                .file_name()
                .map_or("site".into(), |n| n.to_string_lossy())
        ));
        std::fs::rename(&out, &old).with_context(|| format!("moving {} aside", out.display()))?;
        if let Err(err) = std::fs::rename(&staged, &out) {
            let _ = std::fs::rename(&old, &out);
            let _ = std::fs::remove_dir_all(&staged);
            return Err(err).with_context(|| format!("moving the new site to {}", out.display()));
        }
        std::fs::remove_dir_all(&old).with_context(|| format!("removing {}", old.display()))
    }
}

/// Whether the build may replace `out`: it does not exist, is empty, or is a previous output
/// (its [`MARKER`], or for a build from before the marker, its `404.html` and search index).
/// An error unless `out` may be replaced whole: missing, empty, or a previous helpsite output.
/// `build` checks it before writing; `serve` before its first swap.
pub fn refuse_foreign(out: &Path) -> anyhow::Result<()> {
    if !replaceable(out)? {
        bail!(
            "refusing to write the site to {}: it is a folder with files in it that is not a \
             previous helpsite output (no {MARKER} file), and a build replaces its folder \
             whole; choose a new or empty --out folder, or remove this one yourself",
            out.display()
        );
    }
    Ok(())
}

fn replaceable(out: &Path) -> anyhow::Result<bool> {
    if !out.exists() {
        return Ok(true);
    }
    let mut entries =
        std::fs::read_dir(out).with_context(|| format!("reading {}", out.display()))?;
    if entries.next().is_none() {
        return Ok(true);
    }
    let legacy = out.join("404.html").is_file() && out.join("static/search-index.js").is_file();
    Ok(out.join(MARKER).is_file() || legacy)
}

/// `path` made absolute and, as far as it exists, free of symlinks and `..`.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        _ => std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path)),
    }
}

/// Temporary folders are private (0700); a published site is not.
fn make_readable(dir: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("setting permissions of {}", dir.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_in_and_keeps_old_until_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        std::fs::write(out.join(MARKER), "").unwrap();
        let staging = Staging::new(&out, &[]).unwrap();
        std::fs::write(staging.path().join("new.html"), "new").unwrap();
        drop(staging);
        assert!(
            out.join("old.html").exists(),
            "a dropped staging leaves the old site"
        );
        let staging = Staging::new(&out, &[]).unwrap();
        std::fs::write(staging.path().join("new.html"), "new").unwrap();
        staging.commit().unwrap();
        assert!(out.join("new.html").exists() && !out.join("old.html").exists());
        assert!(out.join(MARKER).is_file(), "the new output is marked");
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "no leftovers"
        );
    }

    #[test]
    fn a_folder_that_is_not_a_previous_output_is_never_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let docs = tmp.path().join("Documents");
        std::fs::create_dir(&docs).unwrap();
        std::fs::write(docs.join("thesis.odt"), "years of work").unwrap();
        let err = Staging::new(&docs, &[]).err().expect("refused").to_string();
        assert!(err.contains("not a previous helpsite output"), "{err}");
        assert!(err.contains(MARKER), "{err}");
        assert!(docs.join("thesis.odt").exists());
        let empty = tmp.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        Staging::new(&empty, &[]).unwrap().commit().unwrap();
        assert!(empty.join(MARKER).is_file());
    }
}

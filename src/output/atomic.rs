//! Atomic output: the site is written into a temporary folder beside the output folder, and
//! only swapped in when complete. Until then (and after any failure) the previous output stays
//! exactly as it was.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

/// A folder being filled, to replace `out` on [`Staging::commit`]; removed if dropped.
pub struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
}

impl Staging {
    /// Creates the staging folder next to `out` (same file system, so the swap is a rename).
    /// `keep` are folders the swap must never replace or land in (the site's sources).
    pub fn new(out: &Path, keep: &[&Path]) -> anyhow::Result<Staging> {
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
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
        })
    }

    /// Where to write.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Swaps the staged folder in for `out`; the old output is removed afterwards.
    pub fn commit(self) -> anyhow::Result<()> {
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
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "no leftovers"
        );
    }
}

//! What every feature module shares: the fixture sites under tests/fixtures, and a small builder
//! for a throwaway site in a temp dir (`Site::new().file("content/a.md", "# A").build()`).

use std::path::{Path, PathBuf};

/// `tests/fixtures/NAME`, read in place (copy it before changing anything).
pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A site written into a fresh temp dir, file by file.
#[derive(Default)]
pub(crate) struct Site {
    files: Vec<(String, Vec<u8>)>,
}

impl Site {
    pub(crate) fn new() -> Site {
        Site::default()
    }

    /// Adds a file at `path` (relative to the site root) with `bytes`.
    pub(crate) fn file(mut self, path: &str, bytes: impl AsRef<[u8]>) -> Site {
        self.files.push((path.to_string(), bytes.as_ref().to_vec()));
        self
    }

    /// Writes the files into a new temp dir (removed when the returned value drops).
    pub(crate) fn build(self) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("temp dir");
        for (path, bytes) in &self.files {
            let path = tmp.path().join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
            std::fs::write(path, bytes).expect("writing a site file");
        }
        tmp
    }
}

/// A site in a temp dir with the given files (path, bytes).
pub(crate) fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    files
        .iter()
        .fold(Site::new(), |site, (path, bytes)| site.file(path, bytes))
        .build()
}

/// `helpsite build --root ROOT --out OUT`, for asserting on its exit code and output.
pub(crate) fn build(root: &Path, out: &Path) -> assert_cmd::assert::Assert {
    use assert_cmd::prelude::*;
    std::process::Command::cargo_bin("helpsite")
        .unwrap()
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .assert()
}

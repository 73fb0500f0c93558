//! Creates the scenario's bare repositories under the root at start, without running git: the
//! bare layout (`HEAD` → `main`, `config`, `objects/`, `refs/`) and, for `content = "commits"`,
//! three commits on `main` written as loose objects (zlib, SHA-1) with fixed author and committer
//! dates, so the ids are the same on every run and start-up stays in milliseconds. Each repository
//! is built in a hidden sibling directory and renamed into place; one that already exists under
//! the root is left as it is.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use flate2::{Compression, write::ZlibEncoder};
use sha1::{Digest as _, Sha1};

use super::scenario::{Content, Repository, Scenario};

type Id = [u8; 20];

/// The directory of `workspace/repo` under `root`.
pub(crate) fn repo_dir(root: &Path, path: &str) -> PathBuf {
    root.join(format!("{path}.git"))
}

/// Creates every repository of the scenario that does not exist yet (in parallel).
pub(crate) fn create_all(root: &Path, scenario: &Scenario) -> anyhow::Result<()> {
    std::thread::scope(|scope| {
        let jobs: Vec<_> = scenario
            .repositories
            .iter()
            .map(|repo| scope.spawn(move || create(root, repo)))
            .collect();
        jobs.into_iter().try_for_each(|j| {
            j.join()
                .unwrap_or_else(|_| bail!("repository setup panicked"))
        })
    })
}

fn create(root: &Path, repo: &Repository) -> anyhow::Result<()> {
    let dir = repo_dir(root, &repo.path);
    if dir.exists() {
        return Ok(());
    }
    let parent = dir.parent().context("repository path has no parent")?;
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(".new-")
        .tempdir_in(parent)
        .with_context(|| format!("creating a directory in {}", parent.display()))?;
    init_bare(tmp.path()).with_context(|| format!("initialising {}", dir.display()))?;
    if repo.content == Content::Commits {
        write_commits(tmp.path(), &repo.path)
            .with_context(|| format!("writing the initial commits of {}", dir.display()))?;
    }
    let built = tmp.keep();
    std::fs::rename(&built, &dir).with_context(|| format!("moving into {}", dir.display()))
}

/// The files and directories of an empty bare repository whose HEAD is `main`.
fn init_bare(dir: &Path) -> std::io::Result<()> {
    for sub in [
        "objects/info",
        "objects/pack",
        "refs/heads",
        "refs/tags",
        "info",
    ] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    std::fs::write(dir.join("HEAD"), "ref: refs/heads/main\n")?;
    let config = "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n";
    std::fs::write(dir.join("config"), config)
}

/// Three commits on `main`: a README, a change to it, and a .gitignore.
fn write_commits(dir: &Path, path: &str) -> anyhow::Result<()> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let intro = format!("# {name}\n\nA demo repository on the mock remote.\n");
    let clone = format!("{intro}\n    git clone https://bitbucket.org/{path}.git\n");
    let steps = [
        ("Initial commit", "README.md", intro),
        ("Describe how to clone", "README.md", clone),
        ("Ignore build output", ".gitignore", "target/\n".to_string()),
    ];
    let mut files: BTreeMap<&str, Id> = BTreeMap::new();
    let mut parent: Option<Id> = None;
    for (i, (message, file, text)) in steps.iter().enumerate() {
        files.insert(file, write_object(dir, "blob", text.as_bytes())?);
        let tree = write_object(dir, "tree", &tree_body(&files))?;
        let when = 1_767_225_600 + 3600 * i; // 2026-01-01T00:00:00Z, one hour apart
        let who = format!("Demo Author <author@example.com> {when} +0000");
        let mut body = format!("tree {}\n", hex(&tree));
        if let Some(p) = parent {
            body += &format!("parent {}\n", hex(&p));
        }
        body += &format!("author {who}\ncommitter {who}\n\n{message}\n");
        parent = Some(write_object(dir, "commit", body.as_bytes())?);
    }
    let head = parent.context("no commit written")?;
    std::fs::write(dir.join("refs/heads/main"), format!("{}\n", hex(&head)))?;
    Ok(())
}

/// A tree of regular files, entries in byte order of their names.
fn tree_body(files: &BTreeMap<&str, Id>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, id) in files {
        body.extend_from_slice(format!("100644 {name}\0").as_bytes());
        body.extend_from_slice(id);
    }
    body
}

/// Writes a loose object and returns its id.
fn write_object(dir: &Path, kind: &str, body: &[u8]) -> std::io::Result<Id> {
    let mut data = format!("{kind} {}\0", body.len()).into_bytes();
    data.extend_from_slice(body);
    let id: Id = Sha1::digest(&data).into();
    let hex = hex(&id);
    let folder = dir.join("objects").join(&hex[..2]);
    std::fs::create_dir_all(&folder)?;
    let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
    z.write_all(&data)?;
    std::fs::write(folder.join(&hex[2..]), z.finish()?)?;
    Ok(id)
}

fn hex(id: &Id) -> String {
    id.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) -> String {
        let out = std::process::Command::new("git")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .arg("--git-dir")
            .arg(dir)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn commits_are_valid_and_reproducible() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let scenario = Scenario::default();
        create_all(a.path(), &scenario).unwrap();
        create_all(b.path(), &scenario).unwrap();
        let demo = |root: &Path| repo_dir(root, "username/demo");
        git(&demo(a.path()), &["fsck", "--strict", "--no-dangling"]);
        assert_eq!(
            git(&demo(a.path()), &["rev-list", "--count", "main"]),
            "3\n"
        );
        assert_eq!(
            git(&demo(a.path()), &["ls-tree", "--name-only", "main"]),
            ".gitignore\nREADME.md\n"
        );
        assert_eq!(
            git(&demo(a.path()), &["rev-parse", "main"]),
            git(&demo(b.path()), &["rev-parse", "main"])
        );
        let empty = repo_dir(a.path(), "username/empty");
        assert_eq!(
            git(&empty, &["rev-parse", "--is-bare-repository"]),
            "true\n"
        );
        assert_eq!(git(&empty, &["symbolic-ref", "HEAD"]), "refs/heads/main\n");
        let leftovers = std::fs::read_dir(a.path().join("username"))
            .unwrap()
            .count();
        assert_eq!(leftovers, 2, "no hidden build directories left behind");
    }
}

//! Creates the scenario's bare repositories under the root at start: `git init --bare` and, for
//! `content = "commits"`, three commits on `main` written by one `git fast-import` with fixed
//! author and committer dates, so the commit ids are the same on every run. A repository that
//! already exists under the root is left as it is. Git runs without the host's configuration.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, bail};

use super::scenario::{Content, Repository, Scenario};

/// The directory of `workspace/repo` under `root`.
pub fn repo_dir(root: &Path, path: &str) -> PathBuf {
    root.join(format!("{path}.git"))
}

/// A `git` command isolated from the host's system and global configuration.
pub fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", root)
        .env_remove("GIT_DIR");
    cmd
}

/// Creates every repository of the scenario that does not exist yet (in parallel).
pub fn create_all(root: &Path, scenario: &Scenario) -> anyhow::Result<()> {
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
    let status = git(root)
        .args(["init", "--quiet", "--bare", "--initial-branch=main"])
        .arg(&dir)
        .status()
        .with_context(|| format!("running git init --bare {}", dir.display()))?;
    if !status.success() {
        bail!("git init --bare {} failed", dir.display());
    }
    if repo.content == Content::Commits {
        import_commits(root, &dir, &repo.path)
            .with_context(|| format!("writing the initial commits of {}", dir.display()))?;
    }
    Ok(())
}

fn import_commits(root: &Path, dir: &Path, path: &str) -> anyhow::Result<()> {
    let mut child = git(root)
        .arg("--git-dir")
        .arg(dir)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .context("running git fast-import")?;
    let stream = fast_import_stream(path);
    child
        .stdin
        .take()
        .context("fast-import stdin")?
        .write_all(stream.as_bytes())?;
    if !child.wait()?.success() {
        bail!("git fast-import failed");
    }
    Ok(())
}

/// Three commits on `main`: a README, a change to it, and a .gitignore.
fn fast_import_stream(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let files = [
        (
            "Initial commit",
            "README.md",
            format!("# {name}\n\nA demo repository on the mock remote.\n"),
        ),
        (
            "Describe how to clone",
            "README.md",
            format!(
                "# {name}\n\nA demo repository on the mock remote.\n\n    git clone https://bitbucket.org/{path}.git\n"
            ),
        ),
        ("Ignore build output", ".gitignore", "target/\n".to_string()),
    ];
    let mut out = String::new();
    for (i, (message, file, text)) in files.iter().enumerate() {
        let when = 1_767_225_600 + 3600 * i; // 2026-01-01T00:00:00Z, one hour apart
        let who = format!("Demo Author <author@example.com> {when} +0000");
        out += &format!("commit refs/heads/main\nauthor {who}\ncommitter {who}\n");
        out += &format!("data {}\n{message}\n", message.len() + 1);
        out += &format!("M 100644 inline {file}\ndata {}\n{text}\n", text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_are_reproducible() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let scenario = Scenario::default();
        create_all(a.path(), &scenario).unwrap();
        create_all(b.path(), &scenario).unwrap();
        let head = |root: &Path| {
            let out = git(root)
                .arg("--git-dir")
                .arg(repo_dir(root, "username/demo"))
                .args(["rev-parse", "main"])
                .output()
                .unwrap();
            String::from_utf8(out.stdout).unwrap()
        };
        assert_eq!(head(a.path()).len(), 41);
        assert_eq!(head(a.path()), head(b.path()));
        assert!(repo_dir(a.path(), "username/empty").join("HEAD").exists());
    }
}

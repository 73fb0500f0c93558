//! Push limits and branch restrictions (bitbucket-facts.md §6.6), enforced by git itself in the
//! bare repositories, written at every start:
//!
//! - the push size by git's own `receive.maxInputSize` (in `helpsite.config`, included from the
//!   repository's `config`): git prints `remote: fatal: pack exceeds maximum allowed size`;
//! - everything else by a generated `hooks/pre-receive` (POSIX sh, git plumbing, awk). The
//!   pusher is `$REMOTE_USER`, which the mock passes to `git http-backend` and receive-pack
//!   hands on to its hooks. The hook checks, per updated ref: branch restrictions, then (unless
//!   the repository turned it off) the per-file limit over the pushed blobs, then the size of
//!   the repository with the quarantined objects.
//!
//! A declined push prints the hook's lines as `remote: …` and git's
//! `! [remote rejected] main -> main (pre-receive hook declined)`.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context as _;

use super::repos::repo_dir;
use super::scenario::{Limits, Repository, Scenario};

const INCLUDE: &str = "[include]\n\tpath = helpsite.config\n";

/// Writes the hook and the limits config into every repository of the scenario.
pub(crate) fn install(root: &Path, scenario: &Scenario) -> anyhow::Result<()> {
    for repo in &scenario.repositories {
        let dir = repo_dir(root, &repo.path);
        write_repo(&dir, repo, &scenario.limits)
            .with_context(|| format!("installing the push limits in {}", dir.display()))?;
    }
    Ok(())
}

fn write_repo(dir: &Path, repo: &Repository, limits: &Limits) -> std::io::Result<()> {
    let config = dir.join("config");
    let text = std::fs::read_to_string(&config)?;
    if !text.contains("path = helpsite.config") {
        std::fs::write(&config, text + INCLUDE)?;
    }
    let own = format!("[receive]\n\tmaxInputSize = {}\n", limits.max_push_bytes);
    std::fs::write(dir.join("helpsite.config"), own)?;
    let hook = dir.join("hooks/pre-receive");
    std::fs::create_dir_all(dir.join("hooks"))?;
    std::fs::write(&hook, script(repo, limits))?;
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))
}

/// `100 MB`, `4 GB`, `1.5 MB`, `2000 bytes`: decimal units, as Bitbucket writes them.
pub(crate) fn human(bytes: u64) -> String {
    let units = [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "KB")];
    for (size, unit) in units {
        if bytes >= size {
            let tenths = bytes * 10 / size;
            return match tenths % 10 {
                0 => format!("{} {unit}", tenths / 10),
                d => format!("{}.{d} {unit}", tenths / 10),
            };
        }
    }
    format!("{bytes} bytes")
}

/// The pre-receive hook for `repo`. Names were validated (`Scenario::validate`): letters,
/// digits, `. _ - /`, so single quotes are safe.
fn script(repo: &Repository, limits: &Limits) -> String {
    let mut s = String::from(HEAD);
    let max_file = if repo.file_size_limit {
        limits.max_file_bytes.to_string()
    } else {
        String::new()
    };
    let _ = writeln!(
        s,
        "max_file='{max_file}'\nfile_text='{}'",
        human(limits.max_file_bytes)
    );
    let _ = writeln!(
        s,
        "max_repo='{}'\nrepo_text='{}'",
        limits.max_repository_bytes,
        human(limits.max_repository_bytes)
    );
    s.push_str("may_push() {\n  case \"$1\" in\n");
    for (branch, users) in &repo.restricted_branches {
        let users = users.join(" ");
        let _ = writeln!(
            s,
            "    '{branch}') case ' {users} ' in *\" $REMOTE_USER \"*) return 0 ;; esac; return 1 ;;"
        );
    }
    s.push_str("  esac\n  return 0\n}\n");
    s.push_str(BODY);
    s
}

const HEAD: &str =
    "#!/bin/sh\n# Written by helpsite's mock remote (src/remote/hooks.rs) at every start.\n";

/// [I] The per-file rejection text is not established (facts §6.6: "the exact rejection text
/// was not found"); the two lines below are the mock's own.
const BODY: &str = r#"zero=0000000000000000000000000000000000000000
declined=0
new_tips=
while read -r old new ref; do
  branch=${ref#refs/heads/}
  if ! may_push "$branch"; then
    echo "Permission denied to update branch $branch."
    declined=1
  fi
  [ "$new" = "$zero" ] || new_tips="$new_tips $new"
done
[ "$declined" = 0 ] || exit 1
[ -n "$new_tips" ] || exit 0
if [ -n "$max_file" ]; then
  big=$(git rev-list --objects $new_tips --not --all |
    git cat-file --batch-check='%(objecttype) %(objectsize) %(rest)' |
    awk -v max="$max_file" '$1 == "blob" && $2 > max { sub(/^[^ ]+ [^ ]+ /, ""); print }')
  if [ -n "$big" ]; then
    printf '%s\n' "$big" | while IFS= read -r path; do
      echo "File $path is larger than the $file_text file size limit."
    done
    echo "Use Git LFS for large files, or ask a repository admin to turn the limit off."
    exit 1
  fi
fi
size=$(du -sb "${GIT_DIR:-.}/objects" | cut -f1)
if [ "$size" -gt "$max_repo" ]; then
  echo "Repository is over the size limit ($repo_text) and will not accept further additions."
  exit 1
fi
exit 0
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_bitbucket_writes_them() {
        assert_eq!(human(100_000_000), "100 MB");
        assert_eq!(human(4_000_000_000), "4 GB");
        assert_eq!(human(3_500_000_000), "3.5 GB");
        assert_eq!(human(1_500), "1.5 KB");
        assert_eq!(human(999), "999 bytes");
    }
}

//! Limits and restrictions (bitbucket-facts.md §6.6) through real `git push`es: the per-file
//! limit (on by default, off per repository), git's push-size limit, the repository-size limit,
//! branch restrictions, and rate limiting. The scenario's thresholds are small numbers here;
//! git's stderr is compared line for line.

mod remote_support;

use std::path::Path;

use helpsite::remote::scenario::AsOf;
use helpsite::remote::{MockRemote, Scenario};
use remote_support::{Env, TOKEN, local, noise, run};

const DEMO: &str = "https://bitbucket.org/username/demo.git";
const ACCESS: &str = "made-up-repository-access-token";

fn env(change: impl FnOnce(&mut Scenario)) -> Env {
    let mut s = Scenario::default();
    change(&mut s);
    let as_of = "2026-11-28".parse::<AsOf>().unwrap();
    Env::with(MockRemote::builder().scenario(s).as_of(as_of))
}

/// A clone of username/demo with one commit adding `name` (`bytes` of noise).
fn clone_with_file(env: &Env, name: &str, bytes: usize) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    run(
        env.git(work.path(), "username", TOKEN)
            .args(["clone", "-q", DEMO, "."]),
        0,
    );
    noise(&work.path().join(name), bytes, 7);
    local(work.path(), &["add", name]);
    local(work.path(), &["commit", "-qm", "add a file"]);
    work
}

/// `git push origin main` as `user`; returns git's stderr lines after checking the exit code.
fn push(env: &Env, dir: &Path, user: &str, pass: &str, code: i32) -> Vec<String> {
    let out = run(
        env.git(dir, user, pass)
            .args(["push", "--porcelain", "origin", "main"]),
        code,
    );
    let stderr = env.stderr(&out);
    let stdout =
        String::from_utf8_lossy(&out.stdout).replace(&env.remote.url(), "https://bitbucket.org");
    stderr
        .lines()
        .chain(stdout.lines())
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn rejected(lines: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = lines.iter().map(|l| format!("remote: {l}")).collect();
    v.extend([
        "error: failed to push some refs to 'https://bitbucket.org/username/demo.git'".to_string(),
        "To https://bitbucket.org/username/demo.git".to_string(),
        "!\trefs/heads/main:refs/heads/main\t[remote rejected] (pre-receive hook declined)"
            .to_string(),
        "Done".to_string(),
    ]);
    v
}

#[test]
fn a_file_over_the_limit_is_refused() {
    let env = env(|s| s.limits.max_file_bytes = 100_000);
    let work = clone_with_file(&env, "big.bin", 150_000);
    assert_eq!(
        push(&env, work.path(), "username", TOKEN, 1),
        rejected(&[
            "File big.bin is larger than the 100 KB file size limit.",
            "Use Git LFS for large files, or ask a repository admin to turn the limit off.",
        ])
    );
}

#[test]
fn a_repository_with_the_file_limit_off_accepts_the_file() {
    let env = env(|s| {
        s.limits.max_file_bytes = 100_000;
        s.repositories[0].file_size_limit = false;
    });
    let work = clone_with_file(&env, "big.bin", 150_000);
    let lines = push(&env, work.path(), "username", TOKEN, 0);
    assert_eq!(lines.last().map(String::as_str), Some("Done"), "{lines:?}");
    let bare = env.bare("username/demo");
    assert_eq!(
        local(&bare, &["log", "-1", "--format=%s", "main"]),
        "add a file\n"
    );
}

#[test]
fn a_push_over_the_push_size_limit_gets_gits_own_text() {
    let env = env(|s| s.limits.max_push_bytes = 50_000);
    let work = clone_with_file(&env, "data.bin", 100_000);
    let lines = push(&env, work.path(), "username", TOKEN, 1);
    assert_eq!(
        lines,
        [
            "remote: fatal: pack exceeds maximum allowed size",
            "error: remote unpack failed: unpack-objects abnormal exit",
            "error: failed to push some refs to 'https://bitbucket.org/username/demo.git'",
            "To https://bitbucket.org/username/demo.git",
            "!\trefs/heads/main:refs/heads/main\t[remote rejected] (unpacker error)",
            "Done",
        ]
    );
}

#[test]
fn a_push_that_passes_the_repository_size_is_declined() {
    let env = env(|s| s.limits.max_repository_bytes = 60_000);
    let work = clone_with_file(&env, "data.bin", 80_000);
    assert_eq!(
        push(&env, work.path(), "username", TOKEN, 1),
        rejected(&[
            "Repository is over the size limit (60 KB) and will not accept further additions."
        ])
    );
}

#[test]
fn a_restricted_branch_refuses_everyone_not_listed() {
    let env = env(|s| {
        let allowed = vec!["reader".to_string()];
        s.repositories[0]
            .restricted_branches
            .insert("main".into(), allowed);
        s.repositories[0]
            .members
            .insert("reader".into(), helpsite::remote::scenario::Role::Write);
    });
    let work = clone_with_file(&env, "f.txt", 8);
    let denied = rejected(&["Permission denied to update branch main."]);
    assert_eq!(push(&env, work.path(), "username", TOKEN, 1), denied);
    assert_eq!(push(&env, work.path(), "x-token-auth", ACCESS, 1), denied);
    let reader = "ATATT-made-up-reader-api-token";
    let lines = push(&env, work.path(), "reader", reader, 0);
    assert_eq!(lines.last().map(String::as_str), Some("Done"), "{lines:?}");
}

#[test]
fn past_the_rate_limit_git_shows_429_with_its_text() {
    // ls-remote (protocol v2) = an anonymous GET, then the user's GET and POST: with 4 per
    // hour, two pass and the third run's authenticated GET is the user's fifth request.
    let env = env(|s| s.limits.rate_limit_per_hour = Some(4));
    let home = env.home().to_path_buf();
    for _ in 0..2 {
        run(
            env.git(&home, "username", TOKEN).args(["ls-remote", DEMO]),
            0,
        );
    }
    let out = run(
        env.git(&home, "username", TOKEN).args(["ls-remote", DEMO]),
        128,
    );
    assert_eq!(
        env.stderr(&out).lines().collect::<Vec<_>>(),
        [
            "remote: Rate limit for this resource has been exceeded",
            "fatal: unable to access 'https://bitbucket.org/username/demo.git/': The requested URL returned error: 429",
        ]
    );
    let last = env.remote.log().pop().unwrap();
    assert_eq!((last.decision.as_str(), last.status), ("rate-limited", 429));
}

//! Git LFS through the real `git-lfs` client and the mock's CONNECT proxy: an LFS-tracked file
//! pushed and cloned back intact, the batch endpoint's credential challenge, and tokens without
//! the read or write scope refused, with git-lfs's exact lines. Without git-lfs every test
//! prints the reason and passes without running; with HELPSITE_REQUIRE_CLIENTS=1 (CI) that is a
//! failure.

use std::path::Path;
use std::process::Command;

use helpsite::remote::MockRemote;
use helpsite::remote::scenario::AsOf;

use crate::remote_support::{Env, TOKEN, client, local, noise, outcome, run};

const DEMO: &str = "https://bitbucket.org/username/demo.git";
const SCOPES: &str = "Your credentials lack one or more required privilege scopes.";

#[test]
fn lfs_push_then_clone_brings_the_file_back() {
    with_lfs(push_then_clone);
}

#[test]
fn lfs_batch_asks_for_credentials_like_git() {
    with_lfs(batch_challenge);
}

#[test]
fn lfs_pull_without_the_read_scope_is_refused() {
    with_lfs(pull_without_read);
}

#[test]
fn lfs_push_without_the_write_scope_is_refused() {
    with_lfs(push_without_write);
}

fn lfs_installed() -> Result<(), String> {
    match Command::new("git").args(["lfs", "version"]).output() {
        Ok(o) if o.status.success() => Ok(()),
        _ => Err("git-lfs is not installed (apt-get install git-lfs)".into()),
    }
}

/// Runs `body` against a fresh mock (as of 2026-11-28), or skips it (see [`client`]) without
/// git-lfs.
fn with_lfs(body: fn(&Env) -> Result<(), String>) {
    if client(lfs_installed()).is_some() {
        let as_of = "2026-11-28".parse::<AsOf>().unwrap();
        let env = Env::with(MockRemote::builder().as_of(as_of));
        outcome(body(&env));
    }
}

fn check(ok: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what()) }
}

/// git (through the proxy, askpass answering `user`/`pass`) with the LFS filters configured.
fn git(env: &Env, dir: &Path, user: &str, pass: &str) -> Command {
    let mut cmd = env.git_proxy(dir, user, pass);
    for kv in [
        "filter.lfs.clean=git-lfs clean -- %f",
        "filter.lfs.smudge=git-lfs smudge -- %f",
        "filter.lfs.process=git-lfs filter-process",
        "filter.lfs.required=true",
    ] {
        cmd.args(["-c", kv]);
    }
    cmd
}

/// A clone with `big.bin` (200 KB of noise) tracked by LFS and committed; returns its oid.
fn clone_with_lfs_file(env: &Env, dir: &Path) -> String {
    run(
        git(env, dir, "username", TOKEN).args(["clone", "-q", DEMO, "."]),
        0,
    );
    run(
        git(env, dir, "username", TOKEN).args(["lfs", "track", "*.bin"]),
        0,
    );
    noise(&dir.join("big.bin"), 200_000, 5);
    run(
        git(env, dir, "username", TOKEN).args(["add", ".gitattributes", "big.bin"]),
        0,
    );
    run(
        git(env, dir, "username", TOKEN).args(["commit", "-qm", "big"]),
        0,
    );
    let pointer = local(dir, &["cat-file", "-p", "HEAD:big.bin"]);
    let oid = pointer.lines().find_map(|l| l.strip_prefix("oid sha256:"));
    oid.expect("an LFS pointer").to_string()
}

fn push_then_clone(env: &Env) -> Result<(), String> {
    let work = tempfile::tempdir().unwrap();
    let oid = clone_with_lfs_file(env, work.path());
    run(
        git(env, work.path(), "username", TOKEN).args(["push", "-q", "origin", "main"]),
        0,
    );
    let stored =
        env.bare("username/demo")
            .join(format!("lfs/objects/{}/{}/{oid}", &oid[..2], &oid[2..4]));
    check(stored.is_file(), || {
        format!("not stored: {}", stored.display())
    })?;
    let back = tempfile::tempdir().unwrap();
    run(
        git(env, back.path(), "username", TOKEN).args(["clone", "-q", DEMO, "."]),
        0,
    );
    let same = std::fs::read(back.path().join("big.bin")).ok()
        == std::fs::read(work.path().join("big.bin")).ok();
    check(same, || {
        "the cloned big.bin differs from the pushed one".to_string()
    })?;
    let log: Vec<String> = env.remote.log().iter().map(ToString::to_string).collect();
    let upload = format!("PUT /username/demo.git/info/lfs/objects/{oid} user=username allow 200");
    let download = format!("GET /username/demo.git/info/lfs/objects/{oid} user=username allow 200");
    check(log.contains(&upload) && log.contains(&download), || {
        format!("log: {log:#?}")
    })
}

/// curl's anonymous batch request gets git's 401 and challenge, as JSON.
fn batch_challenge(env: &Env) -> Result<(), String> {
    let out = Command::new("curl")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args([
            "-sS",
            "-i",
            "--suppress-connect-headers",
            "--proxy",
            &env.remote.proxy_url(),
            "--cacert",
        ])
        .arg(env.remote.ca_file())
        .args([
            "-H",
            "Content-Type: application/vnd.git-lfs+json",
            "--data",
            r#"{"operation":"download","objects":[]}"#,
        ])
        .arg("https://bitbucket.org/username/demo.git/info/lfs/objects/batch")
        .output()
        .map_err(|e| format!("curl: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
    check(text.starts_with("HTTP/1.1 401"), || text.clone())?;
    check(
        text.contains("\nwww-authenticate: Basic realm=\"Bitbucket.org HTTP\"\n"),
        || text.clone(),
    )?;
    let body = text.rsplit("\n\n").next().unwrap_or("");
    let may_not = "You may not have access to this repository or it no longer exists in this workspace. If you think this repository exists and you have access, make sure you are authenticated.";
    check(
        serde_json::from_str::<serde_json::Value>(body).ok()
            == Some(serde_json::json!({ "message": may_not })),
        || body.to_string(),
    )
}

fn pull_without_read(env: &Env) -> Result<(), String> {
    let work = tempfile::tempdir().unwrap();
    clone_with_lfs_file(env, work.path());
    run(
        git(env, work.path(), "username", TOKEN).args(["push", "-q", "origin", "main"]),
        0,
    );
    let back = tempfile::tempdir().unwrap();
    let mut clone = git(env, back.path(), "username", TOKEN);
    run(
        clone
            .env("GIT_LFS_SKIP_SMUDGE", "1")
            .args(["clone", "-q", DEMO, "."]),
        0,
    );
    let no_read = "ATATT-made-up-api-token-write-only";
    let out = run(
        git(env, back.path(), "username", no_read).args([
            "-c",
            "credential.helper=",
            "lfs",
            "pull",
        ]),
        2,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = [
        format!("batch response: {SCOPES}"),
        "Failed to fetch some objects from 'https://bitbucket.org/username/demo.git/info/lfs'"
            .into(),
    ];
    check(stderr.lines().collect::<Vec<_>>() == expected, || {
        format!("stderr: {stderr}")
    })
}

fn push_without_write(env: &Env) -> Result<(), String> {
    let work = tempfile::tempdir().unwrap();
    clone_with_lfs_file(env, work.path());
    let read_only = "ATATT-made-up-api-token-read-only";
    let out = run(
        git(env, work.path(), "username", read_only).args(["lfs", "push", "origin", "main"]),
        2,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = [
        format!("warning: Authentication error: Authentication required: {SCOPES}"),
        format!("batch response: {SCOPES}"),
    ];
    check(stderr.lines().collect::<Vec<_>>() == expected, || {
        format!("stderr: {stderr}")
    })
}

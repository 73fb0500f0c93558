//! Smart-HTTP protocol cases through the real `git`: protocol v2 fetches, gzip-encoded request
//! bodies (a clone with 40+ refs), chunked request bodies (a push over 1 MiB), push variants
//! (new branch, non-fast-forward rejected, force, delete, tags) and a 100 MB push.

mod remote_support;

use std::path::Path;

use remote_support::{Env, TOKEN, local, noise, run};

const DEMO: &str = "https://bitbucket.org/username/demo.git";

fn clone(env: &Env) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    run(
        env.git(work.path(), "username", TOKEN)
            .args(["clone", "-q", DEMO, "."]),
        0,
    );
    work
}

fn commit_file(dir: &Path, name: &str, bytes: usize, seed: u64) -> String {
    noise(&dir.join(name), bytes, seed);
    local(dir, &["add", name]);
    local(dir, &["commit", "-qm", name]);
    local(dir, &["rev-parse", "HEAD"])
}

#[test]
fn fetch_speaks_protocol_v2() {
    let env = Env::start();
    let out = run(
        env.git(env.home(), "username", TOKEN)
            .env("GIT_TRACE_PACKET", "1")
            .args(["ls-remote", DEMO]),
        0,
    );
    let trace = String::from_utf8_lossy(&out.stderr);
    assert!(
        trace.contains("< version 2"),
        "no v2 advertisement:\n{trace}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("refs/heads/main"));
}

#[test]
fn clone_with_many_refs_sends_a_gzip_body() {
    let env = Env::start();
    let bare = env.bare("username/demo");
    let main = local(&bare, &["rev-parse", "main"]);
    for i in 0..45 {
        local(
            &bare,
            &[
                "update-ref",
                &format!("refs/heads/branch-{i:02}"),
                main.trim(),
            ],
        );
    }
    let work = tempfile::tempdir().unwrap();
    let mut cmd = env.git(work.path(), "username", TOKEN);
    cmd.env("GIT_TRACE_CURL", "1")
        .env("GIT_TRACE_CURL_NO_DATA", "1");
    let out = run(
        cmd.args([
            "-c",
            "protocol.version=0",
            "clone",
            "-q",
            "--mirror",
            DEMO,
            "m.git",
        ]),
        0,
    );
    let trace = String::from_utf8_lossy(&out.stderr);
    assert!(
        trace.contains("Content-Encoding: gzip"),
        "git sent no gzip body"
    );
    let refs = local(
        &work.path().join("m.git"),
        &["for-each-ref", "--format=%(refname)"],
    );
    assert_eq!(refs.lines().count(), 46, "{refs}");
}

#[test]
fn push_over_one_mib_is_chunked_and_lands_intact() {
    let env = Env::start();
    let work = clone(&env);
    let head = commit_file(work.path(), "big.bin", 3 << 20, 7);
    let mut cmd = env.git(work.path(), "username", TOKEN);
    cmd.env("GIT_TRACE_CURL", "1")
        .env("GIT_TRACE_CURL_NO_DATA", "1");
    let out = run(cmd.args(["push", "-q", "origin", "main"]), 0);
    assert!(String::from_utf8_lossy(&out.stderr).contains("Transfer-Encoding: chunked"));
    let bare = env.bare("username/demo");
    assert_eq!(local(&bare, &["rev-parse", "main"]), head);
    local(&bare, &["fsck", "--strict"]);
}

#[test]
fn push_variants_new_branch_rejected_force_delete_tags() {
    let env = Env::start();
    let work = clone(&env);
    let dir = work.path();
    let git = |args: &[&str], code| run(env.git(dir, "username", TOKEN).args(args), code);
    commit_file(dir, "a.bin", 100, 1);
    git(&["push", "-q", "origin", "HEAD:refs/heads/feature"], 0);
    local(dir, &["reset", "-q", "--hard", "HEAD~1"]);
    commit_file(dir, "b.bin", 100, 2);
    let out = git(&["push", "origin", "HEAD:feature"], 1);
    assert!(String::from_utf8_lossy(&out.stderr).contains("[rejected]"));
    git(&["push", "-q", "--force", "origin", "HEAD:feature"], 0);
    let bare = env.bare("username/demo");
    assert_eq!(
        local(&bare, &["rev-parse", "feature"]),
        local(dir, &["rev-parse", "HEAD"])
    );
    local(dir, &["tag", "-a", "v1", "-m", "v1"]);
    git(&["push", "-q", "origin", "v1"], 0);
    assert_eq!(
        local(&bare, &["rev-parse", "v1"]),
        local(dir, &["rev-parse", "v1"])
    );
    git(&["push", "-q", "origin", "--delete", "feature"], 0);
    assert!(!local(&bare, &["branch", "--list"]).contains("feature"));
}

#[test]
fn push_to_the_empty_repository() {
    let env = Env::start();
    let work = tempfile::tempdir().unwrap();
    let url = "https://bitbucket.org/username/empty.git";
    let out = run(
        env.git(work.path(), "username", TOKEN)
            .args(["clone", url, "."]),
        0,
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("You appear to have cloned an empty repository.")
    );
    let head = commit_file(work.path(), "first.bin", 64, 3);
    run(
        env.git(work.path(), "username", TOKEN)
            .args(["push", "-q", "origin", "main"]),
        0,
    );
    assert_eq!(
        local(&env.bare("username/empty"), &["rev-parse", "main"]),
        head
    );
}

/// 100 MB of incompressible data in one push: same ids on both sides, fsck clean.
#[test]
fn push_of_100_mb_lands_intact() {
    // 100 MiB is over Bitbucket's 100 MB file limit: this repository has it turned off.
    let mut scenario = helpsite::remote::Scenario::default();
    scenario.repositories[0].file_size_limit = false;
    let env = Env::with(helpsite::remote::MockRemote::builder().scenario(scenario));
    let work = clone(&env);
    // Incompressible data: spare git the zlib work on both sides of the wire.
    local(work.path(), &["config", "core.compression", "0"]);
    let head = commit_file(work.path(), "huge.bin", 100 << 20, 11);
    run(
        env.git(work.path(), "username", TOKEN)
            .args(["push", "-q", "origin", "main"]),
        0,
    );
    let bare = env.bare("username/demo");
    assert_eq!(local(&bare, &["rev-parse", "main"]), head);
    assert_eq!(
        local(&bare, &["rev-parse", "main:huge.bin"]),
        local(work.path(), &["rev-parse", "HEAD:huge.bin"])
    );
    local(&bare, &["fsck", "--strict"]);
}

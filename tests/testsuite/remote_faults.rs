//! Faults, load and bad input: path traversal and symlinks over raw TCP, malformed and oversized
//! requests (the server goes on serving), the body limit, a client dying mid-push, the POST
//! authorised on its own, 50 clones + 20 pushes at once, and two pushes racing for one branch.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use crate::remote_support::{Env, TOKEN, local, run};
use base64::Engine as _;
use helpsite::remote::{MockRemote, Scenario};

const DEMO: &str = "https://bitbucket.org/username/demo.git";

/// Sends raw bytes, returns everything the server answers until it closes (or 5 s pass).
fn raw(env: &Env, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", env.remote.port())).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let _ = stream.write_all(request);
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn basic(user: &str, pass: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
}

fn get(env: &Env, target: &str) -> String {
    let auth = basic("username", TOKEN);
    raw(env, format!("GET {target} HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {auth}\r\nConnection: close\r\n\r\n").as_bytes())
}

fn still_serves(env: &Env) {
    run(
        env.git(env.home(), "username", TOKEN)
            .args(["ls-remote", DEMO]),
        0,
    );
}

#[test]
fn traversal_and_absolute_paths_get_404() {
    let env = Env::start();
    for target in [
        "/../../etc/passwd",
        "/username/../../../etc/info/refs?service=git-upload-pack",
        "/username/%2e%2e/info/refs?service=git-upload-pack",
        "/%2e%2e/%2e%2e/info/refs?service=git-upload-pack",
        "//etc/passwd/info/refs?service=git-upload-pack",
        "/username/demo.git/objects/info/packs",
        "/username/demo.git/config",
    ] {
        let answer = get(&env, target);
        assert!(answer.starts_with("HTTP/1.1 404"), "{target}: {answer}");
    }
    // Absolute-form (proxy) requests: only the profile hosts are answered.
    let answer = get(&env, "http://127.0.0.1/etc/passwd");
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    let answer = get(
        &env,
        "http://example.com/username/demo.git/info/refs?service=git-upload-pack",
    );
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    let answer = get(
        &env,
        "http://bitbucket.org/username/demo.git/info/refs?service=git-upload-pack",
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.80}");
    still_serves(&env);
}

#[test]
fn a_symlink_out_of_the_root_gets_404() {
    let mut scenario = Scenario::default();
    let mut evil = scenario.repositories[0].clone();
    evil.path = "evil/out".into();
    scenario.repositories.push(evil);
    let env = Env::with(MockRemote::builder().scenario(scenario));
    // Move the repository next to the root (same filesystem), and link to it from inside.
    let target = env.remote.root().parent().unwrap().join("out.git");
    assert!(!target.starts_with(env.remote.root()));
    std::fs::rename(env.bare("evil/out"), &target).unwrap();
    std::os::unix::fs::symlink(&target, env.bare("evil/out")).unwrap();
    let answer = get(&env, "/evil/out.git/info/refs?service=git-upload-pack");
    assert!(answer.starts_with("HTTP/1.1 404"), "{answer}");
    // The same repository linked from inside the root is served: the 404 was the symlink's.
    std::fs::remove_file(env.bare("evil/out")).unwrap();
    std::fs::rename(&target, env.bare("evil/out")).unwrap();
    let answer = get(&env, "/evil/out.git/info/refs?service=git-upload-pack");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.80}");
}

#[test]
fn malformed_and_oversized_requests_get_4xx_and_the_server_goes_on() {
    let env = Env::start();
    assert!(raw(&env, b"GARBAGE\r\n\r\n").starts_with("HTTP/1.1 400"));
    assert!(raw(&env, b"GET /x HTTP/1.1\r\nHost x\r\n\r\n").starts_with("HTTP/1.1 400"));
    let big = format!(
        "GET /x HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    let answer = raw(&env, big.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer:.60}");
    let bad_auth = "GET /username/demo.git/info/refs?service=git-upload-pack HTTP/1.1\r\nHost: x\r\nAuthorization: Basic !!\r\nConnection: close\r\n\r\n";
    assert!(raw(&env, bad_auth.as_bytes()).starts_with("HTTP/1.1 400"));
    let post = get(&env, "/username/demo.git/git-upload-pack");
    assert!(post.starts_with("HTTP/1.1 405"), "{post}");
    still_serves(&env);
}

#[test]
fn bodies_over_the_limit_get_413_and_change_nothing() {
    let env = Env::with(MockRemote::builder().body_limit(1 << 20));
    let work = tempfile::tempdir().unwrap();
    run(
        env.git(work.path(), "username", TOKEN)
            .args(["clone", "-q", DEMO, "."]),
        0,
    );
    let before = local(&env.bare("username/demo"), &["rev-parse", "main"]);
    crate::remote_support::noise(&work.path().join("big.bin"), 3 << 20, 3);
    local(work.path(), &["add", "big.bin"]);
    local(work.path(), &["commit", "-qm", "big"]);
    let out = env
        .git(work.path(), "username", TOKEN)
        .args(["push", "origin", "main"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(
        local(&env.bare("username/demo"), &["rev-parse", "main"]),
        before
    );
    // A declared length over the limit is refused before anything runs.
    let request = format!(
        "POST /username/demo.git/git-receive-pack HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {}\r\nContent-Type: application/x-git-receive-pack-request\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        basic("username", TOKEN),
        2 << 20
    );
    let answer = raw(&env, request.as_bytes());
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let log = env.remote.log();
    assert!(
        log.iter()
            .any(|l| l.decision == "too-large" && l.status == 413),
        "{log:?}"
    );
}

/// A receive-pack request body: one ref update and the pack, for `dir`'s HEAD over `old`.
fn push_body(dir: &Path, old: &str) -> Vec<u8> {
    let new = local(dir, &["rev-parse", "HEAD"]);
    let line = format!(
        "{} {} refs/heads/main\0 report-status\n",
        old.trim(),
        new.trim()
    );
    let mut body = format!("{:04x}{line}0000", line.len() + 4).into_bytes();
    let mut pack = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["pack-objects", "--stdout", "--revs"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    pack.stdin
        .take()
        .unwrap()
        .write_all(format!("{}\n^{}\n", new.trim(), old.trim()).as_bytes())
        .unwrap();
    body.extend(pack.wait_with_output().unwrap().stdout);
    body
}

/// Sends a chunked receive-pack POST with the first `send` bytes of `body`, then closes.
fn post_receive_pack(env: &Env, body: &[u8], send: usize) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", env.remote.port())).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let head = format!(
        "POST /username/demo.git/git-receive-pack HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {}\r\nContent-Type: application/x-git-receive-pack-request\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        basic("username", TOKEN)
    );
    stream.write_all(head.as_bytes()).unwrap();
    for chunk in body[..send].chunks(8192) {
        stream
            .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .unwrap();
        stream.write_all(chunk).unwrap();
        stream.write_all(b"\r\n").unwrap();
    }
    if send < body.len() {
        return String::new(); // the client dies here: the socket is dropped mid-body
    }
    stream.write_all(b"0\r\n\r\n").unwrap();
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn a_client_dying_mid_push_leaves_the_repository_as_before() {
    let env = Env::start();
    let work = tempfile::tempdir().unwrap();
    run(
        env.git(work.path(), "username", TOKEN)
            .args(["clone", "-q", DEMO, "."]),
        0,
    );
    let bare = env.bare("username/demo");
    let before = local(&bare, &["rev-parse", "main"]);
    crate::remote_support::noise(&work.path().join("big.bin"), 2 << 20, 2);
    local(work.path(), &["add", "big.bin"]);
    local(work.path(), &["commit", "-qm", "big"]);
    let body = push_body(work.path(), &before);
    post_receive_pack(&env, &body, body.len() / 2);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(local(&bare, &["rev-parse", "main"]), before);
    local(&bare, &["fsck", "--strict"]);
    // The same request sent whole does land: the test above could have failed.
    let answer = post_receive_pack(&env, &body, body.len());
    assert!(answer.contains("ok refs/heads/main"), "{answer}");
    assert_eq!(
        local(&bare, &["rev-parse", "main"]),
        local(work.path(), &["rev-parse", "HEAD"])
    );
}

#[test]
fn the_post_is_authorised_on_its_own() {
    let env = Env::start();
    let work = tempfile::tempdir().unwrap();
    run(
        env.git(work.path(), "username", TOKEN)
            .args(["clone", "-q", DEMO, "."]),
        0,
    );
    let bare = env.bare("username/demo");
    let before = local(&bare, &["rev-parse", "main"]);
    std::fs::write(work.path().join("f.txt"), "x\n").unwrap();
    local(work.path(), &["add", "f.txt"]);
    local(work.path(), &["commit", "-qm", "f"]);
    let body = push_body(work.path(), &before);
    let head = "POST /username/demo.git/git-receive-pack HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-git-receive-pack-request\r\nConnection: close\r\n";
    for (auth, status) in [
        (String::new(), "401"),
        (
            format!(
                "Authorization: Basic {}\r\n",
                basic("username", "ATATT-made-up-api-token-read-only")
            ),
            "403",
        ),
        (
            format!(
                "Authorization: Basic {}\r\n",
                basic("reader", "ATATT-made-up-reader-api-token")
            ),
            "403",
        ),
    ] {
        let mut request =
            format!("{head}{auth}Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        request.extend(&body);
        let answer = raw(&env, &request);
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{answer:.80}"
        );
    }
    assert_eq!(local(&bare, &["rev-parse", "main"]), before);
}

#[test]
fn fifty_clones_and_twenty_pushes_at_once() {
    let env = Env::start();
    let work = tempfile::tempdir().unwrap();
    run(
        env.git(work.path(), "username", TOKEN)
            .args(["clone", "-q", DEMO, "."]),
        0,
    );
    let mut heads = Vec::new();
    for i in 0..20 {
        local(
            work.path(),
            &["checkout", "-q", "-b", &format!("b{i}"), "origin/main"],
        );
        std::fs::write(work.path().join("n.txt"), format!("{i}\n")).unwrap();
        local(work.path(), &["add", "n.txt"]);
        local(work.path(), &["commit", "-qm", &format!("b{i}")]);
        heads.push((format!("b{i}"), local(work.path(), &["rev-parse", "HEAD"])));
    }
    let clones = tempfile::tempdir().unwrap();
    std::thread::scope(|s| {
        let env = &env;
        let mut jobs = Vec::new();
        for i in 0..50 {
            let dir = clones.path().to_path_buf();
            jobs.push(s.spawn(move || {
                env.git(&dir, "username", TOKEN)
                    .args(["clone", "-q", DEMO, &format!("c{i}")])
                    .output()
                    .unwrap()
            }));
        }
        for (branch, _) in &heads {
            let dir = work.path().to_path_buf();
            jobs.push(s.spawn(move || {
                env.git(&dir, "username", TOKEN)
                    .args(["push", "-q", "origin", branch])
                    .output()
                    .unwrap()
            }));
        }
        for job in jobs {
            let out = job.join().unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    });
    let bare = env.bare("username/demo");
    for (branch, head) in &heads {
        assert_eq!(&local(&bare, &["rev-parse", branch]), head, "{branch}");
    }
    local(&bare, &["fsck", "--strict"]);
    for i in 0..50 {
        assert_eq!(
            local(
                &clones.path().join(format!("c{i}")),
                &["rev-list", "--count", "HEAD"]
            )
            .trim(),
            "3"
        );
    }
}

#[test]
fn two_racing_pushes_to_one_branch_one_wins() {
    let env = Env::start();
    let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    for (i, dir) in dirs.iter().enumerate() {
        run(
            env.git(dir.path(), "username", TOKEN)
                .args(["clone", "-q", DEMO, "."]),
            0,
        );
        std::fs::write(dir.path().join("race.txt"), format!("{i}\n")).unwrap();
        local(dir.path(), &["add", "race.txt"]);
        local(dir.path(), &["commit", "-qm", &format!("racer {i}")]);
    }
    let results: Vec<bool> = std::thread::scope(|s| {
        let jobs: Vec<_> = dirs
            .iter()
            .map(|d| {
                let env = &env;
                s.spawn(move || {
                    env.git(d.path(), "username", TOKEN)
                        .args(["push", "-q", "origin", "main"])
                        .output()
                        .unwrap()
                })
            })
            .collect();
        jobs.into_iter()
            .map(|j| j.join().unwrap().status.success())
            .collect()
    });
    assert_eq!(results.iter().filter(|ok| **ok).count(), 1, "{results:?}");
    let winner = &dirs[results.iter().position(|ok| *ok).unwrap()];
    let bare = env.bare("username/demo");
    assert_eq!(
        local(&bare, &["rev-parse", "main"]),
        local(winner.path(), &["rev-parse", "HEAD"])
    );
    local(&bare, &["fsck", "--strict"]);
}

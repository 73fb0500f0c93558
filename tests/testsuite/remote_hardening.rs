//! The mock remote hardened (issue 10): a client that promises a body and vanishes leaves no
//! backend process (its whole process group is killed), the request log shows how the push
//! really ended, its quarantine folder is removed; gzip bodies count decompressed against the
//! limit; more concurrent backends than the cap get 503.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::remote_support::{Env, TOKEN};
use base64::Engine as _;
use helpsite::remote::MockRemote;

/// The backend cap is per process: these tests take turns so one's backends never count
/// against another's.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

fn auth() -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("username:{TOKEN}"))
}

/// Processes whose environment names `root` as their git project root (http-backend and the
/// receive-pack / upload-pack it starts).
fn backends_of(root: &Path) -> Vec<String> {
    let needle = format!("GIT_PROJECT_ROOT={}", root.display());
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let env = std::fs::read(entry.path().join("environ")).unwrap_or_default();
        if env.split(|b| *b == 0).any(|v| v == needle.as_bytes()) {
            let cmd = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
            found.push(String::from_utf8_lossy(&cmd).replace('\0', " "));
        }
    }
    found
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(10), "{what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A POST that promises `length` bytes and sends `body` of them.
fn promise(port: u16, service: &str, length: usize, body: &[u8], extra: &str) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = format!(
        "POST /username/demo.git/{service} HTTP/1.1\r\nHost: x\r\nAuthorization: Basic {}\r\n\
         Content-Type: application/x-{service}-request\r\nContent-Length: {length}\r\n{extra}\r\n",
        auth()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    s
}

#[test]
fn a_vanished_client_leaves_no_backend_and_the_log_says_so() {
    let _turn = serial();
    let env = Env::start();
    let root = env.remote.root().to_path_buf();
    // A ref update line and the start of a pack: receive-pack is running and waits for the rest.
    let line = format!(
        "{} {} refs/heads/main\0 report-status\n",
        "0".repeat(40),
        "1".repeat(40)
    );
    let mut body = format!("{:04x}{line}0000", line.len() + 4).into_bytes();
    body.extend_from_slice(b"PACK\0\0\0\x02\0\0\0\x05");
    let stream = promise(env.remote.port(), "git-receive-pack", 1 << 20, &body, "");
    wait_until("the backend never started", || {
        backends_of(&root).len() >= 2
    });
    drop(stream);
    wait_until("a backend outlived its client", || {
        backends_of(&root).is_empty()
    });
    wait_until("the log has no entry for the abandoned push", || {
        env.remote.log().iter().any(|l| l.method == "POST")
    });
    let post = env
        .remote
        .log()
        .into_iter()
        .find(|l| l.method == "POST")
        .unwrap();
    assert_eq!(post.decision, "client-gone", "{post:?}");
    let objects = env.bare("username/demo").join("objects");
    let left: Vec<_> = std::fs::read_dir(objects)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("tmp_objdir-incoming-")
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn gzip_bodies_are_limited_by_their_decompressed_size() {
    let _turn = serial();
    let env = Env::with(MockRemote::builder().body_limit(1 << 20));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![b'0'; 8 << 20]).unwrap();
    let bomb = gz.finish().unwrap();
    assert!(
        bomb.len() < 1 << 20,
        "the compressed body itself is under the limit"
    );
    let mut s = promise(
        env.remote.port(),
        "git-upload-pack",
        bomb.len(),
        &bomb,
        "Content-Encoding: gzip\r\nConnection: close\r\n",
    );
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        env.remote.log().iter().any(|l| l.decision == "too-large"),
        "{:?}",
        env.remote.log()
    );
}

#[test]
fn backends_beyond_the_cap_get_503() {
    let _turn = serial();
    let env = Env::start();
    let root = env.remote.root().to_path_buf();
    let cap = 64;
    let held: Vec<TcpStream> = (0..cap)
        .map(|_| {
            promise(
                env.remote.port(),
                "git-upload-pack",
                1 << 20,
                b"0032want ",
                "",
            )
        })
        .collect();
    // Wait for the remote's own count of held slots: counting processes raced (a `git
    // http-backend` wrapper and its exec'd child, or upload-pack, counted as two backends let
    // the probe below arrive before every held request had its slot).
    wait_until("the backends never started", || {
        env.remote.backends_running() >= cap
    });
    let mut s = promise(
        env.remote.port(),
        "git-upload-pack",
        4,
        b"0000",
        "Connection: close\r\n",
    );
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    drop(held);
    wait_until("backends outlived their clients", || {
        backends_of(&root).is_empty()
    });
}

#[test]
fn helpsite_remote_follows_its_own_insteadof_advice_and_stops_on_sigterm() {
    use std::io::BufRead as _;
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .args(["remote", "--port", "0"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let pid = child.id();
    let _stop = Stop(pid);
    let mut advice = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.starts_with("Ready in ") {
            break;
        }
        if let Some(cmd) = line.trim().strip_prefix("git config --global ") {
            advice.push(cmd.to_string());
        }
    }
    assert_eq!(advice.len(), 2, "{advice:?}");
    let home = dir.path();
    for cmd in &advice {
        let status = std::process::Command::new("git")
            .env("HOME", home)
            .args(["config", "--global"])
            .args(cmd.split_whitespace())
            .status()
            .unwrap();
        assert!(status.success());
    }
    // A URL with the username in it (as Bitbucket's clone dialog gives it) reaches the mock.
    let askpass = home.join("askpass");
    let script =
        format!("#!/bin/sh\ncase \"$1\" in Username*) echo username;; *) echo {TOKEN};; esac\n");
    std::fs::write(&askpass, script).unwrap();
    crate::remote_support::chmod_x(&askpass);
    let out = std::process::Command::new("git")
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_ASKPASS", &askpass)
        .args([
            "ls-remote",
            "https://username@bitbucket.org/username/demo.git",
        ])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("refs/heads/main"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pid = pid.to_string();
    std::process::Command::new("kill")
        .args(["-s", "TERM", &pid])
        .status()
        .unwrap();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(child.wait().unwrap().success());
    assert_eq!(
        rest.last().map(String::as_str),
        Some("Stopped."),
        "{rest:?}"
    );
}

/// Kills the process on drop, so a failing assertion leaves no server running.
struct Stop(u32);

impl Drop for Stop {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-s", "KILL", &self.0.to_string()])
            .stderr(std::process::Stdio::null())
            .status();
    }
}

//! `helpsite remote` as a program: the banner (URL, repositories, credentials, insteadOf and
//! proxy lines), one log line per request, a clean stop on Ctrl-C (SIGINT), and bad arguments
//! or scenario files reported with exit code 2.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

#[test]
fn prints_the_banner_logs_requests_and_stops_on_ctrl_c() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .args(["remote", "--port", "0"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let ready = line.starts_with("Ready in ");
        banner.push(line);
        if ready {
            break;
        }
    }
    let text = banner.join("\n");
    let url = text
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .unwrap()
        .to_string();
    assert!(
        text.contains("https://bitbucket.org/username/demo.git"),
        "{text}"
    );
    assert!(
        text.contains("ATATT-made-up-api-token-read-write"),
        "{text}"
    );
    assert!(
        text.contains(&format!("url.{url}/.insteadOf https://bitbucket.org/")),
        "{text}"
    );
    assert!(
        text.contains(&format!("export HTTPS_PROXY={url} GIT_SSL_CAINFO=")),
        "{text}"
    );

    let out = Command::new("git")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir.path())
        .env("GIT_TERMINAL_PROMPT", "0")
        .args(["ls-remote", &format!("{url}/username/demo.git")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(128));
    let logged = lines.next().unwrap().unwrap();
    assert_eq!(
        logged,
        "GET /username/demo.git/info/refs?service=git-upload-pack user=- anonymous 401"
    );

    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    assert_eq!(rest.last().map(String::as_str), Some("Stopped."));
    assert!(child.wait().unwrap().success());
}

#[test]
fn bad_scenario_and_date_exit_2_naming_the_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "[[accounts]]\nusername = \"u\"\nnickname = \"x\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .args(["remote", "--scenario", "s.toml"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("s.toml:3:1") && stderr.contains("nickname"),
        "{stderr}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .args(["remote", "--as-of", "someday"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected a date like 2026-11-28"));
}

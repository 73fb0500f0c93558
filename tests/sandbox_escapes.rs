//! One test per escape the sandbox must prevent (issue 10): each writes a one-page site whose
//! snippets try the escape and pass only when it is impossible, runs the real `helpsite test`
//! on it (namespaces on, the default) and checks the host afterwards where the snippet cannot
//! see the result itself (files written, processes left behind).
//!
//! `HELPSITE_ESCAPE_BIN` runs another helpsite binary instead (how each test was checked to fail
//! against the code before the sandbox).

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

/// A temporary site with one page, and a host-side scratch folder the page may name.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new(page: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(dir.path().join("host")).unwrap();
        std::fs::write(root.join("helpsite.toml"), "title = \"escapes\"\n").unwrap();
        let page = page.replace("@HOST@", &dir.path().join("host").display().to_string());
        let page = page.replace("@SITE@", &root.display().to_string());
        std::fs::write(
            root.join("content/escape.md"),
            format!("# Escape\n\n{page}"),
        )
        .unwrap();
        Site { dir }
    }

    /// A host folder outside the site (the "host's" files for the test).
    fn host(&self) -> PathBuf {
        self.dir.path().join("host")
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// Runs `helpsite test` with extra environment; fails the test if it runs past `limit`.
    fn run_with(&self, env: &[(&str, &str)], limit: Duration) -> (Option<i32>, String) {
        let bin = std::env::var_os("HELPSITE_ESCAPE_BIN").map_or_else(
            || PathBuf::from(env!("CARGO_BIN_EXE_helpsite")),
            PathBuf::from,
        );
        let mut child = Command::new(bin)
            .arg("test")
            .arg("--root")
            .arg(self.root())
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > limit {
                let _ = child.kill();
                let out = child.wait_with_output().unwrap();
                panic!(
                    "helpsite test ran past {limit:?} (a snippet's timeout was defeated)\n{}",
                    String::from_utf8_lossy(&out.stdout)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.code(), text)
    }

    /// Runs it and asserts every snippet passed (each passes only if its escape failed).
    fn passes(&self, env: &[(&str, &str)]) -> String {
        let (code, out) = self.run_with(env, Duration::from_secs(60));
        assert_eq!(code, Some(0), "{out}");
        assert!(out.contains("snippets: ok."), "{out}");
        out
    }
}

/// Processes on the host whose command line contains `needle`.
fn processes_with(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let text = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if text.contains(needle) {
            found.push(format!("{}: {text}", entry.file_name().to_string_lossy()));
        }
    }
    found
}

#[test]
fn a_host_secret_file_cannot_be_read_by_absolute_path() {
    let site = Site::new(
        "```sh\nif cat @HOST@/secret.txt; then exit 1; fi\n\
         if grep -rqs made-up-host-secret /root /srv /var /home 2>/dev/null; then exit 1; fi\n```\n",
    );
    std::fs::write(site.host().join("secret.txt"), "made-up-host-secret\n").unwrap();
    site.passes(&[]);
}

#[test]
fn the_harness_environment_cannot_be_read_through_proc() {
    let site = Site::new(
        "```sh\nfor f in /proc/$PPID/environ /proc/[0-9]*/environ; do\n\
         \x20 if tr '\\0' '\\n' < \"$f\" 2>/dev/null | grep -q HELPSITE_CANARY; then exit 1; fi\n\
         done\n```\n",
    );
    site.passes(&[("HELPSITE_CANARY", "made-up-canary-value")]);
}

#[test]
fn the_host_credential_helper_is_not_reachable_through_home() {
    let site = Site::new(
        "```sh\nout=$(printf 'protocol=https\\nhost=bitbucket.org\\n\\n' \
         | HOME=@HOST@ GIT_TERMINAL_PROMPT=0 git credential fill 2>&1)\n\
         case \"$out\" in *made-up-host-password*) exit 1;; esac\n\
         if cat @HOST@/.git-credentials; then exit 1; fi\n```\n",
    );
    let host = site.host();
    std::fs::write(host.join(".gitconfig"), "[credential]\n\thelper = store\n").unwrap();
    std::fs::write(
        host.join(".git-credentials"),
        "https://username:made-up-host-password@bitbucket.org\n",
    )
    .unwrap();
    site.passes(&[("HOME", host.to_str().unwrap())]);
}

#[test]
fn the_host_ssh_agent_socket_is_out_of_reach() {
    let site = Site::new(
        "```python\nimport socket, sys\ns = socket.socket(socket.AF_UNIX)\ntry:\n    \
         s.connect('@HOST@/agent.sock')\nexcept OSError:\n    sys.exit(0)\nsys.exit(1)\n```\n",
    );
    let sock = site.host().join("agent.sock");
    let _agent = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    site.passes(&[("SSH_AUTH_SOCK", sock.to_str().unwrap())]);
}

#[test]
fn writes_reach_neither_host_tmp_nor_content_nor_host_home() {
    let tag = format!("helpsite-escape-{}", std::process::id());
    let site = Site::new(&format!(
        "```sh\necho x > /tmp/{tag} || true\necho x > @SITE@/content/planted.md || true\n\
         echo x > \"$HELPSITE_SITE/content/planted2.md\" && exit 1\n\
         echo x > @HOST@/planted || true\n```\n"
    ));
    site.passes(&[]);
    let tmp = Path::new("/tmp").join(&tag);
    let leaked = [
        tmp.clone(),
        site.root().join("content/planted.md"),
        site.root().join("content/planted2.md"),
        site.host().join("planted"),
    ];
    let _ = std::fs::remove_file(&tmp);
    for path in leaked {
        assert!(!path.exists(), "a snippet wrote {}", path.display());
    }
}

#[test]
fn the_site_folder_is_readable_at_helpsite_site() {
    let site = Site::new("```sh\ngrep -q '# Escape' \"$HELPSITE_SITE/content/escape.md\"\n```\n");
    site.passes(&[]);
}

#[test]
fn a_host_loopback_service_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::{Read as _, Write as _};
        for mut conn in listener.incoming().flatten() {
            let mut buf = [0u8; 1024];
            let _ = conn.read(&mut buf);
            let _ = conn.write_all(b"HTTP/1.0 200 OK\r\n\r\nmade-up-loopback-secret\n");
        }
    });
    let site = Site::new(&format!(
        "```sh\nif curl -s --max-time 5 --noproxy '*' http://127.0.0.1:{port}/; then exit 1; fi\n\
         if (exec 3<>/dev/tcp/127.0.0.1/{port}) 2>/dev/null; then exit 1; fi\n```\n"
    ));
    site.passes(&[]);
}

#[test]
fn nothing_started_in_a_chain_survives_it() {
    let site = Site::new(
        "```sh\nsetsid sleep 4242.25 >/dev/null 2>&1 < /dev/null &\n\
         ( ( sleep 4242.5 >/dev/null 2>&1 < /dev/null & ) & )\n\
         set -m; sleep 4242.75 >/dev/null 2>&1 < /dev/null &\n```\n\n\
         ```sh {timeout=1s status=0}\nsetsid sleep 4243.25 >/dev/null 2>&1 < /dev/null &\nexit 0\n```\n",
    );
    site.passes(&[]);
    std::thread::sleep(Duration::from_millis(300));
    let left = processes_with("sleep 424");
    for line in &left {
        if let Some(pid) = line.split(':').next() {
            let _ = Command::new("kill").args(["-9", pid]).status();
        }
    }
    assert!(left.is_empty(), "processes outlived the run: {left:?}");
}

#[test]
fn a_kill_planted_on_path_does_not_disable_the_timeout() {
    let site = Site::new(
        "```sh\nmkdir -p ~/bin @HOST@/bin 2>/dev/null\n\
         for d in ~/bin @HOST@/bin; do printf '#!/bin/sh\\nexit 0\\n' > $d/kill 2>/dev/null \
         && chmod +x $d/kill; done\nexport PATH=~/bin:$PATH\nexit 0\n```\n\n\
         ```console {timeout=1s}\n$ sleep 40\n? 0\n```\n",
    );
    let path = format!(
        "{}:{}",
        site.host().join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let (code, out) = site.run_with(&[("PATH", &path)], Duration::from_secs(30));
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("timed out after 1s"), "{out}");
}

#[test]
fn a_forged_line_on_the_control_channel_is_not_a_status() {
    // Typed commands run in the session shell itself, where bash keeps its own stdout (the
    // status channel) saved on fd 10-12 while the command's output is redirected.
    let site = Site::new(
        "```console\n$ for fd in 10 11 12; do printf '\\n__helpsite_done_%s_%s 0\\n' \"$PPID\" \"$$\" >&$fd; \
         done 2>/dev/null; sleep 0.3; false\n? 1\n```\n\n\
         ```console\n$ trap 'for fd in 10 11 12; do [[ $BASH_COMMAND =~ ([0-9a-f]{32}) ]] && printf \"\\n%s 7\\n\" \"${BASH_REMATCH[1]}\" >&$fd; done 2>/dev/null' DEBUG; true\n$ echo after\nafter\n```\n",
    );
    site.passes(&[]);
}

#[test]
fn a_push_on_one_page_does_not_show_on_another() {
    let clone = "```console {hidden answer=username answer=\"$BITBUCKET_API_TOKEN\"}\n\
                 $ git clone -q https://bitbucket.org/username/demo.git && cd demo\n\
                 Username for 'https://bitbucket.org': username\n\
                 Password for 'https://username@bitbucket.org':\n```\n\n";
    // Its own remote takes the push; every other repository store on the host must be out of
    // reach (the mocks' folders, the template the chains' copies are made from).
    let site = Site::new(&format!(
        "{clone}```sh {{answer=username answer=\"$BITBUCKET_API_TOKEN\"}}\n\
         git checkout -q -b leaked-branch && git push -q origin leaked-branch 2>/dev/null\n\
         for d in /tmp/helpsite-*/username/demo.git /tmp/helpsite-*/repos/username/demo.git \
         /dev/shm/helpsite-*/repos/username/demo.git; do\n\
         \x20 [ -d \"$d\" ] && git push -q \"$d\" HEAD:refs/heads/leaked-branch 2>/dev/null\n\
         done\nexit 0\n```\n"
    ));
    let second = format!(
        "# Second\n\n{clone}```sh {{answer=username answer=\"$BITBUCKET_API_TOKEN\"}}\n\
         sleep 2\nif git ls-remote origin 2>/dev/null | grep -q leaked-branch; then exit 1; fi\n```\n"
    );
    std::fs::write(site.root().join("content/second.md"), second).unwrap();
    let out = site.passes(&[]);
    assert!(
        out.contains("3 passed") || out.contains("4 passed"),
        "{out}"
    );
}

#[test]
fn without_namespaces_the_run_says_so_and_the_report_records_it() {
    let site = Site::new("```sh\ntrue\n```\n");
    let report = site.host().join("report.json");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_helpsite"));
    let out = Command::new(bin)
        .args(["test", "--no-sandbox", "--report"])
        .arg(&report)
        .arg("--root")
        .arg(site.root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("WITHOUT the sandbox"), "{stdout}");
    let json = std::fs::read_to_string(&report).unwrap();
    assert!(json.contains("\"isolated\": false"), "{json}");
}

#[test]
fn namespaces_capabilities_and_limits_are_in_place() {
    let mut checks = String::new();
    for ns in ["user", "mnt", "pid", "net", "ipc", "uts"] {
        let host = std::fs::read_link(format!("/proc/self/ns/{ns}")).unwrap();
        checks.push_str(&format!(
            "[ \"$(readlink /proc/self/ns/{ns})\" != '{}' ]\n",
            host.display()
        ));
    }
    let site = Site::new(&format!(
        "```sh\nset -e\n{checks}grep -q '^CapEff:\t0000000000000000' /proc/self/status\n\
         grep -q '^NoNewPrivs:\t1' /proc/self/status\n[ \"$(ulimit -u)\" = 512 ]\n\
         [ \"$(ulimit -n)\" = 1024 ]\n[ \"$(ulimit -f)\" = $((256 * 1024)) ]\n\
         [ \"$(ulimit -t)\" != unlimited ]\n[ ! -e /root ] && [ ! -e /srv ] && [ ! -e /var ]\n\
         [ ! -e '{}' ]\nif touch /usr/planted; then exit 1; fi\n```\n",
        env!("CARGO_MANIFEST_DIR")
    ));
    site.passes(&[]);
}

/// Starts `helpsite test` on a page whose snippet sleeps, waits until the sleep runs, sends
/// `signal` to helpsite and returns its exit code once the sleep is gone (or fails).
fn stop_harness_with(signal: &str, tag: &str) -> Option<i32> {
    let site = Site::new(&format!(
        "```sh {{timeout=60s}}\nsetsid sleep {tag} &\nsleep {tag}\n```\n"
    ));
    let mut child = Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .arg("test")
        .arg("--root")
        .arg(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while processes_with(&format!("sleep {tag}")).len() < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the snippet never ran"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let pid = child.id().to_string();
    Command::new("kill")
        .args(["-s", signal, &pid])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !processes_with(&format!("sleep {tag}")).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let left = processes_with(&format!("sleep {tag}"));
    assert!(left.is_empty(), "survived {signal}: {left:?}");
    status.code()
}

#[test]
fn a_sigkilled_harness_leaves_nothing_running() {
    stop_harness_with("KILL", "4251.25");
}

#[test]
fn sigterm_cleans_up_like_sigint() {
    assert_eq!(stop_harness_with("TERM", "4252.25"), Some(143));
    assert_eq!(stop_harness_with("INT", "4253.25"), Some(130));
}

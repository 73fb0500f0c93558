//! One bash session per chain: a `bash --noprofile --norc` (resolved once by absolute path) in
//! the sandbox's environment, inside the chain's namespaces (`jail`, started through the
//! `bridge` init) or, with `--no-sandbox`, in its own process group on the host. Each command is written to a file, read and evaluated in that shell, so
//! `cd`, `export`, functions and `$?` carry over exactly as when a reader types them one after
//! another. The command's stdout and stderr go to one file opened in append mode (so they
//! interleave as on a terminal, and the askpass program can append prompts to the same stream);
//! the shell reports each command's status on its own stdout, our control channel, as a line
//! `NONCE STATUS`: the nonce is 128 random bits, new for every command, and appears only in the
//! harness's own line after the snippet's code has run, so a line the snippet writes (to the
//! shell's saved stdout, fd 10 or 11, which bash keeps close-on-exec) cannot pass as a status;
//! DEBUG traps the snippet set are reset before the status is printed.
//!
//! A timeout or an output flood kills the whole sandbox (the pid namespace: the shell and
//! everything it started, `setsid` or not; without namespaces, the process group); so does
//! dropping the session. Output is read lossily (non-UTF-8 shows as U+FFFD) and capped.

use std::{
    fs,
    io::{self, BufRead as _, BufReader, Write as _},
    process::{Child, ChildStdin, Stdio},
    sync::mpsc::{self, Receiver, RecvTimeoutError},
    time::{Duration, Instant},
};

mod outcome;
mod shell;

use super::sandbox::Sandbox;
pub(crate) use outcome::{Fault, Mode, Ran};
use shell::shell_command;

/// Output beyond this many bytes stops the command.
pub(crate) const OUTPUT_CAP: u64 = 1 << 20;

/// Helpers defined once in every session.
const PRELUDE: &str = "__hs_return() { return \"$1\"; }\n\
    __hs_save() { { printf 'cd -- %q\\n' \"$PWD\"; export -p; declare -f; } >\"$HELPSITE_HARNESS/state\" 2>/dev/null; }\n";

/// A live bash session in a sandbox.
pub(crate) struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    control: Receiver<String>,
    dead: Option<String>,
    /// Set once the shell has been waited for (with its status, when wait gave one); no
    /// signal is sent after that.
    reaped: Option<Option<std::process::ExitStatus>>,
    /// Inside namespaces: the host half of the network bridge (kept alive with the shell).
    _bridge: Option<super::bridge::HostBridge>,
    out_file: std::path::PathBuf,
    cmd_file: std::path::PathBuf,
}

impl Session {
    /// Starts the shell in the sandbox's `work/` directory.
    pub(crate) fn start(sandbox: &Sandbox, limits: super::bridge::Limits) -> io::Result<Session> {
        let log = fs::File::create(sandbox.harness.join("shell.log"))?;
        let (mut cmd, bridge) = shell_command(sandbox, limits)?;
        cmd.env_clear()
            .envs(sandbox.env().iter().map(|(k, v)| (k, v)))
            .current_dir(&sandbox.work)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log);
        let mut child = super::jail::spawn(cmd)?;
        super::cleanup::add_group(child.id());
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("no stdout pipe"))?;
        let (tx, control) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut session = Session {
            child,
            stdin,
            control,
            dead: None,
            reaped: None,
            _bridge: bridge,
            out_file: sandbox.out_file(),
            cmd_file: sandbox.harness.join("cmd"),
        };
        session.send(PRELUDE)?;
        Ok(session)
    }

    /// Runs `script` in the shell (as `mode` says) until it ends or `deadline`.
    /// `askpass` decides whether git may prompt through the harness's askpass program.
    pub(crate) fn run(
        &mut self,
        script: &str,
        deadline: Instant,
        timeout: Duration,
        askpass: bool,
        mode: Mode,
    ) -> Ran {
        if let Some(why) = &self.dead {
            return Ran {
                output: String::new(),
                status: None,
                fault: Some(Fault::Dead(why.clone())),
            };
        }
        let nonce = match nonce() {
            Ok(n) => n,
            Err(e) => return self.fail(Fault::Dead(format!("no random nonce: {e}"))),
        };
        if let Err(e) = self.prepare(script, askpass, mode, &nonce) {
            return self.fail(Fault::Dead(format!(
                "could not hand the command to the shell: {e}"
            )));
        }
        loop {
            let wait = deadline
                .saturating_duration_since(Instant::now())
                .min(Duration::from_millis(50));
            match self.control.recv_timeout(wait) {
                Ok(line) => {
                    if let Some(code) = line.strip_prefix(nonce.as_str()) {
                        let status = code.trim().parse().ok();
                        return Ran {
                            output: self.output(),
                            status,
                            fault: None,
                        };
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    if Instant::now() >= deadline {
                        return self.fail(Fault::Timeout(timeout));
                    }
                    if fs::metadata(&self.out_file).is_ok_and(|m| m.len() > OUTPUT_CAP) {
                        return self.fail(Fault::OutputCap);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let status = self.reap().and_then(|s| s.code());
                    return self.fail(Fault::ShellExited(status));
                }
            }
        }
    }

    fn prepare(&mut self, script: &str, askpass: bool, mode: Mode, nonce: &str) -> io::Result<()> {
        fs::File::create(&self.out_file)?;
        fs::write(&self.cmd_file, script)?;
        let state = self.cmd_file.with_file_name("state");
        let _ = fs::remove_file(&state);
        let askpass = if askpass {
            "export GIT_ASKPASS=\"$HELPSITE_ASKPASS\""
        } else {
            "unset GIT_ASKPASS"
        };
        let restore = " . \"$HELPSITE_HARNESS/state\" >/dev/null 2>&1;";
        let tty;
        let (run, restore) = match mode {
            Mode::Typed => ("eval \"$__hs_cmd\"", ""),
            Mode::Script => ("( trap __hs_save EXIT; eval \"$__hs_cmd\" )", restore),
            Mode::Tty { cols, rows } => {
                // A terminal is there to ask: git may prompt (the sandbox's
                // GIT_TERMINAL_PROMPT=0 guards only commands without one).
                let inner = "'. \"$HELPSITE_HARNESS/state\" >/dev/null 2>&1; unset GIT_TERMINAL_PROMPT; trap __hs_save EXIT; \
                     IFS= read -r -d \"\" __hs_cmd <\"$HELPSITE_HARNESS/cmd\"; eval \"$__hs_cmd\"'";
                tty = format!(
                    "__hs_save; \"$HELPSITE_PTY\" {} {cols} {rows} \"$HELPSITE_ANSWERS\" -- {} \
                     --noprofile --norc -c {inner}",
                    super::pty::PTY_COMMAND,
                    super::programs::shell_word("bash")
                );
                (tty.as_str(), restore)
            }
        };
        let line = format!(
            "__hs_s=$?; {askpass}; IFS= read -r -d '' __hs_cmd <\"$HELPSITE_HARNESS/cmd\" || :; \
             __hs_return $__hs_s; {run} >>\"$HELPSITE_OUT\" 2>&1 </dev/null; __hs_s=$?;{restore} \
             \\builtin trap - DEBUG; \\builtin printf '\\n{nonce} %s\\n' \"$__hs_s\"; __hs_return $__hs_s\n"
        );
        self.send(&line)
    }

    fn send(&mut self, text: &str) -> io::Result<()> {
        let stdin = self
            .stdin
            .as_mut()
            .ok_or_else(|| io::Error::other("shell stdin closed"))?;
        stdin.write_all(text.as_bytes())?;
        stdin.flush()
    }

    /// Marks the session dead, kills its process group, and returns the fault with the output.
    fn fail(&mut self, fault: Fault) -> Ran {
        self.kill();
        let status = match fault {
            Fault::ShellExited(code) => code,
            _ => None,
        };
        self.dead = Some(fault.to_string());
        Ran {
            output: self.output(),
            status,
            fault: Some(fault),
        }
    }

    /// The running command's output so far, decoded lossily; never more than the cap is read.
    fn output(&self) -> String {
        use std::io::Read as _;
        let mut bytes = Vec::new();
        if let Ok(file) = fs::File::open(&self.out_file) {
            let _ = file.take(OUTPUT_CAP).read_to_end(&mut bytes);
        }
        as_typed(&String::from_utf8_lossy(&bytes))
    }

    /// Kills the shell and everything it started, and reaps the shell. In namespaces, killing
    /// bwrap ends its pid namespace (die-with-parent), so `setsid` and double forks die too.
    /// Idempotent: see [`Session::reap`] for why nothing is signalled once the shell is reaped.
    pub(crate) fn kill(&mut self) {
        self.stdin.take();
        self.reap();
    }

    /// Kills the shell's process group, then reaps the shell, exactly once. Signals go by
    /// number, so they are only sent while the shell is unreaped: until then its pid (a zombie
    /// at worst) still names our group. Once it is reaped the kernel hands the number to the
    /// next process that wraps around to it (pid_max is 32768 on many machines, and a guide run
    /// starts thousands of processes), and a group kill sent then could end a stranger, or
    /// another chain's `setsid` sandbox.
    fn reap(&mut self) -> Option<std::process::ExitStatus> {
        if let Some(status) = self.reaped {
            return status;
        }
        let pid = self.child.id();
        super::cleanup::remove_group(pid);
        super::cleanup::kill_group(pid);
        let _ = self.child.kill();
        let status = self.child.wait().ok();
        self.reaped = Some(status);
        status
    }
}

/// 128 random bits as hex, from the kernel.
fn nonce() -> io::Result<String> {
    use std::io::Read as _;
    let mut bytes = [0u8; 16];
    fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A non-interactive bash prefixes its errors with `bash: line N:`; a terminal shows `bash:`.
fn as_typed(text: &str) -> String {
    static PREFIX: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    match PREFIX.get_or_init(|| regex::Regex::new(r"(?m)^bash: line \d+: ").ok()) {
        Some(re) => re.replace_all(text, "bash: ").into_owned(),
        None => text.to_string(),
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::sandbox::{Isolation, Network};

    fn session() -> (Sandbox, Session) {
        let options = crate::harness::sandbox::Options {
            isolation: Isolation::EnvOnly,
            site: None,
        };
        let sbx = Sandbox::new(&Network::closed(), &options).unwrap();
        let s = Session::start(&sbx, crate::harness::bridge::Limits::DEFAULT).unwrap();
        (sbx, s)
    }

    fn run(s: &mut Session, script: &str) -> Ran {
        let t = Duration::from_secs(10);
        s.run(script, Instant::now() + t, t, false, Mode::Typed)
    }

    #[test]
    fn state_carries_over_and_streams_interleave() {
        let (_sbx, mut s) = session();
        let r = run(
            &mut s,
            "mkdir d && cd d && export X=1 && f() { echo \"f$X\"; }",
        );
        assert_eq!((r.status, r.fault), (Some(0), None));
        let r = run(
            &mut s,
            "echo out; echo err >&2; echo out2; f; basename \"$PWD\"; false",
        );
        assert_eq!(r.output, "out\nerr\nout2\nf1\nd\n");
        assert_eq!(r.status, Some(1));
        assert_eq!(run(&mut s, "echo $?").output, "1\n");
        let r = run(&mut s, "cd nowhere");
        assert_eq!(r.output, "bash: cd: nowhere: No such file or directory\n");
        let r = run(&mut s, "cat <<EOF\nheredoc\nEOF");
        assert_eq!(r.output, "heredoc\n");
    }

    #[test]
    fn timeout_kills_the_group() {
        let (sbx, mut s) = session();
        let marker = sbx.root.join("alive");
        let script = format!("(sleep 1; touch {}) & sleep 5", marker.display());
        let t = Duration::from_millis(300);
        let r = s.run(&script, Instant::now() + t, t, false, Mode::Typed);
        assert_eq!(r.fault, Some(Fault::Timeout(t)));
        assert!(
            run(&mut s, "true")
                .fault
                .is_some_and(|f| matches!(f, Fault::Dead(_)))
        );
        std::thread::sleep(Duration::from_millis(1500));
        assert!(!marker.exists(), "a background child outlived the timeout");
    }

    #[test]
    fn scripts_keep_exit_and_set_e_to_themselves_but_hand_back_state() {
        let (_sbx, mut s) = session();
        let t = Duration::from_secs(10);
        let script = "set -eu\nmkdir -p sub && cd sub\nexport FROM_SCRIPT=1\nf() { echo fn; }\nfalse\necho unreachable";
        let r = s.run(script, Instant::now() + t, t, false, Mode::Script);
        assert_eq!((r.output.as_str(), r.status, r.fault), ("", Some(1), None));
        let r = run(
            &mut s,
            "false; echo \"$FROM_SCRIPT $(basename \"$PWD\") $(f)\"",
        );
        assert_eq!(r.output, "1 sub fn\n");
        let r = s.run("exit 4", Instant::now() + t, t, false, Mode::Script);
        assert_eq!((r.status, r.fault), (Some(4), None));
        assert_eq!(run(&mut s, "echo alive").output, "alive\n");
    }

    #[test]
    fn exit_ends_the_session_with_its_status() {
        let (_sbx, mut s) = session();
        let r = run(&mut s, "echo bye; exit 3");
        assert_eq!((r.output.as_str(), r.status), ("bye\n", Some(3)));
        assert_eq!(r.fault, Some(Fault::ShellExited(Some(3))));
    }

    #[test]
    fn flood_is_capped_and_bytes_decoded_lossily() {
        let (_sbx, mut s) = session();
        let r = run(&mut s, "printf 'a\\377b\\n'");
        assert_eq!(r.output, "a\u{FFFD}b\n");
        let r = run(&mut s, "yes flood");
        assert_eq!(r.fault, Some(Fault::OutputCap));
        assert!(r.output.len() as u64 <= OUTPUT_CAP);
    }
}

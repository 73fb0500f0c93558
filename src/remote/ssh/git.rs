//! What an SSH exec request asks for and how it is answered: parsing the command git sends
//! (`git-upload-pack 'ws/repo.git'`, also `/ws/repo.git` and without `.git`), Bitbucket's texts
//! for the shell and for refusals, and running `git upload-pack` / `git receive-pack` on the bare
//! repository with the channel as its stdin, stdout and stderr.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use russh::server::Msg;
use russh::{Channel, ChannelMsg};
use tokio::io::AsyncWriteExt as _;

use crate::remote::policy::Op;
use crate::remote::scenario::is_name;

/// `ssh -T git@bitbucket.org` (facts §6.5). With a terminal, lines end in CR LF.
pub(crate) const SHELL_TEXT: [&str; 3] = [
    "authenticated via ssh key.",
    "",
    "You can use git to connect to Bitbucket. Shell access is disabled",
];

/// A refusal's text over SSH, by the policy's reason tag. [I]: Bitbucket's SSH refusal texts are
/// not in the facts; `repository access denied.` is inferred, the access-key text is reported
/// (older reports show it with a `conq: ` prefix).
pub(crate) fn refusal_text(reason: &str) -> &'static str {
    match reason {
        "read-only-key" => "repository access denied. access via a deployment key is read-only.",
        "ip-allowlist" => "To access this repository, an admin must whitelist your IP.",
        "require-2sv" => "To access this repository, enable two-step authentication.",
        _ => "repository access denied.",
    }
}

/// [I] What Bitbucket says to a command that is not a git service.
pub(crate) const NOT_GIT: &str =
    "You can use git to connect to Bitbucket. Shell access is disabled";

/// A git service request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GitCommand {
    /// `upload-pack` or `receive-pack` (or `upload-archive`).
    pub service: &'static str,
    /// `workspace/repo`.
    pub repo: String,
}

impl GitCommand {
    pub(crate) fn op(&self) -> Op {
        if self.service == "receive-pack" {
            Op::Write
        } else {
            Op::Read
        }
    }
}

/// Parses `git-upload-pack 'ws/repo.git'` and its variants; `None` for anything else.
pub(crate) fn parse(command: &str) -> Option<GitCommand> {
    let (program, arg) = command.trim().split_once(' ')?;
    let service = match program
        .strip_prefix("git-")
        .or(program.strip_prefix("git "))?
    {
        "upload-pack" => "upload-pack",
        "receive-pack" => "receive-pack",
        "upload-archive" => "upload-archive",
        _ => return None,
    };
    let arg = arg.trim();
    let arg = strip_quotes(arg, '\'')
        .or_else(|| strip_quotes(arg, '"'))
        .unwrap_or(arg);
    let path = arg.trim_start_matches('/').trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let (ws, repo) = path.split_once('/')?;
    (is_name(ws) && is_name(repo)).then(|| GitCommand {
        service,
        repo: path.to_string(),
    })
}

fn strip_quotes(s: &str, q: char) -> Option<&str> {
    s.strip_prefix(q)?.strip_suffix(q)
}

/// Runs the service on `ROOT/ws/repo.git`, wired to the channel; returns its exit status.
pub(crate) async fn run(
    root: &Path,
    cmd: &GitCommand,
    git_protocol: Option<&str>,
    channel: Channel<Msg>,
) -> u32 {
    let dir: PathBuf = root.join(format!("{}.git", cmd.repo));
    let mut child = tokio::process::Command::new("git");
    child
        .arg(cmd.service)
        .arg(&dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(proto) = git_protocol {
        child.env("GIT_PROTOCOL", proto);
    }
    let Ok(mut child) = child.spawn() else {
        return 128;
    };
    let (mut reader, writer) = channel.split();
    let (stdin, stdout, stderr) = (child.stdin.take(), child.stdout.take(), child.stderr.take());
    let feed = tokio::spawn(async move {
        let Some(mut stdin) = stdin else { return };
        while let Some(msg) = reader.wait().await {
            match msg {
                ChannelMsg::Data { data } => {
                    let written = stdin.write_all(&data).await;
                    if written.is_err() {
                        return;
                    }
                }
                ChannelMsg::Eof | ChannelMsg::Close => break,
                _ => {}
            }
        }
        let _ = stdin.shutdown().await;
    });
    let out = async {
        if let Some(mut stdout) = stdout {
            // Reads of up to 64 KiB, so the channel sends full-size packets (32 KiB each, the
            // OpenSSH client's maximum) instead of one per 8 KiB `copy` chunk.
            let mut w = writer.make_writer();
            let mut stdout = tokio::io::BufReader::with_capacity(64 * 1024, &mut stdout);
            let _ = tokio::io::copy_buf(&mut stdout, &mut w).await;
            let _ = w.flush().await;
        }
    };
    let err = async {
        if let Some(mut stderr) = stderr {
            let mut w = writer.make_writer_ext(Some(1));
            let _ = tokio::io::copy(&mut stderr, &mut w).await;
            let _ = w.flush().await;
        }
    };
    tokio::join!(out, err);
    let status = child
        .wait()
        .await
        .ok()
        .and_then(|s| s.code())
        .unwrap_or(128);
    feed.abort();
    let status = u32::try_from(status).unwrap_or(128);
    let _ = writer.exit_status(status).await;
    let _ = writer.eof().await;
    let _ = writer.close().await;
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_git_clients_send() {
        let want = |service, repo: &str| {
            Some(GitCommand {
                service,
                repo: repo.into(),
            })
        };
        for cmd in [
            "git-upload-pack 'username/demo.git'",
            "git-upload-pack '/username/demo.git'",
            "git-upload-pack 'username/demo'",
            "git-upload-pack username/demo.git",
        ] {
            assert_eq!(parse(cmd), want("upload-pack", "username/demo"), "{cmd}");
        }
        assert_eq!(
            parse("git-receive-pack 'username/demo.git'"),
            want("receive-pack", "username/demo")
        );
        for bad in [
            "ls -la",
            "git-upload-pack '../etc/passwd'",
            "git-upload-pack 'a/b/c.git'",
            "git-upload-pack '.x/y'",
            "git-gc 'username/demo.git'",
            "git-upload-pack",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}

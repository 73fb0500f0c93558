//! One SSH connection: public-key authentication for user `git` against the key book, the
//! session channel, `shell` (Bitbucket's "Shell access is disabled" text) and `exec` of a git
//! service, decided by the policy's SSH entry point and run by [`super::git`]. Every decision is
//! logged like an HTTP request (`SSH git-upload-pack username/demo user=… allow 200`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use russh::keys::PublicKey;
use russh::server::{Auth, ChannelOpenHandle, Handler, Msg, Session};
use russh::{Channel, ChannelId, Pty};

use super::git::{self, GitCommand};
use super::keys::Owner;
use crate::remote::policy::{Decision, KeyOwner, SshRequest, decide_ssh};
use crate::remote::{RequestLog, State};

/// The only user Bitbucket accepts over SSH.
const USER: &str = "git";

pub(crate) struct Conn {
    st: Arc<State>,
    owner: Option<Owner>,
    channels: HashMap<ChannelId, Channel<Msg>>,
    pty: HashSet<ChannelId>,
    git_protocol: Option<String>,
}

impl Conn {
    pub(crate) fn new(st: Arc<State>) -> Conn {
        Conn {
            st,
            owner: None,
            channels: HashMap::new(),
            pty: HashSet::new(),
            git_protocol: None,
        }
    }

    fn lookup(&self, user: &str, key: &PublicKey) -> Option<Owner> {
        (user == USER)
            .then(|| self.st.ssh_keys.owner(key))
            .flatten()
    }

    fn owner_name(&self) -> String {
        match &self.owner {
            Some(Owner::Account(a)) => a.clone(),
            Some(Owner::AccessKey(r)) => format!("access-key:{r}"),
            None => "-".into(),
        }
    }

    fn log(&self, path: String, decision: &str, status: u16) {
        self.st.record(RequestLog {
            method: "SSH".into(),
            path,
            user: Some(self.owner_name()),
            decision: decision.into(),
            status,
        });
    }

    /// Writes `lines` to the channel (stderr when `ext`), then exit status, EOF and close.
    fn finish(&self, ch: ChannelId, lines: &[&str], ext: bool, status: u32, s: &mut Session) {
        let eol = if self.pty.contains(&ch) { "\r\n" } else { "\n" };
        let text: String = lines.iter().map(|l| format!("{l}{eol}")).collect();
        let _ = if ext {
            s.extended_data(ch, 1, text.into_bytes())
        } else {
            s.data(ch, text.into_bytes())
        };
        let _ = s.exit_status_request(ch, status);
        let _ = s.eof(ch);
        let _ = s.close(ch);
    }

    fn decide(&self, cmd: &GitCommand) -> Decision {
        let key = match &self.owner {
            Some(Owner::Account(a)) => KeyOwner::Account(a),
            Some(Owner::AccessKey(r)) => KeyOwner::AccessKey(r),
            None => {
                return Decision::Refuse(crate::remote::policy::Refusal {
                    status: 401,
                    lines: Vec::new(),
                    realm: None,
                    reason: "anonymous",
                });
            }
        };
        let req = SshRequest {
            repo: &cmd.repo,
            op: cmd.op(),
            key,
        };
        decide_ssh(&self.st.scenario, crate::remote::Profile::Bitbucket, &req)
    }
}

impl Handler for Conn {
    type Error = russh::Error;

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        key: &PublicKey,
    ) -> Result<Auth, Self::Error> {
        Ok(match self.lookup(user, key) {
            Some(_) => Auth::Accept,
            None => Auth::reject(),
        })
    }

    async fn auth_publickey(&mut self, user: &str, key: &PublicKey) -> Result<Auth, Self::Error> {
        self.owner = self.lookup(user, key);
        Ok(match self.owner {
            Some(_) => Auth::Accept,
            None => Auth::reject(),
        })
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.channels.insert(channel.id(), channel);
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        _cols: u32,
        _rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.pty.insert(channel);
        session.channel_success(channel)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if name == "GIT_PROTOCOL" {
            self.git_protocol = Some(value.to_string());
            return session.channel_success(channel);
        }
        session.channel_failure(channel)
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        self.log("shell".into(), "allow", 200);
        // [I] the exit status of Bitbucket's shell answer is not established; 0 is assumed.
        self.finish(channel, &git::SHELL_TEXT, false, 0, session);
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let text = String::from_utf8_lossy(data).into_owned();
        session.channel_success(channel)?;
        let Some(cmd) = git::parse(&text) else {
            self.log(text, "not-git", 403);
            self.finish(channel, &[git::NOT_GIT], true, 1, session);
            return Ok(());
        };
        let path = format!("git-{} {}", cmd.service, cmd.repo);
        let decision = self.decide(&cmd);
        if let Decision::Refuse(r) = &decision {
            self.log(path, r.reason, 403);
            self.finish(channel, &[git::refusal_text(r.reason)], true, 1, session);
            return Ok(());
        }
        let Some(ch) = self.channels.remove(&channel) else {
            return Ok(());
        };
        self.log(path, "allow", 200);
        let root = self.st.root.clone();
        let proto = self.git_protocol.clone();
        tokio::spawn(async move { git::run(&root, &cmd, proto.as_deref(), ch).await });
        Ok(())
    }
}

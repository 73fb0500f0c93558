//! The mock's SSH server, in-process with russh: `git@bitbucket.org` on a loopback port, keys
//! from the scenario (accounts' `ssh_keys`, repositories' read-only `access_keys`) and added at
//! run time, the host key fixed by a made-up seed, git-upload-pack / git-receive-pack on the same
//! bare repositories under the same policy as HTTPS. One listener serves both `bitbucket.org`
//! and `altssh.bitbucket.org` (the client's config maps both names to it). [`control`] is the
//! small HTTP endpoint a sandbox uses to register a public key.

pub(crate) mod control;
mod git;
mod handler;
pub(crate) mod keys;

use std::sync::Arc;
use std::time::Duration;

use russh::MethodKind;
use russh::keys::PrivateKey;
use russh::server::Config;
use tokio::net::TcpListener;
use tokio::sync::watch;

pub(crate) use keys::{AddError, KeyBook};

use super::State;

/// The server configuration: only public-key authentication, no artificial delay on rejection
/// (a loopback mock has no timing attack to fear), the host key given.
pub(crate) fn config(host_key: PrivateKey) -> Arc<Config> {
    Arc::new(Config {
        server_id: russh::SshId::Standard("SSH-2.0-helpsite_mock".into()),
        methods: (&[MethodKind::PublicKey][..]).into(),
        auth_rejection_time: Duration::ZERO,
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![host_key],
        inactivity_timeout: Some(Duration::from_secs(600)),
        nodelay: true,
        ..Config::default()
    })
}

/// Accepts SSH connections until `shutdown` becomes true.
pub(crate) async fn serve(
    listener: TcpListener,
    st: Arc<State>,
    config: Arc<Config>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    let _ = stream.set_nodelay(true);
                    let conn = handler::Conn::new(st.clone());
                    let config = config.clone();
                    tokio::spawn(async move {
                        if let Ok(session) = russh::server::run_stream(config, stream, conn).await {
                            let _ = session.await;
                        }
                    });
                }
            }
            _ = shutdown.changed() => return,
        }
    }
}

/// A `ProxyCommand` program (bash) that joins `bitbucket.org` and `altssh.bitbucket.org` (ports
/// 22 and 443) to the mock's SSH port and refuses every other destination: `RELAY PORT %h %p`.
/// With it, ssh keeps the name it was given, so its own texts say `git@bitbucket.org` and
/// `'bitbucket.org (<no hostip for proxy command>)'` rather than `127.0.0.1`.
pub const RELAY_SCRIPT: &str = r#"#!/bin/bash
# helpsite ssh relay (ProxyCommand): bitbucket.org and altssh.bitbucket.org are the mock remote.
mock=$1 host=$2 port=$3
case "$host:$port" in
    bitbucket.org:22 | bitbucket.org:443 | altssh.bitbucket.org:22 | altssh.bitbucket.org:443) ;;
    *)
        echo "helpsite: ssh to $host port $port is not reachable here (only bitbucket.org and altssh.bitbucket.org, the mock remote)" >&2
        exit 255
        ;;
esac
exec 3<>"/dev/tcp/127.0.0.1/$mock" || exit 255
# From here on nothing of the relay's is for the reader: under a terminal, its hangup when ssh
# ends would otherwise print bash's "Hangup" into ssh's output.
exec 2>/dev/null
cat <&3 &
reader=$!
# ssh ends its proxy with SIGHUP; the reader must go too, or it holds the connection (and ssh's
# stderr) open until the server gives up.
trap 'kill $reader 2>/dev/null; exit 0' HUP TERM EXIT
cat >&3
"#;

/// The `~/.ssh/config` block that sends both Bitbucket names through [`RELAY_SCRIPT`] at `relay`.
pub fn relay_config(relay: &std::path::Path, port: u16) -> String {
    format!(
        "Host bitbucket.org altssh.bitbucket.org\n    ProxyCommand {} {port} %h %p\n",
        relay.display()
    )
}

/// The `~/.ssh/config` block that sends both Bitbucket SSH names to the mock's port.
pub(crate) fn client_config(port: u16) -> String {
    format!(
        "Host bitbucket.org altssh.bitbucket.org\n    HostName 127.0.0.1\n    Port {port}\n    HostKeyAlias bitbucket.org\n"
    )
}

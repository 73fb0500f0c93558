//! The mock Git remote: a real smart-HTTP Git server on loopback (`git http-backend` behind an
//! auth policy) that answers like Bitbucket Cloud, GitHub or GitLab at a chosen date. This file
//! owns the in-process API: [`MockRemote::builder`] starts it on `127.0.0.1:PORT` on background
//! threads; the handle gives the URL, the proxy URL and CA file for the sandbox, the scenario's
//! secrets and the request log, and stops the server when dropped.
//!
//! ```no_run
//! use helpsite::remote::{MockRemote, Profile, Scenario};
//! let remote = MockRemote::builder().scenario(Scenario::default()).profile(Profile::Bitbucket).start()?;
//! println!("{} (proxy {}, CA {})", remote.url(), remote.proxy_url(), remote.ca_file().display());
//! # anyhow::Ok(())
//! ```

mod api;
mod api_json;
pub(crate) mod api_policy;
mod builder;
mod cgi;
mod hooks;
mod http;
mod idle;
mod lfs;
pub(crate) mod policy;
pub(crate) mod profile;
mod rate;
mod repos;
pub mod scenario;
mod server;
pub mod ssh;
mod tls;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::runtime::Runtime;
use tokio::sync::watch;

pub use builder::MockRemoteBuilder;
pub use profile::Profile;
pub use scenario::{AsOf, Scenario};

/// Default per-request body limit (1 GiB).
pub(crate) const DEFAULT_BODY_LIMIT: u64 = 1 << 30;

/// One served request, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLog {
    /// The HTTP method (`GET`, `POST`, `CONNECT`).
    pub method: String,
    /// Path and query (`/username/demo.git/info/refs?service=git-upload-pack`), or the CONNECT target.
    pub path: String,
    /// The Basic username the client sent, if any.
    pub user: Option<String>,
    /// `allow`, or the refusal's reason (`anonymous`, `bad-credentials`, `missing-scope`, …).
    pub decision: String,
    /// The HTTP status answered.
    pub status: u16,
}

impl std::fmt::Display for RequestLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let user = self.user.as_deref().unwrap_or("-");
        write!(
            f,
            "{} {} user={} {} {}",
            self.method, self.path, user, self.decision, self.status
        )
    }
}

type LogHook = Box<dyn Fn(&RequestLog) + Send + Sync>;

/// Shared by every connection.
pub(crate) struct State {
    scenario: Scenario,
    profile: Profile,
    as_of: Option<AsOf>,
    /// Canonical repository root.
    root: PathBuf,
    body_limit: u64,
    /// A request body that sends nothing for this long is abandoned ([`cgi::BODY_IDLE`]).
    body_idle: std::time::Duration,
    /// An established CONNECT tunnel that moves no byte for this long is closed
    /// ([`server::TUNNEL_IDLE`]).
    tunnel_idle: std::time::Duration,
    /// At most [`cgi::MAX_BACKENDS`] git backends of this remote run at once (503 beyond); one
    /// remote's load never refuses another's requests in the same process.
    backends: std::sync::Arc<tokio::sync::Semaphore>,
    tls: tls::Tls,
    log: Mutex<Vec<RequestLog>>,
    on_request: Option<LogHook>,
    /// Client SSH keys and their owners (scenario + added at run time).
    ssh_keys: ssh::KeyBook,
    /// Requests per user and hour, when the scenario limits them.
    rate: rate::RateLimiter,
}

impl State {
    fn record(&self, entry: RequestLog) {
        if let Some(hook) = &self.on_request {
            hook(&entry);
        }
        if let Ok(mut log) = self.log.lock() {
            log.push(entry);
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct SshAddrs {
    ssh: SocketAddr,
    control: SocketAddr,
}

/// A running mock remote; stops when dropped.
pub struct MockRemote {
    addr: SocketAddr,
    ssh: SshAddrs,
    state: Arc<State>,
    ca_file: PathBuf,
    runtime: Option<Runtime>,
    shutdown: watch::Sender<bool>,
    _temp: tempfile::TempDir,
}

impl MockRemote {
    /// A builder with the defaults: the built-in scenario, its profile and date, free ports.
    pub fn builder() -> MockRemoteBuilder {
        MockRemoteBuilder::default()
    }
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// The same address, for `HTTPS_PROXY` and friends.
    pub fn proxy_url(&self) -> String {
        self.url()
    }
    /// The HTTP (and proxy) port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }
    /// PEM of the CA that signed the tunnel certificates (`GIT_SSL_CAINFO`).
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }
    /// Hosts answered through CONNECT; the plain-HTTP profile's host first.
    pub fn hosts(&self) -> Vec<String> {
        let first = self.state.profile;
        let rest = Profile::ALL.into_iter().filter(|p| *p != first);
        std::iter::once(first)
            .chain(rest)
            .map(|p| p.host().to_string())
            .collect()
    }
    /// The variables that route a sandbox's git through the mock as contracts.md lists them:
    /// `HTTPS_PROXY`, `https_proxy`, `HTTP_PROXY`, `http_proxy`, `ALL_PROXY` = [`Self::proxy_url`],
    /// `NO_PROXY` and `no_proxy` empty, `GIT_SSL_CAINFO`, `SSL_CERT_FILE`, `CURL_CA_BUNDLE` = the CA.
    pub fn proxy_env(&self) -> Vec<(String, String)> {
        let proxy = self.proxy_url();
        let ca = self.ca_file.display().to_string();
        let proxies = [
            "HTTPS_PROXY",
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "ALL_PROXY",
        ];
        let cas = ["GIT_SSL_CAINFO", "SSL_CERT_FILE", "CURL_CA_BUNDLE"];
        let pairs = proxies.iter().map(|k| (k, proxy.clone()));
        let pairs = pairs.chain(["NO_PROXY", "no_proxy"].iter().map(|k| (k, String::new())));
        let pairs = pairs.chain(cas.iter().map(|k| (k, ca.clone())));
        pairs.map(|(k, v)| (k.to_string(), v)).collect()
    }
    /// The profile used on plain HTTP.
    pub fn profile(&self) -> Profile {
        self.state.profile
    }
    /// Where the bare repositories are (`ROOT/workspace/repo.git`).
    pub fn root(&self) -> &Path {
        &self.state.root
    }
    /// The scenario the remote plays.
    pub fn scenario(&self) -> &Scenario {
        &self.state.scenario
    }
    /// `(ENV_NAME, secret)` from the scenario.
    pub fn secrets(&self) -> Vec<(String, String)> {
        self.state.scenario.secrets()
    }
    /// The SSH port on 127.0.0.1 (`git@bitbucket.org`, also for `altssh.bitbucket.org`).
    pub fn ssh_port(&self) -> u16 {
        self.ssh.ssh.port()
    }
    /// `http://127.0.0.1:PORT` of the SSH control endpoint (`POST /ssh-keys/ACCOUNT`).
    pub fn ssh_control_url(&self) -> String {
        format!("http://{}", self.ssh.control)
    }
    /// The port of the SSH control endpoint on 127.0.0.1.
    pub fn ssh_control_port(&self) -> u16 {
        self.ssh.control.port()
    }
    /// Every loopback port a client of the mock needs: HTTP (and proxy), SSH, SSH control.
    pub fn ports(&self) -> Vec<u16> {
        vec![self.port(), self.ssh_port(), self.ssh.control.port()]
    }
    /// The `~/.ssh/config` block that sends `bitbucket.org` and `altssh.bitbucket.org` to the
    /// mock's SSH port.
    pub fn ssh_config(&self) -> String {
        ssh::client_config(self.ssh_port())
    }
    /// The SSH host key's fingerprint (`SHA256:…`).
    pub fn ssh_host_key_fingerprint(&self) -> String {
        let seed = self.state.scenario.ssh_host_key_seed.as_deref();
        ssh::keys::fingerprint(&ssh::keys::host_key(
            seed.unwrap_or(ssh::keys::DEFAULT_HOST_KEY_SEED),
        ))
    }
    /// Adds an OpenSSH public-key line to an account's SSH keys ("Add key" in Bitbucket's
    /// settings).
    pub fn add_ssh_key(&self, account: &str, line: &str) -> Result<(), ssh::AddError> {
        self.state.ssh_keys.add(account, line)
    }
    /// How many git backends of this remote hold a slot now (at most [`cgi::MAX_BACKENDS`]).
    pub fn backends_running(&self) -> usize {
        cgi::MAX_BACKENDS - self.state.backends.available_permits()
    }
    /// Every request served so far.
    pub fn log(&self) -> Vec<RequestLog> {
        self.state.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for MockRemote {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

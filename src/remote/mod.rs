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
pub mod api_policy;
mod cgi;
mod hooks;
mod http;
mod idle;
mod lfs;
pub mod policy;
pub mod profile;
mod rate;
mod repos;
pub mod scenario;
mod server;
pub mod ssh;
mod tls;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use tokio::runtime::Runtime;
use tokio::sync::watch;

pub use policy::{AuthRequest, Decision, Op, Refusal, decide};
pub use profile::Profile;
pub use scenario::{AsOf, Scenario};

/// Default per-request body limit (1 GiB).
pub const DEFAULT_BODY_LIMIT: u64 = 1 << 30;

/// One served request, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLog {
    pub method: String,
    /// Path and query (`/username/demo.git/info/refs?service=git-upload-pack`), or the CONNECT target.
    pub path: String,
    /// The Basic username the client sent, if any.
    pub user: Option<String>,
    /// `allow`, or the refusal's reason (`anonymous`, `bad-credentials`, `missing-scope`, …).
    pub decision: String,
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

/// Configures and starts a [`MockRemote`].
#[derive(Default)]
pub struct MockRemoteBuilder {
    scenario: Option<Scenario>,
    profile: Option<Profile>,
    as_of: Option<AsOf>,
    root: Option<PathBuf>,
    port: u16,
    ssh_port: u16,
    body_limit: Option<u64>,
    body_idle: Option<std::time::Duration>,
    tunnel_idle: Option<std::time::Duration>,
    on_request: Option<LogHook>,
}

impl MockRemoteBuilder {
    /// The scenario (default: [`Scenario::default`]).
    pub fn scenario(mut self, scenario: Scenario) -> Self {
        self.scenario = Some(scenario);
        self
    }
    /// The profile for plain HTTP (default: the scenario's).
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = Some(profile);
        self
    }
    /// The simulated date, or date and time (default: the scenario's, else now).
    pub fn as_of(mut self, as_of: impl Into<AsOf>) -> Self {
        self.as_of = Some(as_of.into());
        self
    }
    /// Where the bare repositories live (default: a temporary directory the handle owns, on
    /// `/dev/shm` when there is one and `TMPDIR` is not set).
    pub fn root(mut self, root: impl Into<PathBuf>) -> Self {
        self.root = Some(root.into());
        self
    }
    /// The port (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
    /// The SSH port (default 0: any free port).
    pub fn ssh_port(mut self, port: u16) -> Self {
        self.ssh_port = port;
        self
    }
    /// The per-request body limit in bytes (default 1 GiB).
    pub fn body_limit(mut self, bytes: u64) -> Self {
        self.body_limit = Some(bytes);
        self
    }
    /// How long a request body may send nothing before the request is abandoned and its
    /// backend killed (default 60 s; tests shorten it).
    pub fn body_idle(mut self, limit: std::time::Duration) -> Self {
        self.body_idle = Some(limit);
        self
    }
    /// How long an established CONNECT tunnel may move no byte either way before it is closed
    /// (default 60 s; tests shorten it).
    pub fn tunnel_idle(mut self, limit: std::time::Duration) -> Self {
        self.tunnel_idle = Some(limit);
        self
    }
    /// Called for every request as it is logged (the CLI prints them).
    pub fn on_request(mut self, hook: impl Fn(&RequestLog) + Send + Sync + 'static) -> Self {
        self.on_request = Some(Box::new(hook));
        self
    }

    /// Creates the repositories, the CA, binds `127.0.0.1:port` and starts serving.
    pub fn start(self) -> anyhow::Result<MockRemote> {
        let scenario = self.scenario.unwrap_or_default();
        let parent = temp_parent();
        let temp = tempfile::Builder::new()
            .prefix("helpsite-remote-")
            .tempdir_in(&parent)
            .with_context(|| format!("creating a temporary directory in {}", parent.display()))?;
        let root = self.root.unwrap_or_else(|| temp.path().join("repos"));
        std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
        let root = root
            .canonicalize()
            .with_context(|| format!("resolving {}", root.display()))?;
        repos::create_all(&root, &scenario)?;
        hooks::install(&root, &scenario)?;
        let hosts = Profile::all_hosts();
        let tls = tls::generate(&hosts)?;
        let ca_file = temp.path().join("ca.pem");
        std::fs::write(&ca_file, &tls.ca_pem)
            .with_context(|| format!("writing {}", ca_file.display()))?;
        let ssh_keys = ssh::KeyBook::from_scenario(&scenario);
        let rate = rate::RateLimiter::new(scenario.limits.rate_limit_per_hour);
        let state = Arc::new(State {
            profile: self.profile.unwrap_or(scenario.profile),
            as_of: self.as_of.or(scenario.as_of),
            scenario,
            root,
            body_limit: self.body_limit.unwrap_or(DEFAULT_BODY_LIMIT),
            body_idle: self.body_idle.unwrap_or(cgi::BODY_IDLE),
            tunnel_idle: self.tunnel_idle.unwrap_or(server::TUNNEL_IDLE),
            backends: std::sync::Arc::new(tokio::sync::Semaphore::new(cgi::MAX_BACKENDS)),
            tls,
            log: Mutex::new(Vec::new()),
            on_request: self.on_request,
            ssh_keys,
            rate,
        });
        let (addr, runtime, shutdown) = spawn_server(self.port, state.clone())?;
        let ssh = spawn_ssh(self.ssh_port, &runtime, state.clone(), &shutdown)?;
        Ok(MockRemote {
            addr,
            ssh,
            state,
            ca_file,
            runtime: Some(runtime),
            shutdown,
            _temp: temp,
        })
    }
}

/// Where the handle's own directory (CA file, and the repositories unless a root is given) goes:
/// `$TMPDIR` if set, else `/dev/shm` when it exists (tmpfs: creating the repositories there does
/// not wait on a busy disk journal, which made start-up 20–80 ms instead of 3 ms on a loaded
/// machine), else the system temp directory.
fn temp_parent() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if std::env::var_os("TMPDIR").is_none() && shm.is_dir() {
        return shm.to_path_buf();
    }
    std::env::temp_dir()
}

/// Binds `127.0.0.1:port` and serves on a two-worker runtime of its own.
fn spawn_server(
    port: u16,
    state: Arc<State>,
) -> anyhow::Result<(SocketAddr, Runtime, watch::Sender<bool>)> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))
        .with_context(|| format!("binding 127.0.0.1:{port}"))?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("helpsite-remote")
        .enable_all()
        .build()
        .context("starting the mock's runtime")?;
    let (shutdown, rx) = watch::channel(false);
    let listener = {
        let _guard = runtime.enter();
        tokio::net::TcpListener::from_std(listener)?
    };
    runtime.spawn(server::serve(listener, state, rx));
    Ok((addr, runtime, shutdown))
}

/// Binds the SSH port and the SSH control port on loopback and serves them on `runtime`.
fn spawn_ssh(
    port: u16,
    runtime: &Runtime,
    state: Arc<State>,
    shutdown: &watch::Sender<bool>,
) -> anyhow::Result<SshAddrs> {
    let bind = |port: u16| -> anyhow::Result<std::net::TcpListener> {
        let l = std::net::TcpListener::bind(("127.0.0.1", port))
            .with_context(|| format!("binding 127.0.0.1:{port} for SSH"))?;
        l.set_nonblocking(true)?;
        Ok(l)
    };
    let (listener, control) = (bind(port)?, bind(0)?);
    let addrs = SshAddrs {
        ssh: listener.local_addr()?,
        control: control.local_addr()?,
    };
    let seed = state.scenario.ssh_host_key_seed.as_deref();
    let host_key = ssh::keys::host_key(seed.unwrap_or(ssh::keys::DEFAULT_HOST_KEY_SEED));
    let config = ssh::config(host_key);
    let _guard = runtime.enter();
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let control = tokio::net::TcpListener::from_std(control)?;
    runtime.spawn(ssh::serve(
        listener,
        state.clone(),
        config,
        shutdown.subscribe(),
    ));
    runtime.spawn(ssh::control::serve(control, state, shutdown.subscribe()));
    Ok(addrs)
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
    /// Every loopback port a client of the mock needs: HTTP (and proxy), SSH, SSH control.
    /// The port of the SSH control endpoint on 127.0.0.1.
    pub fn ssh_control_port(&self) -> u16 {
        self.ssh.control.port()
    }
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

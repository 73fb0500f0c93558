//! Starting a mock remote: [`MockRemoteBuilder`]'s settings, and `start`, which creates the
//! repositories, hooks and CA in a fresh temp directory, then binds the HTTP, SSH and SSH control
//! ports on loopback and serves them on a runtime of the remote's own.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context as _;
use tokio::runtime::Runtime;
use tokio::sync::watch;

use super::{
    AsOf, DEFAULT_BODY_LIMIT, LogHook, MockRemote, Profile, RequestLog, Scenario, SshAddrs, State,
    cgi, hooks, rate, repos, server, ssh, tls,
};

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

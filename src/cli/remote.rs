//! `helpsite remote`: starts the mock Git remote for trying commands by hand. Prints the URL, the
//! repositories, the (made-up) credentials it accepts, the `insteadOf` line and the proxy + CA
//! environment lines, then one line per request until Ctrl-C.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context as _;

use crate::Outcome;
use crate::config::Config;
use crate::remote::scenario::CredentialKind;
use crate::remote::{AsOf, MockRemote, Profile, Scenario};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// SSH port on 127.0.0.1 for git@bitbucket.org (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub ssh_port: u16,
    /// Scenario file (default: the [remote] table of ./helpsite.toml, else the built-in one).
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Host profile for plain HTTP: bitbucket | github | gitlab (default: the scenario's).
    #[arg(long)]
    pub profile: Option<Profile>,
    /// The simulated date, 2026-11-28 or 2026-06-10T00:05 (UTC; default: the scenario's, else today).
    #[arg(long)]
    pub as_of: Option<AsOf>,
    /// Directory for the bare repositories; kept between runs (default: a temporary directory).
    #[arg(long)]
    pub root: Option<PathBuf>,
}

pub(super) fn execute(args: Args) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let scenario = load_scenario(args.scenario.as_deref())?;
    let mut builder = MockRemote::builder()
        .scenario(scenario)
        .port(args.port)
        .ssh_port(args.ssh_port)
        .on_request(|entry| println!("{entry}"));
    if let Some(profile) = args.profile {
        builder = builder.profile(profile);
    }
    if let Some(as_of) = args.as_of {
        builder = builder.as_of(as_of);
    }
    if let Some(root) = args.root {
        builder = builder.root(root);
    }
    let remote = builder.start()?;
    let ready = started.elapsed();
    print_banner(&remote, args.as_of.or(remote.scenario().as_of));
    println!(
        "Ready in {} ms. Requests (Ctrl-C to stop):",
        ready.as_millis()
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the signal handler")?;
    // SIGTERM (a service manager, `kill`) stops it as cleanly as Ctrl-C.
    runtime
        .block_on(async {
            use tokio::signal::unix::{SignalKind, signal};
            let mut term = signal(SignalKind::terminate())?;
            tokio::select! {
                r = tokio::signal::ctrl_c() => r,
                _ = term.recv() => Ok(()),
            }
        })
        .context("waiting for Ctrl-C")?;
    drop(remote);
    println!("Stopped.");
    Ok(Outcome::Success)
}

fn load_scenario(file: Option<&Path>) -> anyhow::Result<Scenario> {
    if let Some(file) = file {
        return Scenario::load(file);
    }
    let config = Config::load(Path::new("."))?;
    match &config.remote {
        Some(table) => Scenario::from_toml_table(table, Path::new("helpsite.toml")),
        None => Ok(Scenario::default()),
    }
}

fn print_banner(remote: &MockRemote, as_of: Option<AsOf>) {
    let url = remote.url();
    let host = remote.profile().host();
    let date = as_of.map_or_else(|| "today".to_string(), |a| a.date.to_string());
    println!(
        "helpsite mock remote: {url} (profile {}, as of {date})",
        remote.profile()
    );
    println!("\nRepositories (bare, under {}):", remote.root().display());
    for repo in &remote.scenario().repositories {
        let members: Vec<String> = repo
            .members
            .iter()
            .map(|(who, role)| format!("{who}={role:?}").to_lowercase())
            .collect();
        println!(
            "  https://{host}/{}.git  [{:?}; {}]",
            repo.path,
            repo.content,
            members.join(", ")
        );
    }
    println!("\nAccepted credentials (all made up):");
    for acc in &remote.scenario().accounts {
        let env = acc
            .password_env
            .as_deref()
            .map(|e| format!("  ${e}"))
            .unwrap_or_default();
        println!(
            "  account password  {} / {}{env}",
            acc.username,
            acc.password.as_deref().unwrap_or("-")
        );
    }
    for cred in &remote.scenario().credentials {
        let user = match cred.kind {
            CredentialKind::AccessToken => "x-token-auth",
            _ => cred.owner.as_str(),
        };
        let env = cred
            .env
            .as_deref()
            .map(|e| format!("  ${e}"))
            .unwrap_or_default();
        let mut notes = vec![format!("{:?}", cred.kind)];
        notes.extend(cred.scopes.iter().cloned());
        if let Some(expires) = cred.expires {
            notes.push(format!("expires {expires}"));
        }
        if cred.revoked {
            notes.push("revoked".into());
        }
        println!("  {user} / {}  [{}]{env}", cred.secret, notes.join(", "));
    }
    println!(
        "\nPlain HTTP: map the real URLs onto the mock (the second line for URLs with a username,"
    );
    println!("one such line per username; git matches insteadOf by prefix) with");
    println!("  git config --global url.{url}/.insteadOf https://{host}/");
    println!("  git config --global --add url.{url}/.insteadOf https://username@{host}/");
    println!("Or use it as an HTTPS proxy (real URLs, TLS signed by the mock's CA):");
    println!(
        "  export HTTPS_PROXY={} GIT_SSL_CAINFO={}",
        remote.proxy_url(),
        remote.ca_file().display()
    );
    print_ssh(remote);
    println!();
}

fn print_ssh(remote: &MockRemote) {
    println!(
        "\nSSH: git@bitbucket.org on 127.0.0.1:{} (host key {}). Add to ~/.ssh/config:",
        remote.ssh_port(),
        remote.ssh_host_key_fingerprint()
    );
    for line in remote.ssh_config().lines() {
        println!("  {line}");
    }
    println!(
        "Register a public key: curl --noproxy '*' --data-binary @$HOME/.ssh/id_ed25519.pub {}/ssh-keys/USERNAME",
        remote.ssh_control_url()
    );
}

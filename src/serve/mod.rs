//! The dev server behind `helpsite serve`: build the site, serve the output folder on loopback,
//! watch the sources and rebuild, and tell open pages to reload (server-sent events).
//!
//! Parts: [`builder`] builds into a staging folder and swaps it in only when the build is good,
//! so the last good site stays served; [`watcher`] turns file-system events into rebuilds;
//! [`files`] maps request paths to files inside the output folder (never outside it) and answers
//! them; [`live`] is the event stream, the reload script and the error overlay it drives.
//! [`verifier`] runs the snippets in the background and updates the marks live.
//! The reload script is injected into HTML responses at serve time: the built files stay clean.

pub(crate) mod builder;
pub(crate) mod files;
pub(crate) mod live;
pub(crate) mod state;
pub(crate) mod verifier;
pub(crate) mod watcher;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;

use crate::Outcome;
use state::State;

/// What `helpsite serve` was asked to do, resolved.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// The site's folder (content/, templates/, helpsite.toml).
    pub root: PathBuf,
    /// The folder the site is built into and served from.
    pub out: PathBuf,
    /// A loopback address; see [`check_bind`].
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// The snippet report whose marks the pages show (watched like the sources).
    pub report: PathBuf,
    /// Run the snippets in the background (at start and when their chain changes).
    pub run_snippets: bool,
}

/// Refuses addresses other than loopback: the dev server injects scripts, has no access control
/// and is meant for previewing on this machine. Publish the output folder with a static host.
pub(crate) fn check_bind(bind: IpAddr) -> anyhow::Result<()> {
    if bind.is_loopback() {
        return Ok(());
    }
    anyhow::bail!(
        "--bind {bind}: the dev server only listens on loopback addresses (127.0.0.1, ::1); \
         to publish the site, copy the output folder to a static web server"
    )
}

/// Builds, serves and watches until Ctrl-C.
pub(crate) fn run(options: Options) -> anyhow::Result<Outcome> {
    check_bind(options.bind)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(serve(options))
}

async fn serve(options: Options) -> anyhow::Result<Outcome> {
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    let local = listener.local_addr().context("reading the bound address")?;
    let builder = builder::Builder::new(
        options.root.clone(),
        options.out.clone(),
        options.report.clone(),
    )?;
    let state = Arc::new(State::new(builder.out().to_path_buf()));
    if options.run_snippets {
        let runner = verifier::start(
            options.root.clone(),
            options.report.clone(),
            builder.clone(),
            Arc::clone(&state),
        )?;
        builder.notify_after_builds(runner);
    }
    let first = (builder.clone(), Arc::clone(&state));
    tokio::task::spawn_blocking(move || first.0.rebuild(&first.1))
        .await
        .context("the first build")?;
    let _watcher = watcher::start(&options.root, &options.report, builder, Arc::clone(&state))?;
    let app = files::router(Arc::clone(&state));
    println!(
        "Serving {} at http://{local}/ (Ctrl-C to stop)",
        options.root.display()
    );
    use std::io::Write as _;
    std::io::stdout().flush().ok();
    // Not a graceful shutdown: open event streams never end by themselves.
    tokio::select! {
        served = axum::serve(listener, app) => served.context("serving")?,
        _ = tokio::signal::ctrl_c() => eprintln!("stopped"),
    }
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_binds() {
        assert!(check_bind("127.0.0.1".parse().unwrap()).is_ok());
        assert!(check_bind("127.0.0.2".parse().unwrap()).is_ok());
        assert!(check_bind("::1".parse().unwrap()).is_ok());
        let err = check_bind("0.0.0.0".parse().unwrap()).unwrap_err();
        assert!(err.to_string().contains("loopback"), "{err}");
        assert!(check_bind("192.168.1.2".parse().unwrap()).is_err());
    }
}

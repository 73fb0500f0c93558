//! `helpsite serve`: build the site, serve it on loopback, rebuild and live-reload on changes.
//! The work is in [`crate::serve`].

use std::net::IpAddr;
use std::path::PathBuf;

use crate::output::verify::DEFAULT_REPORT;
use crate::{Outcome, serve};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The site's folder (holds content/, optional templates/ and helpsite.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to build the site and serve it from; default: ROOT/public (the same as `build`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Port to listen on; 0 picks a free one (the URL printed says which).
    #[arg(long, default_value_t = 3000)]
    pub port: u16,
    /// Address to listen on; only loopback addresses are accepted.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The snippet report to mark snippets from; default: ROOT/.helpsite-report.json. It is
    /// watched: `helpsite test` in another terminal updates the open pages.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Do not run the snippets: the marks come from the report only.
    #[arg(long)]
    pub no_run: bool,
}

pub(super) fn execute(args: Args) -> anyhow::Result<Outcome> {
    super::check_root(&args.root)?;
    let out = args.out.unwrap_or_else(|| args.root.join("public"));
    let report = args
        .report
        .unwrap_or_else(|| args.root.join(DEFAULT_REPORT));
    serve::run(serve::Options {
        root: args.root,
        out,
        bind: args.bind,
        port: args.port,
        report,
        run_snippets: !args.no_run,
    })
}

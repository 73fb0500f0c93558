//! `helpsite build`: load the site at `--root`, render it and write it to `--out`.

use std::path::PathBuf;

use crate::{Outcome, site::Site};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site's folder (holds content/, optional templates/ and helpsite.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site; default: ROOT/public.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn execute(args: Args) -> anyhow::Result<Outcome> {
    let out = args.out.unwrap_or_else(|| args.root.join("public"));
    let site = Site::load(&args.root)?;
    let (outcome, stats) = site.build_with_stats(&out)?;
    if outcome == Outcome::Success && !args.quiet {
        eprintln!(
            "built {} pages into {} (load {} ms, render {} ms, write {} ms)",
            stats.pages,
            out.display(),
            site.load_time.as_millis(),
            stats.render_time.as_millis(),
            stats.write_time.as_millis()
        );
    }
    Ok(outcome)
}

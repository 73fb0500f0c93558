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
}

pub fn execute(args: Args) -> anyhow::Result<Outcome> {
    let out = args.out.unwrap_or_else(|| args.root.join("public"));
    Site::load(&args.root)?.build(&out)
}

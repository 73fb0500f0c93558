//! `helpsite remote`: not built yet.

use crate::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn execute(_args: Args) -> anyhow::Result<Outcome> {
    anyhow::bail!("`helpsite remote` is not implemented yet")
}

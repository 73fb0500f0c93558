//! `helpsite test`: not built yet.

use crate::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn execute(_args: Args) -> anyhow::Result<Outcome> {
    anyhow::bail!("`helpsite test` is not implemented yet")
}

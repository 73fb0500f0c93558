//! The command line: one file per subcommand, each with an `Args` struct and an `execute`.
//! This module only dispatches; the work is done by the library modules the commands call.

use clap::{Parser, Subcommand};

use crate::Outcome;

mod build;
mod init;
mod remote;
mod serve;
mod test;

/// A static help-site generator whose every code snippet is a test.
#[derive(Debug, Parser)]
#[command(name = "helpsite", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
enum Command {
    /// Render content/ with templates/ into public/.
    Build(build::Args),
    /// Make a new site in DIR (default: here) that builds and tests green at once.
    Init(init::Args),
    /// Build, serve on 127.0.0.1 and rebuild + live-reload on every change.
    Serve(serve::Args),
    /// Run every snippet of the guide against the mock remote.
    Test(test::Args),
    /// Start the mock Git remote (a local stand-in for bitbucket.org) for trying commands by hand.
    Remote(remote::Args),
}

impl Cli {
    /// Runs the command: `Ok` with how it ended, `Err` for bad input or IO (exit code 2).
    pub fn run(self) -> anyhow::Result<Outcome> {
        match self.command {
            Command::Build(args) => build::execute(args),
            Command::Init(args) => init::execute(args),
            Command::Serve(args) => serve::execute(args),
            Command::Test(args) => test::execute(args),
            Command::Remote(args) => remote::execute(args),
        }
    }
}

/// The site folder given as `--root` (or `.`) must exist and hold `content/`: said up front, in
/// the words of the flag, rather than as a failed read deep in the build (or, for `serve`, as
/// an error page served for ever).
fn check_root(root: &std::path::Path) -> anyhow::Result<()> {
    let shown = root.display();
    match std::fs::metadata(root) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            anyhow::bail!("--root {shown}: no such folder")
        }
        Err(err) => anyhow::bail!("--root {shown}: {err}"),
        Ok(meta) if !meta.is_dir() => anyhow::bail!("--root {shown}: not a folder"),
        Ok(_) => {}
    }
    let config = if root.join("helpsite.toml").is_file() {
        "it has a helpsite.toml but"
    } else {
        "it has"
    };
    anyhow::ensure!(
        root.join("content").is_dir(),
        "--root {shown}: {config} no content/ folder: a site keeps its Markdown pages in \
         content/ (run from the site's folder, or pass --root DIR)"
    );
    Ok(())
}

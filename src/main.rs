//! The `helpsite` binary: parse the command line, run the command, map the result to an exit code
//! (0 ok, 1 checks failed, 2 usage or input/IO error). Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use helpsite::{Outcome, cli::Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.run() {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::ChecksFailed) => ExitCode::from(1),
        Err(err) => {
            // `{:#}` prints the whole cause chain on one line: "reading x: permission denied".
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

//! The `helpsite` binary: parse the command line, run the command, map the result to an exit code
//! (0 ok, 1 checks failed, 2 usage or input/IO error). Everything else lives in the library.

use std::process::ExitCode;

use clap::Parser;
use helpsite::{Outcome, cli::Cli};

fn main() -> ExitCode {
    let init = helpsite::harness::bridge::INIT_COMMAND;
    if std::env::args_os().nth(1).is_some_and(|a| a == init) {
        // Inside a snippet sandbox: the init that bridges the network and starts the shell.
        let args: Vec<String> = std::env::args_os()
            .skip(2)
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let code = helpsite::harness::bridge::init_main(&args);
        return ExitCode::from(u8::try_from(code).unwrap_or(125));
    }
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == helpsite::harness::pty::PTY_COMMAND)
    {
        // A `tty` snippet's command, started by the chain's shell under a pseudo-terminal.
        let args: Vec<String> = std::env::args_os()
            .skip(2)
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let code = helpsite::harness::pty::pty_main(&args);
        return ExitCode::from(u8::try_from(code).unwrap_or(125));
    }
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

//! What a session hands back for one command: how it was to run ([`Mode`]), what it did
//! ([`Ran`]), and why it did not end on its own when it did not ([`Fault`]).

use std::time::Duration;

use super::OUTPUT_CAP;

/// Why a command did not end on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Still running at the deadline; its process group was killed.
    Timeout(Duration),
    /// Printed more than [`OUTPUT_CAP`] bytes; its process group was killed.
    OutputCap,
    /// The shell itself exited (an `exit` in the snippet, or a crash) with this status.
    ShellExited(Option<i32>),
    /// The session was already dead: an earlier command killed or ended it.
    Dead(String),
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Timeout(d) => write!(f, "timed out after {d:?}; its process group was killed"),
            Fault::OutputCap => {
                write!(
                    f,
                    "printed more than {} KiB; its process group was killed",
                    OUTPUT_CAP / 1024
                )
            }
            Fault::ShellExited(Some(code)) => write!(f, "the shell exited with status {code}"),
            Fault::ShellExited(None) => write!(f, "the shell was killed by a signal"),
            Fault::Dead(why) => write!(f, "the chain's shell is gone: {why}"),
        }
    }
}

/// What one command did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ran {
    /// stdout and stderr interleaved, lossily decoded, capped.
    pub output: String,
    /// The exit status (for `ShellExited`, the shell's).
    pub status: Option<i32>,
    pub fault: Option<Fault>,
}

/// How a snippet's text runs in the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// As if typed at the prompt: evaluated in the session shell itself (`set -e` and `exit`
    /// act on the session, as they would on a terminal).
    Typed,
    /// As a script: in a subshell, so `exit` and `set -e` end the script only; the working
    /// directory, exported variables and functions are carried back into the session.
    Script,
    /// Typed at a terminal (`tty` snippets): run by a shell under a pseudo-terminal of this
    /// size (see `pty`), which types the answers at the prompts; the working directory,
    /// exported variables and functions go in and come back as for [`Mode::Script`].
    Tty { cols: u16, rows: u16 },
}

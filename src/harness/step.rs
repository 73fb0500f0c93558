//! Running one snippet inside a live chain (sandbox + shell): a transcript command by command,
//! a script or Python program as a whole, a config file written into place. Produces the
//! snippet's own verdict, the replay verdict (did its commands end with the stated statuses?)
//! that later snippets of the chain depend on, and the rewrites `--overwrite` needs.

use std::time::{Duration, Instant};

use super::{
    matching::{self, Context},
    sandbox::{self, Sandbox},
    session::{Fault, Mode, Ran, Session},
};
use crate::snippets::{Snippet, SnippetKind, transcript::Command};

/// What running one snippet found.
#[derive(Debug, Clone, Default)]
pub(crate) struct StepResult {
    /// Why the snippet's own test fails, if it does.
    pub failure: Option<String>,
    /// Why a later snippet replaying this one should fail (a wrong exit status, a timeout).
    pub replay_failure: Option<String>,
    pub duration: Duration,
    /// Transcript commands whose output or status differed, with what they really did.
    pub rewrites: Vec<Rewrite>,
    /// A transcript's actual output, one (tidied) text per command run: the report keeps it so
    /// the site can show what was really printed.
    pub outputs: Vec<String>,
}

/// A transcript command's actual result, in the shape `--overwrite` writes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    pub command: Command,
    pub status: i32,
    /// The actual output normalised towards the expected one (matching wildcards kept).
    pub output: String,
}

/// Everything a step needs from its chain.
pub(crate) struct Live<'a> {
    pub sandbox: &'a Sandbox,
    pub session: &'a mut Session,
    /// Turns the mock's loopback address back into the real host in output.
    pub unmap: &'a dyn Fn(&str) -> String,
}

/// Runs `snippet` in the chain.
pub(crate) fn run(snippet: &Snippet, live: &mut Live) -> StepResult {
    let started = Instant::now();
    let deadline = started + snippet.timeout();
    let mut result = match prepare_answers(snippet, live.sandbox) {
        Err(message) => failed(message.clone(), Some(message)),
        Ok(()) => match &snippet.kind {
            SnippetKind::Console { commands } => console(snippet, commands, live, deadline),
            SnippetKind::Script => whole(snippet, live, deadline, snippet.code.clone()),
            SnippetKind::Python => {
                let path = live.sandbox.harness.join("snippet.py");
                match std::fs::write(&path, &snippet.code) {
                    Ok(()) => whole(
                        snippet,
                        live,
                        deadline,
                        format!(
                            "{} \"$HELPSITE_HARNESS/snippet.py\"",
                            super::programs::shell_word("python3")
                        ),
                    ),
                    Err(e) => failed(format!("writing {}: {e}", path.display()), None),
                }
            }
            SnippetKind::Run { interpreter } => {
                let path = live.sandbox.harness.join("snippet.run");
                match std::fs::write(&path, &snippet.code) {
                    Ok(()) => whole(
                        snippet,
                        live,
                        deadline,
                        format!("{interpreter} \"$HELPSITE_HARNESS/snippet.run\""),
                    ),
                    Err(e) => failed(format!("writing {}: {e}", path.display()), None),
                }
            }
            SnippetKind::File { path } => file(snippet, live, deadline, path),
            SnippetKind::Ignored { .. } | SnippetKind::Text => StepResult::default(),
        },
    };
    result.duration = started.elapsed();
    result
}

fn failed(message: String, replay: Option<String>) -> StepResult {
    StepResult {
        failure: Some(message),
        replay_failure: replay,
        ..StepResult::default()
    }
}

fn prepare_answers(snippet: &Snippet, sandbox: &Sandbox) -> Result<(), String> {
    let mut text = String::new();
    for answer in &snippet.attrs.answers {
        text.push_str(&sandbox::expand(answer, sandbox)?);
        text.push('\n');
    }
    std::fs::write(sandbox.answers_file(), text).map_err(|e| format!("writing the answers: {e}"))
}

fn exec(snippet: &Snippet, live: &mut Live, deadline: Instant, script: &str) -> Ran {
    let attrs = &snippet.attrs;
    // Under a terminal the answers are typed at the prompts, not given to git's askpass.
    let askpass = !attrs.answers.is_empty() && !attrs.tty;
    let mode = if attrs.tty {
        Mode::Tty {
            cols: attrs.cols.unwrap_or(80),
            rows: attrs.rows.unwrap_or(24),
        }
    } else if snippet.kind == SnippetKind::Script {
        Mode::Script
    } else {
        Mode::Typed
    };
    let mut ran = live
        .session
        .run(script, deadline, snippet.timeout(), askpass, mode);
    ran.output = (live.unmap)(&ran.output);
    ran
}

/// A transcript: every command runs (a reader would carry on), each checked.
fn console(
    snippet: &Snippet,
    commands: &[Command],
    live: &mut Live,
    deadline: Instant,
) -> StepResult {
    let ctx = Context {
        root: Some(live.sandbox.root.clone()),
        home: Some(live.sandbox.home.clone()),
    };
    let mut result = StepResult::default();
    let mut problems = Vec::new();
    for command in commands {
        let ran = exec(snippet, live, deadline, &command.text);
        let checked = check(command, &ran, &ctx);
        // Shown on the site and kept in the report: control characters made visible.
        result
            .outputs
            .push(matching::visible(&matching::tidy(&ran.output)));
        if let Some(replay) = checked.replay {
            result.replay_failure.get_or_insert(replay);
        }
        if !checked.problem.is_empty() {
            let line = snippet.line + 1 + command.line;
            let file = snippet.file.display();
            problems.push(format!(
                "{file}:{line}: $ {}\n{}",
                command.text, checked.problem
            ));
        }
        if ran.fault.is_some() {
            break;
        }
        if let Some(output) = checked.rewritten {
            result.rewrites.push(Rewrite {
                command: command.clone(),
                status: ran.status.unwrap_or(-1),
                output,
            });
        }
    }
    if !problems.is_empty() {
        result.failure = Some(problems.join("\n"));
    }
    result
}

/// What checking one command found.
struct Checked {
    /// Human-readable lines (empty when the command did as the transcript says).
    problem: String,
    /// Why replaying this command counts as a failure (wrong status, fault).
    replay: Option<String>,
    /// The output to write back with `--overwrite`, when anything differed.
    rewritten: Option<String>,
}

fn check(command: &Command, ran: &Ran, ctx: &Context) -> Checked {
    let shown = first_line(&command.text);
    if let Some(fault) = &ran.fault {
        let mut problem = format!("  {fault}\n");
        let so_far = matching::tidy(&ran.output);
        if !so_far.is_empty() {
            problem.push_str(&format!("  output so far:\n{}", indent(&so_far)));
        }
        let replay = Some(format!("`$ {shown}` {fault}"));
        return Checked {
            problem,
            replay,
            rewritten: None,
        };
    }
    let (mut problem, mut replay) = (String::new(), None);
    let status = ran.status.unwrap_or(-1);
    if status != command.status {
        problem.push_str(&format!(
            "  exit status {status}, expected {}\n",
            command.status
        ));
        replay = Some(format!(
            "`$ {shown}` exited with {status}, expected {}",
            command.status
        ));
    }
    let mismatch = matching::compare(&command.expected, &ran.output, ctx).err();
    if let Some(m) = &mismatch {
        problem.push_str(&format!(
            "  output differs:\n{}",
            indent(m.diff.trim_start_matches('\n'))
        ));
    }
    let rewritten = (!problem.is_empty())
        .then(|| mismatch.map_or_else(|| command.expected.clone(), |m| m.rewritten));
    Checked {
        problem,
        replay,
        rewritten,
    }
}

/// A script or Python program: one run, checked for its status only.
fn whole(snippet: &Snippet, live: &mut Live, deadline: Instant, script: String) -> StepResult {
    let ran = exec(snippet, live, deadline, &script);
    let want = snippet.attrs.status.unwrap_or(0);
    let status = ran.status.unwrap_or(-1);
    let reason = match (&ran.fault, status == want) {
        (Some(Fault::ShellExited(_)), true) => None,
        (Some(fault), _) => Some(fault.to_string()),
        (None, false) => Some(format!("exit status {status}, expected {want}")),
        (None, true) => None,
    };
    match reason {
        None => StepResult::default(),
        Some(reason) => {
            let message = format!(
                "  {reason}\n  output:\n{}",
                indent(&matching::tidy(&ran.output))
            );
            failed(message, Some(reason))
        }
    }
}

/// A config block: written to its path (relative to the shell's working directory, `~/` = HOME).
fn file(snippet: &Snippet, live: &mut Live, deadline: Instant, path: &str) -> StepResult {
    let content = live.sandbox.harness.join("file");
    if let Err(e) = std::fs::write(&content, &snippet.code) {
        return failed(format!("writing {}: {e}", content.display()), None);
    }
    let target = shell_path(path);
    let (mkdir, dirname, cat) = (
        super::programs::shell_word("mkdir"),
        super::programs::shell_word("dirname"),
        super::programs::shell_word("cat"),
    );
    let script = format!(
        "{mkdir} -p -- \"$({dirname} -- {target})\" && {cat} \"$HELPSITE_HARNESS/file\" > {target}"
    );
    let ran = exec(snippet, live, deadline, &script);
    if ran.status == Some(0) && ran.fault.is_none() {
        return StepResult::default();
    }
    let reason = format!("could not write {path}: {}", ran.output.trim());
    failed(reason.clone(), Some(reason))
}

/// Quotes a path for the shell, keeping a leading `~/` as `$HOME/`.
fn shell_path(path: &str) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
    match path.strip_prefix("~/") {
        Some(rest) => format!("\"$HOME\"/{}", quote(rest)),
        None => quote(path),
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or("")
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_paths() {
        assert_eq!(shell_path("~/.netrc"), "\"$HOME\"/'.netrc'");
        assert_eq!(shell_path("it's/x"), r"'it'\''s/x'");
    }
}

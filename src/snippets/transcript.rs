//! Console transcripts: `$ cmd` starts a command, `> more` continues it, `? N` right after the
//! command lines is its exit status, everything else up to the next `$ ` is its expected output.
//! This file only parses; running and matching live in `runner` and `matching`.

use std::ops::Range;

/// One command of a transcript with what it should print and how it should end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// 0-based line of the `$ ` line within the block's text.
    pub line: usize,
    /// The command as typed (continuation lines joined with `\n`).
    pub text: String,
    /// The expected exit status (`? N`, default 0).
    pub status: i32,
    /// 0-based line of the `? N` line, if written.
    pub status_line: Option<usize>,
    /// The expected output, each line ending in `\n`, trailing blank lines dropped.
    pub expected: String,
    /// 0-based lines of the block holding the expected output (including trailing blank lines).
    pub output_lines: Range<usize>,
}

/// A transcript that cannot be understood, at a 0-based line of the block.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct TranscriptError {
    /// 0-based line of the block.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// Parses a `console` block's text.
pub fn parse(code: &str) -> Result<Vec<Command>, TranscriptError> {
    let lines: Vec<&str> = code.lines().collect();
    let mut commands: Vec<Command> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let Some(first) = command_start(line) else {
            if commands.is_empty() && !line.trim().is_empty() {
                let message = "a transcript starts with a command line `$ command`".to_string();
                return Err(TranscriptError { line: i, message });
            }
            i += 1;
            continue;
        };
        let (command, next) = parse_command(&lines, i, first)?;
        commands.push(command);
        i = next;
    }
    if commands.is_empty() {
        let message = "an empty transcript: write at least one `$ command`".to_string();
        return Err(TranscriptError { line: 0, message });
    }
    Ok(commands)
}

/// `$ cmd` → `cmd`; a bare `$` is an (invalid) empty command.
fn command_start(line: &str) -> Option<&str> {
    if line == "$" {
        Some("")
    } else {
        line.strip_prefix("$ ")
    }
}

/// Reads the command starting at `start`: continuation lines, status line, output lines.
fn parse_command(
    lines: &[&str],
    start: usize,
    first: &str,
) -> Result<(Command, usize), TranscriptError> {
    if first.trim().is_empty() {
        return Err(TranscriptError {
            line: start,
            message: "empty command after `$`".into(),
        });
    }
    let mut text = first.to_string();
    let mut i = start + 1;
    while let Some(more) = lines
        .get(i)
        .and_then(|l| l.strip_prefix("> ").or((*l == ">").then_some("")))
    {
        text.push('\n');
        text.push_str(more);
        i += 1;
    }
    let (mut status, mut status_line) = (0, None);
    if let Some(rest) = lines.get(i).and_then(|l| l.strip_prefix("? ")) {
        status = parse_status(rest.trim(), i)?;
        status_line = Some(i);
        i += 1;
    }
    let out_start = i;
    while i < lines.len() && command_start(lines[i]).is_none() {
        i += 1;
    }
    let mut expected = String::new();
    let kept = lines[out_start..i]
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(0, |p| p + 1);
    for l in &lines[out_start..out_start + kept] {
        expected.push_str(l);
        expected.push('\n');
    }
    let command = Command {
        line: start,
        text,
        status,
        status_line,
        expected,
        output_lines: out_start..i,
    };
    Ok((command, i))
}

fn parse_status(text: &str, line: usize) -> Result<i32, TranscriptError> {
    match text.parse::<i32>() {
        Ok(n) if (0..=255).contains(&n) => Ok(n),
        _ => Err(TranscriptError {
            line,
            message: format!("expected an exit status 0–255 after `? `, got `{text}`"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_continuations_status_and_output() {
        let code = "$ git push\n? 128\nremote: no\nfatal: x\n\n$ for i in 1 2\n> do echo $i\n> done\n1\n2\n$ true\n";
        let cmds = parse(code).unwrap();
        assert_eq!(cmds.len(), 3);
        assert_eq!(cmds[0].text, "git push");
        assert_eq!((cmds[0].status, cmds[0].status_line), (128, Some(1)));
        assert_eq!(cmds[0].expected, "remote: no\nfatal: x\n");
        assert_eq!(cmds[0].output_lines, 2..5);
        assert_eq!(cmds[1].text, "for i in 1 2\ndo echo $i\ndone");
        assert_eq!((cmds[1].line, cmds[1].status), (5, 0));
        assert_eq!(cmds[1].expected, "1\n2\n");
        assert_eq!(cmds[2].expected, "");
        assert_eq!(cmds[2].output_lines, 11..11);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse("hello\n$ x\n").unwrap_err().line, 0);
        assert_eq!(parse("$ x\n? many\n").unwrap_err().line, 1);
        assert_eq!(parse("$ x\n$\n").unwrap_err().line, 1);
        assert!(
            parse("\n\n")
                .unwrap_err()
                .message
                .contains("empty transcript")
        );
    }

    #[test]
    fn a_question_mark_later_in_the_output_is_output() {
        let cmds = parse("$ echo hi\nhi\n? 1\n").unwrap();
        assert_eq!(cmds[0].status, 0);
        assert_eq!(cmds[0].expected, "hi\n? 1\n");
    }
}

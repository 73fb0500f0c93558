//! Terminal snippets (`tty`): the hidden `helpsite __pty COLS ROWS ANSWERS -- PROGRAM ARGS…`,
//! run by the chain's shell in place of a command, starts PROGRAM under a pseudo-terminal
//! (portable-pty) of that size, and types the snippet's answers at its prompts the way a reader
//! would: when the program has printed something that does not end a line and then gone quiet,
//! the next answer (taken from the ANSWERS file, one a line, removed as used) is typed followed
//! by Enter. The terminal echoes what is typed unless the program switched echo off (password
//! prompts), exactly as on screen. With no answer left at a prompt, the program is stopped and
//! the output says which fence needs another `answer=`.
//!
//! What the terminal showed is then written to stdout as plain text ([`normalise`]): escape
//! sequences (colours, cursor moves, titles) removed, `\r\n` read as a line end, and a line
//! rewritten in place with `\r` (progress counters) reduced to its last state. The exit status is
//! the program's (128 + signal when killed).

use std::{
    io::{Read as _, Write as _},
    path::Path,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// The hidden subcommand the shell runs for a `tty` command.
pub const PTY_COMMAND: &str = "__pty";

/// Output quiet for this long after a partial line means the program waits at a prompt.
const PROMPT_QUIET: Duration = Duration::from_millis(150);
/// At a prompt with no answer left, the program is stopped after this long.
const NO_ANSWER_GRACE: Duration = Duration::from_secs(2);
/// What the terminal may show before the rest is dropped (the harness caps output too).
const MAX_SCREEN: usize = 2 << 20;

/// The program's argv after the subcommand; returns its exit status.
pub fn pty_main(args: &[String]) -> i32 {
    match run(args) {
        Ok((screen, code)) => {
            let mut out = std::io::stdout().lock();
            if out
                .write_all(screen.as_bytes())
                .and_then(|()| out.flush())
                .is_err()
            {
                return 125;
            }
            code
        }
        Err(e) => {
            eprintln!("helpsite pty: {e}");
            125
        }
    }
}

/// Runs the program under the terminal; returns what the terminal showed, as text, and the
/// program's exit status.
fn run(args: &[String]) -> anyhow::Result<(String, i32)> {
    let usage = || anyhow::anyhow!("usage: __pty COLS ROWS ANSWERS -- PROGRAM ARGS…");
    let [cols, rows, answers, dashes, program @ ..] = args else {
        return Err(usage());
    };
    if dashes != "--" || program.is_empty() {
        return Err(usage());
    }
    let size = PtySize {
        cols: cols.parse().map_err(|_| usage())?,
        rows: rows.parse().map_err(|_| usage())?,
        pixel_width: 0,
        pixel_height: 0,
    };
    let pair = native_pty_system().openpty(size)?;
    let mut cmd = CommandBuilder::new(&program[0]);
    cmd.args(&program[1..]);
    cmd.cwd(std::env::current_dir()?);
    let mut child = pair.slave.spawn_command(cmd)?;
    drop(pair.slave);
    let mut writer = pair.master.take_writer()?;
    let mut reader = pair.master.try_clone_reader()?;

    let screen = Arc::new(Mutex::new((Vec::<u8>::new(), Instant::now())));
    let sink = Arc::clone(&screen);
    let reading = std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            let mut s = sink.lock().unwrap_or_else(|p| p.into_inner());
            if s.0.len() < MAX_SCREEN {
                s.0.extend_from_slice(&buf[..n]);
            }
            s.1 = Instant::now();
        }
    });

    let mut answered_at = 0;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
        let (len, waiting, quiet) = {
            let s = screen.lock().unwrap_or_else(|p| p.into_inner());
            let waiting = s.0.len() > answered_at && s.0.last() != Some(&b'\n');
            (s.0.len(), waiting, s.1.elapsed())
        };
        if !waiting || quiet < PROMPT_QUIET {
            continue;
        }
        match next_answer(Path::new(answers))? {
            Some(answer) => {
                writer.write_all(answer.as_bytes())?;
                writer.write_all(b"\r")?;
                writer.flush()?;
                answered_at = len;
            }
            None if quiet >= NO_ANSWER_GRACE => {
                let _ = child.kill();
                let mut s = screen.lock().unwrap_or_else(|p| p.into_inner());
                s.0.extend_from_slice(
                    b"\r\nhelpsite: no answer left for this prompt: add another answer=\"...\" to the fence\r\n",
                );
                break None;
            }
            None => {}
        }
    };
    drop(writer);
    // The reader ends when the last holder of the terminal goes; a background job may keep it.
    let deadline = Instant::now() + Duration::from_millis(500);
    while !reading.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let raw = screen.lock().unwrap_or_else(|p| p.into_inner()).0.clone();
    let code = match status {
        Some(s) => i32::try_from(s.exit_code()).unwrap_or(1),
        None => 1,
    };
    Ok((normalise(&raw), code))
}

/// Takes the first line of the answers file (and removes it); `None` when none is left.
fn next_answer(path: &Path) -> std::io::Result<Option<String>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some((first, rest)) = text.split_once('\n') else {
        return Ok(None);
    };
    let first = first.to_string();
    std::fs::write(path, rest)?;
    Ok(Some(first))
}

/// What a terminal shows, as plain text: escape sequences removed (CSI `ESC [ … final`, OSC
/// `ESC ] … BEL|ESC \`, charset `ESC ( X`, other two-byte escapes), backspace erasing, bells
/// dropped, `\r\n` a line end, and each line reduced to what its last `\r` left (the last
/// non-empty part: progress counters show their final state).
pub(crate) fn normalise(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => match chars.next() {
                Some('[') => {
                    for n in chars.by_ref() {
                        if ('\x40'..='\x7e').contains(&n) {
                            break;
                        }
                    }
                }
                Some(']') => {
                    while let Some(n) = chars.next() {
                        if n == '\x07' {
                            break;
                        }
                        if n == '\x1b' {
                            chars.next();
                            break;
                        }
                    }
                }
                Some('(' | ')') => {
                    chars.next();
                }
                _ => {}
            },
            '\x08' => {
                plain.pop();
            }
            '\x07' | '\0' => {}
            c => plain.push(c),
        }
    }
    let plain = plain.replace("\r\n", "\n");
    plain
        .split('\n')
        .map(|line| line.rsplit('\r').find(|s| !s.is_empty()).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_what_a_terminal_shows() {
        assert_eq!(normalise(b"\x1b[1;31mred\x1b[0m text\r\n"), "red text\n");
        assert_eq!(normalise(b"\x1b]0;title\x07hi\r\n"), "hi\n");
        assert_eq!(normalise(b"\x1b]0;t\x1b\\a\x1b(Bb\r\n"), "ab\n");
        assert_eq!(
            normalise(b"Receiving: 10%\rReceiving: 50%\rReceiving: 100%, done.\r\nnext"),
            "Receiving: 100%, done.\nnext"
        );
        assert_eq!(normalise(b"ab\x08c\x07\r\n"), "ac\n");
        assert_eq!(normalise(b"line\r\r\n"), "line\n");
        assert_eq!(normalise(b"\xff\r\n"), "\u{FFFD}\n");
    }

    #[test]
    fn answers_are_taken_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("answers");
        std::fs::write(&path, "yes\nsecret\n").unwrap();
        assert_eq!(next_answer(&path).unwrap().as_deref(), Some("yes"));
        assert_eq!(next_answer(&path).unwrap().as_deref(), Some("secret"));
        assert_eq!(next_answer(&path).unwrap(), None);
        assert_eq!(next_answer(&dir.path().join("none")).unwrap(), None);
    }

    #[test]
    fn types_answers_at_prompts_with_echo_as_on_screen() {
        let dir = tempfile::tempdir().unwrap();
        let answers = dir.path().join("answers");
        std::fs::write(&answers, "yes\nhunter2\n").unwrap();
        let script = "read -p 'Continue? ' a; stty -echo; read -p 'Password: ' p; stty echo; echo; \
                      printf '\\033[32m%s %s\\033[0m\\n' \"$a\" \"${#p}\"; exit 3";
        let bash = super::super::programs::bash();
        let args: Vec<String> = [
            "80",
            "24",
            answers.to_str().unwrap(),
            "--",
            bash.to_str().unwrap(),
            "--noprofile",
            "--norc",
            "-c",
            script,
        ]
        .map(String::from)
        .to_vec();
        let (screen, code) = run(&args).unwrap();
        assert_eq!(screen, "Continue? yes\nPassword: \nyes 7\n");
        assert_eq!(code, 3);
        assert_eq!(std::fs::read_to_string(&answers).unwrap(), "");
        // A prompt with no answer left: stopped, and the output says what to add.
        let args: Vec<String> = args
            .iter()
            .map(|a| {
                if a == script {
                    "read -p 'More? ' x".into()
                } else {
                    a.clone()
                }
            })
            .collect();
        let (screen, code) = run(&args).unwrap();
        assert_eq!(
            screen,
            "More? \nhelpsite: no answer left for this prompt: add another answer=\"...\" to the fence\n"
        );
        assert_eq!(code, 1);
    }
}

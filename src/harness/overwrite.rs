//! `helpsite test --overwrite`: rewrites the expected output (and `? N` lines) of failing
//! transcript commands in the Markdown source, in place. Only the lines of those commands change:
//! wildcard lines that still match are kept (snapbox normalises the actual output towards the
//! expected one), everything else in the file stays byte for byte, CRLF line endings included
//! (new lines take the ending of their block's fence line). A block in a list item or a quote is
//! rewritten at its own indentation.

use std::path::Path;

use anyhow::Context as _;

use super::step::Rewrite;
use crate::snippets::{Snippet, model::container_prefix};

/// Applies the rewrites of several snippets of one file. Returns how many commands changed.
pub(crate) fn rewrite_file(path: &Path, fixes: &[(&Snippet, &[Rewrite])]) -> anyhow::Result<usize> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    // Split on `\n` only: a CRLF line keeps its `\r`, so joining gives the file back byte for
    // byte, whatever its line endings.
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut sorted: Vec<_> = fixes.to_vec();
    sorted.sort_by_key(|(s, _)| std::cmp::Reverse(s.line));
    let mut changed = 0;
    for (snippet, rewrites) in sorted {
        changed += rewrite_block(&mut lines, snippet, rewrites)
            .with_context(|| format!("{}:{}", path.display(), snippet.line))?;
    }
    std::fs::write(path, lines.join("\n"))
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(changed)
}

/// How the lines of one block are written: the prefix before each line (indentation, and a
/// quote's `>`; a list item's marker counts as spaces) and the line ending (`\r` for CRLF).
struct Layout {
    indent: String,
    cr: &'static str,
}

impl Layout {
    fn line(&self, text: &str) -> String {
        format!("{}{text}", self.indent).trim_end().to_string() + self.cr
    }
}

/// Rewrites one fenced block inside `lines` (the whole file).
fn rewrite_block(
    lines: &mut Vec<String>,
    snippet: &Snippet,
    rewrites: &[Rewrite],
) -> anyhow::Result<usize> {
    let fence = snippet
        .line
        .checked_sub(1)
        .and_then(|i| lines.get(i))
        .context("fence line out of range")?;
    let at = fence.find("```").or_else(|| fence.find("~~~"));
    let Some(at) = at.filter(|&at| container_prefix(&fence[..at])) else {
        anyhow::bail!(
            "the fence is not where the snippet says (was the file edited during the run?)"
        );
    };
    let layout = Layout {
        // Markers become spaces: a list item's continuation lines stand under its text.
        indent: fence[..at]
            .chars()
            .map(|c| {
                if c == '>' || c.is_whitespace() {
                    c
                } else {
                    ' '
                }
            })
            .collect(),
        cr: if fence.ends_with('\r') { "\r" } else { "" },
    };
    let code_start = snippet.line; // 0-based index of the block's first line
    let code: Vec<&str> = snippet.code.lines().collect();
    for (i, expected) in code.iter().enumerate() {
        let actual = lines.get(code_start + i).map(|l| {
            let l = l.strip_suffix('\r').unwrap_or(l);
            l.strip_prefix(layout.indent.as_str())
                .or_else(|| l.strip_prefix(layout.indent.trim_end()))
                .unwrap_or(l)
        });
        if actual != Some(expected) {
            anyhow::bail!("the block's text changed since it was read; not rewriting it");
        }
    }
    let mut sorted: Vec<&Rewrite> = rewrites.iter().collect();
    sorted.sort_by_key(|r| std::cmp::Reverse(r.command.line));
    for rewrite in &sorted {
        apply(lines, code_start, &layout, rewrite);
    }
    Ok(sorted.len())
}

/// Replaces one command's output lines and status line (indices are 0-based within the block).
fn apply(lines: &mut Vec<String>, start: usize, layout: &Layout, rewrite: &Rewrite) {
    let cmd = &rewrite.command;
    let kept = cmd.expected.lines().count();
    let out = start + cmd.output_lines.start;
    let new_output = rewrite.output.lines().map(|l| layout.line(l));
    lines.splice(out..out + kept, new_output);
    let status = (rewrite.status != 0).then(|| layout.line(&format!("? {}", rewrite.status)));
    match (cmd.status_line, status) {
        (Some(at), Some(line)) => lines[start + at] = line,
        (Some(at), None) => {
            lines.remove(start + at);
        }
        (None, Some(line)) => lines.insert(start + cmd.line + cmd.text.lines().count(), line),
        (None, None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snippets::{SnippetKind, model::Attrs, transcript};

    fn snippet(code: &str, line: usize) -> Snippet {
        Snippet {
            file: "content/x.md".into(),
            line,
            test_name: "x::top::console_1".into(),
            lang: "console".into(),
            kind: SnippetKind::Console {
                commands: transcript::parse(code).unwrap(),
            },
            attrs: Attrs::default(),
            attr_text: String::new(),
            code: code.into(),
        }
    }

    #[test]
    fn rewrites_output_and_status_keeping_everything_else() {
        let code = "$ one\n[..] kept\nold\n\n$ two\n? 1\nx\n";
        let file = format!(
            "# T\n\n  ```console\n{}  ```\ntail  \n",
            code.lines()
                .map(|l| if l.is_empty() {
                    "\n".to_string()
                } else {
                    format!("  {l}\n")
                })
                .collect::<String>()
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.md");
        std::fs::write(&path, &file).unwrap();
        let s = snippet(code, 3);
        let cmds = transcript::parse(code).unwrap();
        let rewrites = vec![
            Rewrite {
                command: cmds[0].clone(),
                status: 2,
                output: "[..] kept\nnew\nnewer\n".into(),
            },
            Rewrite {
                command: cmds[1].clone(),
                status: 0,
                output: "x\n".into(),
            },
        ];
        assert_eq!(rewrite_file(&path, &[(&s, &rewrites)]).unwrap(), 2);
        let want = "# T\n\n  ```console\n  $ one\n  ? 2\n  [..] kept\n  new\n  newer\n\n  $ two\n  x\n  ```\ntail  \n";
        assert_eq!(std::fs::read_to_string(&path).unwrap(), want);
    }
}

#[cfg(test)]
mod layout_tests {
    use super::*;
    use crate::snippets::{SnippetKind, model::Attrs, transcript};

    fn fix(file: &str, code: &str, line: usize, output: &str, status: i32) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.md");
        std::fs::write(&path, file).unwrap();
        let commands = transcript::parse(code).unwrap();
        let s = Snippet {
            file: "content/x.md".into(),
            line,
            test_name: "x::top::console_1".into(),
            lang: "console".into(),
            kind: SnippetKind::Console {
                commands: commands.clone(),
            },
            attrs: Attrs::default(),
            attr_text: String::new(),
            code: code.into(),
        };
        let rewrite = Rewrite {
            command: commands[0].clone(),
            status,
            output: output.into(),
        };
        rewrite_file(&path, &[(&s, &[rewrite])]).unwrap();
        std::fs::read_to_string(&path).unwrap()
    }

    #[test]
    fn crlf_files_keep_their_line_endings() {
        let file = "# T\r\n\r\n```console\r\n$ one\r\nold\r\n```\r\ntail\r\n";
        let got = fix(file, "$ one\nold\n", 3, "new\nnewer\n", 1);
        assert_eq!(
            got,
            "# T\r\n\r\n```console\r\n$ one\r\n? 1\r\nnew\r\nnewer\r\n```\r\ntail\r\n"
        );
        // A file without a final newline keeps that too.
        let got = fix("```console\n$ one\nold\n```", "$ one\nold\n", 1, "new\n", 0);
        assert_eq!(got, "```console\n$ one\nnew\n```");
    }

    #[test]
    fn a_block_in_a_list_item_is_rewritten_at_its_indentation() {
        let file = "- ```console\n  $ one\n  old\n  ```\n";
        let got = fix(file, "$ one\nold\n", 1, "new\n", 0);
        assert_eq!(got, "- ```console\n  $ one\n  new\n  ```\n");
    }
}

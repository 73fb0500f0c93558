//! `helpsite test --overwrite`: rewrites the expected output (and `? N` lines) of failing
//! transcript commands in the Markdown source, in place. Only the lines of those commands change:
//! wildcard lines that still match are kept (snapbox normalises the actual output towards the
//! expected one), everything else in the file stays byte for byte.

use std::path::Path;

use anyhow::Context as _;

use super::step::Rewrite;
use crate::snippets::Snippet;

/// Applies the rewrites of several snippets of one file. Returns how many commands changed.
pub fn rewrite_file(path: &Path, fixes: &[(&Snippet, &[Rewrite])]) -> anyhow::Result<usize> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let ends_with_newline = text.ends_with('\n');
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut sorted: Vec<_> = fixes.to_vec();
    sorted.sort_by_key(|(s, _)| std::cmp::Reverse(s.line));
    let mut changed = 0;
    for (snippet, rewrites) in sorted {
        changed += rewrite_block(&mut lines, snippet, rewrites)
            .with_context(|| format!("{}:{}", path.display(), snippet.line))?;
    }
    let mut out = lines.join("\n");
    if ends_with_newline {
        out.push('\n');
    }
    std::fs::write(path, out).with_context(|| format!("writing {}", path.display()))?;
    Ok(changed)
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
    let indent: String = fence.chars().take_while(|c| *c == ' ').collect();
    if !fence[indent.len()..].starts_with("```") && !fence[indent.len()..].starts_with("~~~") {
        anyhow::bail!(
            "the fence is not where the snippet says (was the file edited during the run?)"
        );
    }
    let code_start = snippet.line; // 0-based index of the block's first line
    let code: Vec<&str> = snippet.code.lines().collect();
    for (i, expected) in code.iter().enumerate() {
        let actual = lines
            .get(code_start + i)
            .map(|l| l.strip_prefix(indent.as_str()).unwrap_or(l));
        if actual != Some(expected) {
            anyhow::bail!("the block's text changed since it was read; not rewriting it");
        }
    }
    let mut sorted: Vec<&Rewrite> = rewrites.iter().collect();
    sorted.sort_by_key(|r| std::cmp::Reverse(r.command.line));
    for rewrite in &sorted {
        apply(lines, code_start, &indent, rewrite);
    }
    Ok(sorted.len())
}

/// Replaces one command's output lines and status line (indices are 0-based within the block).
fn apply(lines: &mut Vec<String>, start: usize, indent: &str, rewrite: &Rewrite) {
    let cmd = &rewrite.command;
    let kept = cmd.expected.lines().count();
    let out = start + cmd.output_lines.start;
    let new_output = rewrite
        .output
        .lines()
        .map(|l| format!("{indent}{l}").trim_end().to_string());
    lines.splice(out..out + kept, new_output);
    let status = (rewrite.status != 0).then(|| format!("{indent}? {}", rewrite.status));
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

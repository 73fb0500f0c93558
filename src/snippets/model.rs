//! What a snippet is: a fenced code block with its language word, its attributes
//! (```` ```console {name=push timeout=30s} ````), its text, and where it stands (file, line,
//! page, section). Parsing the fence is here; running it is not.

use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

mod kind;

use super::{
    fence,
    transcript::{self, Command},
};

use crate::config::SnippetPolicy;
use kind::classify;

/// How a snippet is treated by the harness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnippetKind {
    /// `console`: a transcript of commands and their expected output, parsed once, here.
    Console { commands: Vec<Command> },
    /// `sh` / `bash` / `shell`: a script that must exit with the expected status.
    Script,
    /// `python`: run with python3.
    Python,
    /// A config file written into the sandbox at `path` before the following snippets.
    File { path: String },
    /// A language with a `[snippets.run]` runner (`js = "node"`): saved to a file and run
    /// with the interpreter, checked for its status like a script.
    Run { interpreter: String },
    /// Not run, for the stated reason (shown on the site and as an ignored test).
    Ignored { reason: String },
    /// `text`: plain text, not code, and blocks of a `display_only` language (shown
    /// highlighted as "example, not run"); neither run nor a test.
    Text,
}

/// One fenced code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// Source file, relative to the site root (`content/guide/fix.md`).
    pub file: PathBuf,
    /// 1-based line of the opening fence.
    pub line: usize,
    /// Test name: `page::section::name`.
    pub test_name: String,
    /// The language word of the fence (`console`, `bash`, `ini`, …).
    pub lang: String,
    pub kind: SnippetKind,
    /// The fence's attributes (`{name=… timeout=…}`).
    pub attrs: Attrs,
    /// The attribute part of the info string as written (`{name=push}`), for the hash.
    pub attr_text: String,
    /// The block's text as written.
    pub code: String,
}

/// The attributes a fence may carry, after the language word, in braces:
/// ```` ```console {name=push-rejected timeout=30s answer="$BITBUCKET_API_TOKEN"} ````
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attrs {
    /// `name=ID`: the last part of the test name (else `LANG_N`, N its place in the section).
    pub name: Option<String>,
    /// `timeout=30s` (`ms`, `s`, `m`); default 30 s.
    pub timeout: Option<std::time::Duration>,
    /// `status=N`: the exit status a script or python snippet must end with (default 0).
    pub status: Option<i32>,
    /// `ignore="reason"`: not run; the reason shows on the site and in the test list.
    pub ignore: Option<String>,
    /// `isolated`: runs in a fresh sandbox instead of continuing the page's chain.
    pub isolated: bool,
    /// `hidden`: runs (as setup) but is not rendered on the site.
    pub hidden: bool,
    /// `file=PATH`: a config block written to PATH in the sandbox (`~/` is the sandbox HOME).
    pub file: Option<String>,
    /// `answer="…"`, repeatable: scripted answers to git's prompts, in order; `$VAR` expands
    /// from the sandbox environment (so secrets stay out of the page).
    pub answers: Vec<String>,
    /// `tty`: each command runs under a pseudo-terminal; the answers are typed at its prompts.
    pub tty: bool,
    /// `cols=N` / `rows=N`: the terminal's size with `tty` (default 80 × 24).
    pub cols: Option<u16>,
    pub rows: Option<u16>,
}

/// A fence that cannot be understood; names the place and what was expected.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct FenceError {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// What [`Snippet::from_block`] needs to know of the page a block stands on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Origin<'a> {
    /// The page's file, relative to the site root (`content/guide/fix.md`).
    pub file: &'a Path,
    /// The first part of its snippets' test names (`guide::fix`).
    pub test_prefix: &'a str,
    /// The page's Markdown after the front matter.
    pub body: &'a str,
    /// The 1-based line of `file` where `body` starts.
    pub body_line: usize,
    /// Byte offsets in `body` where its lines start (built once per page, so finding a fence's
    /// source line costs no rescan of the page).
    pub line_starts: &'a [usize],
    /// The site's `[snippets]` policy, which decides how fences are classified.
    pub policy: &'a SnippetPolicy,
}

impl Snippet {
    /// Classifies a code block. `section` is the id of the heading it stands under ("" before
    /// the first heading); `place` is its 1-based place among the code blocks under that heading
    /// (the `N` of an unnamed snippet's `LANG_N`), counted by the renderer as it walks the page.
    /// `line` is the 1-based line of the opening fence in the page's source file.
    pub(crate) fn from_block(
        page: &Origin<'_>,
        section: &str,
        place: usize,
        info: &str,
        code: String,
        line: usize,
    ) -> Result<Snippet, FenceError> {
        let source_line = source_line(page, line);
        let fence_at = fence_column(source_line);
        let error = |offset: usize, message: String| FenceError {
            file: page.file.to_path_buf(),
            line,
            column: fence_at.map_or(1, |f| f + info_offset(source_line, f, info) + offset + 1),
            message,
        };
        let (lang, mut kind, attrs, attr_text) = if fence_at.is_none() {
            // An indented code block: no fence, no language, plain text.
            (
                "text".to_string(),
                SnippetKind::Text,
                Attrs::default(),
                String::new(),
            )
        } else {
            let (lang, attrs, attr_text) =
                fence::parse_info(info).map_err(|e| error(e.offset, e.message))?;
            let kind = classify(&lang, &attrs, page.policy).map_err(|m| error(0, m))?;
            let lang = if lang.is_empty() { "text".into() } else { lang };
            (lang, kind, attrs, attr_text)
        };
        if let SnippetKind::Console { commands } = &mut kind {
            // A malformed transcript is bad input for every command (build, serve, test) alike.
            *commands = transcript::parse(&code).map_err(|e| FenceError {
                file: page.file.to_path_buf(),
                line: line + 1 + e.line,
                column: 1,
                message: e.message,
            })?;
        }
        let mut attrs = attrs;
        attrs.timeout = attrs.timeout.or(page.policy.timeout);
        let test_name = name_of(page, section, &lang, &attrs, place);
        Ok(Snippet {
            file: page.file.to_path_buf(),
            line,
            test_name,
            lang,
            kind,
            attrs,
            attr_text,
            code,
        })
    }

    /// The text a reader sees (and copies): harness-only lines removed. For a transcript these
    /// are the `? N` exit-status lines; wildcards (`[..]`, `...`) and redactions stay, for the
    /// renderer to style.
    pub(crate) fn display(&self) -> String {
        let SnippetKind::Console { commands } = &self.kind else {
            return self.code.clone();
        };
        let hidden: Vec<usize> = commands.iter().filter_map(|c| c.status_line).collect();
        let mut out = String::new();
        for (i, line) in self.code.lines().enumerate() {
            if !hidden.contains(&i) {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }

    /// Whether the harness makes a test of it (everything but `text`).
    pub(crate) fn is_test(&self) -> bool {
        self.kind != SnippetKind::Text
    }

    /// The per-snippet timeout (default 30 s).
    pub(crate) fn timeout(&self) -> std::time::Duration {
        self.attrs
            .timeout
            .unwrap_or(std::time::Duration::from_secs(30))
    }

    /// SHA-256 (hex) of `lang`, `\n`, the attribute text, `\n`, the code: the report records it
    /// so the site can tell a verdict that no longer matches the snippet's text.
    pub fn hash(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.lang.as_bytes());
        hasher.update(b"\n");
        hasher.update(self.attr_text.as_bytes());
        hasher.update(b"\n");
        hasher.update(self.code.as_bytes());
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// `page::section::name`: the `name=` attribute or `LANG_N`, N counted within the section.
fn name_of(page: &Origin<'_>, section: &str, lang: &str, attrs: &Attrs, place: usize) -> String {
    let section = if section.is_empty() { "top" } else { section };
    let last = match &attrs.name {
        Some(name) => name.clone(),
        None => format!("{lang}_{}", place.max(1)),
    };
    // Control characters too: a name is printed on terminals (`test NAME ... ok`).
    let part = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if matches!(c, '-' | '.') || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect()
    };
    format!("{}::{}::{}", page.test_prefix, part(section), part(&last))
}

/// The text of source line `line` (1-based in the file), or "" when out of range.
fn source_line<'a>(page: &Origin<'a>, line: usize) -> &'a str {
    let Some(&start) = line
        .checked_sub(page.body_line)
        .and_then(|i| page.line_starts.get(i))
    else {
        return "";
    };
    let rest = &page.body[start..];
    let end = rest.find('\n').unwrap_or(rest.len());
    rest[..end].strip_suffix('\r').unwrap_or(&rest[..end])
}

/// 0-based byte offset of the fence characters in `text`, if it is a fence line: only
/// indentation and container markers may stand before them (see [`container_prefix`]).
fn fence_column(text: &str) -> Option<usize> {
    let pos = text.find("```").or_else(|| text.find("~~~"))?;
    container_prefix(&text[..pos]).then_some(pos)
}

/// Whether `prefix` is nothing but indentation, block-quote markers (`>`) and list-item markers
/// (`-`, `*`, `+`, `1.`, `1)` followed by a space): what may stand before a fence that opens on
/// a quote's or a list item's own line (`- ```sh`).
pub(crate) fn container_prefix(prefix: &str) -> bool {
    let mut rest = prefix.trim_start();
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let marker = if rest.starts_with(['>', '-', '*', '+']) {
            1
        } else if (1..=9).contains(&digits) && rest[digits..].starts_with(['.', ')']) {
            digits + 1
        } else {
            return false;
        };
        let after = &rest[marker..];
        // A list marker needs a space after it; a quote's `>` does not.
        if !rest.starts_with('>') && !after.is_empty() && !after.starts_with(char::is_whitespace) {
            return false;
        }
        rest = after.trim_start();
    }
    true
}

/// Offset of the info string within the fence line, after the fence characters. The info as
/// parsed can differ from the text as written (`&amp;` and other entities are decoded); then the
/// column falls back to just after the fence characters, never below them.
fn info_offset(text: &str, fence: usize, info: &str) -> usize {
    let after = &text[fence..];
    let ticks = after.len() - after.trim_start_matches(['`', '~']).len();
    let trimmed = info.trim();
    if trimmed.is_empty() {
        return ticks;
    }
    after[ticks..]
        .find(trimmed)
        .and_then(|i| (ticks + i).checked_sub(info.find(trimmed).unwrap_or(0)))
        .map_or(ticks, |at| at.max(ticks))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> Origin<'_> {
        // Leaked: test-only values that live as long as the test process.
        let starts: Vec<usize> = std::iter::once(0)
            .chain(body.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Origin {
            file: Path::new("content/guide/fix-it.md"),
            test_prefix: "guide::fix_it",
            body,
            body_line: 4,
            line_starts: Box::leak(starts.into_boxed_slice()),
            policy: Box::leak(Box::default()),
        }
    }

    #[test]
    fn names_count_within_the_section() {
        let body = "# A\n\n```text\nx\n```\n\n```sh\ntrue\n```\n\n## B c\n\n```sh\ntrue\n```\n";
        let p = page(body);
        let s = Snippet::from_block(&p, "b-c", 1, "sh", "true\n".into(), 16).unwrap();
        assert_eq!(s.test_name, "guide::fix_it::b_c::sh_1");
        let s = Snippet::from_block(&p, "a", 2, "sh", "true\n".into(), 10).unwrap();
        assert_eq!(s.test_name, "guide::fix_it::a::sh_2");
        let s = Snippet::from_block(&p, "", 0, "sh {name=my-name}", "".into(), 10).unwrap();
        assert_eq!(s.test_name, "guide::fix_it::top::my_name");
        assert_eq!(s.kind, SnippetKind::Script);
        let info = "x\u{1b}[2J {ignore=shown}";
        let s = Snippet::from_block(&p, "", 0, info, "".into(), 10).unwrap();
        assert_eq!(s.test_name, "guide::fix_it::top::x_[2J_1");
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let p = page("text\n\n  ```console {name=x bogus}\n$ true\n  ```\n");
        let e = Snippet::from_block(&p, "", 0, "console {name=x bogus}", "".into(), 6).unwrap_err();
        assert_eq!(
            e.to_string().split(": ").next(),
            Some("content/guide/fix-it.md:6:22")
        );
        let e = Snippet::from_block(&p, "", 0, "", "".into(), 6).unwrap_err();
        assert!(e.message.contains("say `text`"), "{e}");
    }

    #[test]
    fn kinds_and_bad_combinations() {
        let p = page("```ini\n```\n");
        let kind = |info: &str| Snippet::from_block(&p, "", 0, info, "".into(), 4).map(|s| s.kind);
        assert_eq!(
            kind("ini {file=~/.gitconfig}").unwrap(),
            SnippetKind::File {
                path: "~/.gitconfig".into()
            }
        );
        assert_eq!(
            kind("ini {ignore=\"shown only\"}").unwrap(),
            SnippetKind::Ignored {
                reason: "shown only".into()
            }
        );
        assert_eq!(kind("python").unwrap(), SnippetKind::Python);
        assert_eq!(kind("text").unwrap(), SnippetKind::Text);
        assert!(kind("ini").unwrap_err().message.contains("file=PATH"));
        assert!(
            kind("console {status=1}")
                .unwrap_err()
                .message
                .contains("? N")
        );
        assert_eq!(
            kind("python {file=~/push.py}").unwrap(),
            SnippetKind::File {
                path: "~/push.py".into()
            },
            "a script shown for saving is written, not run"
        );
        assert!(
            kind("console {file=x}")
                .unwrap_err()
                .message
                .contains("run, not written")
        );
        assert!(
            kind("bash {file=x status=1}")
                .unwrap_err()
                .message
                .contains("not run")
        );
        assert!(kind("text {hidden}").is_err());
    }

    #[test]
    fn display_drops_status_lines_only() {
        let p = page("```console\n```\n");
        let code = "$ git push\n? 128\nfatal: [..]\n$ echo ok\nok\n? 1\n";
        let s = Snippet::from_block(&p, "", 0, "console", code.into(), 4).unwrap();
        assert_eq!(s.display(), "$ git push\nfatal: [..]\n$ echo ok\nok\n? 1\n");
        let t = Snippet::from_block(&p, "", 0, "sh", "? 1\n".into(), 4).unwrap();
        assert_eq!(t.display(), "? 1\n");
    }

    #[test]
    fn fence_info_of_entities_never_underflows() {
        // `&#9;` decodes to a tab, so the parsed info starts with whitespace the source line
        // does not have before its first `9` (the `9` of `&#9;`): the column arithmetic used to
        // underflow.
        let line = "```&#9;&#9;&#9;&#9;&#9;&#9;9";
        let body = format!("{line}\n```\n");
        let p = page(&body);
        let info = "\t\t\t\t\t\t9";
        let e = Snippet::from_block(&p, "", 0, info, "".into(), 4).unwrap_err();
        assert!(e.column >= 4, "{e}");
        let e = Snippet::from_block(&p, "", 0, "&<>\"", "".into(), 4).unwrap_err();
        assert!(e.message.contains("not run"), "{e}");
    }

    #[test]
    fn a_fence_on_a_list_items_own_line_is_a_snippet() {
        for line in [
            "- ```sh",
            "* ```sh",
            "+ ```sh",
            "12. ```sh",
            "1) ```sh",
            "> - ```sh",
            ">```sh",
        ] {
            let body = format!("{line}\n  true\n  ```\n");
            let p = page(&body);
            let s = Snippet::from_block(&p, "", 0, "sh", "true\n".into(), 4).unwrap();
            assert_eq!(s.kind, SnippetKind::Script, "{line}");
        }
        for prefix in ["text ", "-x ", "1234567890. ", "a. "] {
            assert!(!container_prefix(prefix), "{prefix}");
        }
        let p = page("- ```sh {bogus}\n");
        let e = Snippet::from_block(&p, "", 0, "sh {bogus}", "".into(), 4).unwrap_err();
        assert_eq!(e.column, 10, "{e}");
    }

    #[test]
    fn indented_blocks_are_text_and_hash_changes_with_attrs() {
        let p = page("para\n\n    indented\n");
        let s = Snippet::from_block(&p, "", 0, "", "indented\n".into(), 6).unwrap();
        assert_eq!(s.kind, SnippetKind::Text);
        let q = page("```sh\n```\n");
        let a = Snippet::from_block(&q, "", 0, "sh", "x".into(), 4).unwrap();
        let b = Snippet::from_block(&q, "", 0, "sh {hidden}", "x".into(), 4).unwrap();
        assert_ne!(a.hash(), b.hash());
        assert_eq!(a.hash().len(), 64);
    }
}

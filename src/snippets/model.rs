//! What a snippet is: a fenced code block with its language word, its attributes
//! (```` ```console {name=push timeout=30s} ````), its text, and where it stands (file, line,
//! page, section). Parsing the fence is here; running it is not.

use std::path::PathBuf;

use crate::content::Page;

/// How a snippet is treated by the harness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnippetKind {
    /// `console`: a transcript of commands and their expected output.
    Console,
    /// `sh` / `bash` / `shell`: a script that must exit with the expected status.
    Script,
    /// `python`: run with python3.
    Python,
    /// A config file written into the sandbox at `path` before the following snippets.
    File { path: String },
    /// Not run, for the stated reason (shown on the site and as an ignored test).
    Ignored { reason: String },
    /// `text`: plain text, not code; neither run nor a test.
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

impl Snippet {
    /// Classifies a code block. `section` is the id of the heading it stands under ("" before
    /// the first heading), `index` its position among the page's snippets.
    pub fn from_block(
        page: &Page,
        section: &str,
        index: usize,
        info: &str,
        code: String,
        line: usize,
    ) -> Result<Snippet, FenceError> {
        let lang = info.split_whitespace().next().unwrap_or("").to_string();
        if lang.is_empty() {
            return Err(FenceError {
                file: page.source.clone(),
                line,
                column: 1,
                message: "code block without a language: say `text` for plain text".into(),
            });
        }
        let kind = match lang.as_str() {
            "console" => SnippetKind::Console,
            "sh" | "bash" | "shell" => SnippetKind::Script,
            "python" => SnippetKind::Python,
            "text" => SnippetKind::Text,
            _ => SnippetKind::Ignored {
                reason: format!("`{lang}` blocks are not run"),
            },
        };
        let section = if section.is_empty() { "top" } else { section };
        let test_name = format!(
            "{}::{}::{}_{}",
            page.test_prefix(),
            section.replace('-', "_"),
            lang,
            index
        );
        Ok(Snippet {
            file: page.source.clone(),
            line,
            test_name,
            lang,
            kind,
            attrs: Attrs::default(),
            code,
        })
    }

    /// The text a reader sees (and copies): harness-only lines removed.
    pub fn display(&self) -> String {
        self.code.clone()
    }
}

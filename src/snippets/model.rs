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
    /// The block's text as written.
    pub code: String,
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
            _ => SnippetKind::Ignored { reason: format!("`{lang}` blocks are not run") },
        };
        let section = if section.is_empty() { "top" } else { section };
        let test_name =
            format!("{}::{}::{}_{}", page.test_prefix(), section.replace('-', "_"), lang, index);
        Ok(Snippet { file: page.source.clone(), line, test_name, lang, kind, code })
    }

    /// The text a reader sees (and copies): harness-only lines removed.
    pub fn display(&self) -> String {
        self.code.clone()
    }
}

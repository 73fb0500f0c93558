//! Input errors: everything wrong with a site's sources found in one run (front matter,
//! malformed fences, broken links, clashes, unresolved directives), each with its file and
//! line, listed grouped by file and counted truly by kind. Nothing is cut off: a site with 500
//! problems lists 500.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use crate::config::TomlError;
use crate::snippets::FenceError;

/// What an input error is about, for the counts in the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    FrontMatter,
    Fence,
    Link,
    Clash,
    /// An mdBook `{{#include}}` that cannot be resolved.
    Include,
    Other,
}

impl Kind {
    fn noun(self, n: usize) -> &'static str {
        match (self, n == 1) {
            (Kind::FrontMatter, true) => "front-matter error",
            (Kind::FrontMatter, false) => "front-matter errors",
            (Kind::Fence, true) => "malformed code block",
            (Kind::Fence, false) => "malformed code blocks",
            (Kind::Link, true) => "broken link",
            (Kind::Link, false) => "broken links",
            (Kind::Clash, true) => "clashing file",
            (Kind::Clash, false) => "clashing files",
            (Kind::Include, true) => "unresolved include",
            (Kind::Include, false) => "unresolved includes",
            (Kind::Other, true) => "other error",
            (Kind::Other, false) => "other errors",
        }
    }
}

/// One problem in one source file.
#[derive(Debug, Clone)]
pub struct InputError {
    pub kind: Kind,
    /// As shown, relative to the site root (`content/x.md`).
    pub file: PathBuf,
    /// 1-based; 0 when the problem is the whole file.
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if self.column > 0 {
            write!(f, ":{}", self.column)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl From<FenceError> for InputError {
    fn from(err: FenceError) -> InputError {
        InputError {
            kind: Kind::Fence,
            file: err.file,
            line: err.line,
            column: err.column,
            message: err.message,
        }
    }
}

impl From<TomlError> for InputError {
    fn from(err: TomlError) -> InputError {
        InputError {
            kind: Kind::FrontMatter,
            file: err.file,
            line: err.line,
            column: err.column,
            message: err.message,
        }
    }
}

/// Every input error of a site: the error a build, serve or test stops with.
#[derive(Debug, Clone, thiserror::Error)]
pub struct InputErrors(pub Vec<InputError>);

impl InputErrors {
    /// How many errors of each kind, in kind order.
    pub(crate) fn counts(&self) -> BTreeMap<Kind, usize> {
        let mut counts = BTreeMap::new();
        for err in &self.0 {
            *counts.entry(err.kind).or_default() += 1;
        }
        counts
    }
}

impl fmt::Display for InputErrors {
    /// Grouped by file (in the order files first appear), each file's errors by line; then
    /// one summary line with the true counts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut files: Vec<&PathBuf> = Vec::new();
        let mut by_file: BTreeMap<&PathBuf, Vec<&InputError>> = BTreeMap::new();
        for err in &self.0 {
            let list = by_file.entry(&err.file).or_default();
            if list.is_empty() {
                files.push(&err.file);
            }
            list.push(err);
        }
        writeln!(f, "the site's sources have errors, by file:")?;
        for (i, file) in files.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let mut list = by_file.remove(file).unwrap_or_default();
            list.sort_by_key(|e| (e.line, e.column));
            for err in list {
                writeln!(f, "{err}")?;
            }
        }
        let parts: Vec<String> = self
            .counts()
            .into_iter()
            .map(|(kind, n)| format!("{n} {}", kind.noun(n)))
            .collect();
        let plural = if files.len() == 1 { "" } else { "s" };
        write!(f, "{} in {} file{plural}", parts.join(", "), files.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(kind: Kind, file: &str, line: usize) -> InputError {
        InputError {
            kind,
            file: file.into(),
            line,
            column: 1,
            message: "bad".into(),
        }
    }

    #[test]
    fn grouped_by_file_sorted_by_line_counted_by_kind() {
        let errors = InputErrors(vec![
            err(Kind::Fence, "content/b.md", 9),
            err(Kind::Link, "content/a.md", 4),
            err(Kind::Fence, "content/b.md", 2),
            err(Kind::Link, "content/b.md", 5),
        ]);
        let text = errors.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "the site's sources have errors, by file:",
                "content/b.md:2:1: bad",
                "content/b.md:5:1: bad",
                "content/b.md:9:1: bad",
                "",
                "content/a.md:4:1: bad",
                "2 malformed code blocks, 2 broken links in 2 files",
            ]
        );
    }
}

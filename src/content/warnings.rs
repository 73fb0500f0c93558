//! Warnings: what a site's sources hold that helpsite shows but does not understand (Hugo and
//! Zola shortcodes, mdBook directives it does not support, SUMMARY.md lines it skips). Unlike
//! [`super::InputError`]s they do not stop the build; each names its file and line, and the build
//! prints them all with one counted summary.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// What a warning is about, for the counts in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WarningKind {
    /// A Hugo (`{{< >}}`, `{{% %}}`) or Zola (`{{ name() }}`, `{% name() %}`) shortcode.
    Shortcode,
    /// An mdBook `{{#…}}` directive other than include, rustdoc_include and title.
    Directive,
    /// Something in `SUMMARY.md` (a line it cannot read, pages it does not list).
    Summary,
}

impl WarningKind {
    fn noun(self, n: usize) -> &'static str {
        match (self, n == 1) {
            (WarningKind::Shortcode, true) => "shortcode left as text",
            (WarningKind::Shortcode, false) => "shortcodes left as text",
            (WarningKind::Directive, true) => "unsupported mdBook directive",
            (WarningKind::Directive, false) => "unsupported mdBook directives",
            (WarningKind::Summary, true) => "SUMMARY.md note",
            (WarningKind::Summary, false) => "SUMMARY.md notes",
        }
    }
}

/// One warning about one source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub kind: WarningKind,
    /// As shown, relative to the site root (`content/x.md`).
    pub file: PathBuf,
    /// 1-based; 0 when it is about the whole file.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        write!(f, ": warning: {}", self.message)
    }
}

/// `3 warnings: 2 shortcodes left as text, 1 unsupported mdBook directive`, or `None`.
pub(crate) fn summary(warnings: &[Warning]) -> Option<String> {
    if warnings.is_empty() {
        return None;
    }
    let mut counts: BTreeMap<WarningKind, usize> = BTreeMap::new();
    for w in warnings {
        *counts.entry(w.kind).or_default() += 1;
    }
    let parts: Vec<String> = counts
        .into_iter()
        .map(|(kind, n)| format!("{n} {}", kind.noun(n)))
        .collect();
    let plural = if warnings.len() == 1 { "" } else { "s" };
    Some(format!(
        "{} warning{plural}: {}",
        warnings.len(),
        parts.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_by_kind() {
        let w = |kind, line| Warning {
            kind,
            file: "content/a.md".into(),
            line,
            message: "m".into(),
        };
        let all = [
            w(WarningKind::Directive, 2),
            w(WarningKind::Shortcode, 3),
            w(WarningKind::Shortcode, 0),
        ];
        assert_eq!(all[0].to_string(), "content/a.md:2: warning: m");
        assert_eq!(all[2].to_string(), "content/a.md: warning: m");
        assert_eq!(
            summary(&all).as_deref(),
            Some("3 warnings: 2 shortcodes left as text, 1 unsupported mdBook directive")
        );
        assert_eq!(summary(&[]), None);
    }
}

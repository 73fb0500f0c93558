//! Comparing what a command printed with what the transcript expects, through snapbox:
//! `[..]` and `...` wildcards, redactions (`[SHA7]`, `[SHA]`, `[ROOT]`, `[HOME]`, `[DATE]`,
//! `[PORT]`) and a readable diff. Trailing whitespace on each line and trailing blank lines are
//! ignored on both sides (a Markdown editor strips them; a terminal does not show them).
//!
//! Pattern redactions (SHA, DATE, PORT) apply only when the expected text uses their placeholder,
//! so a word that happens to look like hex is never rewritten behind the author's back.

use std::path::Path;

use snapbox::{Data, Redactions, filter::NormalizeToExpected, report::Palette};

/// snapbox only accepts `[A-Z_]` placeholders; `[SHA7]` is spelled this way while matching.
const SHA7_INTERNAL: &str = "[SHAABBREV]";

/// Values that differ from run to run and may be named by a placeholder.
#[derive(Debug, Clone, Default)]
pub(crate) struct Context {
    /// The sandbox's root directory (`[ROOT]`).
    pub root: Option<std::path::PathBuf>,
    /// The sandbox's HOME (`[HOME]`).
    pub home: Option<std::path::PathBuf>,
}

/// Expected and actual did not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mismatch {
    /// A unified diff, expected vs actual.
    pub diff: String,
    /// The actual output, normalised towards the expected one (wildcard lines that still match
    /// kept): what `--overwrite` writes back.
    pub rewritten: String,
}

/// Text from snippet code made safe to show on a terminal (failure reports, the report file):
/// C0 control characters other than tab and newline, and DEL, become their Unicode control
/// pictures (`\x1b` → `␛`, `\0` → `␀`, DEL → `␡`; a lone `\r` → `␍` and a line break, a CRLF → a
/// line break); C1 controls (U+0080–U+009F, which
/// some terminals obey as escapes too) and the bidirectional overrides and isolates (which can
/// make a line read other than it is) become `\u{…}`. So a failing snippet can neither colour,
/// move the cursor, retitle, clear nor reorder the terminal that shows its output.
pub(crate) fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            // A CRLF line end is a line end; a lone CR (progress output, or text written over
            // text) is shown, and ends the line as it would on the terminal, so nothing hides.
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push_str("␍\n"),
            '\0'..='\x1f' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\x7f' => out.push('\u{2421}'),
            '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Trims trailing whitespace per line and trailing blank lines; every line ends in `\n`.
pub(crate) fn tidy(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let keep = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |p| p + 1);
    lines[..keep].iter().map(|l| format!("{l}\n")).collect()
}

/// Compares `actual` with the `expected` pattern.
pub(crate) fn compare(expected: &str, actual: &str, ctx: &Context) -> Result<(), Mismatch> {
    let expected = tidy(expected).replace("[SHA7]", SHA7_INTERNAL);
    let actual = tidy(actual);
    let redactions = redactions_for(&expected, ctx);
    let normalized = NormalizeToExpected::new()
        .redact_with(&redactions)
        .normalize(Data::text(actual), &Data::text(expected.clone()));
    let normalized = normalized.render().unwrap_or_default();
    if normalized == expected {
        return Ok(());
    }
    let expected = expected.replace(SHA7_INTERNAL, "[SHA7]");
    let rewritten = normalized.replace(SHA7_INTERNAL, "[SHA7]");
    Err(Mismatch {
        diff: diff(&expected, &rewritten),
        rewritten,
    })
}

/// A plain-text unified diff of two texts.
pub(crate) fn diff(expected: &str, actual: &str) -> String {
    let mut out = String::new();
    let (e, a) = (
        Data::text(expected.to_string()),
        Data::text(actual.to_string()),
    );
    let written = snapbox::report::write_diff(&mut out, &e, &a, None, None, Palette::plain());
    if written.is_err() {
        return format!("--- expected\n{expected}+++ actual\n{actual}");
    }
    out
}

fn redactions_for(expected: &str, ctx: &Context) -> Redactions {
    let mut r = Redactions::new();
    let mut add = |placeholder: &'static str, value: snapbox::RedactedValue| {
        // Placeholders here are constants in the valid form, so insert cannot fail.
        let _ = r.insert(placeholder, value);
    };
    if let Some(root) = &ctx.root {
        add("[ROOT]", path_value(root));
    }
    if let Some(home) = &ctx.home {
        add("[HOME]", path_value(home));
    }
    for (placeholder, pattern) in PATTERNS {
        if expected.contains(placeholder)
            && let Ok(re) = regex::Regex::new(pattern)
        {
            add(placeholder, re.into());
        }
    }
    r
}

fn path_value(path: &Path) -> snapbox::RedactedValue {
    path.to_string_lossy().into_owned().into()
}

const PATTERNS: &[(&str, &str)] = &[
    ("[SHA]", r"\b[0-9a-f]{40}\b"),
    (SHA7_INTERNAL, r"\b[0-9a-f]{7,12}\b"),
    (
        "[DATE]",
        r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}(?: [+-]\d{4})?|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?",
    ),
    (
        "[PORT]",
        r"(?:127\.0\.0\.1|localhost|\[::1\]):(?<redacted>\d{1,5})",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_whitespace_tolerant() {
        let ctx = Context::default();
        assert_eq!(compare("a\nb\n", "a  \nb\n\n\n", &ctx), Ok(()));
        assert!(compare("a\n", "b\n", &ctx).is_err());
    }

    #[test]
    fn wildcards_within_and_across_lines() {
        let ctx = Context::default();
        assert_eq!(
            compare("To [..]\n...\ndone\n", "To x\n1\n2\ndone\n", &ctx),
            Ok(())
        );
        let m = compare("head\n[..] middle\nlast\n", "head\nno\nother\n", &ctx).unwrap_err();
        assert!(
            m.diff.contains("--- Expected") && m.diff.contains("+ other"),
            "{}",
            m.diff
        );
        assert_eq!(m.rewritten, "head\nno\nother\n");
    }

    #[test]
    fn redactions_only_when_named() {
        let ctx = Context {
            root: Some("/tmp/sbx".into()),
            home: Some("/tmp/sbx/home".into()),
        };
        let out = "   1a2b3c4..5d6e7f8  main -> main\nin /tmp/sbx/home/x and /tmp/sbx/work\n";
        let want = "   [SHA7]..[SHA7]  main -> main\nin [HOME]/x and [ROOT]/work\n";
        assert_eq!(compare(want, out, &ctx), Ok(()));
        // Without the placeholder, hex-looking words stay as they are.
        assert!(compare("deadbee\n", "deadbee\n", &ctx).is_ok());
        let date = "Date:   Thu Jan 1 00:00:00 2026 +0000\nport 127.0.0.1:4567\n";
        assert_eq!(
            compare("Date:   [DATE]\nport 127.0.0.1:[PORT]\n", date, &ctx),
            Ok(())
        );
    }

    #[test]
    fn control_characters_are_made_visible() {
        let raw = "red \x1b[31mX\x1b[0m\r\x07 tab\tok\r\n\x7f \u{9b}2J \u{202e}abc é✓\n";
        let shown = visible(raw);
        assert_eq!(
            shown,
            "red ␛[31mX␛[0m␍\n␇ tab\tok\n␡ \\u{9b}2J \\u{202e}abc é✓\n"
        );
        assert!(
            !shown
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t')
        );
    }

    #[test]
    fn rewritten_keeps_matching_wildcards_and_sha7_spelling() {
        let m = compare(
            "[SHA7] one\n[..]\n",
            "abcdef1 one\nzz\nnew\n",
            &Context::default(),
        )
        .unwrap_err();
        assert_eq!(m.rewritten, "[SHA7] one\n[..]\nnew\n");
    }
}

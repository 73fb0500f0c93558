//! Real output (issue 13): a transcript's placeholders (`[SHA7]`, `[SHA]`, `[DATE]`, `[PORT]`,
//! `[ROOT]`, `[HOME]`) filled in with what the recorded run printed in their place, so readers
//! see `3f2a1bc..9e0d4a7  main -> main` rather than `[SHA7]..[SHA7]`. `[..]` and `...` stay
//! wildcards (shown as `…`): they say "anything here", not "this value".
//!
//! The run already matched (snapbox); this only finds, line by line, which text each
//! placeholder stood for: each expected line becomes an anchored regex (placeholders captured,
//! `[..]` lazy), `...` lines take any number of lines, first full match wins. No match (the
//! output moved on since) means nothing is filled and the placeholders stay as they are.

use regex::Regex;

/// What a placeholder may stand for; the same shapes as the harness's redactions.
const SHAPES: [(&str, &str); 6] = [
    ("[SHA7]", r"([0-9a-f]{7,12})"),
    ("[SHA]", r"([0-9a-f]{40})"),
    (
        "[DATE]",
        r"((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d{2}:\d{2}:\d{2} \d{4}(?: [+-]\d{4})?|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)",
    ),
    ("[PORT]", r"(\d{1,5})"),
    ("[ROOT]", r"(.+?)"),
    ("[HOME]", r"(.+?)"),
];

/// How many expected/actual line pairs the search may try before giving up (a transcript
/// with many `...` lines could otherwise take exponential time).
const BUDGET: usize = 100_000;

/// The values of `expected`'s placeholders, in order, as they appear in `actual`; `None` when
/// `actual` does not match or `expected` has no placeholder.
pub(super) fn values(expected: &str, actual: &str) -> Option<Vec<String>> {
    let expected: Vec<&str> = expected.lines().map(str::trim_end).collect();
    if !expected.iter().any(|l| has_placeholder(l)) {
        return None;
    }
    let patterns: Vec<Option<Regex>> = expected
        .iter()
        .map(|l| (*l != "...").then(|| line_regex(l)).flatten())
        .collect();
    if patterns
        .iter()
        .zip(&expected)
        .any(|(p, l)| p.is_none() && *l != "...")
    {
        return None;
    }
    let actual: Vec<&str> = actual.lines().map(str::trim_end).collect();
    let mut budget = BUDGET;
    let mut found = Vec::new();
    walk(&patterns, &actual, &mut found, &mut budget).then_some(found)
}

fn has_placeholder(line: &str) -> bool {
    SHAPES.iter().any(|(token, _)| line.contains(token))
}

/// `^…$` for one expected line: literal text escaped, `[..]` lazy, placeholders captured.
fn line_regex(line: &str) -> Option<Regex> {
    let mut pattern = String::from("^");
    let mut rest = line;
    while !rest.is_empty() {
        let next = SHAPES
            .iter()
            .map(|(t, p)| (*t, *p))
            .chain([("[..]", ".*?")])
            .filter_map(|(t, p)| rest.find(t).map(|at| (at, t, p)))
            .min_by_key(|(at, t, _)| (*at, std::cmp::Reverse(t.len())));
        match next {
            Some((at, token, shape)) => {
                pattern.push_str(&regex::escape(&rest[..at]));
                pattern.push_str(shape);
                rest = &rest[at + token.len()..];
            }
            None => {
                pattern.push_str(&regex::escape(rest));
                rest = "";
            }
        }
    }
    pattern.push('$');
    Regex::new(&pattern).ok()
}

/// Matches `patterns` (None = `...`) against all of `actual`, pushing captures onto `found`.
fn walk(
    patterns: &[Option<Regex>],
    actual: &[&str],
    found: &mut Vec<String>,
    budget: &mut usize,
) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let Some((first, rest)) = patterns.split_first() else {
        return actual.is_empty();
    };
    let Some(re) = first else {
        return (0..=actual.len()).any(|skip| walk(rest, &actual[skip..], found, budget));
    };
    let Some((line, others)) = actual.split_first() else {
        return false;
    };
    let Some(caps) = re.captures(line) else {
        return false;
    };
    let mark = found.len();
    found.extend(
        caps.iter()
            .skip(1)
            .flatten()
            .map(|m| m.as_str().to_string()),
    );
    if walk(rest, others, found, budget) {
        return true;
    }
    found.truncate(mark);
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_take_the_values_printed_in_their_place() {
        let expected = "To https://bitbucket.org/u/demo.git\n   [SHA7]..[SHA7]  main -> main\n";
        let actual = "To https://bitbucket.org/u/demo.git\n   3f2a1bc..9e0d4a7  main -> main\n";
        assert_eq!(
            values(expected, actual),
            Some(vec!["3f2a1bc".into(), "9e0d4a7".into()])
        );
    }

    #[test]
    fn wildcards_stay_and_ellipsis_lines_skip() {
        let expected = "[..] [SHA7] first\n...\nat [ROOT]/repo on port [PORT]\n";
        let actual = "commit abcdef1 first\nnoise\nmore\nat /tmp/x/repo on port 8080\n";
        assert_eq!(
            values(expected, actual),
            Some(vec!["abcdef1".into(), "/tmp/x".into(), "8080".into()])
        );
    }

    #[test]
    fn nothing_without_placeholders_or_a_match() {
        assert_eq!(values("plain\n", "plain\n"), None);
        assert_eq!(values("[SHA7] x\n", "nothex x\n"), None);
        assert_eq!(values("[SHA7] x\n", "abcdef1 x\nextra\n"), None);
    }
}

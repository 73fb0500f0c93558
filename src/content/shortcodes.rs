//! Hugo and Zola shortcodes left in a page's text: `{{< name … >}}`, `{{% name … %}}` (Hugo),
//! `{{ name(…) }}` and `{% name(…) %}` (Zola). helpsite has no shortcodes, so each one outside
//! code (fenced blocks and inline code spans are examples, not calls) is a warning at its line;
//! the text is shown as written. Closing tags (`{{< /note >}}`, `{% end %}`) are not counted
//! again.

use std::path::Path;

use super::warnings::{Warning, WarningKind};

/// Every shortcode call in `body`; `line_of(i)` is the file line of body line `i` (0-based).
pub(crate) fn scan(body: &str, source: &Path, line_of: impl Fn(usize) -> usize) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    for (i, line) in body.lines().enumerate() {
        if let Some(open) = fence_of(line) {
            match fence {
                None => fence = Some(open),
                Some((c, n)) if open.0 == c && open.1 >= n && is_closing(line) => fence = None,
                Some(_) => {}
            }
            continue;
        }
        if fence.is_some() {
            continue;
        }
        for call in calls(&without_code_spans(line)) {
            warnings.push(Warning {
                kind: WarningKind::Shortcode,
                file: source.to_path_buf(),
                line: line_of(i),
                message: format!(
                    "{call} is left as text: helpsite has no shortcodes (write its Markdown or \
                     HTML instead)"
                ),
            });
        }
    }
    warnings
}

/// A fence line's character and length (```` ``` ````, `~~~~`), up to three spaces in.
fn fence_of(line: &str) -> Option<(char, usize)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

fn is_closing(line: &str) -> bool {
    line.trim()
        .chars()
        .all(|c| c == '`' || c == '~' || c.is_whitespace())
}

/// `line` with its inline code spans blanked out.
fn without_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let ticks = rest[start..].chars().take_while(|c| *c == '`').count();
        let after = &rest[start + ticks..];
        let close = "`".repeat(ticks);
        match after.find(&close) {
            Some(end) => rest = &after[end + ticks..],
            None => {
                out.push_str(&rest[start..]);
                return out;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The shortcode calls in one line of prose, each as a short description.
fn calls(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find(['{']) {
        let tail = &rest[start..];
        let kind = [
            ("{{<", ">}}", "Hugo shortcode"),
            ("{{%", "%}}", "Hugo shortcode"),
            ("{%", "%}", "Zola shortcode"),
            ("{{", "}}", "Zola shortcode"),
        ]
        .into_iter()
        .find(|(open, _, _)| tail.starts_with(open));
        let Some((open, close, what)) = kind else {
            rest = &tail[1..];
            continue;
        };
        let Some(end) = tail[open.len()..].find(close) else {
            rest = &tail[open.len()..];
            continue;
        };
        let inner = tail[open.len()..open.len() + end].trim();
        let name: String = inner
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-' || *c == '/')
            .collect();
        let zola = what.starts_with("Zola");
        let is_call = !name.is_empty()
            && !name.starts_with('/')
            && (!zola || inner[name.len()..].trim_start().starts_with('('));
        if is_call {
            found.push(format!("{what} `{open} {name} … {close}`"));
        }
        rest = &tail[open.len() + end + close.len()..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(body: &str) -> Vec<(usize, String)> {
        scan(body, Path::new("content/a.md"), |i| i + 10)
            .into_iter()
            .map(|w| (w.line, w.message))
            .collect()
    }

    #[test]
    fn finds_hugo_and_zola_calls_outside_code() {
        let body = "Intro {{< figure src=\"a.png\" >}} and {{% note %}}x{{% /note %}}\n\
                    ```\n{{< not-me >}}\n```\n\
                    `{{ inline() }}` but {{ youtube(id=\"x\") }}\n\
                    {% quote(author=\"a\") %}\nq\n{% end %}\n\
                    Plain {{ braces }} and {curly}.\n";
        let got = lines(body);
        let at: Vec<usize> = got.iter().map(|(l, _)| *l).collect();
        assert_eq!(at, [10, 10, 14, 15], "{got:?}");
        assert!(
            got[0].1.starts_with("Hugo shortcode `{{< figure … >}}`"),
            "{}",
            got[0].1
        );
        assert!(got[1].1.starts_with("Hugo shortcode `{{% note … %}}`"));
        assert!(got[2].1.starts_with("Zola shortcode `{{ youtube … }}`"));
        assert!(got[3].1.starts_with("Zola shortcode `{% quote … %}`"));
    }

    #[test]
    fn tilde_fences_and_longer_fences_hide_calls() {
        let body = "~~~~\n{{< a >}}\n~~~\n{{< b >}}\n~~~~\n{{< c >}}\n";
        assert_eq!(lines(body).len(), 1);
        assert_eq!(lines(body)[0].0, 15);
    }
}

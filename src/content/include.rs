//! mdBook's `{{#…}}` directives, expanded in a page's text before it is parsed, so code blocks
//! that come from an included file are snippets (and tests) like any other.
//!
//! `{{#include path}}` and `{{#rustdoc_include path}}` take a file relative to the page, with an
//! optional part: `:5` (line 5), `:5:10`, `:5:` (to the end), `::10` (the first ten), or
//! `:name` (the lines between `ANCHOR: name` and `ANCHOR_END: name`). Marker lines are left out
//! of every include, and includes nest (up to [`MAX_DEPTH`]). `{{#title Text}}` sets the page's
//! title. Any other directive (`{{#playground}}`, …) is left as written, with a warning. A file
//! that does not exist or lies outside the site root is an error at the directive's line.
//! `\{{#…}}` is the directive's text, unexpanded, as in mdBook.
//!
//! Line numbers: every line of the expanded text maps back to the page's own line it came from
//! (an included line to its directive), so later errors still name the page's true lines.

use std::path::{Path, PathBuf};

use super::errors::{InputError, Kind};
use super::warnings::{Warning, WarningKind};

/// How deep includes may nest (an include cycle stops here with an error).
pub(crate) const MAX_DEPTH: usize = 10;

/// A page body after expansion.
#[derive(Debug, Default)]
pub(crate) struct Expanded {
    pub text: String,
    /// For each line of `text` (0-based), the line of the page file it came from (1-based).
    pub lines: Vec<usize>,
    /// The title a `{{#title …}}` directive set.
    pub title: Option<String>,
}

/// Where expansion happens and where it reports.
pub(crate) struct Context<'a> {
    /// The site root, canonical: nothing outside it may be included.
    pub root: &'a Path,
    /// The page as shown in messages (`content/guide/x.md`).
    pub source: &'a Path,
    pub errors: &'a mut Vec<InputError>,
    pub warnings: &'a mut Vec<Warning>,
}

/// Whether `text` has anything to expand (the common case is a quick no).
pub(crate) fn has_directives(text: &str) -> bool {
    text.contains("{{#")
}

/// Expands the directives of `body` (the page file `dir/…`, whose body starts at `first_line`).
pub(crate) fn expand(body: &str, first_line: usize, dir: &Path, cx: &mut Context<'_>) -> Expanded {
    let mut out = Expanded::default();
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let at = first_line + i;
        let text = expand_line(line, at, dir, cx, &mut out.title, 0);
        out.lines
            .extend(std::iter::repeat_n(at, text.matches('\n').count()));
        out.text.push_str(&text);
    }
    // The last line (without a line ending, or the empty one after the last `\n`).
    out.lines.push(first_line + body.matches('\n').count());
    out
}

/// One line with its directives replaced. `depth` > 0 inside an included file, whose own
/// directives are reported at the page's `line` too.
fn expand_line(
    line: &str,
    at: usize,
    dir: &Path,
    cx: &mut Context<'_>,
    title: &mut Option<String>,
    depth: usize,
) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("{{#") {
        if rest[..start].ends_with('\\') {
            out.push_str(&rest[..start - 1]);
            out.push_str("{{#");
            rest = &rest[start + 3..];
            continue;
        }
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = rest[start + 3..start + len].trim();
        let (name, arg) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let whole = &rest[start..start + len + 2];
        if arg.trim().is_empty() {
            // mdBook reads a directive only with an argument: `{{#include}}` in prose (or
            // `{{#toc}}` in a handlebars example) is text there, and here.
            out.push_str(whole);
            rest = &rest[start + len + 2..];
            continue;
        }
        match name {
            "include" | "rustdoc_include" => {
                if let Some(text) = include(arg.trim(), at, dir, cx, title, depth) {
                    out.push_str(&text);
                }
            }
            "title" if depth == 0 => *title = Some(arg.trim().to_string()),
            _ => {
                cx.warnings.push(Warning {
                    kind: WarningKind::Directive,
                    file: cx.source.to_path_buf(),
                    line: at,
                    message: format!(
                        "mdBook directive `{whole}` is not supported by helpsite and is shown \
                         as written (supported: include, rustdoc_include, title)"
                    ),
                });
                out.push_str(whole);
            }
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// The text `{{#include ARG}}` stands for, or `None` after reporting why not.
fn include(
    arg: &str,
    at: usize,
    dir: &Path,
    cx: &mut Context<'_>,
    title: &mut Option<String>,
    depth: usize,
) -> Option<String> {
    let fail = |cx: &mut Context<'_>, message: String| {
        cx.errors.push(InputError {
            kind: Kind::Include,
            file: cx.source.to_path_buf(),
            line: at,
            column: 0,
            message,
        });
    };
    let (path, part) = split_part(arg);
    if path.is_empty() {
        fail(
            cx,
            "`{{#include}}` without a path: write `{{#include file.rs}}`".into(),
        );
        return None;
    }
    if depth >= MAX_DEPTH {
        fail(
            cx,
            format!("includes nest deeper than {MAX_DEPTH} at '{path}' (a cycle?)"),
        );
        return None;
    }
    let file = match resolve(dir, path, cx.root) {
        Ok(file) => file,
        Err(message) => {
            fail(cx, format!("cannot include '{path}': {message}"));
            return None;
        }
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(err) => {
            fail(cx, format!("cannot include '{path}': {err}"));
            return None;
        }
    };
    let selected = match select(&text, part) {
        Ok(selected) => selected,
        Err(message) => {
            fail(cx, format!("cannot include '{path}': {message}"));
            return None;
        }
    };
    let inner_dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut out = String::with_capacity(selected.len());
    for line in selected.split_inclusive('\n') {
        out.push_str(&expand_line(line, at, &inner_dir, cx, title, depth + 1));
    }
    Some(out)
}

/// `src/x.rs:5:10` → (`src/x.rs`, `Some("5:10")`).
fn split_part(arg: &str) -> (&str, Option<&str>) {
    match arg.split_once(':') {
        Some((path, part)) => (path.trim(), Some(part.trim())),
        None => (arg.trim(), None),
    }
}

/// The file `path` names (relative to `dir`), if it exists inside `root`.
fn resolve(dir: &Path, path: &str, root: &Path) -> Result<PathBuf, String> {
    let file = dir.join(path);
    let canonical = file
        .canonicalize()
        .map_err(|_| "no such file".to_string())?;
    if !canonical.starts_with(root) {
        return Err(format!(
            "it is outside the site root {} (includes may only read the site's own files)",
            root.display()
        ));
    }
    if !canonical.is_file() {
        return Err("not a file".into());
    }
    Ok(canonical)
}

/// The part of `text` that `part` selects (lines or an anchor), without anchor marker lines and
/// without the final line ending.
fn select(text: &str, part: Option<&str>) -> Result<String, String> {
    let lines: Vec<&str> = text.lines().collect();
    let chosen: Vec<&str> = match part {
        None | Some("") => lines,
        Some(part) if part.starts_with(|c: char| c.is_ascii_digit() || c == ':') => {
            let (from, to) = line_range(part, lines.len())?;
            lines[from..to].to_vec()
        }
        Some(anchor) => anchored(&lines, anchor)?,
    };
    let kept: Vec<&str> = chosen.into_iter().filter(|l| !is_marker(l)).collect();
    Ok(kept.join("\n"))
}

/// `5` → line 5; `5:10`, `5:`, `:10` → those lines (1-based, inclusive), as 0-based bounds.
fn line_range(part: &str, count: usize) -> Result<(usize, usize), String> {
    let number = |s: &str| -> Result<Option<usize>, String> {
        match s.trim() {
            "" => Ok(None),
            n => n
                .parse::<usize>()
                .map(Some)
                .map_err(|_| format!("'{part}' is not a line range (expected 5, 5:10, 5: or :10)")),
        }
    };
    let (from, to) = match part.split_once(':') {
        Some((a, b)) => (number(a)?, number(b)?),
        None => {
            let n = number(part)?;
            (n, n)
        }
    };
    let from = from.unwrap_or(1).max(1);
    let to = to.unwrap_or(count).min(count);
    if from > count || from > to {
        return Err(format!(
            "lines {part} are not in the file (it has {count} lines)"
        ));
    }
    Ok((from - 1, to))
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
fn anchored<'a>(lines: &[&'a str], name: &str) -> Result<Vec<&'a str>, String> {
    let marks = |kind: &str, line: &str| {
        line.split_once(kind)
            .is_some_and(|(_, rest)| rest.split_whitespace().next() == Some(name))
    };
    let start = lines
        .iter()
        .position(|l| marks("ANCHOR:", l))
        .ok_or_else(|| format!("no `ANCHOR: {name}` line in the file"))?;
    let len = lines[start + 1..]
        .iter()
        .position(|l| marks("ANCHOR_END:", l))
        .ok_or_else(|| format!("`ANCHOR: {name}` has no `ANCHOR_END: {name}` line"))?;
    Ok(lines[start + 1..start + 1 + len].to_vec())
}

fn is_marker(line: &str) -> bool {
    line.contains("ANCHOR:") || line.contains("ANCHOR_END:")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str, files: &[(&str, &str)]) -> (Expanded, Vec<InputError>, Vec<Warning>) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let root = dir.path().canonicalize().unwrap();
        let (mut errors, mut warnings) = (Vec::new(), Vec::new());
        let mut cx = Context {
            root: &root,
            source: Path::new("content/page.md"),
            errors: &mut errors,
            warnings: &mut warnings,
        };
        let out = expand(body, 3, &root, &mut cx);
        (out, errors, warnings)
    }

    const CODE: &str = "one\n// ANCHOR: mid\ntwo\nthree\n// ANCHOR_END: mid\nfour\n";

    #[test]
    fn ranges_and_anchors() {
        let cases = [
            ("x.rs", "one\ntwo\nthree\nfour"),
            ("x.rs:3", "two"),
            ("x.rs:3:4", "two\nthree"),
            ("x.rs:5:", "four"),
            ("x.rs::3", "one\ntwo"),
            ("x.rs:mid", "two\nthree"),
        ];
        for (arg, want) in cases {
            let (out, errors, _) = run(&format!("{{{{#include {arg}}}}}\n"), &[("x.rs", CODE)]);
            assert!(errors.is_empty(), "{arg}: {errors:?}");
            assert_eq!(out.text, format!("{want}\n"), "{arg}");
        }
    }

    #[test]
    fn lines_map_back_to_the_directive() {
        let body = "```rust\n{{#rustdoc_include x.rs}}\n```\nafter\n";
        let (out, errors, _) = run(body, &[("x.rs", "a\nb\nc\n")]);
        assert!(errors.is_empty());
        assert_eq!(out.text, "```rust\na\nb\nc\n```\nafter\n");
        assert_eq!(out.lines, [3, 4, 4, 4, 5, 6, 7]);
        assert_eq!(out.text.matches('\n').count() + 1, out.lines.len());
    }

    #[test]
    fn missing_escaping_and_bad_parts_are_errors_at_their_line() {
        let body = "x\n{{#include nope.rs}}\n{{#include ../../etc/passwd}}\n{{#include x.rs:9:12}}\n{{#include x.rs:zz}}\n";
        let (_, errors, _) = run(body, &[("x.rs", CODE)]);
        let got: Vec<(usize, bool)> = errors
            .iter()
            .map(|e| (e.line, e.message.starts_with("cannot include")))
            .collect();
        assert_eq!(got, [(4, true), (5, true), (6, true), (7, true)]);
        assert!(errors[0].message.contains("no such file"), "{}", errors[0]);
        assert!(
            errors[2].message.contains("it has 6 lines"),
            "{}",
            errors[2]
        );
        assert!(errors[3].message.contains("ANCHOR: zz"), "{}", errors[3]);
    }

    #[test]
    fn cycles_stop_with_an_error() {
        let (_, errors, _) = run("{{#include a.md}}\n", &[("a.md", "{{#include a.md}}\n")]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("nest deeper"), "{}", errors[0]);
    }

    #[test]
    fn title_escapes_and_unknown_directives() {
        let body = "{{#title Custom}}\n\\{{#include x.rs}}\n{{#playground x.rs}}\n`{{#include}}`d {{#toc}}\n";
        let (out, errors, warnings) = run(body, &[]);
        assert!(errors.is_empty());
        assert_eq!(out.title.as_deref(), Some("Custom"));
        assert_eq!(
            out.text,
            "\n{{#include x.rs}}\n{{#playground x.rs}}\n`{{#include}}`d {{#toc}}\n"
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, 5);
        assert!(warnings[0].message.contains("{{#playground x.rs}}"));
    }
}

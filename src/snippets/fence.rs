//! The fence grammar: an info string `LANG {key=value key="quoted value" flag}` split into the
//! language word and [`Attrs`]. Errors carry the 0-based byte offset in the info string where the
//! problem starts, so the caller can turn it into a column; the list of known keys is part of the
//! message for unknown keys. Classifying the snippet (which kind, which combinations are allowed)
//! is `model`'s business, not this file's.

use std::time::Duration;

use super::model::Attrs;
use crate::config::{MAX_TIMEOUT, MAX_TIMEOUT_TEXT};

/// Every key the grammar knows, in the order the README documents them.
pub(crate) const KNOWN_KEYS: &[&str] = &[
    "name", "timeout", "status", "ignore", "isolated", "hidden", "file", "answer", "tty", "cols",
    "rows",
];

/// Keys other generators put in an info string for presentation only (Hugo's and Zola's line
/// numbers and highlighted lines, copy buttons, a render hook's `class`/`width`): accepted and ignored, so their pages build
/// unchanged. mdBook's and Zola's comma form (`rust,ignore`, `rust, linenos`) is ignored whole.
pub(crate) const FOREIGN_KEYS: &[&str] = &[
    "linenos",
    "hl_lines",
    "linenostart",
    "lineanchors",
    "anchorlinenos",
    "lineNos",
    "lineNumbersInTable",
    "lineNoStart",
    "hl_inline",
    "noClasses",
    "style",
    "tabWidth",
    "guessSyntax",
    "hide_lines",
    "copy",
    "trim",
    "class",
    "width",
    "height",
];

/// A problem in an info string, at byte `offset` of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoError {
    /// Byte offset in the info string.
    pub offset: usize,
    /// What is wrong there.
    pub message: String,
}

fn err<T>(offset: usize, message: impl Into<String>) -> Result<T, InfoError> {
    Err(InfoError {
        offset,
        message: message.into(),
    })
}

/// Splits `console {name=x}` into (`console`, attributes, attribute text as written).
pub fn parse_info(info: &str) -> Result<(String, Attrs, String), InfoError> {
    let trimmed_start = info.len() - info.trim_start().len();
    let rest = &info[trimmed_start..];
    let head_len = rest.find('{').unwrap_or(rest.len());
    let (lang, attrs_start) = match rest[..head_len].find(',') {
        // mdBook's `rust,editable` and Zola's `rust, linenos`: the language, then that tool's
        // own flags, which mean nothing here; our attributes may still follow in braces.
        Some(comma) => (
            rest[..comma].trim_end().to_string(),
            trimmed_start + head_len,
        ),
        None => {
            let lang_len = rest
                .find(|c: char| c.is_whitespace() || c == '{')
                .unwrap_or(rest.len());
            let after = &rest[lang_len..];
            let start = trimmed_start + lang_len + (after.len() - after.trim_start().len());
            (rest[..lang_len].to_string(), start)
        }
    };
    let attr_text = info[attrs_start..].trim_end();
    if attr_text.is_empty() {
        return Ok((lang, Attrs::default(), String::new()));
    }
    if lang.is_empty() {
        return err(
            attrs_start,
            "attributes without a language word before them",
        );
    }
    let Some(inner) = attr_text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
    else {
        return err(
            attrs_start,
            "expected attributes in braces after the language: `{name=ID …}`",
        );
    };
    if starts_with_foreign_key(inner) {
        // Hugo's `{linenos=table,hl_lines=[8,"15-17"]}`: presentation only, in its own syntax.
        return Ok((lang, Attrs::default(), attr_text.to_string()));
    }
    let attrs = parse_attrs(inner, attrs_start + 1)?;
    Ok((lang, attrs, attr_text.to_string()))
}

/// Whether the text in braces opens with one of [`FOREIGN_KEYS`].
fn starts_with_foreign_key(inner: &str) -> bool {
    let inner = inner.trim_start();
    let end = inner
        .find(|c: char| c == '=' || c == ',' || c.is_whitespace())
        .unwrap_or(inner.len());
    FOREIGN_KEYS.contains(&&inner[..end])
}

/// Parses the text between the braces; `base` is its offset in the info string.
fn parse_attrs(text: &str, base: usize) -> Result<Attrs, InfoError> {
    let mut attrs = Attrs::default();
    let mut seen: Vec<&str> = Vec::new();
    let mut lexer = Lexer { text, pos: 0, base };
    while let Some((key, key_at, value)) = lexer.next_pair()? {
        if key != "answer" && seen.contains(&key) {
            return err(key_at, format!("`{key}` given twice"));
        }
        seen.push(key);
        apply(&mut attrs, key, key_at, value)?;
    }
    if !attrs.tty && (attrs.cols.is_some() || attrs.rows.is_some()) {
        return err(base, "`cols` and `rows` size a terminal: add `tty`");
    }
    Ok(attrs)
}

/// Stores one `key[=value]` in `attrs`, validating the value.
fn apply(
    attrs: &mut Attrs,
    key: &str,
    at: usize,
    value: Option<(String, usize)>,
) -> Result<(), InfoError> {
    let flag = matches!(key, "isolated" | "hidden" | "tty");
    let (value, value_at) = match (value, flag) {
        (None, true) => (String::new(), at),
        (Some((_, v_at)), true) => {
            return err(v_at, format!("`{key}` is a flag and takes no value"));
        }
        (None, false) if KNOWN_KEYS.contains(&key) => {
            return err(at, format!("`{key}` needs a value: `{key}=…`"));
        }
        (Some(v), false) => v,
        (None, false) => (String::new(), at),
    };
    match key {
        "name" => attrs.name = Some(check_name(&value, value_at)?),
        "timeout" => attrs.timeout = Some(parse_duration(&value, value_at)?),
        "status" => attrs.status = Some(parse_status(&value, value_at)?),
        "ignore" if value.trim().is_empty() => return err(value_at, "`ignore` needs a reason"),
        "ignore" => attrs.ignore = Some(value),
        "isolated" => attrs.isolated = true,
        "hidden" => attrs.hidden = true,
        "tty" => attrs.tty = true,
        "cols" => attrs.cols = Some(parse_size(key, &value, value_at, 20..=500)?),
        "rows" => attrs.rows = Some(parse_size(key, &value, value_at, 5..=500)?),
        "file" if value.is_empty() => return err(value_at, "`file` needs a path"),
        "file" => attrs.file = Some(value),
        "answer" => attrs.answers.push(value),
        foreign if FOREIGN_KEYS.contains(&foreign) => {}
        _ => {
            return err(
                at,
                format!(
                    "unknown attribute `{key}`; known: {}",
                    KNOWN_KEYS.join(", ")
                ),
            );
        }
    }
    Ok(())
}

fn check_name(value: &str, at: usize) -> Result<String, InfoError> {
    let ok = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(value.to_string())
    } else {
        err(at, "`name` must be letters, digits, `-` or `_`")
    }
}

/// `250ms`, `30s`, `2m`, at most [`MAX_TIMEOUT`] (a longer one, or a number too large to
/// count, is an error stating the maximum, never an overflow).
pub(crate) fn parse_duration(value: &str, at: usize) -> Result<Duration, InfoError> {
    let split = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (digits, unit) = value.split_at(split);
    if digits.is_empty() || digits.bytes().all(|b| b == b'0') {
        return err(
            at,
            format!("expected a duration like `30s`, `500ms` or `2m`, got `{value}`"),
        );
    }
    if !matches!(unit, "ms" | "s" | "m") {
        return err(
            at + split,
            format!("unknown duration unit `{unit}`: use ms, s or m"),
        );
    }
    match crate::config::parse_duration(value) {
        Some(d) if d <= MAX_TIMEOUT => Ok(d),
        _ => err(
            at,
            format!("timeout `{value}` is longer than the maximum, {MAX_TIMEOUT_TEXT}"),
        ),
    }
}

/// A terminal's width or height, within `range`.
fn parse_size(
    key: &str,
    value: &str,
    at: usize,
    range: std::ops::RangeInclusive<u16>,
) -> Result<u16, InfoError> {
    match value.parse::<u16>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => err(
            at,
            format!(
                "expected `{key}` between {} and {}, got `{value}`",
                range.start(),
                range.end()
            ),
        ),
    }
}

fn parse_status(value: &str, at: usize) -> Result<i32, InfoError> {
    match value.parse::<i32>() {
        Ok(n) if (0..=255).contains(&n) => Ok(n),
        _ => err(at, format!("expected an exit status 0–255, got `{value}`")),
    }
}

/// Walks `key`, `key=bare`, `key="quoted \" value"` separated by whitespace.
struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    base: usize,
}

type Pair<'a> = (&'a str, usize, Option<(String, usize)>);

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn next_pair(&mut self) -> Result<Option<Pair<'a>>, InfoError> {
        self.pos += self.rest().len() - self.rest().trim_start().len();
        if self.rest().is_empty() {
            return Ok(None);
        }
        let key_at = self.base + self.pos;
        let key_len = self
            .rest()
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(self.rest().len());
        if key_len == 0 {
            let c = self.rest().chars().next().unwrap_or(' ');
            return err(key_at, format!("expected an attribute name, found `{c}`"));
        }
        let key = &self.rest()[..key_len];
        self.pos += key_len;
        if !self.rest().starts_with('=') {
            if self.rest().starts_with(|c: char| !c.is_whitespace()) {
                return err(
                    self.base + self.pos,
                    "expected `=`, a space or the closing `}`",
                );
            }
            return Ok(Some((key, key_at, None)));
        }
        self.pos += 1;
        let value_at = self.base + self.pos;
        let value = if self.rest().starts_with('"') {
            self.quoted()?
        } else {
            self.bare()
        };
        Ok(Some((key, key_at, Some((value, value_at)))))
    }

    fn bare(&mut self) -> String {
        let len = self
            .rest()
            .find(char::is_whitespace)
            .unwrap_or(self.rest().len());
        let value = self.rest()[..len].to_string();
        self.pos += len;
        value
    }

    fn quoted(&mut self) -> Result<String, InfoError> {
        let start = self.base + self.pos;
        self.pos += 1;
        let mut value = String::new();
        let mut chars = self.rest().char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(value);
                }
                '\\' => match chars.next() {
                    Some((_, e @ ('"' | '\\'))) => value.push(e),
                    _ => {
                        let at = self.base + self.pos + i;
                        return err(at, "only `\\\"` and `\\\\` escapes are allowed in quotes");
                    }
                },
                c => value.push(c),
            }
        }
        err(start, "unterminated quoted value: missing closing `\"`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_language_and_every_key() {
        let info = r#"console {name=push-it timeout=500ms status=3 ignore="a \"b\" \\ c" isolated hidden file=~/.netrc answer=me answer="$TOKEN"}"#;
        let (lang, a, text) = parse_info(info).unwrap();
        assert_eq!(lang, "console");
        assert!(text.starts_with("{name"));
        assert_eq!(a.name.as_deref(), Some("push-it"));
        assert_eq!(a.timeout, Some(Duration::from_millis(500)));
        assert_eq!(a.status, Some(3));
        assert_eq!(a.ignore.as_deref(), Some(r#"a "b" \ c"#));
        assert!(a.isolated && a.hidden);
        assert_eq!(a.file.as_deref(), Some("~/.netrc"));
        assert_eq!(a.answers, vec!["me".to_string(), "$TOKEN".to_string()]);
    }

    #[test]
    fn language_alone_and_braces_without_space() {
        assert_eq!(parse_info("bash").unwrap().0, "bash");
        assert!(parse_info("  sh{hidden}").unwrap().1.hidden);
        assert_eq!(parse_info("").unwrap().0, "");
    }

    #[test]
    fn errors_point_at_the_offending_byte() {
        let e = parse_info("console {name=x colour=red}").unwrap_err();
        assert_eq!(e.offset, 16);
        assert!(
            e.message.contains("unknown attribute `colour`"),
            "{}",
            e.message
        );
        assert!(e.message.contains("name, timeout, status"), "{}", e.message);
        assert_eq!(parse_info("sh {timeout=3h}").unwrap_err().offset, 13);
        assert_eq!(parse_info("sh {name=a name=b}").unwrap_err().offset, 11);
        assert!(
            parse_info("sh name=x")
                .unwrap_err()
                .message
                .contains("braces")
        );
        assert!(
            parse_info(r#"sh {ignore="open}"#)
                .unwrap_err()
                .message
                .contains("unterminated")
        );
        assert!(
            parse_info("sh {isolated=yes}")
                .unwrap_err()
                .message
                .contains("flag")
        );
        assert!(
            parse_info("sh {status=300}")
                .unwrap_err()
                .message
                .contains("0–255")
        );
        assert!(
            parse_info("sh {name=a/b}")
                .unwrap_err()
                .message
                .contains("letters")
        );
        assert!(
            parse_info("sh {timeout}")
                .unwrap_err()
                .message
                .contains("needs a value")
        );
    }

    #[test]
    fn other_generators_info_strings_are_read_for_their_language() {
        for (info, lang) in [
            ("rust,editable", "rust"),
            ("rust,ignore", "rust"),
            ("rust,no_run,edition2021", "rust"),
            ("scss, linenos, hl_lines=1 3", "scss"),
            (
                "go {linenos=table,hl_lines=[8,\"15-17\"],linenostart=199}",
                "go",
            ),
            ("toml {copy=true}", "toml"),
        ] {
            let (got, attrs, _) = parse_info(info).unwrap_or_else(|e| panic!("{info}: {e:?}"));
            assert_eq!((got.as_str(), attrs), (lang, Attrs::default()), "{info}");
        }
        // Our own attributes still apply after the comma form and beside a foreign key.
        let a = parse_info("console,editable {name=x}").unwrap();
        assert_eq!((a.0.as_str(), a.1.name.as_deref()), ("console", Some("x")));
        let a = parse_info("sh {name=y linenos=true}").unwrap().1;
        assert_eq!(a.name.as_deref(), Some("y"));
        // A key of neither list is still an error.
        assert!(parse_info("sh {colour=red}").is_err());
    }

    #[test]
    fn terminal_flag_and_size() {
        let a = parse_info("console {tty cols=100 rows=30}").unwrap().1;
        assert!(a.tty);
        assert_eq!((a.cols, a.rows), (Some(100), Some(30)));
        let a = parse_info("console {tty}").unwrap().1;
        assert_eq!((a.tty, a.cols, a.rows), (true, None, None));
        let e = parse_info("console {cols=100}").unwrap_err();
        assert!(e.message.contains("add `tty`"), "{}", e.message);
        let e = parse_info("console {tty cols=5}").unwrap_err();
        assert!(e.message.contains("between 20 and 500"), "{}", e.message);
        assert_eq!(e.offset, 18);
        assert!(
            parse_info("console {tty=yes}")
                .unwrap_err()
                .message
                .contains("flag")
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2m", 0), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("30s", 0), Ok(Duration::from_secs(30)));
        assert!(parse_duration("0s", 0).is_err());
        assert!(parse_duration("s", 0).is_err());
        assert_eq!(parse_duration("60m", 0), Ok(MAX_TIMEOUT));
        assert_eq!(parse_duration("3600000ms", 0), Ok(MAX_TIMEOUT));
    }

    #[test]
    fn durations_past_the_maximum_are_errors_not_overflows() {
        // The first panicked building the deadline; the second wrapped to 44 s in release.
        for huge in [
            "18446744073709551615s",
            "307445734561825861m",
            "99999999999999999999999ms",
            "61m",
            "3601s",
        ] {
            let e = parse_info(&format!("sh {{timeout={huge}}}")).unwrap_err();
            assert_eq!(e.offset, 12, "{huge}");
            assert!(
                e.message.contains("maximum, 60m (3600s)"),
                "{huge}: {}",
                e.message
            );
        }
    }
}

//! Front matter: split the block at the top of a page (TOML between `+++`, as Zola and Hugo
//! write it, or YAML between `---`, as Hugo and Jekyll do; also after a BOM and blank lines)
//! and parse it, with errors located in the page's file (`content/x.md:LINE:COL: …`).
//!
//! helpsite's keys are typed; Zola's and Hugo's common keys are honoured where they mean
//! something here (`date`/`updated`/`lastmod`, `slug`, `aliases`, `draft`, `weight`,
//! `template`); every other key is kept under `extra` for templates. A key that is one typo
//! away from one of helpsite's is an error with a suggestion, not a silent `extra`.
//! Also the title fallback for pages without a `title` (the first `# heading`, else the file name).

mod extra;

use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::config::TomlError;
use crate::remote::{AsOf, Profile};
use extra::extra_of;

/// A page's settings, from either front matter format.
#[derive(Debug, Clone, Default, PartialEq, Hash)]
pub struct FrontMatter {
    /// The page's title (nav, `<title>`, search). Default: the first `# heading`, else the
    /// file name.
    pub title: String,
    /// One sentence for `<meta name="description">`.
    pub description: Option<String>,
    /// Order within the section; lower first. Ties break on the file path. A section's
    /// `_index.md` weight orders the section among its siblings.
    pub weight: i64,
    /// Drafts are not rendered and their snippets are not run.
    pub draft: bool,
    /// `[snippets]`: settings for the page's snippet chain (mock remote profile and date).
    pub snippets: PageSettings,
    /// "Last updated" shown on the page: `updated` (Zola) or `lastmod` (Hugo), else `date`;
    /// the date part as written (`2024-05-01`).
    pub updated: Option<String>,
    /// The output file's name instead of the Markdown file's (`slug = "fix"` → `fix.html`).
    pub slug: Option<String>,
    /// Other URLs of the page (site paths, `/old/page/`), each written as a redirect page.
    pub aliases: Vec<String>,
    /// The template the page is rendered with instead of `page.html` (a file in templates/).
    pub template: Option<String>,
    /// Every other key (and the keys of an `[extra]` table), for templates as `page.extra`.
    pub extra: Extra,
}

/// The keys front matter has beyond the typed ones: any JSON-like values, as templates read
/// them. Hashable (the render cache hashes whole pages), unlike `serde_json::Value` itself.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
#[serde(transparent)]
pub struct Extra(pub Map<String, Value>);

impl std::ops::Deref for Extra {
    type Target = Map<String, Value>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::hash::Hash for Extra {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        fn value<H: std::hash::Hasher>(v: &Value, state: &mut H) {
            std::mem::discriminant(v).hash(state);
            match v {
                Value::Null => {}
                Value::Bool(b) => b.hash(state),
                // A number's text is its identity (floats have no Hash).
                Value::Number(n) => n.to_string().hash(state),
                Value::String(s) => s.hash(state),
                Value::Array(items) => {
                    items.len().hash(state);
                    items.iter().for_each(|i| value(i, state));
                }
                Value::Object(map) => object(map, state),
            }
        }
        fn object<H: std::hash::Hasher>(map: &Map<String, Value>, state: &mut H) {
            map.len().hash(state);
            for (k, v) in map {
                k.hash(state);
                value(v, state);
            }
        }
        object(&self.0, state);
    }
}

/// The `[snippets]` table of a page's front matter: settings for the page's chain, checked when
/// the page is loaded (a bad value is an error at its `file:line:column` for every command).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PageSettings {
    /// The mock remote's host profile for this page (`bitbucket`, `github`, `gitlab`).
    pub profile: Option<Profile>,
    /// The mock remote's date for this page (`2026-05-01`), deciding which credentials still work.
    pub as_of: Option<AsOf>,
}

/// The keys read into [`FrontMatter`]'s typed fields; unknown keys are ignored here and
/// collected into `extra` by [`extra_of`].
#[derive(Deserialize, Default)]
#[serde(default)]
struct Known {
    title: Option<String>,
    description: Option<String>,
    weight: Option<i64>,
    draft: bool,
    snippets: PageSettings,
    date: Option<DateValue>,
    updated: Option<DateValue>,
    lastmod: Option<DateValue>,
    slug: Option<String>,
    aliases: Vec<String>,
    template: Option<String>,
}

/// A date as TOML writes it (a datetime value) or as a string (YAML, quoted TOML).
#[derive(Deserialize)]
#[serde(untagged)]
enum DateValue {
    Toml(toml::value::Datetime),
    Text(String),
}

impl DateValue {
    /// The date part: `2024-05-01T10:00:00Z` → `2024-05-01`.
    fn day(&self) -> String {
        let text = match self {
            DateValue::Toml(datetime) => datetime.to_string(),
            DateValue::Text(text) => text.trim().to_string(),
        };
        text.split(['T', ' ']).next().unwrap_or("").to_string()
    }
}

/// Which language the front matter is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// TOML between `+++` lines.
    #[default]
    Toml,
    /// YAML between `---` lines.
    Yaml,
}

/// A page split into its parts: (front matter text, its first line, body, body's first line).
#[derive(Debug, Default)]
pub struct Split<'a> {
    /// The front matter's language.
    pub format: Format,
    /// The front matter between its fences (empty when there is none).
    pub front: &'a str,
    /// 1-based line of the file where the front matter text starts.
    pub front_line: usize,
    /// The Markdown after the front matter.
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// Splits `+++\n…\n+++\n` (TOML) or `---\n…\n---\n` (YAML, also closed by `...`) off the top
/// of `text`, after a BOM and blank lines. A page without front matter is all body. An opening
/// line without a closing one is an error naming the file.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, TomlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut offset = 0;
    let mut line_no = 1;
    let mut lines = text.split_inclusive('\n');
    let opening = loop {
        let Some(line) = lines.next() else {
            return Ok(all_body(text));
        };
        if !line.trim().is_empty() {
            break line;
        }
        offset += line.len();
        line_no += 1;
    };
    let (format, close): (Format, &[&str]) = match opening.trim_end() {
        "+++" => (Format::Toml, &["+++"]),
        "---" => (Format::Yaml, &["---", "..."]),
        _ => return Ok(all_body(text)),
    };
    let open_line = line_no;
    let start = offset + opening.len();
    let mut at = start;
    for line in lines {
        line_no += 1;
        if close.contains(&line.trim_end()) {
            return Ok(Split {
                format,
                front: &text[start..at],
                front_line: open_line + 1,
                body: &text[at + line.len()..],
                body_line: line_no + 1,
            });
        }
        at += line.len();
    }
    let (fence, language) = match format {
        Format::Toml => ("+++", "TOML"),
        Format::Yaml => ("---", "YAML"),
    };
    Err(TomlError {
        file: file.to_path_buf(),
        line: open_line,
        column: 1,
        message: format!(
            "front matter opened with `{fence}` is never closed: expected a line `{fence}` \
             after the {language} keys"
        ),
    })
}

fn all_body(text: &str) -> Split<'_> {
    Split {
        front_line: 1,
        body: text,
        body_line: 1,
        ..Split::default()
    }
}

/// Parses the front matter text, with errors located in `file`.
pub fn parse(split: &Split<'_>, file: &Path) -> Result<FrontMatter, TomlError> {
    let (known, all) = match split.format {
        Format::Toml => parse_toml(split, file)?,
        Format::Yaml => parse_yaml(split, file)?,
    };
    let extra = Extra(extra_of(all, split, file)?);
    let updated = known.updated.or(known.lastmod).or(known.date);
    Ok(FrontMatter {
        title: known.title.unwrap_or_default(),
        description: known.description,
        weight: known.weight.unwrap_or(0),
        draft: known.draft,
        snippets: known.snippets,
        updated: updated.map(|d| d.day()).filter(|d| !d.is_empty()),
        slug: known.slug,
        aliases: known.aliases,
        template: known.template,
        extra,
    })
}

fn parse_toml(split: &Split<'_>, file: &Path) -> Result<(Known, Map<String, Value>), TomlError> {
    let located = |err: toml::de::Error| TomlError::new(file, split.front, split.front_line, &err);
    let known: Known = toml::from_str(split.front).map_err(located)?;
    let table: toml::Table = toml::from_str(split.front).map_err(located)?;
    let all = match json_of(toml::Value::Table(table)) {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    Ok((known, all))
}

fn parse_yaml(split: &Split<'_>, file: &Path) -> Result<(Known, Map<String, Value>), TomlError> {
    if split.front.trim().is_empty() {
        return Ok((Known::default(), Map::new()));
    }
    let located = |err: serde_saphyr::Error| yaml_error(file, split.front_line, &err);
    let known: Known = serde_saphyr::from_str(split.front).map_err(located)?;
    let all = match serde_saphyr::from_str::<Value>(split.front).map_err(located)? {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        _ => {
            return Err(TomlError {
                file: file.to_path_buf(),
                line: split.front_line,
                column: 1,
                message: "YAML front matter must be `key: value` lines".into(),
            });
        }
    };
    Ok((known, all))
}

/// A YAML error located in the page: the parser's line is relative to the front matter.
fn yaml_error(file: &Path, first_line: usize, err: &serde_saphyr::Error) -> TomlError {
    let (line, column) = err.location().map_or((1, 1), |l| {
        (l.line().max(1) as usize, l.column().max(1) as usize)
    });
    let message = err.to_string();
    let message = message.lines().next().unwrap_or("").trim();
    let message = match message.split_once(" at line ") {
        Some((before, _)) => before,
        None => message,
    };
    TomlError {
        file: file.to_path_buf(),
        line: first_line + line - 1,
        column,
        message: format!("YAML front matter: {message}"),
    }
}

/// TOML value → JSON value for templates (datetimes as their text).
fn json_of(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(json_of).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(key, value)| (key, json_of(value)))
                .collect(),
        ),
    }
}

/// The title of a page without one: the first `# heading` outside code, else the file stem
/// (`fix-push.md` → `fix-push`; `_index.md` → its folder's name).
pub(crate) fn fallback_title(body: &str, rel: &str) -> String {
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else if let Some(title) = trimmed.strip_prefix("# ") {
            let title = title.trim().trim_end_matches('#').trim();
            if !title.is_empty() {
                return title.to_string();
            }
        }
    }
    let stem = rel.trim_end_matches(".md");
    let stem = stem
        .strip_suffix("/_index")
        .or(stem.strip_suffix("/README"))
        .unwrap_or(stem);
    match stem.rsplit('/').next() {
        Some("_index") | Some("README") | Some("") | None => "Home".to_string(),
        Some(name) => name.to_string(),
    }
}

#[cfg(test)]
mod tests;

//! `helpsite.toml`: the site's configuration as serde structs. Unknown keys and wrong types are
//! errors naming the file, line, column and key. A site without the file gets the defaults.
//! Also home of [`TomlError`], the located TOML error the front-matter loader shares.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

/// The whole of `helpsite.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The site's title, shown in the header and in every page's `<title>`.
    pub title: String,
    /// The public URL the site will live at (`https://help.example.com/`). Only sitemap.xml
    /// needs it; every link in the site itself is relative. No sitemap without it.
    pub base_url: Option<String>,
    /// The "edit this page" link: `{path}` is replaced by the page's path under the site root
    /// (`content/guide/fix.md`), e.g. `"https://example.com/edit/main/{path}"`. No link without it.
    pub edit_url: Option<String>,
    /// The site's language, for `<html lang>`.
    pub language: String,
    /// Look and feel.
    pub theme: ThemeConfig,
    /// `[snippets]`: how the snippet tests run (sandbox) and the site-wide snippet policy
    /// (languages shown but not run, bare fences, runners, the default timeout).
    pub snippets: SnippetPolicy,
    /// `[search]`: how the search index is laid out.
    pub search: SearchConfig,
    /// The mock remote's scenario (accounts, credentials, repositories) for the snippet tests.
    /// Owned by the mock remote (`Scenario`); kept as raw TOML here until that module parses it.
    pub remote: Option<toml::Table>,
}

/// `[search]` in `helpsite.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// One index script, or an entry script with parts loaded per query (README "Search").
    pub split: SearchSplit,
}

/// `[search] split`: `auto` splits the index when the single script would be large.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchSplit {
    /// Split when the one script would be over 200,000 bytes.
    #[default]
    Auto,
    /// Always an entry script and parts.
    Always,
    /// Always one script.
    Never,
}

/// `[snippets]` in `helpsite.toml` (the sandbox switch and the snippet policy).
pub type SnippetsConfig = SnippetPolicy;

/// `[theme]` in `helpsite.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeConfig {
    /// The colour scheme before the reader picks one: `auto` (follow the OS), `light` or `dark`.
    pub default: ColorScheme,
}

/// `[snippets]` in `helpsite.toml`:
/// ```toml
/// [snippets]
/// display_only = ["rust", "toml", "json"]  # shown and highlighted, never run: "example, not run"
/// bare_fences = "text"                     # a fence without a language: "error" (default) or "text"
/// timeout = "60s"                          # per snippet, unless its fence says `timeout=`
/// [snippets.run]
/// js = "node"                              # `js` blocks run with node (checked before tests)
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SnippetPolicy {
    /// Run each chain in fresh Linux namespaces (bubblewrap); `false` = `--no-sandbox`.
    pub sandbox: bool,
    /// Languages whose blocks are shown (highlighted) and never run.
    pub display_only: Vec<String>,
    /// What a fence without a language is.
    pub bare_fences: BareFences,
    /// Language → interpreter: such blocks are saved to a file and run with it, like `python`.
    pub run: std::collections::BTreeMap<String, String>,
    /// The default per-snippet timeout (`500ms`, `30s`, `2m`); 30 s without it.
    #[serde(deserialize_with = "duration")]
    pub timeout: Option<std::time::Duration>,
}

impl Default for SnippetPolicy {
    fn default() -> Self {
        SnippetPolicy {
            sandbox: true,
            display_only: Vec::new(),
            bare_fences: BareFences::Error,
            run: std::collections::BTreeMap::new(),
            timeout: None,
        }
    }
}

/// `bare_fences`: a fence without a language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BareFences {
    /// An error naming file:line (every block says what it is).
    #[default]
    Error,
    /// Plain text, as other generators treat it.
    Text,
}

/// The longest timeout a snippet may have, from its fence (`timeout=`) or from `[snippets]`:
/// one hour. Longer is a typo more often than a plan, and it keeps deadline arithmetic finite.
pub(crate) const MAX_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3600);

/// [`MAX_TIMEOUT`] as the error messages state it.
pub(crate) const MAX_TIMEOUT_TEXT: &str = "60m (3600s)";

fn duration<'de, D: serde::Deserializer<'de>>(
    de: D,
) -> Result<Option<std::time::Duration>, D::Error> {
    let text = String::deserialize(de)?;
    match parse_duration(&text) {
        // Zero would time every snippet out at once; the fence form refuses it too.
        Some(d) if d.is_zero() => Err(serde::de::Error::custom(format!(
            "`{text}` is no time at all: a timeout must be more than zero"
        ))),
        Some(d) if d <= MAX_TIMEOUT => Ok(Some(d)),
        Some(_) => Err(serde::de::Error::custom(format!(
            "`{text}` is longer than the maximum timeout, {MAX_TIMEOUT_TEXT}"
        ))),
        None => Err(serde::de::Error::custom(format!(
            "`{text}` is not a duration: expected e.g. \"500ms\", \"30s\" or \"2m\""
        ))),
    }
}

/// `500ms`, `30s`, `2m` → a duration; `None` for anything else. A number too large to count
/// in milliseconds saturates to [`std::time::Duration::MAX`] (the caller compares with
/// [`MAX_TIMEOUT`]), so nothing here overflows or wraps.
pub(crate) fn parse_duration(text: &str) -> Option<std::time::Duration> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit())?);
    if number.is_empty() {
        return None;
    }
    let n: u64 = number.parse().unwrap_or(u64::MAX);
    let ms = match unit {
        "ms" => Some(n),
        "s" => n.checked_mul(1000),
        "m" => n.checked_mul(60_000),
        _ => return None,
    };
    Some(ms.map_or(std::time::Duration::MAX, std::time::Duration::from_millis))
}

impl SnippetPolicy {
    /// Each `[snippets.run]` interpreter must be a program on PATH (or a path that exists);
    /// checked before any snippet runs. The error names `helpsite.toml`'s line.
    pub(crate) fn check_runners(&self, config_text: &str) -> Result<(), TomlError> {
        for (lang, program) in &self.run {
            if find_program(program) {
                continue;
            }
            let line = config_text
                .lines()
                .position(|l| {
                    let l = l.trim_start();
                    l.starts_with(lang.as_str()) && l.contains(program.as_str())
                })
                .map_or(1, |i| i + 1);
            return Err(TomlError {
                file: "helpsite.toml".into(),
                line,
                column: 1,
                message: format!(
                    "[snippets.run] `{lang}` runs with `{program}`, which is not on PATH: \
                     install it or fix the name"
                ),
            });
        }
        Ok(())
    }
}

/// Whether `program` (a name looked up on PATH, or a path) can be run.
fn find_program(program: &str) -> bool {
    let program = program.split_whitespace().next().unwrap_or("");
    if program.contains('/') {
        return Path::new(program).is_file();
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// A colour scheme choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorScheme {
    /// Follows the reader's OS setting.
    #[default]
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            title: "Help".into(),
            base_url: None,
            edit_url: None,
            language: "en".into(),
            theme: ThemeConfig::default(),
            snippets: SnippetPolicy::default(),
            search: SearchConfig::default(),
            remote: None,
        }
    }
}

impl Config {
    /// Reads `ROOT/helpsite.toml`, or returns the defaults when there is none.
    pub(crate) fn load(root: &Path) -> anyhow::Result<Config> {
        let path = root.join("helpsite.toml");
        if !path.exists() {
            return Ok(Config::default());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        Ok(Config::parse(&text, Path::new("helpsite.toml"))?)
    }

    /// Parses the text of a config file; `file` is only used in error messages.
    pub fn parse(text: &str, file: &Path) -> Result<Config, TomlError> {
        let config: Config =
            toml::from_str(text).map_err(|err| TomlError::new(file, text, 1, &err))?;
        if let Some(lang) = config
            .snippets
            .display_only
            .iter()
            .find(|l| config.snippets.run.contains_key(*l))
        {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("display_only"));
            return Err(TomlError {
                file: file.to_path_buf(),
                line: line.map_or(1, |i| i + 1),
                column: 1,
                message: format!(
                    "[snippets] `{lang}` is both display_only and in [snippets.run]: it is \
                     either shown only or run"
                ),
            });
        }
        Ok(config)
    }

    /// The "edit this page" URL for a page at `source` (`content/guide/fix.md`).
    pub(crate) fn edit_link(&self, source: &str) -> Option<String> {
        self.edit_url
            .as_ref()
            .map(|pattern| pattern.replace("{path}", source))
    }
}

/// A TOML error located in its file: `file:line:column: key `k`: message`.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}:{line}:{column}: {message}", file.display())]
pub struct TomlError {
    /// The file the error is in.
    pub file: PathBuf,
    /// 1-based line in `file`.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What went wrong, with the key when known and the expected form.
    pub message: String,
}

impl TomlError {
    /// Locates `err` from parsing `text`, whose first line is line `first_line` of `file`.
    pub(crate) fn new(
        file: &Path,
        text: &str,
        first_line: usize,
        err: &toml::de::Error,
    ) -> TomlError {
        let offset = err.span().map_or(0, |span| span.start).min(text.len());
        let before = text.get(..offset).unwrap_or("");
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count();
        let column = before[line_start..].chars().count() + 1;
        let line_text = text[line_start..].lines().next().unwrap_or("");
        let message = with_suggestion(err.message().trim());
        let message = match key_of(line_text) {
            Some(key) if !message.contains(&format!("`{key}`")) => {
                format!("key `{key}`: {message}")
            }
            _ => message,
        };
        TomlError {
            file: file.to_path_buf(),
            line: first_line + line,
            column,
            message,
        }
    }
}

/// The known key nearest to `key` (one or two edits away), if any.
pub(crate) fn suggest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let limit = if key.chars().count() <= 4 { 1 } else { 2 };
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(key, k), *k))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, k)| k)
}

/// serde's "unknown field `titel`, expected one of `title`, …" with "did you mean `title`?".
fn with_suggestion(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let Some((key, expected)) = rest.split_once('`') else {
        return message.to_string();
    };
    let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match suggest(key, &known) {
        Some(near) => format!("{message}: did you mean `{near}`?"),
        None => message.to_string(),
    }
}

/// The key a TOML line assigns (`weight = "x"` → `weight`), if it is an assignment.
fn key_of(line: &str) -> Option<&str> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    let plain = !key.is_empty() && !key.starts_with('[') && !key.starts_with('#');
    plain.then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_keys() {
        let config = Config::parse("", Path::new("helpsite.toml")).unwrap();
        assert_eq!(config.title, "Help");
        assert_eq!(config.theme.default, ColorScheme::Auto);
    }

    #[test]
    fn full_config() {
        let text = "title = \"T\"\nbase_url = \"https://h.example/\"\n\
                    edit_url = \"https://example.com/edit/main/{path}\"\n\
                    [theme]\ndefault = \"dark\"\n[remote]\nprofile = \"github\"\n";
        let config = Config::parse(text, Path::new("helpsite.toml")).unwrap();
        assert_eq!(config.theme.default, ColorScheme::Dark);
        assert_eq!(
            config.edit_link("content/a.md").as_deref(),
            Some("https://example.com/edit/main/content/a.md")
        );
        assert!(config.remote.unwrap().contains_key("profile"));
    }

    #[test]
    fn search_split() {
        let parse = |text: &str| Config::parse(text, Path::new("helpsite.toml"));
        assert_eq!(parse("").unwrap().search.split, SearchSplit::Auto);
        let config = parse("[search]\nsplit = \"always\"\n").unwrap();
        assert_eq!(config.search.split, SearchSplit::Always);
        assert_eq!(
            parse("[search]\nsplit = \"never\"\n").unwrap().search.split,
            SearchSplit::Never
        );
        let err = parse("[search]\nsplit = \"sometimes\"\n").unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        assert!(err.message.contains("always"), "{err}");
    }

    #[test]
    fn unknown_key_is_located() {
        let err = Config::parse(
            "title = \"T\"\n\ntitel = \"x\"\n",
            Path::new("helpsite.toml"),
        )
        .unwrap_err();
        assert_eq!((err.line, err.column), (3, 1), "{err}");
        assert!(err.to_string().starts_with("helpsite.toml:3:1: "), "{err}");
        assert!(err.message.contains("titel"), "{err}");
        assert!(err.message.contains("did you mean `title`?"), "{err}");
        let err = Config::parse("[theme]\ndefualt = \"dark\"\n", Path::new("h.toml")).unwrap_err();
        assert!(err.message.contains("did you mean `default`?"), "{err}");
        let err = Config::parse("zzz = 1\n", Path::new("h.toml")).unwrap_err();
        assert!(!err.message.contains("did you mean"), "{err}");
    }

    #[test]
    fn snippet_policy() {
        let text = "[snippets]\ndisplay_only = [\"rust\", \"toml\"]\nbare_fences = \"text\"\n\
                    timeout = \"2m\"\n[snippets.run]\njs = \"sh\"\n";
        let config = Config::parse(text, Path::new("helpsite.toml")).unwrap();
        let policy = &config.snippets;
        assert_eq!(policy.display_only, ["rust", "toml"]);
        assert_eq!(policy.bare_fences, BareFences::Text);
        assert_eq!(policy.timeout, Some(std::time::Duration::from_secs(120)));
        assert!(policy.check_runners(text).is_ok(), "sh is on PATH");
        let missing = "[snippets.run]\njs = \"no-such-interpreter-x\"\n";
        let config = Config::parse(missing, Path::new("helpsite.toml")).unwrap();
        let err = config.snippets.check_runners(missing).unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        let err =
            Config::parse("[snippets]\nbare_fences = \"txt\"\n", Path::new("h.toml")).unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        let err =
            Config::parse("[snippets]\ntimeout = \"soon\"\n", Path::new("h.toml")).unwrap_err();
        assert!(err.message.contains("not a duration"), "{err}");
        for huge in [
            "61m",
            "307445734561825861m",
            "18446744073709551615s",
            "99999999999999999999s",
        ] {
            let text = format!("[snippets]\ntimeout = \"{huge}\"\n");
            let err = Config::parse(&text, Path::new("h.toml")).unwrap_err();
            assert_eq!(err.line, 2, "{err}");
            assert!(
                err.message.contains("maximum timeout, 60m"),
                "{huge}: {err}"
            );
        }
        let zero =
            Config::parse("[snippets]\ntimeout = \"0s\"\n", Path::new("h.toml")).unwrap_err();
        assert!(zero.message.contains("more than zero"), "{}", zero.message);
        assert_eq!(zero.line, 2);
        let ok = Config::parse("[snippets]\ntimeout = \"60m\"\n", Path::new("h.toml")).unwrap();
        assert_eq!(ok.snippets.timeout, Some(MAX_TIMEOUT));
        let err =
            Config::parse("[snippets]\ndisplay_onyl = []\n", Path::new("h.toml")).unwrap_err();
        assert!(
            err.message.contains("did you mean `display_only`?"),
            "{err}"
        );
        let both = "[snippets]\ndisplay_only = [\"js\"]\n[snippets.run]\njs = \"node\"\n";
        assert!(Config::parse(both, Path::new("h.toml")).is_err());
    }

    #[test]
    fn wrong_type_names_key_and_expected_form() {
        let err = Config::parse("[theme]\ndefault = 3\n", Path::new("h.toml")).unwrap_err();
        assert_eq!((err.line, err.column), (2, 11), "{err}");
        assert!(err.message.contains("key `default`"), "{err}");
    }
}

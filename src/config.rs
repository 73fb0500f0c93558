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
    /// The mock remote's scenario (accounts, credentials, repositories) for the snippet tests.
    /// Owned by `crate::remote`; kept as raw TOML here until that module parses it.
    pub remote: Option<toml::Table>,
    /// How the snippet tests run.
    pub snippets: SnippetsConfig,
}

/// `[snippets]` in `helpsite.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SnippetsConfig {
    /// Run each chain in fresh Linux namespaces (bubblewrap); `false` = `--no-sandbox`.
    pub sandbox: bool,
}

impl Default for SnippetsConfig {
    fn default() -> Self {
        SnippetsConfig { sandbox: true }
    }
}

/// `[theme]` in `helpsite.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeConfig {
    /// The colour scheme before the reader picks one: `auto` (follow the OS), `light` or `dark`.
    pub default: ColorScheme,
}

/// A colour scheme choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorScheme {
    #[default]
    Auto,
    Light,
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
            remote: None,
            snippets: SnippetsConfig::default(),
        }
    }
}

impl Config {
    /// Reads `ROOT/helpsite.toml`, or returns the defaults when there is none.
    pub fn load(root: &Path) -> anyhow::Result<Config> {
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
        toml::from_str(text).map_err(|err| TomlError::new(file, text, 1, &err))
    }

    /// The "edit this page" URL for a page at `source` (`content/guide/fix.md`).
    pub fn edit_link(&self, source: &str) -> Option<String> {
        self.edit_url
            .as_ref()
            .map(|pattern| pattern.replace("{path}", source))
    }
}

/// A TOML error located in its file: `file:line:column: key `k`: message`.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}:{line}:{column}: {message}", file.display())]
pub struct TomlError {
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
    pub fn new(file: &Path, text: &str, first_line: usize, err: &toml::de::Error) -> TomlError {
        let offset = err.span().map_or(0, |span| span.start).min(text.len());
        let before = text.get(..offset).unwrap_or("");
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = before.matches('\n').count();
        let column = before[line_start..].chars().count() + 1;
        let line_text = text[line_start..].lines().next().unwrap_or("");
        let message = err.message().trim().to_string();
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
    fn unknown_key_is_located() {
        let err = Config::parse(
            "title = \"T\"\n\ntitel = \"x\"\n",
            Path::new("helpsite.toml"),
        )
        .unwrap_err();
        assert_eq!((err.line, err.column), (3, 1), "{err}");
        assert!(err.to_string().starts_with("helpsite.toml:3:1: "), "{err}");
        assert!(err.message.contains("titel"), "{err}");
    }

    #[test]
    fn wrong_type_names_key_and_expected_form() {
        let err = Config::parse("[theme]\ndefault = 3\n", Path::new("h.toml")).unwrap_err();
        assert_eq!((err.line, err.column), (2, 11), "{err}");
        assert!(err.message.contains("key `default`"), "{err}");
    }
}

//! `helpsite.toml`: the site's configuration as serde structs. Unknown keys and wrong types are
//! errors naming the file, line and key. A site without the file gets the defaults.

use std::path::Path;

use anyhow::Context as _;
use serde::Deserialize;

/// The whole of `helpsite.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The site's title, shown in the header and in every page's `<title>`.
    pub title: String,
    /// The public URL the site will live at (`https://help.example.com/`). Only sitemap.xml
    /// needs it; every link in the site itself is relative.
    pub base_url: Option<String>,
    /// The mock remote's scenario (accounts, credentials, repositories) for the snippet tests.
    /// Owned by `crate::remote`; kept as raw TOML here until that module parses it.
    pub remote: Option<toml::Table>,
}

impl Config {
    /// Reads `ROOT/helpsite.toml`, or returns the defaults when there is none.
    pub fn load(root: &Path) -> anyhow::Result<Config> {
        let path = root.join("helpsite.toml");
        if !path.exists() {
            return Ok(Config {
                title: "Help".into(),
                ..Config::default()
            });
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("{}", path.display()))
    }
}

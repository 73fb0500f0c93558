//! `helpsite init [DIR]`: a new site that builds and whose `helpsite test` passes at once: a
//! `helpsite.toml`, a start page with one console snippet, and a `.gitignore` for the build
//! output and the test report. No templates: the default theme is in the binary. It refuses a
//! folder that already holds anything, so it never overwrites a file.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::Outcome;
use crate::output::verify::DEFAULT_REPORT;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The folder to make the site in (created when missing; must be empty).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

const CONFIG: &str = r#"# helpsite's settings; every key is optional (see the README's "Configuration").
title = "My help site"
language = "en"

[theme]
default = "auto"   # auto (follow the OS) | light | dark
"#;

const START_PAGE: &str = r#"+++
title = "My help site"
+++

# My help site

Every code block on this site is a test. This one runs with `helpsite test`;
`helpsite build --verify` runs it too and marks it verified on the page:

```console
$ echo "Hello from helpsite"
Hello from helpsite
```

Add pages as Markdown files under `content/`; a folder is a section and its `_index.md` is
the section's own page.
"#;

/// The files a new site starts with, relative to its folder.
fn files() -> [(&'static str, String); 3] {
    [
        ("helpsite.toml", CONFIG.to_string()),
        ("content/_index.md", START_PAGE.to_string()),
        (".gitignore", format!("/public/\n/{DEFAULT_REPORT}\n")),
    ]
}

pub(super) fn execute(args: Args) -> anyhow::Result<Outcome> {
    let dir = &args.dir;
    refuse_if_not_empty(dir)?;
    for (rel, text) in files() {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    let shown = dir.display();
    println!("created a helpsite site in {shown}: helpsite.toml, content/_index.md, .gitignore");
    println!("next: helpsite test --root {shown}            (runs the start page's snippet)");
    println!("      helpsite build --verify --root {shown}  (runs it, then builds public/)");
    println!("      helpsite serve --root {shown}           (serves it on 127.0.0.1:3000)");
    Ok(Outcome::Success)
}

/// An error naming the folder and what is in it, unless it is missing or empty.
fn refuse_if_not_empty(dir: &Path) -> anyhow::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        bail!(
            "{} is a file, not a folder: give a new or empty folder",
            dir.display()
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let shown: Vec<&str> = names.iter().take(3).map(String::as_str).collect();
    let more = if names.len() > 3 { ", …" } else { "" };
    let entries = if names.len() == 1 { "entry" } else { "entries" };
    bail!(
        "{} is not empty ({} {entries}: {}{more}): helpsite init makes a new site and never \
         overwrites files; give a new or empty folder",
        dir.display(),
        names.len(),
        shown.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_and_start_page_load() {
        let dir = tempfile::tempdir().unwrap();
        execute(Args {
            dir: dir.path().join("site"),
        })
        .unwrap();
        let corpus = crate::content::load(&dir.path().join("site")).unwrap();
        assert!(corpus.errors.is_empty(), "{:?}", corpus.errors);
        assert_eq!(corpus.config.title, "My help site");
        let err = execute(Args {
            dir: dir.path().join("site"),
        })
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("is not empty (3 entries: .gitignore, content, helpsite.toml)"),
            "{err}"
        );
    }
}

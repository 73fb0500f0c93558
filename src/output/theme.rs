//! The theme: tera templates and static assets. The default theme is the repository's
//! `templates/` folder, embedded in the binary, so a site with only `content/` builds. A site's
//! own `templates/` overrides it file by file (same name wins); templates are compiled once.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, anyhow};
use tera::Tera;

/// The embedded default templates, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("print.html", include_str!("../../templates/print.html")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    (
        "partials/search.html",
        include_str!("../../templates/partials/search.html"),
    ),
];

/// The embedded default static assets, by path in the output.
const STATIC: &[(&str, &str)] = &[
    (
        "static/favicon.svg",
        include_str!("../../templates/static/favicon.svg"),
    ),
    (
        "static/style.css",
        include_str!("../../templates/static/style.css"),
    ),
    (
        "static/site.js",
        include_str!("../../templates/static/site.js"),
    ),
    (
        "static/search.js",
        include_str!("../../templates/static/search.js"),
    ),
    (
        "static/search.css",
        include_str!("../../templates/static/search.css"),
    ),
    (
        "static/nav.js",
        include_str!("../../templates/static/nav.js"),
    ),
];

/// Compiled templates plus the static files to copy.
pub(super) struct Theme {
    pub tera: Tera,
    /// Output path (`static/style.css`) → bytes, sorted for deterministic writing.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// The default theme overridden by `ROOT/templates/` when it exists.
    pub(super) fn load(root: &Path) -> anyhow::Result<Theme> {
        let mut templates: BTreeMap<String, String> = TEMPLATES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let mut assets: BTreeMap<String, Vec<u8>> = STATIC
            .iter()
            .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
            .collect();
        let dir = root.join("templates");
        if dir.is_dir() {
            read_overrides(&dir, &mut templates, &mut assets)?;
        }
        let mut tera = Tera::default();
        tera.set_escape_fn(escape);
        tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|err| anyhow!("{}", tera_error(&err)))
            .context("compiling the templates")?;
        Ok(Theme { tera, assets })
    }
}

/// Reads a site's `templates/`: files under `static/` are assets, the rest templates.
fn read_overrides(
    dir: &Path,
    templates: &mut BTreeMap<String, String>,
    assets: &mut BTreeMap<String, Vec<u8>>,
) -> anyhow::Result<()> {
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("walking {}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .strip_prefix(dir)?
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(entry.path())
            .with_context(|| format!("reading {}", entry.path().display()))?;
        if name.starts_with("static/") {
            assets.insert(name, bytes);
        } else {
            let text = String::from_utf8(bytes)
                .map_err(|_| anyhow!("templates/{name}: not valid UTF-8"))?;
            templates.insert(name, text);
        }
    }
    Ok(())
}

/// Autoescaping for HTML and XML: `& < > " '`. Unlike tera's default it leaves `/` alone, so
/// URLs stay readable (`../guide/fix.html`, not `..&#x2F;guide&#x2F;fix.html`).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A tera error with its causes on one line (tera puts the useful part in the sources).
pub(super) fn tera_error(err: &tera::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

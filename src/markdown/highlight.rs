//! Build-time syntax highlighting with syntect: code → HTML spans with CSS classes (`hl-…`),
//! and the light and dark stylesheets for those classes, generated once for the theme.
//!
//! The grammars are bat's maintained set (the `two-face` crate: toml, PowerShell, Dockerfile,
//! TypeScript, SCSS, Go templates, … beyond syntect's own), run on the onig regex engine. The
//! output is classes, not colours, so one highlighting serves both themes: the cache is per
//! language (the grammar lookup) and per distinct block (the HTML), shared by every page.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, LazyLock, Mutex, RwLock};

use super::contrast;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const LIGHT_THEME: &str = "InspiredGitHub";
const DARK_THEME: &str = "base16-ocean.dark";

/// The code block backgrounds of the default theme (`--code-bg` in style.css); token colours
/// are adjusted to stay readable on them.
const LIGHT_BG: [u8; 3] = [0xf6, 0xf8, 0xfa];
const DARK_BG: [u8; 3] = [0x16, 0x1b, 0x22];

/// Fence languages that name a grammar under another name (Hugo's and GitHub's spellings).
const ALIASES: &[(&str, &str)] = &[
    ("shell", "bash"),
    ("zsh", "bash"),
    ("pwsh", "powershell"),
    ("ps", "powershell"),
    ("docker", "dockerfile"),
    // No Go template grammar exists for syntect; Jinja2's marks the same `{{ }}` actions.
    ("go-html-template", "HTML (Jinja2)"),
    ("go-text-template", "jinja2"),
    ("gotmpl", "jinja2"),
    ("jsonc", "json"),
];

/// The blocks' HTML kept for reuse stops growing past this many bytes (code + HTML).
const CACHE_BUDGET: usize = 64 << 20;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Fence language → index into `SYNTAXES.syntaxes()` (`None`: no grammar).
static GRAMMARS: LazyLock<RwLock<HashMap<String, Option<usize>>>> = LazyLock::new(Default::default);

/// Distinct blocks already highlighted: hash of (language, code) → (code, HTML).
struct Blocks {
    hasher: RandomState,
    map: HashMap<u64, (Arc<str>, Arc<str>)>,
    bytes: usize,
}

static BLOCKS: LazyLock<Mutex<Blocks>> = LazyLock::new(|| {
    Mutex::new(Blocks {
        hasher: RandomState::new(),
        map: HashMap::new(),
        bytes: 0,
    })
});

/// `code` as highlighted HTML (no `<pre>`), or `None` when no grammar knows `lang` (the
/// caller then shows it escaped, unhighlighted). A block seen before is not highlighted again.
pub(crate) fn highlight(lang: &str, code: &str) -> Option<Arc<str>> {
    let syntax = grammar(lang)?;
    let key = {
        let blocks = BLOCKS.lock().unwrap_or_else(|e| e.into_inner());
        let key = blocks.hasher.hash_one((lang, code));
        if let Some((seen, html)) = blocks.map.get(&key)
            && **seen == *code
        {
            return Some(html.clone());
        }
        key
    };
    let html: Arc<str> = highlight_uncached(syntax, code)?.into();
    let mut blocks = BLOCKS.lock().unwrap_or_else(|e| e.into_inner());
    if blocks.bytes + code.len() + html.len() <= CACHE_BUDGET {
        blocks.bytes += code.len() + html.len();
        blocks.map.insert(key, (code.into(), html.clone()));
    }
    Some(html)
}

/// Whether some grammar highlights `lang` (the tests check every documented language).
#[cfg(test)]
fn knows(lang: &str) -> bool {
    grammar(lang).is_some()
}

/// The grammar for a fence language, looked up once per language.
fn grammar(lang: &str) -> Option<&'static SyntaxReference> {
    let found = GRAMMARS
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(lang)
        .copied();
    let index = match found {
        Some(index) => index,
        None => {
            let index = find(lang);
            let mut grammars = GRAMMARS.write().unwrap_or_else(|e| e.into_inner());
            grammars.insert(lang.to_string(), index);
            index
        }
    }?;
    SYNTAXES.syntaxes().get(index)
}

fn find(lang: &str) -> Option<usize> {
    let lower = lang.to_ascii_lowercase();
    let token = ALIASES
        .iter()
        .find(|(alias, _)| *alias == lower)
        .map_or(lower.as_str(), |(_, name)| name);
    let syntax = SYNTAXES
        .find_syntax_by_token(token)
        .or_else(|| SYNTAXES.find_syntax_by_name(token))?;
    SYNTAXES
        .syntaxes()
        .iter()
        .position(|s| std::ptr::eq(s, syntax))
}

fn highlight_uncached(syntax: &SyntaxReference, code: &str) -> Option<String> {
    let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, STYLE);
    for line in LinesWithEndings::from(code) {
        html.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(html.finalize())
}

/// The stylesheet for the highlight classes: the light theme by default, the dark theme under
/// `[data-theme="dark"]` (set on `<html>` by the theme toggle).
pub(crate) fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let mut css = String::from("/* Generated by helpsite from syntect's themes. */\n");
    if let Some(light) = themes.themes.get(LIGHT_THEME) {
        let light = css_for_theme_with_class_style(light, STYLE).unwrap_or_default();
        // Scoped too: unscoped, a light rule for a class the dark theme leaves out would apply
        // in dark mode (`def git(` was #323232 on #161b22).
        let light = contrast::fix_colors(&light, LIGHT_BG);
        css.push_str(&scope_selectors(
            &light,
            ":root:not([data-theme=\"dark\"]) ",
        ));
    }
    if let Some(dark) = themes.themes.get(DARK_THEME) {
        let dark = css_for_theme_with_class_style(dark, STYLE).unwrap_or_default();
        let dark = contrast::fix_colors(&dark, DARK_BG);
        css.push_str(&scope_selectors(&dark, "[data-theme=\"dark\"] "));
    }
    css
}

/// Prefixes every selector of every rule in `css` with `scope`.
fn scope_selectors(css: &str, scope: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    for line in css.lines() {
        match line.strip_suffix(" {") {
            Some(selectors) if !line.starts_with(' ') => {
                let scoped: Vec<String> = selectors
                    .split(", ")
                    .map(|s| format!("{scope}{s}"))
                    .collect();
                out.push_str(&scoped.join(", "));
                out.push_str(" {");
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_with_classes() {
        let html = highlight("bash", "git push origin main # go\n").unwrap();
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("hl-comment"), "{html}");
        assert!(highlight("no-such-language", "x").is_none());
    }

    #[test]
    fn the_larger_set_covers_other_teams_languages() {
        for lang in [
            "toml",
            "powershell",
            "Dockerfile",
            "typescript",
            "scss",
            "go-html-template",
            "shell",
            "yaml",
        ] {
            assert!(knows(lang), "{lang} has no grammar");
            let html = highlight(lang, "# x {{ .Title }}\nkey = \"v\"\n").unwrap();
            assert!(html.contains("<span class=\"hl-"), "{lang}: {html}");
        }
    }

    #[test]
    fn a_block_seen_twice_is_the_same_html() {
        let code = "[a]\nb = 1 # the same block twice\n";
        let first = highlight("toml", code).unwrap();
        let second = highlight("toml", code).unwrap();
        assert!(Arc::ptr_eq(&first, &second), "highlighted once");
        assert_ne!(
            highlight("python", code).unwrap(),
            first,
            "keyed by language too"
        );
    }

    #[test]
    fn stylesheet_has_both_themes() {
        let css = stylesheet();
        assert!(css.contains(".hl-comment"));
        assert!(
            css.contains("[data-theme=\"dark\"] .hl-"),
            "dark rules are scoped"
        );
    }
}

//! `cargo test --test browser nav::`: the shared nav in a real browser. Builds a three-section site
//! with the real binary and opens its pages from `file://` in headless Chromium (`--dump-dom`,
//! the DOM after the scripts ran): the page's own HTML carries only its section and
//! breadcrumbs, and `static/nav.js` adds the other sections from `static/nav-data.js`, in
//! order, around it. Also search's `?hl=` words, marked on the page a result opens. Without Chromium the trial shows as ignored with the install hint; with
//! HELPSITE_REQUIRE_BROWSER=1 (CI) it fails instead.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::prelude::*;
use libtest_mimic::{Failed, Trial};

use crate::browser_required;

/// Both tests, named `nav::…`; they run their own `chromium --dump-dom`, not chromedriver.
pub(crate) fn trials() -> Vec<Trial> {
    let chromium = which("chromium").or_else(|| which("chromium-browser"));
    let required = browser_required();
    let missing = chromium.is_none();
    let trial = |name: &str, check: fn(&Path) -> Result<(), Failed>| {
        let chromium = chromium.clone();
        let trial = Trial::test(format!("nav::{name}"), move || match &chromium {
            Some(path) => check(path),
            None => Err("chromium not found (apt-get install chromium)".into()),
        });
        trial.with_ignored_flag(missing && !required)
    };
    vec![
        trial("shared_nav_fills_the_top_level_from_file_urls", shared_nav),
        trial("search_words_are_marked_on_the_opened_page", marked_words),
    ]
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|dir| Path::new(dir).join(name))
        .find(|p| p.is_file())
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn shared_nav(chromium: &Path) -> Result<(), Failed> {
    let dir = tempfile::tempdir()?;
    let content = dir.path().join("content");
    write(&content.join("_index.md"), "# Home\n\nStart.\n");
    write(&content.join("about.md"), "# About <us>\n\nText.\n");
    for s in ["a", "b", "c"] {
        let index = format!("+++\ntitle = \"Section {s}\"\n+++\nText.\n");
        write(&content.join(s).join("_index.md"), &index);
        write(
            &content.join(s).join("p.md"),
            &format!("# Page {s}\n\nText.\n"),
        );
    }
    let out = dir.path().join("public");
    Command::cargo_bin("helpsite")?
        .args(["build", "-q", "--root"])
        .arg(dir.path())
        .arg("--out")
        .arg(&out)
        .assert()
        .success();

    let raw = std::fs::read_to_string(out.join("b/p.html"))?;
    let inline = sidebar(&raw)?;
    check(
        !inline.contains("a/index.html") && !inline.contains("about.html"),
        &inline,
    )?;
    check(inline.contains("<li>Page b</li></ol>"), &inline)?;

    let dom = sidebar(&dump_dom(chromium, &file_url(&out.join("b/p.html")))?)?;
    let order = [
        "<a href=\"../index.html\">Home</a>",
        "<a href=\"../a/index.html\">Section a</a>",
        "<a href=\"../about.html\">About &lt;us&gt;</a>",
        "class=\"nav-section open\"><a href=\"../b/index.html\">Section b</a>",
        "<a href=\"../b/p.html\" aria-current=\"page\">Page b</a>",
        "<a href=\"../c/index.html\">Section c</a>",
    ];
    let mut at = 0;
    for piece in order {
        let found = dom[at..].find(piece).map(|i| i + at);
        check(found.is_some(), &format!("{piece} in order in {dom}"))?;
        at = found.unwrap_or(at);
    }
    // The 404 page is left out here: it resolves its links from the site's root (it is served
    // for a missing path at any depth), which a file:// URL does not have; the ux tests check the
    // served 404 at a nested path.
    Ok(())
}

/// A result's link (`page.html?hl=password#anchor`) marks the words in the page it opens.
fn marked_words(chromium: &Path) -> Result<(), Failed> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search");
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("public");
    Command::cargo_bin("helpsite")?
        .args(["build", "-q", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let url = format!(
        "file://{}?hl=password",
        out.join("guide/password.html").display()
    );
    let dom = dump_dom(chromium, &url)?;
    let main = &dom[dom.find("<main").ok_or("no main")?..];
    check(
        main.contains("<mark class=\"search-hit\">password</mark>"),
        main,
    )?;
    let plain = dump_dom(
        chromium,
        &format!("file://{}", out.join("guide/password.html").display()),
    )?;
    check(!plain.contains("search-hit"), "no marks without ?hl=")
}

fn check(ok: bool, what: &str) -> Result<(), Failed> {
    if ok {
        Ok(())
    } else {
        Err(format!("not as expected: {what}").into())
    }
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The `<nav id="sidebar">…</nav>` of a page.
fn sidebar(html: &str) -> Result<String, Failed> {
    let start = html.find("<nav id=\"sidebar\"").ok_or("no sidebar")?;
    let end = html[start..].find("</nav>").ok_or("unclosed sidebar")? + start;
    Ok(html[start..end].to_string())
}

/// The page's DOM after its scripts ran, from a fresh headless Chromium with its own profile.
fn dump_dom(chromium: &Path, url: &str) -> Result<String, Failed> {
    let profile = tempfile::tempdir()?;
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--allow-file-access-from-files")
        .arg("--dump-dom")
        .arg(url)
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "chromium failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(output.stdout)?)
}

//! The guide's reader features, each test in a fresh browser and twice, served by `helpsite
//! serve` (`serve::…`) and opened from file:// (`file::…`): search lands on the heading, copy
//! copies the commands only, the theme control persists, table-of-contents links scroll, every
//! page loads clean; then live reload and the screenshots.

use std::sync::Arc;
use std::time::Duration;

use crate::support::webdriver::{Result, Session};
use crate::support::{Browser, Site, copy_guide};
use crate::{Harness, browser_required, screenshot_dir};
use futures_util::future::LocalBoxFuture;
use libtest_mimic::{Completion, Failed, Trial};
use serde_json::{Value, json};

/// The guide page the tests use: it has the error transcript, console snippets and a TOC.
const GUIDE_PAGE: &str = "why.html";
/// A line of the error message as a reader would paste it into the search box.
const ERROR_LINE: &str =
    "remote: Bitbucket Cloud recently stopped supporting account passwords for Git authentication.";
const WAIT: Duration = Duration::from_secs(15);

type Test = for<'a> fn(&'a Browser, &'a Site, Mode) -> LocalBoxFuture<'a, Result<()>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Serve,
    File,
}

impl Mode {
    fn url(self, site: &Site, page: &str) -> String {
        match self {
            Mode::Serve => site.server.url(page),
            Mode::File => site.file_url(page),
        }
    }
}

/// Every test of this module, served and from file://, then live reload and the screenshots.
pub(crate) fn trials(harness: &Arc<Harness>) -> Vec<Trial> {
    let mut trials = Vec::new();
    let tests: [(&str, Test); 5] = [
        (
            "search_finds_the_error_and_lands_on_the_heading",
            |b, s, m| Box::pin(search_lands_on_heading(b, s, m)),
        ),
        ("copy_button_copies_the_commands_only", |b, s, m| {
            Box::pin(copy_copies_commands(b, s, m))
        }),
        ("theme_control_switches_and_persists", |b, s, m| {
            Box::pin(theme_toggle_persists(b, s, m))
        }),
        ("toc_links_scroll_to_their_headings", |b, s, m| {
            Box::pin(toc_links_scroll(b, s, m))
        }),
        (
            "every_page_loads_without_errors_or_outside_requests",
            |b, s, m| Box::pin(every_page_clean(b, s, m)),
        ),
    ];
    for mode in [Mode::Serve, Mode::File] {
        for (name, test) in tests {
            let prefix = if mode == Mode::Serve { "serve" } else { "file" };
            trials.push(trial(harness, format!("{prefix}::{name}"), move |b, s| {
                test(b, s, mode)
            }));
        }
    }
    trials.push(trial(
        harness,
        "serve::live_reload_updates_an_open_page".into(),
        |b, s| Box::pin(live_reload(b, s)),
    ));
    trials.push(trial(harness, "screenshots".into(), |b, s| {
        Box::pin(screenshots(b, s))
    }));
    trials
}

/// A trial that gets a fresh browser and the shared site, or is ignored (or fails, when
/// HELPSITE_REQUIRE_BROWSER=1) without Chromium. It runs on a tokio runtime of its own, which
/// ends the browser session before it shuts down.
fn trial(
    harness: &Arc<Harness>,
    name: String,
    test: impl for<'a> FnOnce(&'a Browser, &'a Site) -> LocalBoxFuture<'a, Result<()>> + Send + 'static,
) -> Trial {
    let harness = Arc::clone(harness);
    Trial::ignorable_test(name, move || {
        match &harness.tools {
            Ok(_) => {}
            Err(reason) if browser_required() => {
                return Err(format!("HELPSITE_REQUIRE_BROWSER=1 but {reason}").into());
            }
            Err(reason) => return Ok(Completion::ignored_with(format!("not run: {reason}"))),
        }
        let _one_at_a_time = harness.pages.lock().unwrap_or_else(|e| e.into_inner());
        let driver = harness.driver().map_err(fail)?;
        let site = harness.site().map_err(fail)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(fail)?;
        runtime
            .block_on(async {
                let browser = driver.browser().await?;
                let outcome = test(&browser, site).await;
                let closed = browser.close().await;
                outcome.and(closed)
            })
            .map_err(fail)?;
        Ok(Completion::Completed)
    })
}

fn fail(message: impl ToString) -> Failed {
    Failed::from(message.to_string())
}

fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<()> {
    if condition { Ok(()) } else { Err(message()) }
}

/// Loads `url` and waits until the page's scripts have run.
async fn open(browser: &Browser, url: &str) -> Result<()> {
    browser.session.goto(url).await?;
    browser
        .session
        .wait_for(url, "return document.readyState === 'complete';", WAIT)
        .await?;
    Ok(())
}

/// Opens `url` until `look`'s first value equals `want` or the usual wait runs out; returns the
/// last look either way, for the caller to assert on.
async fn open_until(browser: &Browser, url: &str, look: &str, want: &Value) -> Result<Value> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        open(browser, url).await?;
        let seen = browser.session.js(look, json!([])).await?;
        if &seen[0] == want || std::time::Instant::now() > deadline {
            return Ok(seen);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn search_lands_on_heading(browser: &Browser, site: &Site, mode: Mode) -> Result<()> {
    let s = &browser.session;
    open(browser, &mode.url(site, "index.html")).await?;
    s.type_into("#search-input", ERROR_LINE).await?;
    let href = s
        .wait_for(
            "search results",
            "const a = document.querySelector('#search-results a'); return a && a.href;",
            WAIT,
        )
        .await?;
    let href = href.as_str().unwrap_or_default().to_string();
    ensure(href.contains('#'), || {
        format!("the first result links to a page, not a heading: {href}")
    })?;
    // The guide's index is split (browser_support::Site): the query loaded a shard and a chunk.
    let parts = s
        .js(
            "return Object.keys(window.HELPSITE_SEARCH_PARTS || {}).sort();",
            json!([]),
        )
        .await?;
    let names: Vec<&str> = parts
        .as_array()
        .map(|p| p.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    ensure(
        names.iter().any(|n| n.starts_with('s')) && names.iter().any(|n| n.starts_with('c')),
        || format!("search loaded no shard or no chunk of the split index: {names:?}"),
    )?;
    s.click("#search-results a").await?;
    let landed = s.wait_for(
        "the result's heading",
        "const id = decodeURIComponent(location.hash.slice(1)); const h = id && document.getElementById(id);
         if (!h || !/^H[1-6]$/.test(h.tagName)) return null;
         const top = h.getBoundingClientRect().top;
         return (top > -2 && top < 200) ? h.textContent : null;",
        WAIT,
    ).await?;
    let text: String = s
        .js(
            "return document.querySelector('main').textContent;",
            json!([]),
        )
        .await?
        .as_str()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if !text.contains("recently stopped supporting account passwords") {
        let here = s.url().await.unwrap_or_default();
        return Err(format!(
            "landed on {landed} ({here}), which does not show the error line"
        ));
    }
    browser.assert_clean("search").await
}

/// What a reader would type: the visible lines after a `$ ` prompt (and `> ` continuations).
const EXPECTED_COMMANDS: &str = "
    const lines = arguments[0].querySelector('pre').innerText.split('\\n');
    const out = []; let inCommand = false;
    for (const line of lines) {
        if (line.startsWith('$ ')) { out.push(line.slice(2)); inCommand = true; }
        else if (inCommand && line.startsWith('> ')) { out.push(line.slice(2)); }
        else { inCommand = false; }
    }
    return out.join('\\n');";

async fn copy_copies_commands(browser: &Browser, site: &Site, mode: Mode) -> Result<()> {
    let s = &browser.session;
    open(browser, &mode.url(site, GUIDE_PAGE)).await?;
    // Record what reaches the clipboard, by either path site.js may take.
    s.js(
        "window.__copied = [];
         if (navigator.clipboard) {
           const write = navigator.clipboard.writeText.bind(navigator.clipboard);
           navigator.clipboard.writeText = (t) => { window.__copied.push(t); return write(t).catch(() => {}); };
         }
         document.addEventListener('copy', () => {
           const a = document.activeElement; window.__copied.push(a && a.value !== undefined ? a.value : String(getSelection()));
         });",
        json!([]),
    ).await?;
    let snippet = s.find(".snippet-console").await?;
    let expected = s
        .js(EXPECTED_COMMANDS, json!([Session::arg(&snippet)?]))
        .await?;
    let expected = expected.as_str().unwrap_or_default().to_string();
    ensure(!expected.is_empty(), || {
        "the first console snippet shows no command".into()
    })?;
    s.click(".snippet-console .copy").await?;
    let copied = s
        .wait_for("the copy", "return window.__copied[0];", WAIT)
        .await?;
    let copied = copied.as_str().unwrap_or_default();
    ensure(copied == expected, || {
        format!("copied {copied:?}, expected the commands {expected:?}")
    })?;
    browser.assert_clean("copy").await
}

async fn theme_toggle_persists(browser: &Browser, site: &Site, mode: Mode) -> Result<()> {
    let s = &browser.session;
    let url = mode.url(site, GUIDE_PAGE);
    open(browser, &url).await?;
    let look = "return [document.documentElement.dataset.theme, getComputedStyle(document.body).backgroundColor];";
    let before = s.js(look, json!([])).await?;
    // The theme control offers auto, light and dark: pick the one not shown now.
    s.js(
        "const s = document.querySelector('.theme-select');
         s.value = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
         s.dispatchEvent(new Event('change'));",
        json!([]),
    )
    .await?;
    let after = s.js(look, json!([])).await?;
    ensure(before[0] != after[0], || format!("theme stayed {before}"))?;
    ensure(before[1] != after[1], || {
        format!("the page looks the same in both themes: {after}")
    })?;
    // Chromium commits a localStorage write to its storage service asynchronously, and a file://
    // navigation may land in a new renderer that reads before the commit: open the page again
    // until it shows the stored theme (a person never switches pages that fast), failing after
    // the usual wait if it never does.
    let elsewhere = open_until(browser, &mode.url(site, "index.html"), look, &after[0]).await?;
    ensure(elsewhere[0] == after[0], || {
        format!("another page forgot the theme: {elsewhere} vs {after}")
    })?;
    let reloaded = open_until(browser, &url, look, &after[0]).await?;
    ensure(reloaded[0] == after[0], || {
        format!("reload forgot the theme: {reloaded} vs {after}")
    })?;
    browser.assert_clean("theme").await
}

async fn toc_links_scroll(browser: &Browser, site: &Site, mode: Mode) -> Result<()> {
    let s = &browser.session;
    open(browser, &mode.url(site, GUIDE_PAGE)).await?;
    let count = s
        .js(
            "return document.querySelectorAll('.toc a').length;",
            json!([]),
        )
        .await?;
    let count = count.as_u64().unwrap_or(0);
    ensure(count >= 3, || {
        format!("the guide page has {count} TOC links")
    })?;
    // The last heading first (the page scrolls down), then the second (it scrolls back up).
    for (i, must_reach_top) in [(count - 1, false), (1, true)] {
        s.js(
            "document.querySelectorAll('.toc a')[arguments[0]].click();",
            json!([i]),
        )
        .await?;
        let script = format!(
            "const link = document.querySelectorAll('.toc a')[{i}];
             const h = document.getElementById(decodeURIComponent(link.hash.slice(1)));
             if (!h || location.hash !== link.hash) return false;
             const r = h.getBoundingClientRect();
             const visible = r.top > -2 && r.bottom <= innerHeight;
             return {must_reach_top} ? visible && r.top < 200 : visible && scrollY > 0;"
        );
        s.wait_for(
            &format!("TOC link {i} to scroll to its heading"),
            &script,
            WAIT,
        )
        .await?;
    }
    browser.assert_clean("toc").await
}

async fn every_page_clean(browser: &Browser, site: &Site, mode: Mode) -> Result<()> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(&site.built)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| {
            e.path()
                .strip_prefix(&site.built)
                .ok()
                .map(|p| p.display().to_string())
        })
        .collect();
    // 404.html is served by a host for a missing path, never opened from disk: its links resolve
    // from the site's root (base_url's path), which file:// does not have. the ux tests check it
    // served, at a nested path.
    if matches!(mode, Mode::File) {
        pages.retain(|p| p != "404.html");
    }
    pages.sort();
    ensure(pages.len() >= 3, || {
        format!("only {} pages built", pages.len())
    })?;
    for page in pages {
        open(browser, &mode.url(site, &page)).await?;
        browser.assert_clean(&page).await?;
    }
    Ok(())
}

async fn live_reload(browser: &Browser, _shared: &Site) -> Result<()> {
    // Its own copy and server: the edits must not disturb the other tests.
    let dir = copy_guide()?;
    let server = crate::support::Server::start(dir.path())?;
    let s = &browser.session;
    open(browser, &server.url(GUIDE_PAGE)).await?;
    s.js("window.__before_reload = true;", json!([])).await?;
    let source = dir.path().join("content/why.md");
    let text = std::fs::read_to_string(&source).map_err(|e| e.to_string())?;
    std::fs::write(&source, format!("{text}\nLive reload marker 4711.\n"))
        .map_err(|e| e.to_string())?;
    s.wait_for(
        "the page to reload with the edit",
        "return !window.__before_reload && document.readyState === 'complete'
                && document.body.textContent.includes('Live reload marker 4711');",
        WAIT,
    )
    .await?;
    // A build error shows over the page; fixing the file clears it.
    let bad = dir.path().join("content/broken.md");
    std::fs::write(&bad, "+++\ntitle = 3\n+++\n").map_err(|e| e.to_string())?;
    let shown = s
        .wait_for(
            "the error overlay",
            "const o = document.getElementById('helpsite-build-error'); return o && o.textContent;",
            WAIT,
        )
        .await?;
    let shown = shown.as_str().unwrap_or_default();
    ensure(shown.contains("broken.md"), || {
        format!("the overlay does not name the file: {shown}")
    })?;
    std::fs::remove_file(&bad).map_err(|e| e.to_string())?;
    s.wait_for(
        "the overlay to clear",
        "return !document.getElementById('helpsite-build-error')
                && document.readyState === 'complete';",
        WAIT,
    )
    .await?;
    browser.assert_clean("live reload").await
}

async fn screenshots(browser: &Browser, site: &Site) -> Result<()> {
    let s = &browser.session;
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let sizes = [
        ("desktop", 1280, 900, 1, false),
        ("phone", 390, 844, 2, true),
    ];
    for (size, width, height, scale, mobile) in sizes {
        s.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile}),
        )
        .await?;
        for theme in ["light", "dark"] {
            s.cdp(
                "Emulation.setEmulatedMedia",
                json!({"features": [{"name": "prefers-color-scheme", "value": theme}]}),
            )
            .await?;
            for (name, page) in [("home", "index.html"), ("guide", GUIDE_PAGE)] {
                // A fresh profile has no stored choice: the page follows the (emulated) OS.
                open(browser, &site.server.url(page)).await?;
                let shown = s
                    .js("return document.documentElement.dataset.theme;", json!([]))
                    .await?;
                ensure(shown == theme, || {
                    format!("{name}: theme {shown}, OS says {theme}")
                })?;
                let png = s.screenshot().await?;
                let file = dir.join(format!("{name}-{theme}-{size}.png"));
                std::fs::write(&file, &png).map_err(|e| e.to_string())?;
                let shot_width =
                    u32::from_be_bytes(png[16..20].try_into().map_err(|_| "short PNG")?);
                ensure(shot_width == (width * scale) as u32, || {
                    format!(
                        "{}: {shot_width} px wide, expected {}",
                        file.display(),
                        width * scale
                    )
                })?;
            }
        }
    }
    browser.assert_clean("screenshots").await
}

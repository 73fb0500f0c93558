//! Browser tests of the site's reading comfort, over every page of the built guide, in one
//! headless Chromium session reused by every test: the phone layout at 320 px (no sideways
//! scrolling, no clipped control, 44 px primary controls, search results below the header,
//! Escape closes the navigation), the contrast of every highlighted token in both themes,
//! axe-core's WCAG A/AA rules in both themes, the 404 page at a nested path, and print.html's
//! links. Screenshots (phone and desktop, light and dark) go to target/screenshots/ux-*.png.
//!
//! The session runs on the harness's chromedriver, over its guide. Needs `npm ci` (axe-core) too;
//! without the browser or axe-core the tests are ignored with the reason, and with
//! HELPSITE_REQUIRE_BROWSER=1 (CI) they fail.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::webdriver::Result;
use crate::support::{Browser, Server, Site, copy_guide};
use crate::{Harness, browser_required, screenshot_dir};
use futures_util::future::LocalBoxFuture;
use libtest_mimic::{Completion, Failed, Trial};
use serde_json::{Value, json};

const WAIT: Duration = Duration::from_secs(15);
const LAYOUT_JS: &str = include_str!("support/layout.js");
const CONTRAST_JS: &str = include_str!("support/contrast.js");
const THEMES: [&str; 2] = ["light", "dark"];
/// axe-core's rule tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA.
const WCAG_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// What every test of this module shares: one runtime, one browser session, the harness's guide.
pub(crate) struct World {
    runtime: tokio::runtime::Runtime,
    browser: Browser,
    harness: Arc<Harness>,
    /// The same guide without `base_url`, served: its 404 page finds the root by itself.
    bare: (tempfile::TempDir, Server),
    axe: String,
}

/// The module's world, started by its first trial and closed by [`close`].
pub(crate) type Shared = Arc<Mutex<Option<std::result::Result<World, String>>>>;
type Test = for<'a> fn(&'a World) -> LocalBoxFuture<'a, Result<()>>;

/// Every test of this module, named `ux::…`.
pub(crate) fn trials(harness: &Arc<Harness>, shared: &Shared) -> Vec<Trial> {
    let tests: [(&str, Test); 10] = [
        ("serve_marks_go_from_running_to_their_result_live", |w| {
            Box::pin(serve_live_marks(w))
        }),
        ("marks_and_the_tested_page_link_both_ways", |w| {
            Box::pin(marks_link_both_ways(w))
        }),
        ("phone_every_page_fits_320px", |w| Box::pin(phone_fits(w))),
        ("phone_search_below_header_and_escape_closes_nav", |w| {
            Box::pin(phone_controls(w))
        }),
        ("theme_auto_follows_the_os_copied_is_announced", |w| {
            Box::pin(theme_auto_and_announcements(w))
        }),
        ("highlighted_tokens_readable_in_both_themes", |w| {
            Box::pin(token_contrast(w))
        }),
        ("axe_no_wcag_violations_in_either_theme", |w| {
            Box::pin(axe_clean(w))
        }),
        ("nested_404_is_styled_and_links_home", |w| {
            Box::pin(nested_404(w))
        }),
        ("print_links_stay_inside_print_html", |w| {
            Box::pin(print_links(w))
        }),
        ("screenshots_phone_and_desktop_light_and_dark", |w| {
            Box::pin(screenshots(w))
        }),
    ];
    tests
        .into_iter()
        .map(|(name, test)| trial(harness, shared, name, test))
        .collect()
}

/// Ends the shared browser session, if a trial started one.
pub(crate) fn close(shared: &Shared) {
    if let Some(Ok(world)) = shared.lock().unwrap_or_else(|e| e.into_inner()).take() {
        let World {
            runtime, browser, ..
        } = world;
        let _ = runtime.block_on(browser.close());
    }
}

fn trial(harness: &Arc<Harness>, shared: &Shared, name: &str, test: Test) -> Trial {
    let harness = Arc::clone(harness);
    let shared = Arc::clone(shared);
    Trial::ignorable_test(format!("ux::{name}"), move || {
        let mut slot = shared.lock().unwrap_or_else(|e| e.into_inner());
        let world = match slot.get_or_insert_with(|| World::start(&harness)) {
            Ok(world) => world,
            Err(reason) if browser_required() => {
                return Err(format!("HELPSITE_REQUIRE_BROWSER=1 but {reason}").into());
            }
            Err(reason) => return Ok(Completion::ignored_with(format!("not run: {reason}"))),
        };
        world.runtime.block_on(test(world)).map_err(Failed::from)?;
        Ok(Completion::Completed)
    })
}

impl World {
    fn start(harness: &Arc<Harness>) -> std::result::Result<World, String> {
        harness.tools.as_ref().map_err(Clone::clone)?;
        let axe_path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
        let axe = std::fs::read_to_string(&axe_path)
            .map_err(|e| format!("{}: {e} (run `npm ci`)", axe_path.display()))?;
        let driver = harness.driver()?;
        harness.site()?;
        let bare = copy_guide()?;
        let config = bare.path().join("helpsite.toml");
        let text = std::fs::read_to_string(&config).map_err(|e| e.to_string())?;
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("base_url"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&config, text).map_err(|e| e.to_string())?;
        let bare_server = Server::start(bare.path())?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let browser = runtime.block_on(driver.browser())?;
        Ok(World {
            runtime,
            browser,
            harness: Arc::clone(harness),
            bare: (bare, bare_server),
            axe,
        })
    }

    /// The harness's guide (started by [`World::start`]).
    fn site(&self) -> &Site {
        self.harness.site().expect("World::start built the guide")
    }

    fn url(&self, page: &str) -> String {
        self.site().server.url(page)
    }

    /// Every built HTML page, relative to the site root, sorted.
    fn pages(&self) -> Vec<String> {
        let mut pages: Vec<String> = walkdir::WalkDir::new(&self.site().built)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .filter_map(|e| {
                let rel = e.path().strip_prefix(&self.site().built).ok()?;
                Some(rel.to_string_lossy().replace('\\', "/"))
            })
            .collect();
        pages.sort();
        pages
    }

    async fn js(&self, script: &str, args: Value) -> Result<Value> {
        self.browser.session.js(script, args).await
    }

    /// Viewport size (CSS px) and whether the browser behaves as a phone.
    async fn viewport(&self, width: u32, height: u32, mobile: bool) -> Result<()> {
        let scale = if mobile { 2 } else { 1 };
        self.browser
            .session
            .cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile}),
            )
            .await
            .map(drop)
    }

    /// Loads `page` and waits until its scripts have run.
    async fn open(&self, page: &str) -> Result<()> {
        let url = self.url(page);
        self.browser.session.goto(&url).await?;
        self.browser
            .session
            .wait_for(&url, "return document.readyState === 'complete';", WAIT)
            .await
            .map(drop)
    }

    /// Chooses `theme` with the page's own theme control, as a reader would.
    async fn theme(&self, theme: &str) -> Result<()> {
        let shown = self
            .js(
                "const s = document.querySelector('.theme-select');
                 if (!s) return 'no theme control';
                 s.value = arguments[0]; s.dispatchEvent(new Event('change'));
                 return document.documentElement.dataset.theme;",
                json!([theme]),
            )
            .await?;
        ensure(shown == theme, || {
            format!("chose {theme}, the page shows {shown}")
        })
    }
}

fn ensure(condition: bool, message: impl FnOnce() -> String) -> Result<()> {
    if condition { Ok(()) } else { Err(message()) }
}

/// Fails listing every `(page, problem)` when there is any.
fn no_problems(what: &str, problems: Vec<String>) -> Result<()> {
    ensure(problems.is_empty(), || {
        format!(
            "{what}: {} problem(s):\n  {}",
            problems.len(),
            problems.join("\n  ")
        )
    })
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), String::from))
                .collect()
        })
        .unwrap_or_default()
}

async fn phone_fits(w: &World) -> Result<()> {
    w.viewport(320, 640, true).await?;
    let pages = w.pages();
    ensure(pages.len() >= 3, || {
        format!("only {} pages built", pages.len())
    })?;
    let mut problems = Vec::new();
    for page in &pages {
        w.open(page).await?;
        for theme in THEMES {
            w.theme(theme).await?;
            let found = w.js(LAYOUT_JS, json!([])).await?;
            problems.extend(
                strings(&found)
                    .into_iter()
                    .map(|p| format!("{page} ({theme}): {p}")),
            );
        }
    }
    no_problems("at 320 px", problems)?;
    w.browser.assert_clean("phone pages").await
}

async fn phone_controls(w: &World) -> Result<()> {
    let s = &w.browser.session;
    w.viewport(320, 640, true).await?;
    w.open("index.html").await?;
    // The navigation opens from its button and Escape closes it, giving the focus back.
    s.click(".nav-toggle").await?;
    let open = w
        .js(
            "return getComputedStyle(document.getElementById('sidebar')).display;",
            json!([]),
        )
        .await?;
    ensure(open != "none", || {
        "the navigation button did not show the navigation".into()
    })?;
    s.find(".nav-toggle")
        .await?
        .send_keys("\u{E00C}")
        .await
        .map_err(|e| e.to_string())?;
    let after = w
        .js(
            "return [getComputedStyle(document.getElementById('sidebar')).display,
                     document.activeElement.className,
                     document.querySelector('.nav-toggle').getAttribute('aria-expanded')];",
            json!([]),
        )
        .await?;
    ensure(after == json!(["none", "nav-toggle", "false"]), || {
        format!("after Escape: sidebar display, focus, aria-expanded = {after}")
    })?;
    // Search results open below the whole header, not over the search box.
    s.type_into("#search-input", "token").await?;
    s.wait_for(
        "search results",
        "return document.querySelector('#search-results a');",
        WAIT,
    )
    .await?;
    let boxes = w
        .js(
            "const b = (q) => document.querySelector(q).getBoundingClientRect();
             return [b('.site-header').bottom, b('#search-input').bottom, b('.search-drop').top,
                     b('.search-drop').left, b('.search-drop').right, innerWidth];",
            json!([]),
        )
        .await?;
    let n = |i: usize| boxes[i].as_f64().unwrap_or(f64::NAN);
    ensure(n(2) >= n(0) - 0.5 && n(2) >= n(1), || {
        format!(
            "results top {} above the header bottom {} / input bottom {}",
            n(2),
            n(0),
            n(1)
        )
    })?;
    ensure(n(3) >= 0.0 && n(4) <= n(5), || {
        format!("results span {}..{} of {}", n(3), n(4), n(5))
    })?;
    // Below 1200 px the page's contents are at the top of the article.
    w.viewport(1100, 800, false).await?;
    let guide = w
        .pages()
        .into_iter()
        .find(|p| p != "index.html" && !p.ends_with("404.html"));
    let mut with_toc = 0;
    for page in w.pages() {
        w.open(&page).await?;
        let has = w
            .js(
                "const d = document.querySelector('details.toc-inline');
                 if (!d) return null;
                 return getComputedStyle(d).display !== 'none' && d.querySelectorAll('a').length > 0;",
                json!([]),
            )
            .await?;
        if has == json!(true) {
            with_toc += 1;
        } else if has == json!(false) {
            return Err(format!(
                "{page}: the 'On this page' contents is hidden at 1100 px"
            ));
        }
    }
    ensure(with_toc > 0, || {
        format!("no page has an 'On this page' contents (e.g. {guide:?})")
    })?;
    w.browser.assert_clean("phone controls").await
}

/// Every mark links to an entry that exists and says the same; every entry links back to a
/// snippet that exists; every page with marks has one summary line.
async fn marks_link_both_ways(w: &World) -> Result<()> {
    w.viewport(1280, 900, false).await?;
    let collect = "const out = [];
        for (const a of document.querySelectorAll(arguments[0])) out.push([a.href, a.textContent.trim()]);
        return [out, document.querySelectorAll('.page-marks').length, document.querySelectorAll('.snippet').length];";
    let mut links: Vec<(String, String, String)> = Vec::new();
    let mut problems = Vec::new();
    for page in w.pages().into_iter().filter(|p| p != "print.html") {
        w.open(&page).await?;
        let found = w
            .js(collect, json!([".snippet .snippet-mark[href]"]))
            .await?;
        let marks = found[0].as_array().cloned().unwrap_or_default();
        let (summaries, snippets) = (found[1].as_u64(), found[2].as_u64().unwrap_or(0));
        if snippets > 0 && summaries != Some(1) {
            problems.push(format!(
                "{page}: {snippets} snippets, {summaries:?} summary lines"
            ));
        }
        for m in marks {
            let href = m[0].as_str().unwrap_or_default().to_string();
            links.push((
                page.clone(),
                href,
                m[1].as_str().unwrap_or_default().to_string(),
            ));
        }
        let back = w
            .js(collect, json!(["li[id^='t-'] > a[href*='#s-']"]))
            .await?;
        for b in back[0].as_array().cloned().unwrap_or_default() {
            links.push((
                page.clone(),
                b[0].as_str().unwrap_or_default().to_string(),
                String::new(),
            ));
        }
    }
    ensure(
        links.iter().any(|l| l.1.contains("#t-")) && links.iter().any(|l| l.1.contains("#s-")),
        || format!("marks or entries without links: {} links", links.len()),
    )?;
    for (from, href, text) in &links {
        w.browser.session.goto(href).await?;
        let target = w
            .js(
                "const e = document.getElementById(decodeURIComponent(location.hash.slice(1)));
                 return e && (e.matches('.snippet') || e.textContent.includes(arguments[0]));",
                json!([text]),
            )
            .await?;
        if target != json!(true) {
            problems.push(format!(
                "{from}: {href} (mark {text:?}) leads to no matching entry"
            ));
        }
    }
    no_problems("marks and entries", problems)
}

/// `helpsite serve` on a site without a report: the page shows "running…", and live.js puts
/// each result in place as it arrives (seen by a MutationObserver before the end-of-run
/// reload; sessionStorage keeps what it saw across that reload).
async fn serve_live_marks(w: &World) -> Result<()> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir.path().join("content")).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.path().join("content/_index.md"),
        "# Live\n\n## Slow\n\n```bash {name=slow}\nsleep 3\n```\n",
    )
    .map_err(|e| e.to_string())?;
    let server = Server::start_running(dir.path())?;
    let url = server.url("index.html");
    let deadline = std::time::Instant::now() + WAIT;
    let first = loop {
        w.browser.session.goto(&url).await?;
        let text = w
            .js(
                "const m = document.querySelector('#s-index--slow--slow .snippet-mark');
                 return m ? m.textContent : '';",
                json!([]),
            )
            .await?;
        if text.as_str().is_some_and(|t| t.contains("running"))
            || std::time::Instant::now() > deadline
        {
            break text;
        }
    };
    ensure(
        first.as_str().is_some_and(|t| t.contains("running…")),
        || format!("the served page's mark before any result: {first}"),
    )?;
    w.js(
        "sessionStorage.removeItem('live-mark');
         new MutationObserver(() => {
           const m = document.querySelector('#s-index--slow--slow .snippet-mark');
           if (m && !m.classList.contains('snippet-mark-running'))
             sessionStorage.setItem('live-mark', m.className + ' ' + m.textContent);
         }).observe(document.body, {subtree: true, childList: true});
         return true;",
        json!([]),
    )
    .await?;
    let seen = w
        .browser
        .session
        .wait_for(
            &url,
            "return sessionStorage.getItem('live-mark');",
            Duration::from_secs(30),
        )
        .await?;
    // What this page logged is this test's: read it here, so stopping this server (its event
    // stream cut, a request in flight reset) is not reported by the next test. Only errors
    // from before leaving count.
    let errors = w.browser.console_errors().await?;
    w.browser.session.goto("about:blank").await?;
    drop(server);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _stopping = w.browser.console_errors().await?;
    ensure(
        errors.iter().all(|e| e.contains("/__helpsite/events")),
        || format!("console errors on the live page: {errors:?}"),
    )?;
    ensure(
        seen.as_str()
            .is_some_and(|t| t.contains("snippet-mark-verified") && t.contains("output as shown")),
        || format!("live mark: {seen}"),
    )
}

/// Emulates the OS colour scheme.
async fn os_scheme(w: &World, scheme: &str) -> Result<()> {
    w.browser
        .session
        .cdp(
            "Emulation.setEmulatedMedia",
            json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}),
        )
        .await
        .map(drop)
}

async fn theme_auto_and_announcements(w: &World) -> Result<()> {
    let shown = "return document.documentElement.dataset.theme;";
    w.viewport(1280, 900, false).await?;
    os_scheme(w, "dark").await?;
    w.open("index.html").await?;
    w.theme("light").await?;
    let options = w
        .js(
            "return Array.from(document.querySelectorAll('.theme-select option'), (o) => o.value);",
            json!([]),
        )
        .await?;
    ensure(options == json!(["auto", "light", "dark"]), || {
        format!("theme options {options}")
    })?;
    // Auto follows the OS, now and when the OS changes, and is remembered as auto.
    let s = &w.browser.session;
    s.js("const s = document.querySelector('.theme-select'); s.value = 'auto'; s.dispatchEvent(new Event('change'));", json!([]))
        .await?;
    ensure(w.js(shown, json!([])).await? == "dark", || {
        "auto did not follow the dark OS".into()
    })?;
    os_scheme(w, "light").await?;
    s.wait_for(
        "the page to follow the OS to light",
        "return document.documentElement.dataset.theme === 'light';",
        WAIT,
    )
    .await?;
    w.open("index.html").await?;
    let kept = w.js("return [document.documentElement.dataset.theme, document.querySelector('.theme-select').value];", json!([])).await?;
    ensure(kept == json!(["light", "auto"]), || {
        format!("after reload with a light OS: {kept}")
    })?;
    // Copy says "Copied" through the live region, not only on the button.
    let page = w
        .pages()
        .into_iter()
        .find(|p| p != "index.html" && !p.ends_with("404.html") && p != "print.html");
    let mut copied = false;
    for page in w.pages() {
        w.open(&page).await?;
        let has = w
            .js(
                "return !!document.querySelector('.snippet .copy:not([hidden])');",
                json!([]),
            )
            .await?;
        if has != json!(true) {
            continue;
        }
        w.js(
            "navigator.clipboard && (navigator.clipboard.writeText = () => Promise.resolve());",
            json!([]),
        )
        .await?;
        s.click(".snippet .copy:not([hidden])").await?;
        s.wait_for(
            "the live region to say Copied",
            "const r = document.getElementById('announce');
            return r && r.getAttribute('aria-live') === 'polite' && /Copied/.test(r.textContent);",
            WAIT,
        )
        .await?;
        copied = true;
        break;
    }
    ensure(copied, || {
        format!("no page has a copy button (first page: {page:?})")
    })?;
    // Permalinks stay out of the headings' accessible names and the tab order.
    let named = w
        .js("return Array.from(document.querySelectorAll('.permalink'))
               .filter((a) => a.getAttribute('aria-hidden') !== 'true' || a.tabIndex !== -1).length;", json!([]))
        .await?;
    ensure(named == 0, || {
        format!("{named} permalinks are in headings' names or the tab order")
    })?;
    os_scheme(w, "light").await
}

async fn token_contrast(w: &World) -> Result<()> {
    w.viewport(1280, 900, false).await?;
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in w.pages() {
        w.open(&page).await?;
        for theme in THEMES {
            w.theme(theme).await?;
            let found = w.js(CONTRAST_JS, json!([])).await?;
            checked += found["checked"].as_u64().unwrap_or(0);
            problems.extend(
                strings(&found["low"])
                    .into_iter()
                    .map(|p| format!("{page} ({theme}): {p}")),
            );
        }
    }
    ensure(checked > 100, || {
        format!("only {checked} code tokens measured")
    })?;
    no_problems("code text under 4.5:1", problems)
}

async fn axe_clean(w: &World) -> Result<()> {
    let mut problems = Vec::new();
    let sizes = [(1280, 900, false), (320, 640, true)];
    for (width, height, mobile) in sizes {
        w.viewport(width, height, mobile).await?;
        for page in w.pages() {
            w.open(&page).await?;
            w.js(&format!("{};return true;", w.axe), json!([])).await?;
            for theme in THEMES {
                w.theme(theme).await?;
                for v in axe_violations(w).await? {
                    problems.push(format!("{page} ({theme}, {width} px): {v}"));
                }
            }
        }
    }
    no_problems("axe-core (WCAG A/AA)", problems)
}

/// axe-core's violations on the open page (axe injected), as `rule: node, node (help)`.
async fn axe_violations(w: &World) -> Result<Vec<String>> {
    w.js(
        "window.__axe = null;
         axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
           .then((r) => { window.__axe = r.violations.map((v) => v.id + ': ' +
               v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ') + ' (' + v.help + ')'); },
                 (e) => { window.__axe = ['axe failed: ' + e]; });",
        json!([WCAG_TAGS]),
    )
    .await?;
    let found = w
        .browser
        .session
        .wait_for("axe-core", "return window.__axe;", Duration::from_secs(60))
        .await?;
    Ok(strings(&found))
}

async fn nested_404(w: &World) -> Result<()> {
    w.viewport(1280, 900, false).await?;
    let servers = [&w.site().server, &w.bare.1];
    for (server, missing) in servers
        .into_iter()
        .flat_map(|s| ["no-such-page.html", "deep/er/still/no-such-page.html"].map(|m| (s, m)))
    {
        let url = server.url(missing);
        w.browser.session.goto(&url).await?;
        let home = server.url("index.html");
        let look = "const a = document.querySelector('main a.home');
                    return a && a.href === arguments[0] &&
                           [getComputedStyle(document.querySelector('.site-header')).borderBottomStyle,
                            document.querySelector('#sidebar a') && document.querySelector('#sidebar a').href];";
        let mut seen = Value::Null;
        let deadline = std::time::Instant::now() + WAIT;
        while std::time::Instant::now() < deadline {
            seen = w.js(look, json!([home])).await?;
            // Styles may arrive after the links are right (the root-finding script adds both).
            if seen.is_array() && seen[0] == "solid" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        ensure(seen.is_array(), || {
            format!("{missing}: the start-page link never pointed at {home}")
        })?;
        ensure(seen[0] == "solid", || {
            format!("{missing}: the 404 page is unstyled ({seen})")
        })?;
        let nav = seen[1].as_str().unwrap_or_default();
        ensure(
            nav.starts_with(&server.url("")) && !nav.contains("/deep/"),
            || format!("{missing}: a navigation link points at {nav}"),
        )?;
        // The links lead somewhere real.
        w.browser.session.click("main a.home").await?;
        w.browser
            .session
            .wait_for("the start page", "return document.readyState === 'complete' && !document.querySelector('main a.home') && document.title;", WAIT)
            .await?;
    }
    // The only console errors allowed are the 404 responses themselves (the missing page, and
    // the root-finding script's misses in folders that are not the root).
    let errors = w.browser.console_errors().await?;
    let other: Vec<_> = errors
        .iter()
        .filter(|e| !e.contains("no-such-page.html") && !e.contains("/static/site.js - "))
        .collect();
    ensure(other.is_empty(), || {
        format!("console errors on the 404 page: {other:?}")
    })?;
    let (outside, _) = w.browser.outside_requests().await?;
    ensure(outside.is_empty(), || {
        format!("requests to other hosts: {outside:?}")
    })
}

async fn print_links(w: &World) -> Result<()> {
    w.viewport(1280, 900, false).await?;
    w.open("print.html").await?;
    let found = w
        .js(
            "const bad = [], pages = document.querySelectorAll('article.print-page').length;
             let inside = 0;
             for (const a of document.querySelectorAll('main a[href]')) {
               const href = a.getAttribute('href');
               if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue;
               if (href.startsWith('#')) {
                 if (document.getElementById(decodeURIComponent(href.slice(1)))) { inside++; continue; }
                 bad.push(href + ': no such anchor in print.html');
               } else if (/\\.html(#|$)/.test(href)) {
                 bad.push(href + ': leaves print.html');
               }
             }
             const cover = document.querySelector('.print-cover');
             return { bad, inside, pages,
                      title: cover && cover.querySelector('h1') && cover.querySelector('h1').textContent,
                      date: cover && cover.querySelector('time[datetime]') && cover.querySelector('time').getAttribute('datetime'),
                      contents: cover ? cover.querySelectorAll('.print-contents > ol > li > a[href^=\"#\"]').length : 0 };",
            json!([]),
        )
        .await?;
    no_problems("print.html links", strings(&found["bad"]))?;
    let pages = found["pages"].as_u64().unwrap_or(0);
    ensure(
        pages >= 3 && found["inside"].as_u64().unwrap_or(0) > pages,
        || format!("print.html: too few pages or inner links: {found}"),
    )?;
    ensure(
        found["title"]
            .as_str()
            .is_some_and(|t| !t.trim().is_empty()),
        || format!("print.html has no cover title: {found}"),
    )?;
    ensure(
        found["date"].as_str().is_some_and(|d| d.len() == 10),
        || format!("print.html's cover has no date: {found}"),
    )?;
    ensure(found["contents"].as_u64() == Some(pages), || {
        format!(
            "print.html's contents list {} of {pages} pages",
            found["contents"]
        )
    })?;
    w.browser.assert_clean("print").await
}

async fn screenshots(w: &World) -> Result<()> {
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let page = w
        .pages()
        .into_iter()
        .find(|p| !["index.html", "404.html", "print.html"].contains(&p.as_str()))
        .unwrap_or_else(|| "index.html".into());
    let shots: [(&str, u32, u32, bool, &str); 5] = [
        ("desktop", 1280, 900, false, "index.html"),
        ("desktop", 1280, 900, false, page.as_str()),
        ("phone", 320, 640, true, page.as_str()),
        ("phone", 320, 640, true, "deep/no-such-page.html"),
        ("desktop", 1280, 900, false, "print.html"),
    ];
    for (size, width, height, mobile, page) in shots {
        w.viewport(width, height, mobile).await?;
        for theme in THEMES {
            w.open(page).await?;
            w.theme(theme).await?;
            let name = page.trim_end_matches(".html").replace('/', "-");
            write_png(w, &dir.join(format!("ux-{name}-{theme}-{size}.png"))).await?;
        }
    }
    // The phone with the navigation open and with search results.
    w.viewport(320, 640, true).await?;
    w.open(&page).await?;
    w.browser.session.click(".nav-toggle").await?;
    write_png(w, &dir.join("ux-phone-nav-open.png")).await?;
    w.open(&page).await?;
    w.browser
        .session
        .type_into("#search-input", "token")
        .await?;
    w.browser
        .session
        .wait_for(
            "search results",
            "return document.querySelector('#search-results a');",
            WAIT,
        )
        .await?;
    write_png(w, &dir.join("ux-phone-search.png")).await
}

async fn write_png(w: &World, file: &Path) -> Result<()> {
    let png = w.browser.session.screenshot().await?;
    ensure(png.starts_with(b"\x89PNG"), || {
        format!("{}: not a PNG", file.display())
    })?;
    std::fs::write(file, &png).map_err(|e| format!("{}: {e}", file.display()))
}

//! `helpsite serve` verifies by default (issue 13): with no report, it runs the snippets in the
//! background; pages show "running…" until each snippet's result arrives as a `mark` event (put
//! in place by live.js), the report is written at the end, and editing a snippet runs its chain
//! again. Saves still rebuild while snippets run.

use std::time::{Duration, Instant};

use crate::serve_support::Server;
use crate::support::Site;

const PAGE: &str = "+++\ntitle = \"Live\"\n+++\n\n# Live\n\n## Slow\n\n\
```bash {name=slow}\nsleep 2\n```\n\n## Fails\n\n```bash {name=fails isolated}\nexit 3\n```\n";

/// Waits up to `wait` for the next `mark` event, as (id, html).
fn next_mark(
    events: &mut crate::serve_support::Events,
    wait: Duration,
) -> Option<(String, String)> {
    let deadline = Instant::now() + wait;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let (name, data) = events.next(left)?;
        if name == "mark" {
            let json: serde_json::Value = serde_json::from_str(&data).unwrap();
            return Some((
                json["id"].as_str().unwrap().to_string(),
                json["html"].as_str().unwrap().to_string(),
            ));
        }
    }
    None
}

#[test]
fn serve_runs_the_snippets_and_updates_the_marks_live() {
    let site = Site::new().file("content/_index.md", PAGE).build();
    let server = Server::start_running(site.path());
    let mut events = server.events();

    // While `slow` sleeps, the page says it is running (not "no test report").
    let deadline = Instant::now() + Duration::from_secs(20);
    let running = loop {
        let home = server.get("/").body;
        if home.contains("snippet-mark-running") || Instant::now() > deadline {
            break home;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(running.contains("running…"), "{running}");
    assert!(!running.contains("no test report"), "{running}");

    // A save during the run still rebuilds and reloads.
    let saved = Instant::now();
    let page = site.path().join("content/_index.md");
    std::fs::write(&page, format!("{PAGE}\nSaved while running.\n")).unwrap();
    let mut marks = Vec::new();
    let mut reloaded = None;
    while marks.len() < 2 || reloaded.is_none() {
        let (name, data) = events
            .next(Duration::from_secs(30))
            .unwrap_or_else(|| panic!("events so far: marks {marks:?}, reload {reloaded:?}"));
        match name.as_str() {
            "reload" if reloaded.is_none() => reloaded = Some(saved.elapsed()),
            "mark" => {
                let json: serde_json::Value = serde_json::from_str(&data).unwrap();
                marks.push((
                    json["id"].as_str().unwrap().to_string(),
                    json["html"].as_str().unwrap().to_string(),
                ));
            }
            _ => {}
        }
    }
    let slow = marks
        .iter()
        .find(|(id, _)| id == "s-index--slow--slow")
        .expect("slow's mark");
    assert!(slow.1.contains("snippet-mark-verified"), "{marks:?}");
    let fails = marks
        .iter()
        .find(|(id, _)| id == "s-index--fails--fails")
        .expect("fails' mark");
    assert!(fails.1.contains("snippet-mark-failing"), "{marks:?}");
    assert!(
        reloaded.unwrap() < Duration::from_secs(2),
        "the save waited for the snippets: {reloaded:?}"
    );

    // The run ends with the report written, and the rebuilt page shows the results.
    let report = site.path().join(".helpsite-report.json");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !report.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["snippets"].as_array().unwrap().len(), 2, "{json}");

    // Fixing `fails` runs its chain again (only it: `slow` is current) and marks it verified.
    std::fs::write(&page, PAGE.replace("exit 3", "exit 0")).unwrap();
    let (id, html) = loop {
        let (id, html) =
            next_mark(&mut events, Duration::from_secs(30)).expect("a mark for the fix");
        if !html.contains("snippet-mark-running") {
            break (id, html);
        }
    };
    assert_eq!(id, "s-index--fails--fails");
    assert!(html.contains("snippet-mark-verified"), "{html}");
}

#[test]
fn no_run_leaves_the_marks_to_the_report() {
    let site = Site::new().file("content/_index.md", PAGE).build();
    let server = Server::start(site.path());
    std::thread::sleep(Duration::from_millis(500));
    let home = server.get("/").body;
    assert!(home.contains("no test report"), "{home}");
    assert!(!site.path().join(".helpsite-report.json").exists());
}

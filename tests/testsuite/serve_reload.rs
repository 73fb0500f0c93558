//! `helpsite serve` live reload: a saved edit rebuilds and open pages hear `reload`; a build
//! error is shown (event `build-error`, also to pages that connect while it lasts) while the last
//! good site stays served; fixing the file clears it with a reload.

use crate::serve_support::{Server, fixture, html_paths};

/// The served pages whose body contains `marker`.
fn pages_with(server: &Server, marker: &str) -> Vec<String> {
    html_paths(&server.out)
        .into_iter()
        .filter(|path| server.get(path).body.contains(marker))
        .collect()
}

#[test]
fn an_edit_rebuilds_and_reloads_open_pages() {
    let site = fixture("serve-site");
    let server = Server::start(site.path());
    let mut events = server.events();
    let page = site.path().join("content/guide/fix.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{text}\nA line added while serving: edit-marker-1.\n"),
    )
    .unwrap();
    let reload = events.expect("reload");
    assert!(reload["generation"].as_u64().unwrap() >= 2, "{reload}");
    assert!(!pages_with(&server, "edit-marker-1").is_empty());
}

#[test]
fn a_build_error_shows_keeps_the_last_good_site_and_clears_when_fixed() {
    let site = fixture("serve-site");
    let server = Server::start(site.path());
    let mut events = server.events();
    let home_before = server.get("/").body;
    let bad = site.path().join("content/guide/bad.md");
    std::fs::write(&bad, "+++\ntitle = 3\n+++\n\n# Bad\n").unwrap();
    let error = events.expect("build-error");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("bad.md"), "{message}");
    assert_eq!(
        server.get("/").body,
        home_before,
        "the last good site stays served"
    );
    // A page opened now hears about the error at once.
    let mut late = server.events();
    let late_error = late.expect("build-error");
    assert_eq!(late_error["message"], error["message"]);
    std::fs::write(
        &bad,
        "+++\ntitle = \"Bad no more\"\n+++\n\n# Fixed: fixed-marker\n",
    )
    .unwrap();
    events.expect("reload");
    late.expect("reload");
    assert!(!pages_with(&server, "fixed-marker").is_empty());
    let mut fresh = server.events();
    assert!(
        fresh.next(std::time::Duration::from_millis(300)).is_none(),
        "no error after the fix"
    );
}

#[test]
fn a_bad_snippet_profile_is_a_build_error_with_its_line() {
    let site = fixture("serve-site");
    let server = Server::start(site.path());
    let mut events = server.events();
    let bad = site.path().join("content/guide/bad.md");
    std::fs::write(&bad, "+++\n[snippets]\nprofile = \"gitea\"\n+++\n\n# Bad\n").unwrap();
    let error = events.expect("build-error");
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("content/guide/bad.md:3:11: key `profile`: unknown variant `gitea`"),
        "{message}"
    );
}

#[test]
fn a_first_build_that_fails_serves_a_placeholder_until_fixed() {
    let site = fixture("serve-site");
    let bad = site.path().join("content/bad.md");
    std::fs::write(&bad, "+++\nnot toml at all\n+++\n").unwrap();
    let server = Server::start(site.path());
    let placeholder = server.get("/");
    assert_eq!(placeholder.status, 503);
    assert!(
        placeholder.body.contains("no successful build yet"),
        "{}",
        placeholder.body
    );
    let mut events = server.events();
    events.expect("build-error");
    std::fs::remove_file(&bad).unwrap();
    events.expect("reload");
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_broken_link_is_shown_with_its_place_until_fixed() {
    let site = fixture("serve-site");
    let server = Server::start(site.path());
    let mut events = server.events();
    let page = site.path().join("content/guide/fix.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nSee [nowhere](missing.md).\n")).unwrap();
    let error = events.expect("build-error");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("content/guide/fix.md:"), "{message}");
    assert!(message.contains("missing.md"), "{message}");
    std::fs::write(&page, text).unwrap();
    events.expect("reload");
}

#[test]
fn a_new_test_report_reloads_open_pages_with_its_marks() {
    let site = fixture("serve-site");
    let server = Server::start(site.path());
    let mut events = server.events();
    let report = serde_json::json!({"version": 1, "generated": "2026-11-28T10:00:00Z",
        "git_version": "2.47.3", "profile": "bitbucket", "as_of": "2026-11-28", "snippets": []});
    // As `helpsite test --report` writes it: a temporary file renamed into place.
    let tmp = site.path().join(".helpsite-report.json.tmp");
    std::fs::write(&tmp, report.to_string()).unwrap();
    std::fs::rename(&tmp, site.path().join(".helpsite-report.json")).unwrap();
    events.expect("reload");
    let tested = server.get("/how-this-guide-is-tested.html").body;
    assert!(tested.contains("git 2.47.3"), "{tested}");
}

/// The inode of the served folder: a full build swaps in a new folder, the fast path for an
/// edit to one page's text writes into the one being served.
fn out_inode(server: &Server) -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata(&server.out).unwrap().ino()
}

/// Waits (up to 20 s) until the served file at `path` contains `marker`.
fn eventually_contains(server: &Server, path: &str, marker: &str) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        if server.get(path).body.contains(marker) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

#[test]
fn an_edit_to_one_pages_text_updates_it_in_place_and_the_search_index_after() {
    let site = fixture("serve-site");
    let server = Server::start(site.path());
    let mut events = server.events();
    let before = out_inode(&server);
    let home = server.get("/").body;
    let page = site.path().join("content/guide/fix.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nNow with fastpathmarker.\n")).unwrap();
    events.expect("reload");
    assert_eq!(out_inode(&server), before, "written in place, not swapped");
    assert!(
        server
            .get("/guide/fix.html")
            .body
            .contains("fastpathmarker")
    );
    assert_eq!(server.get("/").body, home, "other pages are left alone");
    assert!(
        eventually_contains(&server, "/static/search-index.js", "fastpathmarker"),
        "the search index follows"
    );
    assert!(eventually_contains(
        &server,
        "/print.html",
        "fastpathmarker"
    ));
}

#[test]
fn an_edit_that_changes_more_than_its_page_is_a_full_build() {
    let site = fixture("serve-site");
    let server = Server::start(site.path());
    let mut events = server.events();
    let page = site.path().join("content/guide/fix.md");
    let text = std::fs::read_to_string(&page).unwrap();
    // A new title is in every page's navigation.
    let before = out_inode(&server);
    std::fs::write(&page, text.replace("Fixing a push", "Retitledpage")).unwrap();
    events.expect("reload");
    assert_ne!(out_inode(&server), before, "a new build was swapped in");
    assert!(server.get("/").body.contains("Retitledpage"));
    // A broken link (front matter unchanged) is reported as a full build reports it.
    let retitled = text.replace("Fixing a push", "Retitledpage");
    std::fs::write(&page, format!("{retitled}\n[gone](nope.md)\n")).unwrap();
    let error = events.expect("build-error");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("broken link 'nope.md'"), "{message}");
    assert!(!server.get("/guide/fix.html").body.contains("nope.md"));
}

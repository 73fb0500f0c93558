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

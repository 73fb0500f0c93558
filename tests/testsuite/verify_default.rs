//! Verification by default (issue 13): `helpsite test` writes ROOT/.helpsite-report.json without
//! being asked, a filtered run merges into it instead of replacing it, and `helpsite build`
//! refuses to publish while the report records a failing snippet (unless `--allow-failing`),
//! naming each one as file:line.

use std::path::Path;

use assert_cmd::Command;

fn helpsite(root: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("helpsite")
        .unwrap()
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

fn report(root: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(root.join(".helpsite-report.json"))
        .expect("helpsite test wrote the default report");
    serde_json::from_str(&text).unwrap()
}

fn names(report: &serde_json::Value) -> Vec<String> {
    report["snippets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}={}",
                e["name"].as_str().unwrap(),
                e["verdict"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn test_writes_the_default_report_and_a_filtered_run_merges_into_it() {
    let site = crate::serve_support::fixture("verify-run-site");
    let out = helpsite(site.path(), &["test"]);
    assert_eq!(out.status.code(), Some(1));
    let full = report(site.path());
    assert_eq!(
        names(&full),
        [
            "index::say_hello::hello=passed",
            "index::fail::fails=failed"
        ]
    );
    let first_run = full["snippets"][1]["ran"].clone();

    // Make `hello` fail, then run only it: `fails` keeps its entry (and its run date).
    let page = site.path().join("content/_index.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("echo hello > greeting.txt", "exit 4")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let out = helpsite(site.path(), &["test", "hello"]);
    assert_eq!(out.status.code(), Some(1));
    let merged = report(site.path());
    assert_eq!(
        names(&merged),
        [
            "index::say_hello::hello=failed",
            "index::fail::fails=failed"
        ],
        "a filtered run replaced the report instead of merging"
    );
    assert_eq!(merged["snippets"][1]["ran"], first_run);
    assert_ne!(merged["snippets"][0]["ran"], first_run);

    // --no-report leaves it alone.
    std::fs::remove_file(site.path().join(".helpsite-report.json")).unwrap();
    helpsite(site.path(), &["test", "--no-report"]);
    assert!(!site.path().join(".helpsite-report.json").exists());
}

#[test]
fn a_malformed_report_is_not_overwritten_by_a_filtered_run() {
    let site = crate::serve_support::fixture("verify-run-site");
    let path = site.path().join(".helpsite-report.json");
    std::fs::write(&path, "{\"version\": 1,\n  oops").unwrap();
    let out = helpsite(site.path(), &["test", "hello"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(".helpsite-report.json:2:") && stderr.contains("not a snippet report"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{\"version\": 1,\n  oops"
    );
}

#[test]
fn build_refuses_to_publish_failing_snippets_unless_allowed() {
    let site = crate::serve_support::fixture("verify-run-site");
    helpsite(site.path(), &["test"]);
    let out = helpsite(site.path(), &["build"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("1 failing snippet")
            && stderr.contains("content/_index.md:15: index::fail::fails")
            && stderr.contains("--allow-failing"),
        "{stderr}"
    );
    assert!(
        !site.path().join("public").exists(),
        "a refused build published the site"
    );

    let out = helpsite(site.path(), &["build", "--allow-failing"]);
    assert_eq!(out.status.code(), Some(0));
    let home = std::fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert!(home.contains("snippet-mark-failing"));

    // Once the failing snippet is fixed and run again, the build goes through.
    let page = site.path().join("content/_index.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("exit 3", "exit 0")).unwrap();
    helpsite(site.path(), &["test", "fails"]);
    let out = helpsite(site.path(), &["build"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

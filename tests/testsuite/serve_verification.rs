//! Verification marks end to end: `helpsite build --report FILE` marks each snippet from the
//! report (verified with date and git version, failing, not run with its reason), a snippet
//! edited after the run shows as not verified, and the generated "How this guide is tested"
//! page lists every snippet with its status.

use std::path::Path;

use assert_cmd::Command;
use serde_json::json;

/// A report in the contracts' format for the fixture's snippets, with their current hashes.
fn write_report(root: &Path, verdicts: &[(&str, &str)]) -> std::path::PathBuf {
    let site = helpsite::site::Site::load(root).unwrap();
    let rendered = site.render().unwrap();
    let snippets: Vec<_> = rendered
        .iter()
        .flat_map(|r| &r.snippets)
        .filter_map(|s| {
            let verdict = verdicts
                .iter()
                .find(|(name, _)| s.test_name.ends_with(name))?
                .1;
            Some(
                json!({"name": s.test_name, "file": s.file, "line": s.line, "verdict": verdict,
                        "reason": (verdict == "failed").then_some("output differs"),
                        "duration_ms": 5, "hash": s.hash()}),
            )
        })
        .collect();
    assert_eq!(snippets.len(), verdicts.len(), "{snippets:?}");
    let report = json!({"version": 1, "generated": "2026-11-28T10:00:00Z", "git_version": "2.47.3",
                        "profile": "bitbucket", "as_of": "2026-11-28", "snippets": snippets});
    let path = root.join("report.json");
    std::fs::write(&path, report.to_string()).unwrap();
    path
}

fn build(root: &Path, report: &Path) -> (String, String) {
    Command::cargo_bin("helpsite")
        .unwrap()
        .args(["build", "--quiet", "--allow-failing", "--root"])
        .arg(root)
        .arg("--report")
        .arg(report)
        .assert()
        .success();
    let read = |name: &str| std::fs::read_to_string(root.join("public").join(name)).unwrap();
    (read("index.html"), read("how-this-guide-is-tested.html"))
}

#[test]
fn snippets_show_their_verdicts_and_go_stale_when_edited() {
    let site = crate::serve_support::fixture("verify-site");
    let report = write_report(site.path(), &[("::push", "passed"), ("::status", "failed")]);
    let (home, tested) = build(site.path(), &report);
    assert!(home.contains("snippet-mark-verified"), "{home}");
    assert!(home.contains("output as shown, verified 2026-11-28 with git 2.47.3"));
    assert!(home.contains("failing in the run of 2026-11-28"));
    assert!(home.contains("not run: shows a file the reader edits"));
    for name in ["index::pushing::push", "index::pushing::status"] {
        assert!(tested.contains(name), "{name} missing from the tested page");
    }
    assert!(
        tested.contains("the bitbucket profile, dated 2026-11-28"),
        "{tested}"
    );
    assert!(tested.contains("remote --profile bitbucket --as-of 2026-11-28"));

    let page = site.path().join("content/_index.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        text.replace("$ git push\n", "$ git push origin main\n"),
    )
    .unwrap();
    let (home, _) = build(site.path(), &report);
    assert!(
        !home.contains("snippet-mark-verified"),
        "an edited snippet stays verified"
    );
    assert!(home.contains("not verified: changed since the test run of 2026-11-28"));
}

#[test]
fn a_missing_report_given_on_the_command_line_is_an_error() {
    let site = crate::serve_support::fixture("verify-site");
    Command::cargo_bin("helpsite")
        .unwrap()
        .args(["build", "--root"])
        .arg(site.path())
        .args(["--report", "no-such-report.json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no-such-report.json"));
}

#[test]
fn build_verify_runs_the_snippets_first_and_marks_their_verdicts() {
    let site = crate::serve_support::fixture("verify-run-site");
    Command::cargo_bin("helpsite")
        .unwrap()
        .args(["build", "--verify", "--allow-failing", "--root"])
        .arg(site.path())
        .assert()
        .code(1);
    let report = site.path().join(".helpsite-report.json");
    assert!(report.is_file(), "--verify writes the default report");
    let home = std::fs::read_to_string(site.path().join("public/index.html")).unwrap();
    let marks: Vec<&str> = home
        .match_indices("snippet-mark-")
        .map(|(i, _)| &home[i..i + 20])
        .collect();
    assert!(
        marks.iter().any(|m| m.starts_with("snippet-mark-verifie")),
        "{marks:?}"
    );
    assert!(
        marks.iter().any(|m| m.starts_with("snippet-mark-failing")),
        "{marks:?}"
    );
}

#[test]
fn marks_of_a_run_without_the_sandbox_say_so() {
    let site = crate::serve_support::fixture("verify-site");
    let report = write_report(site.path(), &[("::push", "passed"), ("::status", "passed")]);
    let (home, _) = build(site.path(), &report);
    assert!(!home.contains("without the sandbox"), "{home}");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    json["isolated"] = serde_json::Value::Bool(false);
    std::fs::write(&report, json.to_string()).unwrap();
    let (home, tested) = build(site.path(), &report);
    assert_eq!(
        home.matches("(ran without the sandbox)").count(),
        2,
        "each mark of the run says it: {home}"
    );
    assert!(
        home.contains("with git 2.47.3, without the sandbox)"),
        "{home}"
    );
    assert!(tested.contains("without"), "{tested}");
}

#[test]
fn transcripts_show_the_output_the_recorded_run_printed() {
    let site = crate::serve_support::fixture("snippets-kinds");
    let push = |html: &str| {
        let at = html
            .find("data-snippet=\"kinds::the_mock_remote::push_with_token\"")
            .unwrap();
        let end = html[at..].find("</pre>").unwrap() + at;
        html[at..end].to_string()
    };
    Command::cargo_bin("helpsite")
        .unwrap()
        .args(["build", "--quiet", "--root"])
        .arg(site.path())
        .assert()
        .success();
    let before = push(&std::fs::read_to_string(site.path().join("public/kinds.html")).unwrap());
    assert_eq!(
        before.matches("class=\"placeholder\"").count(),
        2,
        "{before}"
    );

    Command::cargo_bin("helpsite")
        .unwrap()
        .args(["test", "kinds::the_mock_remote", "--root"])
        .arg(site.path())
        .assert()
        .success();
    Command::cargo_bin("helpsite")
        .unwrap()
        .args(["build", "--quiet", "--root"])
        .arg(site.path())
        .assert()
        .success();
    let after = push(&std::fs::read_to_string(site.path().join("public/kinds.html")).unwrap());
    assert!(!after.contains("class=\"placeholder\""), "{after}");
    let filled: Vec<&str> = after
        .match_indices("in the recorded run\">")
        .map(|(i, m)| &after[i + m.len()..i + m.len() + 7])
        .collect();
    assert_eq!(filled.len(), 2, "{after}");
    assert!(
        filled
            .iter()
            .all(|v| v.chars().all(|c| c.is_ascii_hexdigit())),
        "{filled:?}"
    );
    assert!(after.contains("  main -&gt; main"), "{after}");
}

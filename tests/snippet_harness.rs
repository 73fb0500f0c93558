//! The libtest-mimic harness (tests/snippets.rs) pointed at a fixture site through
//! `HELPSITE_SNIPPETS_ROOT`: the listing nextest reads (`--list --format terse`, with and without
//! `--ignored`), `--exact NAME` replaying the chain's earlier snippets, and filters.
//!
//! The harness binary is a sibling of this test's binary in target/…/deps (cargo builds every
//! test target before running any); when it is missing the test fails and says how to build it.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

fn harness_binary() -> PathBuf {
    let me = std::env::current_exe().unwrap();
    let deps = me.parent().unwrap();
    let newest = std::fs::read_dir(deps)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("snippets-") && p.extension().is_none()
        })
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok());
    newest.expect("the snippets harness is not built: run `cargo test --test snippets --no-run`")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn harness(site: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(harness_binary())
        .args(args)
        .env("HELPSITE_SNIPPETS_ROOT", fixture(site))
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code(), text)
}

#[test]
fn lists_one_test_per_snippet_in_nextest_terse_format() {
    let (code, out) = harness("snippets-kinds", &["--list", "--format", "terse"]);
    assert_eq!(code, Some(0), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 19, "{out}");
    assert!(lines.contains(&"kinds::console_transcripts::basics: test"));
    assert!(lines.contains(&"kinds::the_mock_remote::push_with_token: test"));
    assert!(lines.contains(&"network::other_hosts_are_refused::console_1: test"));
    let (_, ignored) = harness(
        "snippets-kinds",
        &["--list", "--format", "terse", "--ignored"],
    );
    assert_eq!(ignored.trim(), "kinds::config_files::toml_4: test");
}

#[test]
fn exact_runs_one_snippet_after_replaying_its_chain() {
    // push_with_token only passes if clone_with_token ran before it in the same sandbox.
    let name = "kinds::the_mock_remote::push_with_token";
    let (code, out) = harness("snippets-kinds", &["--exact", name, "--nocapture"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("1 passed; 0 failed; 0 ignored; 0 measured; 18 filtered out"),
        "{out}"
    );
}

#[test]
fn a_failing_replayed_step_is_named() {
    let name = "fail::a_broken_chain::after_broken";
    let (code, out) = harness("snippets-failing", &["--exact", name]);
    assert_eq!(code, Some(101), "{out}");
    assert!(
        out.contains("step fail::a_broken_chain::broken_step at content/fail.md:33 failed"),
        "{out}"
    );
}

#[test]
fn ignored_snippets_show_their_reason_when_run() {
    let (code, out) = harness("snippets-kinds", &["--ignored", "toml_4"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("toml_4 ... ignored (shown for reference only)"),
        "{out}"
    );
}

//! The libtest-mimic harness itself, checked from inside tests/snippets.rs: each check reruns
//! this very binary (`current_exe`) pointed at a fixture site through `HELPSITE_SNIPPETS_ROOT`,
//! and looks at the listing nextest reads (`--list --format terse`, with and without
//! `--ignored`), `--exact NAME` replaying the chain's earlier snippets, and filters. The checks
//! are trials named `harness_self_test::…`, added only when no other root is given.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use libtest_mimic::{Failed, Trial};

/// The self-checks as trials.
pub(crate) fn trials() -> Vec<Trial> {
    let checks: [(&str, fn()); 4] = [
        (
            "lists_one_test_per_snippet_in_nextest_terse_format",
            lists_one_test_per_snippet_in_nextest_terse_format,
        ),
        (
            "exact_runs_one_snippet_after_replaying_its_chain",
            exact_runs_one_snippet_after_replaying_its_chain,
        ),
        (
            "a_failing_replayed_step_is_named",
            a_failing_replayed_step_is_named,
        ),
        (
            "ignored_snippets_show_their_reason_when_run",
            ignored_snippets_show_their_reason_when_run,
        ),
    ];
    checks
        .into_iter()
        .map(|(name, check)| {
            Trial::test(format!("harness_self_test::{name}"), move || {
                std::panic::catch_unwind(check).map_err(|panic| {
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
                    Failed::from(message.unwrap_or_else(|| "panicked".into()))
                })
            })
        })
        .collect()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn harness(site: &str, args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(args)
        .env("HELPSITE_SNIPPETS_ROOT", fixture(site))
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code(), text)
}

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

fn a_failing_replayed_step_is_named() {
    let name = "fail::a_broken_chain::after_broken";
    let (code, out) = harness("snippets-failing", &["--exact", name]);
    assert_eq!(code, Some(101), "{out}");
    assert!(
        out.contains("step fail::a_broken_chain::broken_step at content/fail.md:33 failed"),
        "{out}"
    );
}

fn ignored_snippets_show_their_reason_when_run() {
    let (code, out) = harness("snippets-kinds", &["--ignored", "toml_4"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("toml_4 ... ignored (shown for reference only)"),
        "{out}"
    );
}

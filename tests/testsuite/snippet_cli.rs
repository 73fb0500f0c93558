//! `helpsite test` over the fixture sites tests/fixtures/snippets-*: every fence kind and
//! attribute passing against the mock remote, deliberate failures with their messages and
//! diffs, the timeout, the network guard, credential isolation, malformed input, the report
//! and `--overwrite` (golden file).

use std::path::Path;

use assert_cmd::Command;

use crate::support::{Site, fixture};

/// `helpsite test --root ROOT` without the default report: the fixtures are read in place, and
/// a report written there would land in the source tree.
fn helpsite_test(root: &Path) -> Command {
    let mut cmd = with_report(root);
    cmd.arg("--no-report");
    cmd
}

/// `helpsite test --root ROOT`; the caller gives `--report FILE`.
fn with_report(root: &Path) -> Command {
    let mut cmd = Command::cargo_bin("helpsite").unwrap();
    cmd.arg("test").arg("--root").arg(root);
    cmd
}

fn stdout_of(cmd: &mut Command, code: i32) -> String {
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    stdout
}

#[test]
fn every_kind_and_attribute_passes_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let root = fixture("snippets-kinds");
    let stdout = stdout_of(
        with_report(&root)
            .arg("kinds::")
            .arg("--report")
            .arg(&report),
        0,
    );
    for name in [
        "kinds::console_transcripts::basics",
        "kinds::state_carries_over::sh_1",
        "kinds::state_carries_over::console_2",
        "kinds::state_carries_over::bash_3",
        "kinds::state_carries_over::shell_4",
        "kinds::state_carries_over::python_status",
        "kinds::config_files::console_3",
        "kinds::a_fresh_chain::console_1",
        "kinds::a_fresh_chain::console_2",
        "kinds::the_mock_remote::clone_with_token",
        "kinds::the_mock_remote::push_with_token",
        "kinds::deleting_the_working_directory::deletes_its_workdir",
    ] {
        assert!(
            stdout.contains(&format!("test {name} ... ok\n")),
            "{name} missing:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("test kinds::config_files::toml_4 ... ignored, shown for reference only")
    );
    assert!(
        !stdout.contains("::text_"),
        "text blocks are not tests:\n{stdout}"
    );
    // `file=` blocks write a file and check nothing: counted as written, not passed.
    for name in ["kinds::config_files::ini_1", "kinds::config_files::toml_2"] {
        assert!(
            stdout.contains(&format!("test {name} ... written\n")),
            "{name} missing:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("12 passed; 0 failed; 1 ignored; 2 written"),
        "{stdout}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["profile"], "bitbucket");
    let entries = json["snippets"].as_array().unwrap();
    assert_eq!(entries.len(), 15);
    let basics = &entries[0];
    assert_eq!(basics["name"], "kinds::console_transcripts::basics");
    assert_eq!(basics["file"], "content/kinds.md");
    assert_eq!(basics["line"], 13);
    assert_eq!(basics["verdict"], "passed");
    assert_eq!(basics["hash"].as_str().unwrap().len(), 64);
    assert!(
        basics.get("written").is_none(),
        "only file= entries say written"
    );
    let written: Vec<&str> = entries
        .iter()
        .filter(|e| e["written"] == true)
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        written,
        ["kinds::config_files::ini_1", "kinds::config_files::toml_2"]
    );
    let ignored = entries.iter().find(|e| e["verdict"] == "ignored").unwrap();
    assert_eq!(ignored["reason"], "shown for reference only");
}

#[test]
fn failures_name_the_place_the_command_and_a_diff() {
    let stdout = stdout_of(&mut helpsite_test(&fixture("snippets-failing")), 1);
    let expect = [
        "content/fail.md:7: fail::wrong_output::wrong_output failed\ncontent/fail.md:8: $ echo actual\n  output differs:\n",
        "       1      - expected\n            1 + actual\n",
        "content/fail.md:22: $ true\n  exit status 0, expected 2\n",
        "content/fail.md:26: fail::wrong_status::script_fails failed\n  exit status 1, expected 0\n  output:\n    about to fail\n",
        "---- fail::a_broken_chain::after_broken ----\nstep fail::a_broken_chain::broken_step at content/fail.md:33 failed: `$ cd does-not-exist` exited with 1, expected 0\n",
        "            1 + bash: cd: does-not-exist: No such file or directory\n",
        "content/fail.md:45: $ (sleep 7.123; echo late) & sleep 30\n  timed out after 500ms; its process group was killed\n",
        "the chain's shell is gone: timed out after 500ms",
        "1 passed; 7 failed; 0 ignored",
        "test fail::wrong_output::after_wrong_output ... ok\n",
    ];
    for piece in expect {
        assert!(stdout.contains(piece), "missing {piece:?} in:\n{stdout}");
    }
    // The timed-out command's background child was killed with its process group.
    let ps = std::process::Command::new("ps")
        .args(["-eo", "args"])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&ps.stdout).contains("sleep 7.123"),
        "left running"
    );
}

#[test]
fn network_is_refused_and_host_credentials_stay_unread() {
    let home = tempfile::tempdir().unwrap();
    let marker = "host-secret-marker-4711";
    // Valid on the mock: if the sandbox could read them, the clone would succeed and fail the test.
    std::fs::write(
        home.path().join(".git-credentials"),
        format!("https://username:fixture-made-up-api-token@bitbucket.org\n# {marker}\n"),
    )
    .unwrap();
    let gitconfig = format!("[credential]\n\thelper = store\n[user]\n\tname = {marker}\n");
    std::fs::write(home.path().join(".gitconfig"), gitconfig).unwrap();
    let mut cmd = helpsite_test(&fixture("snippets-kinds"));
    cmd.arg("network::").env("HOME", home.path());
    let stdout = stdout_of(&mut cmd, 0);
    assert!(stdout.contains("2 passed; 0 failed"), "{stdout}");
    assert!(!stdout.contains(marker));
}

#[test]
fn the_site_scenario_and_page_dates_reach_the_mock() {
    // helpsite.toml's [remote] holds an app password: accepted on a page dated 2026-05-01
    // (`[snippets] as_of`), refused with 410 on the scenario's own date, 2026-11-28.
    let stdout = stdout_of(helpsite_test(&fixture("snippets-kinds")).arg("dated::"), 0);
    assert!(
        stdout.contains("test dated::app_passwords_still_worked_in_may_2026::console_1 ... ok")
    );
    assert!(
        stdout.contains("test undated::app_passwords_are_gone_in_november_2026::console_1 ... ok")
    );
    assert!(stdout.contains("2 passed; 0 failed"), "{stdout}");
}

#[test]
fn overwrite_rewrites_failing_transcripts_only() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("snippets-overwrite");
    std::fs::create_dir(dir.path().join("content")).unwrap();
    std::fs::copy(src.join("helpsite.toml"), dir.path().join("helpsite.toml")).unwrap();
    let page = dir.path().join("content/page.md");
    std::fs::copy(src.join("content/page.md"), &page).unwrap();
    let stdout = stdout_of(helpsite_test(dir.path()).arg("--overwrite"), 1);
    assert!(stdout.contains("overwrote 3 command(s)"), "{stdout}");
    let golden = std::fs::read_to_string(src.join("expected.md")).unwrap();
    assert_eq!(std::fs::read_to_string(&page).unwrap(), golden);
    stdout_of(&mut helpsite_test(dir.path()), 0);
}

fn site_with(page: &str) -> tempfile::TempDir {
    Site::new().file("content/bad.md", page).build()
}

#[test]
fn malformed_fences_and_transcripts_are_errors_with_a_position() {
    let cases = [
        (
            "+++\ntitle = \"x\"\n+++\n\n```console {name=x colour=red}\n$ true\n```\n",
            "content/bad.md:5:20: unknown attribute `colour`; known: name, timeout",
        ),
        (
            "# A\n\n```\nno language\n```\n",
            "content/bad.md:3:4: code block without a language: say `text`",
        ),
        (
            "# A\n\n```console\n$ true\n? maybe\n```\n",
            "content/bad.md:5:1: expected an exit status 0–255 after `? `",
        ),
        (
            "# A\n\n```ini\nx = 1\n```\n",
            "content/bad.md:3:4: `ini` blocks are not run: add `{file=PATH}`",
        ),
        (
            "+++\ntitle = \"x\"\n[snippets]\nprofile = \"gitea\"\n+++\n```sh\ntrue\n```\n",
            "content/bad.md:4:11: key `profile`: unknown variant `gitea`",
        ),
        (
            "# A\n\n```sh {name=x}\n```\n\n```sh {name=x}\n```\n",
            "content/bad.md:6: test name `bad::a::x` is already used at content/bad.md:3",
        ),
    ];
    for (page, message) in cases {
        let site = site_with(page);
        let out = helpsite_test(site.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(message), "want {message:?} in:\n{stderr}");
    }
}

fn running(pattern: &str) -> bool {
    let ps = std::process::Command::new("ps")
        .args(["-eo", "args"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&ps.stdout)
        .lines()
        .any(|l| l.contains(pattern))
}

#[test]
fn ctrl_c_kills_the_snippet_shells_and_exits_130() {
    let site = site_with("# Hang\n\n```console {timeout=60s}\n$ sleep 31.4159\n```\n");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("helpsite"))
        .args(["test", "--root"])
        .arg(site.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !running("sleep 31.4159") {
        assert!(
            std::time::Instant::now() < deadline,
            "the snippet never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    assert!(
        !running("sleep 31.4159"),
        "the snippet's process outlived the interrupt"
    );
}

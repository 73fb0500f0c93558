//! The scenario table of bitbucket-facts.md §5, one test per row, through the real `git`
//! client against the in-process mock. git's stderr is compared line for line, the mock's URL
//! mapped back to https://bitbucket.org (the proxy-mode tests need no mapping).

use std::process::Command;

use crate::remote_support::{Env, TOKEN, local, run};
use helpsite::remote::scenario::AsOf;
use helpsite::remote::{MockRemote, Scenario};

const DEMO: &str = "https://bitbucket.org/username/demo.git";
const MAY_NOT: &str = "remote: You may not have access to this repository or it no longer exists in this workspace. If you think this repository exists and you have access, make sure you are authenticated.";
const NOT_EXIST: &str = "remote: The requested repository either does not exist or you do not have access. If you believe this repository exists and you have access, make sure you're authenticated.";
const SCOPES: &str = "remote: Your credentials lack one or more required privilege scopes.";

fn auth_failed(url: &str) -> String {
    format!("fatal: Authentication failed for '{url}/'")
}

fn unable(url: &str, code: u16) -> String {
    format!("fatal: unable to access '{url}/': The requested URL returned error: {code}")
}

/// Runs `cmd`, expects exit `code` and exactly `lines` on stderr.
fn expect(env: &Env, cmd: &mut Command, code: i32, lines: &[&str]) {
    let out = run(cmd, code);
    let stderr = env.stderr(&out);
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        lines,
        "full stderr:\n{stderr}"
    );
}

fn ls_remote(env: &Env, user: &str, pass: &str, url: &str) -> Command {
    let dir = env.home().to_path_buf();
    let mut cmd = env.git(&dir, user, pass);
    cmd.args(["ls-remote", url]);
    cmd
}

/// A clone of username/demo with one new commit on `main`, ready to push.
fn clone_with_commit(env: &Env) -> tempfile::TempDir {
    let work = tempfile::tempdir().unwrap();
    run(
        env.git(work.path(), "username", TOKEN)
            .args(["clone", "-q", DEMO, "."]),
        0,
    );
    std::fs::write(work.path().join("f.txt"), "x\n").unwrap();
    local(work.path(), &["add", "f.txt"]);
    local(work.path(), &["commit", "-qm", "f"]);
    work
}

fn push(env: &Env, dir: &std::path::Path, user: &str, pass: &str) -> Command {
    let mut cmd = env.git(dir, user, pass);
    cmd.args(["push", "-q", "origin", "main"]);
    cmd
}

fn at(as_of: &str) -> Env {
    Env::with(MockRemote::builder().as_of(as_of.parse::<AsOf>().unwrap()))
}

#[test]
fn anonymous_first_request_gets_401_then_git_retries_with_credentials() {
    let env = Env::start();
    run(&mut ls_remote(&env, "username", TOKEN, DEMO), 0);
    let log = env.remote.log();
    assert_eq!(
        (
            log[0].user.as_deref(),
            log[0].decision.as_str(),
            log[0].status
        ),
        (None, "anonymous", 401)
    );
    assert_eq!(
        (
            log[1].user.as_deref(),
            log[1].decision.as_str(),
            log[1].status
        ),
        (Some("username"), "allow", 200)
    );
}

#[test]
fn no_credentials_non_interactive() {
    let env = Env::start();
    let mut cmd = ls_remote(&env, "", "", DEMO);
    cmd.env_remove("GIT_ASKPASS");
    expect(
        &env,
        &mut cmd,
        128,
        &["fatal: could not read Username for 'https://bitbucket.org': terminal prompts disabled"],
    );
}

#[test]
fn account_password_is_refused_with_four_lines() {
    let env = Env::start();
    expect(
        &env,
        &mut ls_remote(&env, "username", "made-up-account-password", DEMO),
        128,
        &[
            "remote: Bitbucket Cloud recently stopped supporting account passwords for Git authentication.",
            "remote: See our community post for more details: https://atlassian.community/t5/x/x/ba-p/1948231",
            "remote: App passwords are recommended for most use cases and can be created in your Personal settings:",
            "remote: https://bitbucket.org/account/settings/app-passwords/",
            &auth_failed(DEMO),
        ],
    );
}

#[test]
fn account_password_still_worked_before_2022_03_01() {
    let env = at("2022-02-28");
    run(
        &mut ls_remote(&env, "username", "made-up-account-password", DEMO),
        0,
    );
}

const CHANGE_3222: [&str; 3] = [
    "remote: CHANGE-3222 - Functionality has been deprecated",
    "remote: App passwords are deprecated and must be replaced with API tokens.",
    "remote: https://developer.atlassian.com/cloud/bitbucket/changelog#CHANGE-3222",
];

#[test]
fn app_password_after_removal_gets_410() {
    let env = at("2026-07-28");
    let fatal = unable(DEMO, 410);
    let lines: Vec<&str> = CHANGE_3222
        .iter()
        .copied()
        .chain([fatal.as_str()])
        .collect();
    expect(
        &env,
        &mut ls_remote(&env, "username", "made-up-app-password", DEMO),
        128,
        &lines,
    );
}

#[test]
fn app_password_in_a_brownout_window_gets_410_and_works_outside() {
    let env = at("2026-06-10T06:05");
    let fatal = unable(DEMO, 410);
    let lines: Vec<&str> = CHANGE_3222
        .iter()
        .copied()
        .chain([fatal.as_str()])
        .collect();
    expect(
        &env,
        &mut ls_remote(&env, "username", "made-up-app-password", DEMO),
        128,
        &lines,
    );
    let env = at("2026-06-10T07:00");
    run(
        &mut ls_remote(&env, "username", "made-up-app-password", DEMO),
        0,
    );
    let env = at("2026-06-08");
    run(
        &mut ls_remote(&env, "username", "made-up-app-password", DEMO),
        0,
    );
}

#[test]
fn api_token_without_write_scope_cannot_push() {
    let env = Env::start();
    let work = clone_with_commit(&env);
    let mut cmd = push(
        &env,
        work.path(),
        "username",
        "ATATT-made-up-api-token-read-only",
    );
    expect(&env, &mut cmd, 128, &[SCOPES, &unable(DEMO, 403)]);
}

#[test]
fn api_token_with_write_but_no_read_scope_cannot_fetch() {
    let env = Env::start();
    let mut cmd = ls_remote(&env, "username", "ATATT-made-up-api-token-write-only", DEMO);
    expect(&env, &mut cmd, 128, &[SCOPES, &unable(DEMO, 403)]);
}

#[test]
fn email_as_username_wrong_expired_and_revoked_tokens_get_401() {
    let env = Env::start();
    for (user, pass) in [
        ("username@example.com", TOKEN),
        ("username", "not-a-token"),
        ("username", "ATATT-made-up-api-token-expired"),
        ("username", "ATATT-made-up-api-token-revoked"),
        ("x-token-auth", TOKEN),
    ] {
        expect(
            &env,
            &mut ls_remote(&env, user, pass, DEMO),
            128,
            &[MAY_NOT, &auth_failed(DEMO)],
        );
    }
}

#[test]
fn authenticated_without_access_or_missing_repository_gets_403() {
    let env = Env::start();
    let empty = "https://bitbucket.org/username/empty.git";
    let mut cmd = ls_remote(&env, "reader", "ATATT-made-up-reader-api-token", empty);
    expect(&env, &mut cmd, 128, &[NOT_EXIST, &unable(empty, 403)]);
    let nope = "https://bitbucket.org/username/nope.git";
    expect(
        &env,
        &mut ls_remote(&env, "username", TOKEN, nope),
        128,
        &[NOT_EXIST, &unable(nope, 403)],
    );
}

#[test]
fn read_only_member_push_gets_403() {
    let env = Env::start();
    let work = clone_with_commit(&env);
    let mut cmd = push(
        &env,
        work.path(),
        "reader",
        "ATATT-made-up-reader-api-token",
    );
    expect(&env, &mut cmd, 128, &[NOT_EXIST, &unable(DEMO, 403)]);
}

#[test]
fn ip_allowlist_and_2sv_get_their_403_texts() {
    let mut scenario = Scenario::default();
    scenario.repositories[0].ip_allowlist = true;
    scenario.repositories[1].require_2sv = true;
    let env = Env::with(MockRemote::builder().scenario(scenario));
    let ip = "remote: To access this repository, an admin must whitelist your IP.";
    expect(
        &env,
        &mut ls_remote(&env, "username", TOKEN, DEMO),
        128,
        &[ip, &unable(DEMO, 403)],
    );
    let empty = "https://bitbucket.org/username/empty.git";
    let twosv = "remote: To access this repository, enable two-step authentication.";
    expect(
        &env,
        &mut ls_remote(&env, "username", TOKEN, empty),
        128,
        &[twosv, &unable(empty, 403)],
    );
}

#[test]
fn valid_tokens_clone_and_push() {
    let env = Env::start();
    let work = clone_with_commit(&env);
    run(
        &mut push(&env, work.path(), "x-bitbucket-api-token-auth", TOKEN),
        0,
    );
    std::fs::write(work.path().join("g.txt"), "y\n").unwrap();
    local(work.path(), &["add", "g.txt"]);
    local(work.path(), &["commit", "-qm", "g"]);
    run(
        &mut push(
            &env,
            work.path(),
            "x-token-auth",
            "made-up-repository-access-token",
        ),
        0,
    );
    let head = local(work.path(), &["rev-parse", "HEAD"]);
    assert_eq!(
        local(&env.bare("username/demo"), &["rev-parse", "main"]),
        head
    );
}

#[test]
fn github_missing_repository_gets_404_through_the_proxy() {
    let env = Env::start();
    let url = "https://github.com/username/nope.git";
    let mut cmd = env.git_proxy(env.home(), "username", TOKEN);
    cmd.args(["ls-remote", url]);
    let lines = [
        "remote: Repository not found.",
        "fatal: repository 'https://github.com/username/nope.git/' not found",
    ];
    expect(&env, &mut cmd, 128, &lines);
}

#[test]
fn gitlab_read_only_push_gets_403_through_the_proxy() {
    let env = Env::start();
    let work = tempfile::tempdir().unwrap();
    let url = "https://gitlab.com/username/demo.git";
    run(
        env.git_proxy(work.path(), "reader", "ATATT-made-up-reader-api-token")
            .args(["clone", "-q", url, "."]),
        0,
    );
    std::fs::write(work.path().join("f.txt"), "x\n").unwrap();
    local(work.path(), &["add", "f.txt"]);
    local(work.path(), &["commit", "-qm", "f"]);
    let mut cmd = env.git_proxy(work.path(), "reader", "ATATT-made-up-reader-api-token");
    cmd.args(["push", "-q", "origin", "main"]);
    let lines = [
        "remote: You are not allowed to push code to this project.",
        &unable(url, 403),
    ];
    expect(&env, &mut cmd, 128, &lines);
}

#[test]
fn credential_helper_gets_erase_after_401_and_store_after_success() {
    let env = Env::start();
    let helper = env.home().join("helper.sh");
    std::fs::write(
        &helper,
        "#!/bin/sh\necho \"$1\" >> \"$HOME/helper.log\"\ncat > /dev/null\nif [ \"$1\" = get ]; then echo username=username; echo \"password=$HELPER_SECRET\"; fi\n",
    )
    .unwrap();
    crate::remote_support::chmod_x(&helper);
    let with_helper = |secret: &str| {
        let mut cmd = env.git(env.home(), "", "");
        cmd.env("HELPER_SECRET", secret).env_remove("GIT_ASKPASS");
        cmd.args(["-c", "credential.helper="])
            .arg("-c")
            .arg(format!("credential.helper={}", helper.display()));
        cmd.args(["ls-remote", DEMO]);
        cmd
    };
    let out = run(&mut with_helper("wrong-secret"), 128);
    assert!(env.stderr(&out).contains(&auth_failed(DEMO)));
    let log = std::fs::read_to_string(env.home().join("helper.log")).unwrap();
    assert_eq!(log.lines().collect::<Vec<_>>(), ["get", "erase"]);
    run(&mut with_helper(TOKEN), 0);
    let log = std::fs::read_to_string(env.home().join("helper.log")).unwrap();
    assert_eq!(
        log.lines().collect::<Vec<_>>(),
        ["get", "erase", "get", "store"]
    );
}

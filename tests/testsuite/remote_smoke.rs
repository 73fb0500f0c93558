//! The in-process API end to end: clone and push with an API token over plain HTTP, and
//! `ls-remote` through the proxy mode (CONNECT + TLS with the mock's CA), prompting as on a real
//! machine.

use crate::remote_support::{Env, TOKEN, local, run};

#[test]
fn clone_commit_push_with_an_api_token() {
    let env = Env::start();
    let work = tempfile::tempdir().unwrap();
    run(
        env.git(work.path(), "username", TOKEN).args([
            "clone",
            &env.url("username/demo.git"),
            "demo",
        ]),
        0,
    );
    let demo = work.path().join("demo");
    assert_eq!(local(&demo, &["rev-list", "--count", "HEAD"]).trim(), "3");
    std::fs::write(demo.join("new.txt"), "hello\n").unwrap();
    local(&demo, &["add", "new.txt"]);
    local(&demo, &["commit", "-qm", "add new.txt"]);
    run(
        env.git(&demo, "username", TOKEN)
            .args(["push", "origin", "main"]),
        0,
    );
    let pushed = local(&demo, &["rev-parse", "HEAD"]);
    assert_eq!(
        local(&env.bare("username/demo"), &["rev-parse", "main"]),
        pushed
    );
    assert_eq!(
        env.prompts(),
        vec![
            "Username for 'https://bitbucket.org': ",
            "Password for 'https://username@bitbucket.org': ",
            "Username for 'https://bitbucket.org': ",
            "Password for 'https://username@bitbucket.org': "
        ]
    );
    let log = env.remote.log();
    assert!(
        log.iter().any(|l| l.method == "POST"
            && l.path.ends_with("git-receive-pack")
            && l.decision == "allow"
            && l.status == 200),
        "{log:?}"
    );
}

#[test]
fn ls_remote_through_the_proxy_prompts_for_bitbucket_org() {
    let env = Env::start();
    let work = tempfile::tempdir().unwrap();
    let out = run(
        env.git_proxy(work.path(), "username", TOKEN)
            .args(["ls-remote", "https://bitbucket.org/username/demo.git"]),
        0,
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("\trefs/heads/main"), "{stdout}");
    assert_eq!(env.prompts()[0], "Username for 'https://bitbucket.org': ");
    let log = env.remote.log();
    assert_eq!(log[0].method, "CONNECT");
    assert_eq!(log[0].path, "bitbucket.org:443");
}

#[test]
fn proxy_env_alone_routes_git_through_the_mock_and_blocks_other_hosts() {
    let env = Env::start();
    let run_with_env = |url: &str| {
        let mut cmd = std::process::Command::new("git");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", env.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_ASKPASS", env.home().join("askpass.sh"))
            .env("ASK_USER", "x-bitbucket-api-token-auth")
            .env("ASK_PASS", TOKEN)
            .envs(env.remote.proxy_env())
            .args(["ls-remote", url]);
        cmd.output().unwrap()
    };
    let out = run_with_env("https://bitbucket.org/username/demo.git");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run_with_env("https://example.com/username/demo.git");
    assert_eq!(out.status.code(), Some(128));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("CONNECT tunnel failed, response 403"),
        "{stderr}"
    );
    let log = env.remote.log();
    let connect = log.iter().find(|l| l.path == "example.com:443").unwrap();
    assert_eq!(
        (connect.decision.as_str(), connect.status),
        ("not-allowed", 403)
    );
    assert_eq!(
        env.remote.hosts(),
        ["bitbucket.org", "github.com", "gitlab.com"]
    );
}

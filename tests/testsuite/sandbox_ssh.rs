//! SSH inside the snippet sandbox (issue 11): `ssh` reaches the mock for bitbucket.org and
//! altssh.bitbucket.org through the relay, `bitbucket-add-ssh-key` registers a key, git clones
//! and pushes over SSH, and nothing else is reachable. The fixture's snippets hold the exact
//! texts; this runs them with the real `helpsite test` (namespaces on, the default).

use assert_cmd::Command;

#[test]
fn ssh_reaches_the_mock_and_nothing_else() {
    let root = crate::support::fixture("sandbox-ssh");
    // The fixture is read in place: no report written into the source tree.
    let out = Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .args(["test", "--no-report", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("6 passed; 0 failed"), "{text}");
}

#[test]
fn without_namespaces_git_never_uses_ssh() {
    // --no-sandbox shares the host's network: git's ssh is switched off there.
    let site = crate::support::Site::new()
        .file("helpsite.toml", "title = \"t\"\n")
        .file(
            "content/index.md",
            "# T\n\n```console\n$ git ls-remote git@bitbucket.org:username/demo.git\n? 128\nssh: disabled in the helpsite sandbox (only the mock remote over HTTPS is reachable)\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n$ command -v bitbucket-add-ssh-key || echo none\nnone\n```\n",
        )
        .build();
    let out = Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .args(["test", "--no-sandbox", "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{text}");
}

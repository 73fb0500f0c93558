//! The link checker on other generators' habits: raw HTML `id=`/`name=` anchors,
//! percent-encoded targets, folders with their own page, Zola's `@/` links and `?query`
//! links resolve; raw `<a href>`/`<img src>` and root-absolute links are checked too.

use crate::support::fixture;

use assert_cmd::Command;

#[test]
fn valid_targets_pass_and_raw_html_links_are_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("helpsite")
        .unwrap()
        .args(["build", "--root"])
        .arg(fixture("adopt-links"))
        .arg("--out")
        .arg(tmp.path().join("public"))
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8(output).unwrap();
    let broken: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("broken link '"))
        .collect();
    assert_eq!(
        broken,
        [
            "content/g/b.md:3: broken link 'gone.md': no page content/g/gone.md",
            "content/g/b.md:3: broken link 'none.png': no file content/g/none.png",
            "content/g/b.md:5: broken link '../missing.md?v=1': no page content/missing.md",
            "content/g/b.md:5: broken link '/nothing.html': no file content/nothing.html",
        ],
        "{stderr}"
    );
}

//! Every input error of a site in one run: each malformed fence, each front-matter error and
//! each broken link (links checked even when fences fail), grouped by file, with true counts,
//! none cut off.

use crate::support::{build, fixture};
use std::path::Path;

fn build_stderr(root: &Path, out: &Path) -> String {
    let output = build(root, out).code(2).get_output().stderr.clone();
    String::from_utf8(output).unwrap()
}

#[test]
fn fences_front_matter_and_links_all_in_one_run_grouped_by_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let stderr = build_stderr(&fixture("adopt-errors"), &out);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("content/"))
        .collect();
    assert_eq!(
        lines,
        [
            "content/front.md:3:10: key `weight`: invalid type: string \"heavy\", expected i64",
            "content/front.md:8: broken link 'fences.md#nope': no heading 'nope' in content/fences.md",
            "content/fences.md:7:4: code block without a language: say `text` for plain text \
             (or set `bare_fences = \"text\"` under [snippets] in helpsite.toml)",
            "content/fences.md:11:4: `yaml` blocks are not run: add `{file=PATH}` to write it \
             into the sandbox, or `{ignore=\"reason\"}`",
            "content/fences.md:15: broken link 'nowhere.md': no page content/nowhere.md",
        ],
        "{stderr}"
    );
    assert!(
        stderr.contains("1 front-matter error, 2 malformed code blocks, 2 broken links in 2 files"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_hundred_errors_are_a_hundred_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    let page: String = (0..60).map(|i| format!("```\nx{i}\n```\n\n")).collect();
    std::fs::write(root.join("content/a.md"), &page).unwrap();
    let links: String = (0..40).map(|i| format!("[l](gone{i}.md)\n\n")).collect();
    std::fs::write(root.join("content/b.md"), links).unwrap();
    let stderr = build_stderr(root, &root.join("public"));
    let listed = stderr.lines().filter(|l| l.starts_with("content/")).count();
    assert_eq!(listed, 100, "{stderr}");
    assert!(
        stderr.contains("60 malformed code blocks, 40 broken links in 2 files"),
        "{stderr}"
    );
    assert!(!stderr.contains("more"), "nothing cut off: {stderr}");
}

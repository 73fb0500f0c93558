//! `cargo test --test search_features`: issue 13's search features on a site built by the real
//! binary, queried with the built `search.js` under node: one-letter typos in words of five
//! letters or more, the total behind a capped list ("20+ results"), and the `?hl=` words a
//! result carries to the page it opens. Needs `node` on PATH; fails if it is missing.

use std::path::Path;
use std::process::Command;

use assert_cmd::prelude::*;
use serde_json::Value;

const QUERY_JS: &str = r#"
const vm = require('vm'), fs = require('fs');
const [indexPath, searchPath, queries] = process.argv.slice(1);
const ctx = {};
vm.runInNewContext(fs.readFileSync(indexPath, 'utf8'), ctx);
const s = require(searchPath);
const index = s.load(ctx.HELPSITE_SEARCH_INDEX);
console.log(JSON.stringify(JSON.parse(queries).map(q => {
  const r = s.search(index, q, 20);
  return { total: r.total || 0, results: r };
})));
"#;

/// Builds `root` into a temp dir; queries its index; returns one `{total, results}` per query.
fn query(root: &Path, queries: &[&str]) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    Command::cargo_bin("helpsite")
        .expect("binary")
        .args(["build", "-q", "--root"])
        .arg(root)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let file = |name: &str| out.join("static").join(name).display().to_string();
    let queries = serde_json::to_string(queries).expect("json");
    let run = Command::new("node")
        .args([
            "-e",
            QUERY_JS,
            &file("search-index.js"),
            &file("search.js"),
            &queries,
        ])
        .output()
        .expect("node must be installed (apt-get install nodejs) to test search.js");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    match serde_json::from_slice(&run.stdout).expect("json from node") {
        Value::Array(all) => all,
        other => panic!("not a list: {other}"),
    }
}

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search")
}

fn first_url(answer: &Value) -> &Value {
    &answer["results"][0]["url"]
}

#[test]
fn one_letter_typos_match_in_words_of_five_letters_or_more() {
    let all = query(
        &fixture(),
        &[
            "password", "pasword", "passwrod", "scopes", "scopez", "token", "tokn",
        ],
    );
    assert!(!first_url(&all[0]).is_null(), "{:#}", all[0]);
    assert_eq!(first_url(&all[1]), first_url(&all[0]), "dropped letter");
    assert_eq!(first_url(&all[2]), first_url(&all[0]), "swapped letters");
    assert_eq!(first_url(&all[4]), first_url(&all[3]), "changed letter");
    assert!(!first_url(&all[5]).is_null());
    assert_eq!(
        all[6]["total"], 0,
        "four letters: no typo tolerance: {:#}",
        all[6]
    );
    let marked: Vec<&str> = all[1]["results"][0]["excerpt"]
        .as_array()
        .expect("pieces")
        .iter()
        .filter(|p| p[1] == true)
        .filter_map(|p| p[0].as_str())
        .collect();
    assert!(
        marked
            .iter()
            .any(|w| w.to_lowercase().starts_with("password")),
        "the corrected word is marked: {marked:?}"
    );
    let hl = all[1]["results"][0]["hl"].as_str().expect("hl");
    assert!(hl.split('+').any(|w| w == "password"), "{hl}");
}

#[test]
fn a_capped_list_knows_how_many_more_matched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).expect("mkdir");
    for i in 0..25 {
        let page = format!("# Page {i}\n\nThe widget number {i}.\n");
        std::fs::write(content.join(format!("p{i:02}.md")), page).expect("write");
    }
    let all = query(dir.path(), &["widget", "number 7"]);
    assert_eq!(all[0]["results"].as_array().map(Vec::len), Some(20));
    assert_eq!(all[0]["total"], 25, "{:#}", all[0]["total"]);
    assert_eq!(all[1]["total"], 25);
}

//! `cargo test --test search_js`: builds tests/fixtures/search with the real binary and queries
//! the built `static/search-index.js` with the built `static/search.js` under node — the pure ranking function, and the page wiring in a
//! minimal fake DOM (escaping, links, keyboard). The same fixture built with `[search] split =
//! "always"` must answer every query alike, its parts loaded on demand. Needs `node` on PATH;
//! fails if it is missing.

use std::path::Path;
use std::process::Command;

use assert_cmd::prelude::*;
use serde_json::{Value, json};

const QUERY_JS: &str = r#"
const vm = require('vm'), fs = require('fs'), path = require('path');
const [indexPath, searchPath, queries] = process.argv.slice(1);
const ctx = vm.createContext({});
vm.runInContext(fs.readFileSync(indexPath, 'utf8'), ctx);
const s = require(searchPath);
const index = s.load(ctx.HELPSITE_SEARCH_INDEX, ctx.HELPSITE_SEARCH_PARTS = {});
const loaded = [];
// A split index answers `need` until its parts are loaded: load them as the page would.
const ask = q => {
  for (let round = 0; round < 3; round++) {
    const r = s.search(index, q, 5);
    if (!r.need) return r;
    r.need.forEach(name => {
      loaded.push(name);
      const file = path.join(path.dirname(indexPath), 'search', name + '.js');
      vm.runInContext(fs.readFileSync(file, 'utf8'), ctx);
    });
  }
  throw new Error('still needs parts after three rounds: ' + q);
};
const answers = JSON.parse(queries).map(ask);
// With SEARCH_LOADED: then the parts loaded, and each answer's total.
if (process.env.SEARCH_LOADED) answers.push(loaded, answers.map(r => r.total || 0));
console.log(JSON.stringify(answers));
"#;

/// Builds tests/fixtures/search with the real binary into a temp dir; returns the dir and the
/// paths of the built `static/search-index.js` and `static/search.js`.
fn build_fixture() -> (tempfile::TempDir, String, String) {
    build_fixture_as("")
}

/// As [`build_fixture`], with `config` added to a copy of the fixture's helpsite.toml.
fn build_fixture_as(config: &str) -> (tempfile::TempDir, String, String) {
    let mut root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search");
    let dir = tempfile::tempdir().expect("temp dir");
    if !config.is_empty() {
        let copy = dir.path().join("site");
        for entry in walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
        {
            let to = copy.join(entry.path().strip_prefix(&root).expect("under root"));
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("mkdir");
            } else {
                std::fs::copy(entry.path(), &to).expect("copy");
            }
        }
        let toml = copy.join("helpsite.toml");
        let text = std::fs::read_to_string(&toml).expect("helpsite.toml") + config;
        std::fs::write(&toml, text).expect("write helpsite.toml");
        root = copy;
    }
    let out = dir.path().join("public");
    Command::cargo_bin("helpsite")
        .expect("binary")
        .args(["build", "--root"])
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let path = |name: &str| {
        out.join("static")
            .join(name)
            .to_str()
            .expect("utf-8")
            .to_string()
    };
    (dir, path("search-index.js"), path("search.js"))
}

/// Runs `node -e CODE ARGS…` and parses its stdout as JSON.
fn node(code: &str, args: &[&str]) -> Value {
    let out = Command::new("node")
        .arg("-e")
        .arg(code)
        .args(args)
        .output()
        .expect("node must be installed (apt-get install nodejs) to test search.js");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "node failed: {stderr}");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("node printed no JSON ({e}): {stderr}"))
}

fn query(queries: &[&str]) -> Vec<Value> {
    query_in(build_fixture(), queries)
}

const SPLIT: &str = "\n[search]\nsplit = \"always\"\n";

fn query_in(built: (tempfile::TempDir, String, String), queries: &[&str]) -> Vec<Value> {
    let (_dir, index, search) = built;
    let queries = json!(queries).to_string();
    let args = [index.as_str(), search.as_str(), queries.as_str()];
    match node(QUERY_JS, &args) {
        Value::Array(all) => all,
        other => panic!("expected an array, got {other}"),
    }
}

fn first_url(results: &Value) -> &str {
    results[0]["url"]
        .as_str()
        .unwrap_or_else(|| panic!("no result: {results}"))
}

#[test]
fn whole_error_lines_find_their_section_first() {
    let all = query(&[
        "fatal: Authentication failed for 'https://bitbucket.org/username/demo.git/'",
        "remote: Bitbucket Cloud recently stopped supporting account passwords for Git authentication.",
    ]);
    for results in &all {
        assert_eq!(
            first_url(results),
            "guide/password.html#the-error",
            "{results:#}"
        );
        assert_eq!(results[0]["title"], "Git rejects your password");
        assert_eq!(results[0]["heading"], "The error");
        assert_eq!(
            results[0]["matched"], results[0]["words"],
            "every word found: {results:#}"
        );
    }
    let marked: Vec<&str> = all[0][0]["excerpt"]
        .as_array()
        .expect("pieces")
        .iter()
        .filter(|p| p[1] == true)
        .map(|p| p[0].as_str().expect("text"))
        .collect();
    assert!(
        marked.contains(&"fatal") && marked.contains(&"demo"),
        "matches marked: {marked:?}"
    );
}

#[test]
fn headings_and_titles_outrank_body_text() {
    let all = query(&["api token", "scopes", "ssh", "token"]);
    assert_eq!(
        first_url(&all[0]),
        "guide/password.html#fix-it-with-an-api-token",
        "{:#}",
        all[0]
    );
    assert_eq!(
        first_url(&all[1]),
        "guide/tokens.html#token-scopes",
        "heading over body: {:#}",
        all[1]
    );
    assert_eq!(
        all[2][0]["title"], "Authentication failed over SSH",
        "title: {:#}",
        all[2]
    );
    assert_eq!(
        first_url(&all[3]),
        "guide/tokens.html#token-scopes",
        "title + heading: {:#}",
        all[3]
    );
}

#[test]
fn prefixes_match_and_nonsense_finds_nothing() {
    let all = query(&["authenti", "the for a", "zzzzqx", ""]);
    assert!(
        all[0].as_array().is_some_and(|r| r.len() >= 2),
        "prefix finds: {:#}",
        all[0]
    );
    for (i, results) in all.iter().enumerate().skip(1) {
        assert_eq!(results, &json!([]), "query {i}");
    }
}

#[test]
fn hostile_titles_come_back_as_text() {
    let all = query(&["alert"]);
    let hit = &all[0][0];
    assert_eq!(
        hit["title"],
        "<script>alert(1)</script> & <b>bold</b> titles"
    );
    assert_eq!(hit["heading"], "<img src=x onerror=alert(2)> heading");
}

const DOM_JS: &str = include_str!("search_js_dom.js");

/// Runs the fake page (`lazy`: without search-index.js preloaded) with the query `alert`.
fn page(mode: &str) -> Value {
    page_in(build_fixture(), mode)
}

fn page_in(built: (tempfile::TempDir, String, String), mode: &str) -> Value {
    let (_dir, index, search) = built;
    node(DOM_JS, &[index.as_str(), search.as_str(), "alert", mode])
}

#[test]
fn the_page_renders_results_as_text_with_relative_links() {
    let out = page("eager");
    assert_eq!(
        out["created"]
            .as_array()
            .map(|c| c.iter().any(|t| t == "SCRIPT" || t == "IMG")),
        Some(false)
    );
    let first = &out["results"][0];
    assert_eq!(
        first["href"], "../guide/hostile.html?hl=alert#img-src-x-onerror-alert-2-heading",
        "{out:#}"
    );
    let shown =
        "<script>alert(1)</script> & <b>bold</b> titles › <img src=x onerror=alert(2)> heading";
    assert_eq!(first["text"], shown);
    assert_eq!(out["results"].as_array().map(Vec::len), Some(1), "{out:#}");
    assert_eq!(
        out["status"],
        "1 result. Arrow keys to move, Enter to open."
    );
    assert_eq!(
        out["afterArrowDown"], first["href"],
        "ArrowDown focuses the first result"
    );
    assert_eq!(out["afterSlash"], "search-input", "/ focuses the box");
    assert_eq!(out["afterCtrlK"], "search-input", "Ctrl-K focuses the box");
    assert_eq!(out["afterEscape"], json!({"value": "", "hidden": true}));
}

#[test]
fn without_a_preloaded_index_the_page_loads_it_on_first_use() {
    let out = page("lazy");
    assert_eq!(
        out["scripts"],
        json!(["../static/search-index.js"]),
        "one script, relative: {out:#}"
    );
    assert_eq!(out["statusWhileLoading"], "Loading the search index…");
    assert_eq!(
        out["status"], "1 result. Arrow keys to move, Enter to open.",
        "{out:#}"
    );
    assert_eq!(out["results"], page("eager")["results"]);
}

/// Every query of the tests above, and some more.
const QUERIES: &[&str] = &[
    "fatal: Authentication failed for 'https://bitbucket.org/username/demo.git/'",
    "remote: Bitbucket Cloud recently stopped supporting account passwords for Git authentication.",
    "api token",
    "scopes",
    "ssh",
    "token",
    "authenti",
    "the for a",
    "zzzzqx",
    "",
    "alert",
    "pasword",
    "scopez",
    "git",
];

#[test]
fn a_split_index_answers_every_query_as_the_one_file_does() {
    let (dir, index, search) = build_fixture_as(SPLIT);
    let parts = Path::new(&index).with_file_name("search");
    assert!(
        parts.join("s0.js").is_file() && parts.join("c0.js").is_file(),
        "split"
    );
    let one = query(QUERIES);
    let split = query_in((dir, index, search), QUERIES);
    assert_eq!(split, one);
    let (dir, index, search) = build_fixture_as(SPLIT);
    let totals = |index: &str, search: &str| {
        let out = Command::new("node")
            .arg("-e")
            .arg(QUERY_JS)
            .args([index, search, &json!(QUERIES).to_string()])
            .env("SEARCH_LOADED", "1")
            .output()
            .expect("node");
        let all: Value = serde_json::from_slice(&out.stdout).expect("json");
        all[QUERIES.len() + 1].clone()
    };
    let (one_dir, one_index, one_search) = build_fixture();
    assert_eq!(
        totals(&index, &search),
        totals(&one_index, &one_search),
        "totals"
    );
    drop((dir, one_dir));
}

#[test]
fn a_split_index_loads_only_the_parts_a_query_needs() {
    let (dir, index, search) = build_fixture_as(SPLIT);
    let shards = std::fs::read_dir(Path::new(&index).with_file_name("search"))
        .expect("parts")
        .count();
    let queries = json!(["ssh"]).to_string();
    let out = Command::new("node")
        .arg("-e")
        .arg(QUERY_JS)
        .args([index.as_str(), search.as_str(), queries.as_str()])
        .env("SEARCH_LOADED", "1")
        .output()
        .expect("node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Value = serde_json::from_slice(&out.stdout).expect("json");
    let loaded = answers[1].as_array().expect("loaded parts");
    assert!(
        loaded
            .iter()
            .any(|p| p.as_str().is_some_and(|p| p.starts_with('s')))
            && loaded
                .iter()
                .any(|p| p.as_str().is_some_and(|p| p.starts_with('c'))),
        "{loaded:?}"
    );
    assert!(loaded.len() < shards, "{} of {shards} parts", loaded.len());
    drop(dir);
}

#[test]
fn the_page_loads_a_split_index_part_by_part_with_relative_scripts() {
    for mode in ["lazy", "eager"] {
        let out = page_in(build_fixture_as(SPLIT), mode);
        let scripts: Vec<&str> = out["scripts"]
            .as_array()
            .expect("scripts")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        let parts = if mode == "lazy" {
            assert_eq!(scripts[0], "../static/search-index.js", "{out:#}");
            &scripts[1..]
        } else {
            &scripts[..]
        };
        assert!(parts.len() >= 2, "a shard and a chunk: {out:#}");
        for part in parts {
            let name = part
                .strip_prefix("../static/search/")
                .and_then(|p| p.split_once(".js?k="));
            assert!(
                name.is_some_and(|(n, key)| n.len() > 1
                    && (n.starts_with('s') || n.starts_with('c'))
                    && key.len() == 16),
                "{part}"
            );
        }
        let mut unique = parts.to_vec();
        unique.dedup();
        assert_eq!(unique.len(), parts.len(), "each part once: {parts:?}");
        assert_eq!(out["statusWhileLoading"], "Loading the search index…");
        assert_eq!(
            out["status"], "1 result. Arrow keys to move, Enter to open.",
            "{out:#}"
        );
        assert_eq!(out["results"], page("eager")["results"], "{mode}");
        assert_eq!(
            out["afterArrowDown"], out["results"][0]["href"],
            "keys as before"
        );
        assert_eq!(out["afterSlash"], "search-input");
        assert_eq!(out["afterEscape"], json!({"value": "", "hidden": true}));
    }
}

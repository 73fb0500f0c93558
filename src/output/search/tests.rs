//! Unit tests of the search index: content, codes, escaping, section splitting.

use serde_json::Value;

use super::code::{ALPHABET, encode_list};
use super::html::{code_text, decode_entities};
use super::*;
use crate::{content, markdown};

/// Loads a site made of `files` (paths under content/) and returns the index as JSON. The start
/// page helpsite generates (no `_index.md`) is left out, so `rendered[j].page != j` and the
/// URLs are looked up through it.
fn index_of(files: &[(&str, &str)]) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let path = dir.path().join("content").join(path);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let corpus = content::load(dir.path()).expect("loads");
    let rendered: Vec<_> = corpus
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.generated)
        .map(|(i, p)| markdown::render(i, p).expect("renders"))
        .collect();
    let urls: Vec<String> = corpus.pages.iter().map(|p| p.url.clone()).collect();
    let script = index_script(&corpus, &rendered, &|r| r.body.plain(), &urls);
    let json = script
        .strip_prefix("var HELPSITE_SEARCH_INDEX = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("script shape");
    serde_json::from_str(json).expect("valid JSON")
}

fn terms(index: &Value) -> Vec<&str> {
    index["terms"]
        .as_array()
        .expect("terms")
        .iter()
        .map(|t| t.as_str().expect("str"))
        .collect()
}

/// Decodes a list the way search.js does.
fn decode(list: &str) -> Vec<u32> {
    let value = |c: char| {
        ALPHABET
            .iter()
            .position(|&a| a as char == c)
            .expect("alphabet") as u32
    };
    if let Some(bits) = list.strip_prefix('.') {
        let mut ids = Vec::new();
        for (i, c) in bits.chars().enumerate() {
            ids.extend(
                (0..6)
                    .filter(|b| value(c) & (1 << b) != 0)
                    .map(|b| i as u32 * 6 + b),
            );
        }
        return ids;
    }
    let (mut ids, mut n, mut prev) = (Vec::new(), 0u32, None::<u32>);
    for c in list.chars() {
        n = (n << 5) | (value(c) & 31);
        if value(c) < 32 {
            let id = prev.map_or(n, |p| p + n + 1);
            ids.push(id);
            prev = Some(id);
            n = 0;
        }
    }
    ids
}

fn postings<'a>(index: &'a Value, term: &str) -> Vec<&'a str> {
    let at = terms(index)
        .iter()
        .position(|t| *t == term)
        .unwrap_or_else(|| panic!("no term {term}"));
    index["post"][at]
        .as_str()
        .expect("str")
        .split(',')
        .collect()
}

const FIX: &str = "+++\ntitle = \"Fix the push\"\n+++\n\nIntro text.\n\n## Use a token\n\n\
    ```text\nfatal: Authentication failed for 'https://bitbucket.org/username/demo.git/'\n```\n\n\
    ## Other\n\nNothing &amp; more <b>bold</b>.\n";

#[test]
fn codes_round_trip_both_ways() {
    for ids in [
        vec![0],
        vec![5, 6, 7, 100_000],
        vec![3, 40, 41, 1 << 20],
        (0..200).collect(),
        vec![],
    ] {
        let code = encode_list(&ids);
        assert_eq!(decode(&code), ids, "code {code}");
    }
    assert!(
        encode_list(&(0..200).collect::<Vec<_>>()).starts_with('.'),
        "dense → bitmap"
    );
    assert!(!encode_list(&[1000]).starts_with('.'), "sparse → delta");
}

#[test]
fn sections_split_at_headings_with_their_ids() {
    let index = index_of(&[("guide/fix.md", FIX)]);
    assert_eq!(
        index["pages"][0],
        serde_json::json!([0, "fix.html", "Fix the push", 3])
    );
    assert_eq!(index["dirs"], serde_json::json!(["guide/"]));
    let heads = &index["heads"];
    let secs = index["secs"].as_array().expect("secs");
    let head = |s: usize| heads[secs[s][0].as_u64().expect("n") as usize].clone();
    assert_eq!(head(0), serde_json::json!(["", ""]));
    assert_eq!(head(1)[1], "Use a token");
    assert_eq!(head(2)[1], "Other");
    assert_eq!(secs[0][1], "Intro text.");
    assert_eq!(
        secs[2][1], "Nothing & more bold.",
        "tags dropped, entities decoded"
    );
}

#[test]
fn error_line_terms_point_at_their_section() {
    let index = index_of(&[("guide/fix.md", FIX)]);
    for term in [
        "fatal",
        "authentication",
        "failed",
        "https",
        "bitbucket",
        "org",
        "username",
        "demo",
        "git",
    ] {
        assert_eq!(decode(postings(&index, term)[0]), [1], "{term}");
    }
    assert_eq!(decode(postings(&index, "token")[1]), [1], "heading list");
    assert_eq!(
        decode(postings(&index, "push")[2]),
        [0],
        "title list holds the page"
    );
    assert!(!terms(&index).contains(&"for"), "stop words are left out");
    let sorted = terms(&index);
    assert!(
        sorted.windows(2).all(|w| w[0] < w[1]),
        "sorted and distinct"
    );
}

#[test]
fn hostile_titles_stay_data() {
    let page = "+++\ntitle = \"<script>alert(1)</script> \\u2028 \\\"quoted\\\"\"\n+++\n\nBody.\n";
    let index = index_of(&[("x.md", page)]);
    assert_eq!(
        index["pages"][0][2],
        "<script>alert(1)</script> \u{2028} \"quoted\""
    );
    let script = {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content")).expect("mkdir");
        std::fs::write(dir.path().join("content/x.md"), page).expect("write");
        let corpus = content::load(dir.path()).expect("loads");
        let at = corpus
            .pages
            .iter()
            .position(|p| p.rel == "x.md")
            .expect("x.md loaded");
        let r = markdown::render(at, &corpus.pages[at]).expect("renders");
        index_script(&corpus, &[r], &|r| r.body.plain(), &["x.html".into()])
    };
    assert!(
        !script.contains('\u{2028}'),
        "line separator escaped for old parsers"
    );
    assert!(
        script.contains(r#"\"quoted\""#),
        "quotes escaped in the string literal"
    );
}

#[test]
fn excerpts_are_cut_at_a_space() {
    assert_eq!(excerpt("short", 80), "short");
    let long = "word ".repeat(30);
    let cut = excerpt(long.trim(), 22);
    assert_eq!(cut, "word word word word…");
    assert_eq!(excerpt("ééééé", 3), "ééé…", "cuts on char boundaries");
}

#[test]
fn entities_decode_and_bad_ones_stay() {
    assert_eq!(
        decode_entities("a &lt;b&gt; &#39;c&#x27; &amp;amp; &bogus; & x"),
        "a <b> 'c' &amp; &bogus; & x"
    );
}

#[test]
fn urls_may_cover_every_corpus_page() {
    let index = index_of(&[
        ("a.md", "+++\ntitle = \"A\"\n+++\nx\n"),
        ("b/c.md", "+++\ntitle = \"\"\n+++\n# Head\n"),
    ]);
    assert_eq!(
        index["pages"][1],
        serde_json::json!([1, "c.html", "Head", 1]),
        "untitled → first heading"
    );
}

#[test]
fn code_blocks_join_the_section_above_them() {
    let html = "<p>x</p><pre><code>top &amp; code</code></pre>\n<h2 id=\"a-b\">A <a href=\"#a-b\">#</a></h2>\
        <div><span>label</span><pre class=\"code\"><code><span class=\"k\">fatal:</span> it\n  failed</code></pre></div>\
        <h3 id=\"c\">C</h3><p>no code</p>";
    let code = code_text(html);
    assert_eq!(code[""].trim(), "top & code");
    assert_eq!(
        code["a-b"].trim(),
        "fatal: it failed",
        "highlight spans dropped, lines joined"
    );
    assert!(!code.contains_key("c"));
}

#[test]
fn error_text_in_code_is_indexed() {
    let index = index_of(&[("guide/fix.md", FIX)]);
    let secs = index["secs"].as_array().expect("secs");
    let error = secs[1][1].as_str().expect("excerpt");
    assert!(
        error.contains(
            "fatal: Authentication failed for 'https://bitbucket.org/username/demo.git/'"
        ),
        "{error}"
    );
}

//! Unit tests of the search index: content, codes, escaping, section splitting.

use std::collections::HashMap;

use serde_json::Value;

use super::code::{ALPHABET, encode_list};
use super::html::{code_text, decode_entities};
use super::*;
use crate::{content, markdown};

/// Loads a site made of `files` (paths under content/) and returns the index as JSON. The start
/// page helpsite generates (no `_index.md`) is left out, so `rendered[j].page != j` and the
/// URLs are looked up through it.
fn index_of(files: &[(&str, &str)]) -> Value {
    let script = files_of(files, SearchSplit::Never).remove(0).text;
    let json = script
        .strip_prefix("var HELPSITE_SEARCH_INDEX = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("script shape");
    serde_json::from_str(json).expect("valid JSON")
}

/// The index files of a site made of `files`, as `index_of` loads it.
fn files_of(files: &[(&str, &str)], split: SearchSplit) -> Vec<IndexFile> {
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
    let body_of = |r: &crate::markdown::RenderedPage| r.body.plain();
    let script = index_script(&corpus, &rendered, &body_of, &urls);
    let small = Layout {
        shard_bytes: 16,
        chunk_sections: 4,
    };
    let files = index_files_in(&corpus, &rendered, &body_of, &urls, split, small);
    if split == SearchSplit::Never {
        assert_eq!(files[0].text, script, "index_script is the one-file index");
    }
    files
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

/// The JSON of a split index's file: the entry's object, or a part's data.
fn part_json(file: &IndexFile) -> Value {
    let text = &file.text;
    let json = if file.path == ENTRY {
        text.strip_prefix("var HELPSITE_SEARCH_INDEX = ")
    } else {
        let name = file
            .path
            .strip_prefix("static/search/")
            .and_then(|n| n.strip_suffix(".js"))
            .expect("part path");
        let head = format!(
            "var HELPSITE_SEARCH_PARTS = HELPSITE_SEARCH_PARTS || {{}};\nHELPSITE_SEARCH_PARTS[\"{name}\"] = "
        );
        text.strip_prefix(head.as_str())
    };
    let json = json
        .and_then(|j| j.strip_suffix(";\n"))
        .expect("script shape");
    serde_json::from_str(json).expect("valid JSON")
}

/// Enough pages for several shards and chunks.
fn many_pages() -> Vec<(String, String)> {
    (0..30)
        .map(|i| {
            let text = format!(
                "+++\ntitle = \"Page {i} widget\"\n+++\n\nIntro {i} about tokens.\n\n\
                 ## Part {i}\n\nword{i} and gadget{} text.\n\n## Last\n\nclosing {i}.\n",
                i % 7
            );
            (format!("d{}/p{i:02}.md", i % 3), text)
        })
        .collect()
}

#[test]
fn the_split_index_holds_what_the_one_file_holds() {
    let pages = many_pages();
    let files: Vec<(&str, &str)> = pages
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let one = index_of(&files);
    let split = files_of(&files, SearchSplit::Always);
    assert_eq!(split[0].path, ENTRY, "the entry comes first");
    let entry = part_json(&split[0]);
    assert_eq!(entry["v"], 2);
    assert_eq!(
        entry["terms"], one["terms"],
        "the whole dictionary is in the entry"
    );
    let parts: HashMap<String, Value> = split[1..]
        .iter()
        .map(|f| {
            let name = f
                .path
                .trim_start_matches("static/search/")
                .trim_end_matches(".js");
            (name.to_string(), part_json(f))
        })
        .collect();
    let shards = entry["shards"].as_array().expect("shards");
    assert!(shards.len() > 1, "several shards: {shards:?}");
    assert!(parts.contains_key("c1"), "several chunks");
    // Section ranges of each page, for the title lists, which hold sections when split.
    let mut first = vec![0u32];
    for page in one["pages"].as_array().expect("pages") {
        first.push(first.last().expect("one") + page[3].as_u64().expect("n") as u32);
    }
    let secs = one["secs"].as_array().expect("secs");
    assert_eq!(entry["n"], secs.len());
    for (t, term) in terms(&one).iter().enumerate() {
        let s = shards
            .iter()
            .rposition(|start| start.as_u64().expect("n") as usize <= t)
            .expect("a shard");
        let start = shards[s].as_u64().expect("n") as usize;
        let code = parts[&format!("s{s}")][t - start].as_str().expect("str");
        let lists: Vec<&str> = code.split(',').collect();
        let want = postings(&one, term);
        for k in 0..2 {
            assert_eq!(
                lists.get(k).map(|l| decode(l)),
                want.get(k).map(|l| decode(l)),
                "{term} list {k}"
            );
        }
        let pages = want.get(2).map(|l| decode(l)).unwrap_or_default();
        let title: Vec<u32> = pages
            .iter()
            .flat_map(|&p| first[p as usize]..first[p as usize + 1])
            .collect();
        assert_eq!(
            lists.get(2).map(|l| decode(l)).unwrap_or_default(),
            title,
            "{term} title"
        );
    }
    let size = entry["chunk"].as_u64().expect("n") as usize;
    for (s, sec) in secs.iter().enumerate() {
        let page = first.iter().rposition(|&f| f as usize <= s).expect("page");
        let page = &one["pages"][page];
        let head = &one["heads"][sec[0].as_u64().expect("n") as usize];
        let chunk = &parts[&format!("c{}", s / size)];
        let row = &chunk[1][s % size];
        let url = format!(
            "{}{}",
            one["dirs"][page[0].as_u64().expect("n") as usize]
                .as_str()
                .expect("dir"),
            page[1].as_str().expect("file")
        );
        assert_eq!(
            chunk[0][row[0].as_u64().expect("n") as usize],
            serde_json::json!([url, page[2]])
        );
        assert_eq!(
            (&row[1], &row[2], &row[3]),
            (&head[0], &head[1], &sec[1]),
            "section {s}"
        );
    }
}

#[test]
fn the_split_index_is_deterministic_and_auto_keeps_small_sites_whole() {
    let pages = many_pages();
    let files: Vec<(&str, &str)> = pages
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let a = files_of(&files, SearchSplit::Always);
    let b = files_of(&files, SearchSplit::Always);
    assert_eq!(a, b, "same input, same files");
    let key = part_json(&a[0])["key"].as_str().expect("key").to_string();
    assert_eq!(key.len(), 16);
    let auto = files_of(&files, SearchSplit::Auto);
    assert_eq!(auto.len(), 1, "a small site keeps one file");
    assert_eq!(auto, files_of(&files, SearchSplit::Never));
    let other = files_of(&files[1..], SearchSplit::Always);
    assert_ne!(
        part_json(&other[0])["key"],
        key.as_str(),
        "another index, another key"
    );
}

#[test]
fn an_empty_index_splits_without_panicking() {
    let layout = Layout {
        shard_bytes: 0,
        chunk_sections: 1,
    };
    let files = Builder::default().finish().split(layout);
    assert_eq!(files.len(), 1, "only the entry");
    let entry = part_json(&files[0]);
    assert_eq!(
        (entry["n"].clone(), entry["shards"].clone()),
        (0.into(), serde_json::json!([]))
    );
    let one = files_of(&[("x.md", "")], SearchSplit::Always);
    assert!(
        part_json(&one[0])["n"].as_u64() >= Some(1),
        "an empty page is one section"
    );
}

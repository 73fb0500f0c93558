//! A fuzz run over every parser of user input (issue 10): the fence info string, the console
//! transcript, the front matter, `helpsite.toml` and the whole Markdown render of a page. Any
//! input may be an error; none may panic. proptest drives it, in `cargo test`: [`CASES`] cases
//! per target (6 targets; a few seconds in all under the debug build). Inputs are drawn both as
//! arbitrary strings and as sequences of the fragments these grammars care about (fences,
//! braces, quotes, entities, `$ `, `? `, `+++`, list markers, CR, huge numbers), which reach
//! far deeper than random bytes do. A failure prints the smallest input proptest shrank it to.

use std::path::Path;

use helpsite::config::Config;
use helpsite::content::{Page, front};
use helpsite::snippets::{fence, transcript};
use proptest::prelude::*;
use proptest::test_runner::Config as RunConfig;

/// Cases per target.
const CASES: u32 = 1024;

fn config() -> RunConfig {
    RunConfig {
        cases: CASES,
        // No regression files written into the source tree; a failure prints its input.
        failure_persistence: None,
        ..RunConfig::default()
    }
}

const FRAGMENTS: &[&str] = &[
    "```",
    "~~~",
    "````",
    "sh",
    "console",
    "python",
    "text",
    "ini",
    " ",
    "  ",
    "    ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "{",
    "}",
    "=",
    "\"",
    "\\",
    "\\\"",
    "name",
    "timeout",
    "status",
    "ignore",
    "isolated",
    "hidden",
    "file",
    "answer",
    "=1",
    "30s",
    "500ms",
    "2m",
    "0s",
    "18446744073709551615s",
    "307445734561825861m",
    "99999999999999999999ms",
    "-1",
    "256",
    "&amp;",
    "&#9;",
    "&#0;",
    "&#x10FFFF;",
    "&lt;",
    "&nbsp;",
    "$ ",
    "> ",
    "? ",
    "? 1",
    "...",
    "[..]",
    "[SHA7]",
    "+++",
    "---",
    "...\n",
    "title = ",
    "weight = ",
    "- ",
    "* ",
    "1. ",
    "1) ",
    "#",
    "## ",
    "[x](",
    ")",
    "<div>",
    "</div>",
    "[!WARNING]",
    "é",
    "\u{feff}",
    "\u{202e}",
    "\u{1b}[31m",
    "\0",
    "[snippets]",
    "[theme]",
    "bare_fences",
    "display_only",
    "[",
    "]",
    "'",
    "\"\"\"",
    ":",
    "|",
    "{#id}",
    "\\\n",
];

/// Text made of grammar fragments and stray characters.
fn grammar_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..48).prop_map(|pieces| pieces.concat())
}

/// An info string shaped like a real one: an optional run of entities and spaces (pulldown-cmark
/// decodes entities in info strings), a language word, then `{key=value …}` pairs of the real
/// keys with edge values, or none (no braces).
fn info_string() -> impl Strategy<Value = String> {
    const LEAD: &[&str] = &["&#9;", "&#32;", "&amp;", " ", "9", "x", "&#x9;"];
    const WORDS: &[&str] = &[
        "sh", "console", "python", "text", "ini", "9", "x", "&amp;", "",
    ];
    const KEYS: &[&str] = &[
        "name", "timeout", "status", "ignore", "isolated", "hidden", "file", "answer", "bogus",
    ];
    const VALUES: &[&str] = &[
        "30s",
        "0s",
        "60m",
        "61m",
        "18446744073709551615s",
        "307445734561825861m",
        "99999999999999999999ms",
        "3h",
        "1",
        "255",
        "256",
        "-1",
        "\"a \\\" b\"",
        "\"open",
        "~/.netrc",
        "a/b",
        "é",
        "",
    ];
    let value = prop_oneof![
        3 => prop::sample::select(VALUES).prop_map(str::to_string),
        1 => grammar_text(),
    ];
    // `timeout` and `status` are the keys with arithmetic behind them: drawn more often.
    let key = prop_oneof![
        2 => prop::sample::select(&["timeout", "status"][..]),
        1 => prop::sample::select(KEYS),
    ];
    let pair = (key, prop::option::of(value)).prop_map(|(k, v)| match v {
        Some(v) => format!("{k}={v}"),
        None => k.to_string(),
    });
    let lead = prop::collection::vec(prop::sample::select(LEAD), 0..8).prop_map(|l| l.concat());
    (
        lead,
        prop::sample::select(WORDS),
        prop::collection::vec(pair, 0..5),
    )
        .prop_map(|(lead, word, pairs)| {
            if pairs.is_empty() {
                format!("{lead}{word}")
            } else {
                format!("{lead}{word} {{{}}}", pairs.join(" "))
            }
        })
}

/// Either kind of input.
fn input() -> impl Strategy<Value = String> {
    prop_oneof![grammar_text(), any::<String>()]
}

/// Front matter, split and parsed, then the page rendered: the way `content::load` and the
/// build see a file.
fn load_and_render(text: &str) {
    let file = Path::new("content/p.md");
    let Ok(split) = front::split(text, file) else {
        return;
    };
    let front = front::parse(&split, file).unwrap_or_default();
    let page = Page::new("p.md", front, split.body.to_string(), split.body_line);
    let _ = helpsite::markdown::render_checked(0, &page);
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fence_info_never_panics(info in prop_oneof![info_string(), input()]) {
        let _ = fence::parse_info(&info);
    }

    #[test]
    fn transcripts_never_panic(code in input()) {
        let _ = transcript::parse(&code);
    }

    #[test]
    fn front_matter_never_panics(front in input(), body in input()) {
        for fence in ["+++", "---"] {
            load_and_render(&format!("{fence}\n{front}\n{fence}\n{body}"));
        }
    }

    #[test]
    fn config_never_panics(text in input()) {
        let _ = Config::parse(&text, Path::new("helpsite.toml"));
        let _ = Config::parse(&format!("[snippets]\n{text}"), Path::new("helpsite.toml"));
    }

    #[test]
    fn markdown_render_never_panics(body in input()) {
        load_and_render(&body);
    }

    #[test]
    fn fenced_blocks_never_panic(info in prop_oneof![info_string(), input()], code in input(), prefix in prop::sample::select(&["", "- ", "> ", "1. ", "   ", "\t"][..])) {
        // A block whose info string and body are both arbitrary, possibly in a container.
        let page = format!("# T\n\n{prefix}```{info}\n{code}\n```\n\n~~~{info}\n{code}\n~~~\n");
        load_and_render(&page);
    }
}

//! The floor for highlighting: what the libraries helpsite uses cost on their own, with none of
//! helpsite's work around them. Single-threaded: every `.md` under a corpus's `content/` is
//! read, its `+++` front matter skipped, parsed with pulldown-cmark, each code block
//! highlighted with syntect (onig regex, two-face's grammars, classed HTML, no cache) and the
//! page's HTML written to OUT. `bench/highlight.sh` times it next to `helpsite build`.
//!
//! usage: cargo run --release --example highlight-floor -- CORPUS OUT

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [corpus, out] = args.as_slice() else {
        eprintln!("usage: highlight-floor CORPUS OUT");
        std::process::exit(2);
    };
    let syntaxes = two_face::syntax::extra_newlines();
    let (mut pages, mut blocks) = (0, 0);
    for entry in walkdir::WalkDir::new(Path::new(corpus).join("content")).sort_by_file_name() {
        let entry = entry?;
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())?;
        let (html, n) = render(&syntaxes, body(&text));
        let target = Path::new(out).join(format!("{pages}.html"));
        std::fs::write(target, html)?;
        pages += 1;
        blocks += n;
    }
    println!("{pages} pages, {blocks} code blocks");
    Ok(())
}

/// The text after a `+++` front matter block.
fn body(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("+++\n") else {
        return text;
    };
    rest.find("\n+++\n").map_or(rest, |end| &rest[end + 5..])
}

/// The page's HTML and its number of code blocks.
fn render(syntaxes: &SyntaxSet, body: &str) -> (String, usize) {
    let mut events = Vec::new();
    let mut open: Option<(String, String)> = None;
    let mut blocks = 0;
    for event in Parser::new_ext(body, pulldown_cmark::Options::all()) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split(' ').next().unwrap_or("").into(),
                    CodeBlockKind::Indented => String::new(),
                };
                open = Some((lang, String::new()));
            }
            Event::Text(text) if open.is_some() => {
                if let Some((_, code)) = open.as_mut() {
                    code.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, code) = open.take().unwrap_or_default();
                blocks += 1;
                let html = format!(
                    "<pre><code>{}</code></pre>",
                    highlight(syntaxes, &lang, &code)
                );
                events.push(Event::Html(CowStr::from(html)));
            }
            event => events.push(event),
        }
    }
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    (html, blocks)
}

fn highlight(syntaxes: &SyntaxSet, lang: &str, code: &str) -> String {
    let syntax = syntaxes
        .find_syntax_by_token(lang)
        .unwrap_or_else(|| syntaxes.find_syntax_plain_text());
    let style = ClassStyle::SpacedPrefixed { prefix: "hl-" };
    let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes, style);
    for line in LinesWithEndings::from(code) {
        let _ = html.parse_html_for_line_which_includes_newline(line);
    }
    html.finalize()
}

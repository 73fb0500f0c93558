//! The "How this guide is tested" page: generated, not written. [`add_page`] puts an empty page
//! into the corpus before rendering (so the sidebar, search and prev/next know it); [`fill`]
//! gives it its content after rendering, when every page's snippets and marks are known: the
//! latest run (date, git version, the mock remote's profile and date), how to reproduce it, and
//! every snippet with its status.

use std::fmt::Write as _;

use crate::content::{Corpus, FrontMatter, Page};
use crate::markdown::{Heading, RenderedPage, SectionText};
use crate::snippets::SnippetKind;

use super::verify::{Mark, Marks, entry_id, snippet_id};

/// The page's source name (no file has it; `generated` pages are never read).
pub(crate) const REL: &str = "how-this-guide-is-tested.md";
const TITLE: &str = "How this guide is tested";

/// Adds the empty page at the end of the reading order, when some page has a code block.
pub(crate) fn add_page(corpus: &mut Corpus) {
    let has_code = corpus
        .pages
        .iter()
        .any(|p| p.body.contains("```") || p.body.contains("~~~"));
    if !has_code || corpus.pages.iter().any(|p| p.rel == REL) {
        return;
    }
    let front = FrontMatter {
        title: TITLE.into(),
        description: Some(
            "Every snippet of this guide, how it was last run, and how to rerun it.".into(),
        ),
        weight: i64::MAX,
        ..FrontMatter::default()
    };
    let mut page = Page::new(REL, front, String::new(), 1);
    page.generated = true;
    corpus.pages.push(page);
}

/// Writes the page's content into its rendered entry (if the page was added; a site's own
/// `content/how-this-guide-is-tested.md` wins and is left alone).
pub(crate) fn fill(corpus: &Corpus, rendered: &mut [RenderedPage], marks: &Marks) {
    let Some(at) = rendered
        .iter()
        .position(|r| corpus.pages[r.page].rel == REL)
    else {
        return;
    };
    let rows = rows(corpus, rendered, marks);
    let mut out = Out::default();
    out.heading(1, "how-this-guide-is-tested", TITLE);
    out.para(
        "Every command and transcript on these pages is a test. helpsite runs each one in a \
         fresh sandbox against a mock Git remote that answers like Bitbucket Cloud, and compares \
         what git prints with what the page shows. Each snippet carries the result of the \
         latest run: verified (with the date and git version), failing, or not run and why. A \
         snippet edited after the run shows as not verified until the next run.",
    );
    latest_run(&mut out, marks, &rows);
    reproduce(&mut out, marks);
    every_snippet(&mut out, &rows);
    let r = &mut rendered[at];
    r.body = crate::markdown::Body::from_html(out.html);
    r.headings = out.headings;
    r.sections = out.sections;
    r.has_h1 = true;
}

/// One snippet as the page lists it.
struct Row {
    page_title: String,
    page_url: String,
    name: String,
    place: String,
    hidden: bool,
    mark: Mark,
}

fn rows(corpus: &Corpus, rendered: &[RenderedPage], marks: &Marks) -> Vec<Row> {
    let mut rows = Vec::new();
    for r in rendered {
        let page = &corpus.pages[r.page];
        for snippet in &r.snippets {
            if snippet.kind == SnippetKind::Text {
                continue;
            }
            let Some(mark) = marks.mark(snippet, &snippet.hash()) else {
                continue;
            };
            rows.push(Row {
                page_title: page.front.title.clone(),
                page_url: page.url.clone(),
                name: snippet.test_name.clone(),
                place: format!("{}:{}", snippet.file.display(), snippet.line),
                hidden: snippet.attrs.hidden,
                mark,
            });
        }
    }
    rows
}

fn latest_run(out: &mut Out, marks: &Marks, rows: &[Row]) {
    out.heading(2, "the-latest-run", "The latest run");
    let Some(report) = marks.report() else {
        out.para(
            "No test report was found when this site was built, so no snippet is marked as \
             verified. Run the snippets with a report (below) and build again.",
        );
        return;
    };
    let count = |class: &str| rows.iter().filter(|r| r.mark.class() == class).count();
    let date = report.generated.as_str();
    out.list(&[
        format!("Run at {date} with git {}.", report.git_version),
        if report.isolated {
            "Each chain ran in its own namespace sandbox (no network but the mock remote, a \
             fresh HOME)."
                .to_string()
        } else {
            "This run went without the sandbox (--no-sandbox): on the machine, as its user, with \
             only the environment reset."
                .to_string()
        },
        format!(
            "Mock remote: the {} profile, dated {}.",
            report.profile, report.as_of
        ),
        format!(
            "{} snippets verified with output as shown, {} errors reproduced, {} failing, {} \
             not verified or not run.",
            count("verified"),
            count("reproduced"),
            count("failing"),
            count("not-run")
        ),
    ]);
}

fn reproduce(out: &mut Out, marks: &Marks) {
    out.heading(2, "reproduce-a-run", "Reproduce a run");
    out.para("From a checkout of the guide's repository, run every snippet and rebuild the site:");
    out.code("cargo run --release -- test\ncargo run --release -- build");
    out.para(
        "To try the commands by hand, start the mock remote. It prints its address, the \
         made-up accounts and tokens it accepts, and the git settings that send \
         https://bitbucket.org/ to it; then type the commands of any page.",
    );
    let remote = match marks.report() {
        Some(r) => format!(
            "cargo run --release -- remote --profile {} --as-of {}",
            r.profile, r.as_of
        ),
        None => "cargo run --release -- remote".to_string(),
    };
    out.code(&remote);
}

fn every_snippet(out: &mut Out, rows: &[Row]) {
    out.heading(2, "every-snippet", "Every snippet");
    if rows.is_empty() {
        out.para("This site has no snippets that run.");
        return;
    }
    // A list, not a table: test names are long and a phone is narrow.
    let mut current = "";
    for row in rows {
        if row.page_url != current {
            if !current.is_empty() {
                out.html.push_str("</ul>\n");
            }
            current = &row.page_url;
            let _ = writeln!(
                out.html,
                "<h3><a href=\"{}\">{}</a></h3>\n<ul class=\"tested-snippets\">",
                esc(&row.page_url),
                esc(&row.page_title)
            );
        }
        let setup = if row.hidden {
            " (setup, not shown on the page)"
        } else {
            ""
        };
        // Both ways: each entry has an id the snippet's mark links to, and links back to the
        // snippet on its page (a setup snippet is not shown there: its page, then).
        let back = match row.hidden {
            true => esc(&row.page_url),
            false => format!("{}#{}", esc(&row.page_url), snippet_id(&row.name)),
        };
        let _ = writeln!(
            out.html,
            "<li id=\"{}\"><a href=\"{back}\"><code>{}</code></a> <small>{}{setup}</small><br>{}<br><small class=\"mark-detail\">{}</small></li>",
            entry_id(&row.name),
            esc(&row.name),
            esc(&row.place),
            row.mark.html(),
            esc(&row.mark.detail()),
        );
    }
    out.html.push_str("</ul>\n");
}

/// The page being written: HTML, plus headings (TOC) and section text (search).
#[derive(Default)]
struct Out {
    html: String,
    headings: Vec<Heading>,
    sections: Vec<SectionText>,
}

impl Out {
    fn heading(&mut self, level: u8, id: &str, text: &str) {
        let _ = writeln!(self.html, "<h{level} id=\"{id}\">{}</h{level}>", esc(text));
        self.headings.push(Heading {
            level,
            id: id.into(),
            text: text.into(),
        });
        self.sections.push(SectionText {
            id: id.into(),
            heading: text.into(),
            text: String::new(),
        });
    }

    fn para(&mut self, text: &str) {
        let _ = writeln!(self.html, "<p>{}</p>", esc(text));
        self.search_text(text);
    }

    fn list(&mut self, items: &[String]) {
        self.html.push_str("<ul>\n");
        for item in items {
            let _ = writeln!(self.html, "<li>{}</li>", esc(item));
            self.search_text(item);
        }
        self.html.push_str("</ul>\n");
    }

    fn code(&mut self, text: &str) {
        let _ = writeln!(
            self.html,
            "<pre class=\"code\" tabindex=\"0\"><code>{}</code></pre>",
            esc(text)
        );
    }

    fn search_text(&mut self, text: &str) {
        if let Some(section) = self.sections.last_mut() {
            if !section.text.is_empty() {
                section.text.push(' ');
            }
            section.text.push_str(text);
        }
    }
}

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

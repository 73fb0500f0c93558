use super::*;
use crate::markdown::{Body, body};
use crate::report::Report;

fn report() -> Report {
    serde_json::from_str(
        r#"{"version":1, "generated":"2026-11-28T10:00:00Z", "git_version":"2.47.3",
            "profile":"bitbucket", "as_of":"2026-11-28",
            "snippets":[
              {"name":"guide::fix::push","file":"content/guide/fix.md","line":42,
               "verdict":"passed","reason":null,"duration_ms":123,"hash":"aaa"},
              {"name":"guide::fix::bad","file":"content/guide/fix.md","line":50,
               "verdict":"failed","reason":"output differs","duration_ms":9,"hash":"bbb"},
              {"name":"guide::fix::skip","file":"content/guide/fix.md","line":60,
               "verdict":"ignored","reason":"needs a real account","duration_ms":0,"hash":"ccc"}
            ]}"#,
    )
    .unwrap()
}

fn snippet(name: &str, kind: SnippetKind) -> Snippet {
    Snippet {
        file: "content/guide/fix.md".into(),
        line: 1,
        test_name: name.into(),
        lang: "console".into(),
        kind,
        attrs: Default::default(),
        attr_text: String::new(),
        code: "$ git push\n".into(),
    }
}

#[test]
fn verdicts_become_marks() {
    let marks = Marks::from_report(report());
    let verified = Mark::Verified {
        date: "2026-11-28".into(),
        git_version: "2.47.3".into(),
    };
    assert_eq!(marks.mark_by_name("guide::fix::push", "aaa"), verified);
    assert_eq!(
        marks.mark_by_name("guide::fix::bad", "bbb"),
        Mark::Failing {
            date: "2026-11-28".into(),
            git_version: "2.47.3".into(),
            reason: Some("output differs".into())
        }
    );
    assert_eq!(
        marks.mark_by_name("guide::fix::skip", "ccc"),
        Mark::NotRun {
            reason: "not run: needs a real account".into()
        }
    );
}

#[test]
fn a_changed_or_unknown_snippet_is_not_verified() {
    let marks = Marks::from_report(report());
    let stale = marks.mark_by_name("guide::fix::push", "changed");
    assert_eq!(
        stale,
        Mark::NotRun {
            reason: "not verified: changed since the test run of 2026-11-28".into()
        }
    );
    assert!(matches!(
        marks.mark_by_name("guide::other::x", "aaa"),
        Mark::NotRun { .. }
    ));
    let none = Marks::none().mark_by_name("guide::fix::push", "aaa");
    assert!(matches!(none, Mark::NotRun { reason } if reason.contains("no test report")));
}

#[test]
fn text_has_no_mark_and_ignored_code_says_why() {
    let marks = Marks::from_report(report());
    assert_eq!(
        marks.mark(&snippet("a::b::text_1", SnippetKind::Text), "x"),
        None
    );
    let ignored = SnippetKind::Ignored {
        reason: "shows a file".into(),
    };
    assert_eq!(
        marks.mark(&snippet("a::b::ini_1", ignored), "x"),
        Some(Mark::NotRun {
            reason: "not run: shows a file".into()
        })
    );
    assert!(matches!(
        marks.mark(
            &snippet(
                "guide::fix::push",
                SnippetKind::Console {
                    commands: Vec::new()
                }
            ),
            "aaa"
        ),
        Some(Mark::Verified { .. })
    ));
}

#[test]
fn load_reads_files_and_names_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let missing = Marks::load(&dir.path().join("none.json")).unwrap();
    assert!(missing.report().is_none());
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{not json").unwrap();
    let err = format!("{:#}", Marks::load(&bad).unwrap_err());
    assert!(err.contains("bad.json"), "{err}");
    let v2 = dir.path().join("v2.json");
    let mut report = serde_json::to_value(report()).unwrap();
    report["version"] = 2.into();
    std::fs::write(&v2, report.to_string()).unwrap();
    assert!(format!("{:#}", Marks::load(&v2).unwrap_err()).contains("version 2"));
}

#[test]
fn the_badge_is_escaped_text_with_an_explanation() {
    let mark = Mark::Failing {
        date: "2026-11-28".into(),
        git_version: "2.47.3".into(),
        reason: Some("<script>\"x\"".into()),
    };
    let html = mark.html();
    assert!(
        html.starts_with("<span class=\"snippet-mark snippet-mark-failing\""),
        "{html}"
    );
    assert!(html.contains("failing in the run of 2026-11-28"));
    assert!(
        html.contains("&lt;script&gt;&quot;x&quot;") && !html.contains("<script>"),
        "{html}"
    );
}

#[test]
fn marks_fill_the_status_slots_of_shown_snippets() {
    let mut shown = snippet(
        "guide::fix::push",
        SnippetKind::Console {
            commands: Vec::new(),
        },
    );
    shown.code = "$ git push\n".into();
    let mut report = report();
    report.snippets[0].hash = shown.hash();
    let mut hidden = snippet(
        "guide::fix::setup",
        SnippetKind::Console {
            commands: Vec::new(),
        },
    );
    hidden.attrs.hidden = true;
    let text = snippet("guide::fix::text_1", SnippetKind::Text);
    // Snippet 1 (shown) and 2 (text) as markdown::code writes them, with their holes.
    let slot = |name: &str, n: usize, tokens: bool| {
        let (id, status, end) = match tokens {
            true => (
                body::id_token(n),
                body::status_token(n),
                body::END.to_string(),
            ),
            false => Default::default(),
        };
        format!(
            "<div class=\"snippet\" {id}data-snippet=\"{name}\"><div class=\"snippet-bar\"><span class=\"snippet-status\">{status}{end}</span></div></div>"
        )
    };
    let both = |tokens| {
        format!(
            "{}{}",
            slot("guide::fix::push", 1, tokens),
            slot("guide::fix::text_1", 2, tokens)
        )
    };
    let html = both(false);
    let page = crate::markdown::RenderedPage {
        page: 0,
        body: Body::parse(&both(true)),
        headings: Vec::new(),
        links: Vec::new(),
        anchors: Vec::new(),
        snippets: vec![hidden, shown, text],
        sections: Vec::new(),
        has_h1: true,
    };
    assert_eq!(body(&page, None), html, "no marks: as rendered");
    let marked = body(&page, Some(&Marks::from_report(report)));
    let verified = Mark::Verified {
        date: "2026-11-28".into(),
        git_version: "2.47.3".into(),
    };
    let link = "../how-this-guide-is-tested.html";
    let expected = html
        .replacen(
            "<span class=\"snippet-status\"></span>",
            &format!(
                "<span class=\"snippet-status\">{}</span>",
                verified.link(&format!("{link}#t-guide--fix--push"))
            ),
            1,
        )
        .replacen(
            "class=\"snippet\" data-snippet=\"guide::fix::push\"",
            "class=\"snippet\" id=\"s-guide--fix--push\" data-snippet=\"guide::fix::push\"",
            1,
        );
    let summary = format!(
        "<p class=\"page-marks\">This page's 1 snippet: 1 with output as shown (run of \
         2026-11-28 with git 2.47.3). <a href=\"{link}\">How this guide is tested</a></p>\n"
    );
    assert_eq!(marked, format!("{summary}{expected}"));
}

#[test]
fn an_expected_failure_that_passed_was_reproduced() {
    let mut failing = snippet(
        "guide::fix::push",
        SnippetKind::Console {
            commands: Vec::new(),
        },
    );
    failing.attrs.status = Some(128);
    let mut report = report();
    report.snippets[0].hash = failing.hash();
    let mark = Marks::from_report(report).mark(&failing, &failing.hash());
    let Some(mark) = mark else { panic!("no mark") };
    assert_eq!(mark.class(), "reproduced");
    assert!(
        mark.label()
            .starts_with("this error was reproduced 2026-11-28 with git 2.47.3")
    );
    assert!(
        !mark.html().contains('✓'),
        "not a works tick: {}",
        mark.html()
    );
}

#[test]
fn running_marks_give_way_to_recorded_results() {
    let console = || SnippetKind::Console {
        commands: Vec::new(),
    };
    let header = report();
    let mut marks = Marks::none().with_running(["guide::fix::push".to_string()]);
    let push = snippet("guide::fix::push", console());
    assert_eq!(marks.mark(&push, "aaa"), Some(Mark::Running));
    assert_eq!(Mark::Running.label(), "running…");
    let mut entry = header.snippets[0].clone();
    entry.ran = Some("2026-12-01T09:00:00Z".into());
    marks.record(entry, &header);
    assert!(matches!(
        marks.mark(&push, "aaa"),
        Some(Mark::Verified { date, .. }) if date == "2026-12-01"
    ));
    let mut unsandboxed = header.clone();
    unsandboxed.isolated = false;
    marks.record(header.snippets[1].clone(), &unsandboxed);
    assert!(marks.unsandboxed());
    let badge = badge(&marks, &push, &marks.mark(&push, "aaa").unwrap());
    assert!(
        badge.contains("(ran without the sandbox)</span></a>"),
        "{badge}"
    );
}

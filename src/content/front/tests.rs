use super::*;

fn p() -> &'static Path {
    Path::new("content/x.md")
}

fn front(text: &str) -> Result<FrontMatter, TomlError> {
    parse(&split(text, p())?, p())
}

#[test]
fn splits_and_counts_lines() {
    let s = split("+++\ntitle = \"T\"\nweight = 2\n+++\n# Body\n", p()).unwrap();
    assert_eq!(s.front, "title = \"T\"\nweight = 2\n");
    assert_eq!((s.body, s.body_line), ("# Body\n", 5));
    let fm = parse(&s, p()).unwrap();
    assert_eq!((fm.title.as_str(), fm.weight), ("T", 2));
}

#[test]
fn crlf_and_no_front_matter() {
    let s = split("+++\r\ntitle = \"T\"\r\n+++\r\nbody", p()).unwrap();
    assert_eq!((s.body, s.body_line), ("body", 4));
    let s = split("just text", p()).unwrap();
    assert_eq!((s.front, s.body, s.body_line), ("", "just text", 1));
    assert!(split("", p()).unwrap().body.is_empty());
}

#[test]
fn after_a_bom_and_blank_lines() {
    let s = split("\u{feff}\n\n+++\ntitle = \"T\"\n+++\nbody\n", p()).unwrap();
    assert_eq!((s.front_line, s.body, s.body_line), (4, "body\n", 6));
    let fm = parse(&s, p()).unwrap();
    assert_eq!(fm.title, "T");
    let s = split("\u{feff}---\ntitle: Y\n---\nbody\n", p()).unwrap();
    assert_eq!((s.format, s.body_line), (Format::Yaml, 4));
}

#[test]
fn yaml_front_matter_and_foreign_keys() {
    let fm = front(
        "---\ntitle: \"Install\"\nweight: 3\ndate: 2023-04-01T10:00:00Z\nlastmod: 2024-05-02\n\
         aliases: [/old/install/]\ntags: [a, b]\nmenu:\n  docs:\n    parent: start\n---\nBody\n",
    )
    .unwrap();
    assert_eq!((fm.title.as_str(), fm.weight), ("Install", 3));
    assert_eq!(fm.updated.as_deref(), Some("2024-05-02"), "lastmod wins");
    assert_eq!(fm.aliases, ["/old/install/"]);
    assert_eq!(fm.extra["tags"], serde_json::json!(["a", "b"]));
    assert_eq!(fm.extra["menu"]["docs"]["parent"], "start");
}

#[test]
fn zola_toml_keys() {
    let fm = front(
        "+++\ntitle = \"T\"\ndate = 2021-03-04\nslug = \"start\"\ntemplate = \"wide.html\"\n\
         in_search_index = true\n[extra]\nicon = \"book\"\n+++\n",
    )
    .unwrap();
    assert_eq!(fm.updated.as_deref(), Some("2021-03-04"));
    assert_eq!(fm.slug.as_deref(), Some("start"));
    assert_eq!(fm.template.as_deref(), Some("wide.html"));
    assert_eq!(fm.extra["icon"], "book");
    assert_eq!(fm.extra["in_search_index"], true);
}

#[test]
fn a_typo_of_a_helpsite_key_is_an_error_with_a_suggestion() {
    let err = front("+++\ntitle = \"T\"\nwieght = 2\n+++\n").unwrap_err();
    assert_eq!((err.line, err.column), (3, 1), "{err}");
    assert!(err.message.contains("did you mean `weight`"), "{err}");
    let err = front("---\ndescripton: x\n---\n").unwrap_err();
    assert!(err.message.contains("did you mean `description`"), "{err}");
    let err = front("+++\n[snippets]\nprofil = \"github\"\n+++\n").unwrap_err();
    assert_eq!(err.line, 3, "{err}");
    assert!(err.message.contains("did you mean `profile`"), "{err}");
}

#[test]
fn errors_are_located_in_the_file() {
    let err = front("+++\ntitle = \"T\"\nweight = \"heavy\"\n+++\n").unwrap_err();
    assert_eq!((err.line, err.column), (3, 10), "{err}");
    assert!(err.message.contains("weight"), "{err}");
    let err = split("+++\ntitle = 1\n", p()).err().unwrap();
    assert!(err.to_string().starts_with("content/x.md:1:1: "), "{err}");
    let err = front("\n---\ntitle: T\nweight: [1\n---\n").unwrap_err();
    assert!(err.to_string().starts_with("content/x.md:"), "{err}");
    assert!((4..=5).contains(&err.line), "{err}");
    let err = split("---\ntitle: T\n", p()).err().unwrap();
    assert!(err.message.contains("`---`"), "{err}");
}

#[test]
fn title_fallback() {
    assert_eq!(
        fallback_title("```\n# not\n```\n# Real  \n", "a.md"),
        "Real"
    );
    assert_eq!(fallback_title("text", "guide/fix-push.md"), "fix-push");
    assert_eq!(fallback_title("", "guide/_index.md"), "guide");
    assert_eq!(fallback_title("", "guide/README.md"), "guide");
    assert_eq!(fallback_title("", "_index.md"), "Home");
}

#[test]
fn snippet_settings_are_typed_and_located() {
    let s = split(
        "+++\n[snippets]\nprofile = \"github\"\nas_of = \"2026-05-01\"\n+++\n",
        p(),
    );
    let fm = parse(&s.unwrap(), p()).unwrap();
    assert_eq!(fm.snippets.profile, Some(Profile::Github));
    assert_eq!(fm.snippets.as_of, Some("2026-05-01".parse().unwrap()));
    let s = split("+++\n[snippets]\nprofile = \"gitea\"\n+++\n", p()).unwrap();
    let err = parse(&s, p()).unwrap_err().to_string();
    assert!(err.starts_with("content/x.md:3:11: "), "{err}");
    assert!(err.contains("`gitea`") && err.contains("`github`"), "{err}");
    let s = split("+++\n[snippets]\nas_of = \"soon\"\n+++\n", p()).unwrap();
    let err = parse(&s, p()).unwrap_err().to_string();
    assert!(err.starts_with("content/x.md:3:9: "), "{err}");
    assert!(err.contains("expected a date like 2026-11-28"), "{err}");
}

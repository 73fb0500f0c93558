//! Front matter as other generators write it: Hugo's YAML `---` (after a BOM), Zola's TOML
//! `+++` after blank lines, their keys honoured (`lastmod`/`date` → "Last updated", `slug`,
//! `aliases` → redirect pages, `[extra]` kept) and a typo of a helpsite key refused with a
//! suggestion.

use crate::support::{build, fixture};
use std::path::PathBuf;

use predicates::prelude::*;

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn hugo_yaml_and_zola_toml_pages_build_with_their_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&fixture("adopt-front-matter"), &out).success();

    let install = read(out.join("guide/install.html"));
    assert!(
        install.contains("<title>Install (Hugo YAML)"),
        "title from YAML"
    );
    assert!(
        !install.contains("aliases:"),
        "the YAML is not shown as text"
    );
    assert!(
        install.contains("Last updated <time datetime=\"2024-05-02\">2024-05-02</time>"),
        "lastmod wins over date"
    );

    // slug: the page is written under its slug; its natural name redirects there.
    let zola = read(out.join("guide/from-zola.html"));
    assert!(zola.contains("<title>Zola page"), "{zola}");
    assert!(zola.contains("datetime=\"2021-03-04\""), "TOML date");
    assert!(
        !zola.contains("+++"),
        "TOML after blank lines is front matter"
    );
    let natural = read(out.join("guide/zola.html"));
    assert!(natural.contains("url=../guide/from-zola.html"), "{natural}");

    // aliases: a redirect page at each old URL, relative to where it sits.
    let alias = read(out.join("old/install/index.html"));
    assert!(alias.contains("url=../../guide/install.html"), "{alias}");

    // Reading order follows the weights from both formats (zola 1, install 2).
    let start = read(out.join("index.html"));
    assert!(
        start.contains("class=\"next\" href=\"guide/from-zola.html\""),
        "{start}"
    );
    assert!(
        zola.contains("class=\"next\" href=\"../guide/install.html\""),
        "{zola}"
    );
}

#[test]
fn a_typo_of_a_helpsite_key_is_refused_with_a_suggestion_and_others_are_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("content/a.md"),
        "---\ntitle: A\nwieght: 3\nauthor: someone\n---\n# A\n",
    )
    .unwrap();
    build(root, &root.join("public")).code(2).stderr(
        predicate::str::contains("content/a.md:3:1: unknown key `wieght`: did you mean `weight`?")
            .and(predicate::str::contains("author").not()),
    );
    std::fs::write(root.join("helpsite.toml"), "titel = \"x\"\n").unwrap();
    std::fs::write(root.join("content/a.md"), "# A\n").unwrap();
    build(root, &root.join("public"))
        .code(2)
        .stderr(predicate::str::contains("did you mean `title`?"));
}

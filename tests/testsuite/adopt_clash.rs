//! No silent replacement: a content file that the build would overwrite with one it makes
//! itself (the theme's static files, the print page) is an error naming both; a top-level
//! `404.md` is the site's 404 page (mdBook's convention), not a clash.

use crate::support::{build, fixture};

use predicates::prelude::*;

#[test]
fn content_files_clashing_with_generated_ones_are_errors_naming_both() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&fixture("adopt-clash"), &out).code(2).stderr(
        predicate::str::contains(
            "content/static/style.css: would be written to static/style.css, which is the \
                 theme's static/style.css",
        )
        .and(predicate::str::contains(
            "content/print.md: would be written to print.html, which is the print page",
        ))
        .and(predicate::str::contains("404").not())
        .and(predicate::str::contains("2 clashing files")),
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_content_404_page_is_the_404_page() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    for name in ["_index.md", "404.md"] {
        let from = fixture("adopt-clash").join("content").join(name);
        std::fs::copy(from, root.join("content").join(name)).unwrap();
    }
    let out = tmp.path().join("public");
    build(&root, &out).success();
    let page = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(page.contains("This is our own 404 page."), "{page}");
}

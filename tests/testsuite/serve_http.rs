//! `helpsite serve` as an HTTP server: pages, 404, content types, no way out of the output
//! folder (raw `..`, encoded `..`, symlinks), methods, and clients that hang up early.

use std::io::Write as _;

use crate::serve_support::{SCRIPT_TAG, Server, fixture, html_paths};

#[test]
fn every_built_page_is_served_with_the_reload_script() {
    let site = fixture("serve-site");
    let server = Server::start(site.path());
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains(SCRIPT_TAG));
    let pages = html_paths(&server.out);
    assert!(pages.len() >= 2, "{pages:?}");
    for path in pages {
        let on_disk = std::fs::read_to_string(server.out.join(&path[1..])).unwrap();
        assert!(
            !on_disk.contains(SCRIPT_TAG),
            "{path}: the built file must stay clean"
        );
        let served = server.get(&path);
        assert_eq!(served.status, 200, "{path}");
        assert_eq!(served.body.replace(SCRIPT_TAG, ""), on_disk, "{path}");
    }
}

#[test]
fn unknown_paths_get_the_sites_404_page() {
    let site = fixture("serve-site");
    let server = Server::start(site.path());
    std::fs::write(
        server.out.join("404.html"),
        "<html><body>Lost page marker</body></html>",
    )
    .unwrap();
    let missing = server.get("/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        missing.body.contains("Lost page marker"),
        "{}",
        missing.body
    );
    assert!(missing.body.contains(SCRIPT_TAG));
}

#[test]
fn content_types_redirects_and_methods() {
    let site = fixture("serve-site");
    let server = Server::start(site.path());
    std::fs::create_dir_all(server.out.join("sub")).unwrap();
    for (name, body) in [
        ("x.css", "a{}"),
        ("x.js", "1"),
        ("x.svg", "<svg/>"),
        ("sub/index.html", "s"),
    ] {
        std::fs::write(server.out.join(name), body).unwrap();
    }
    let css = server.get("/x.css");
    assert_eq!((css.status, css.body.as_str()), (200, "a{}"));
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        server.get("/x.js").header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(
        server.get("/x.svg").header("content-type"),
        Some("image/svg+xml")
    );
    let folder = server.get("/sub");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/sub/"));
    assert_eq!(server.get("/sub/").status, 200);
    let head = server.request("HEAD /x.css");
    assert_eq!((head.status, head.body.as_str()), (200, ""));
    assert_eq!(server.request("POST /x.css").status, 405);
}

#[test]
fn nothing_outside_the_output_folder_is_served() {
    let site = fixture("serve-site");
    let server = Server::start(site.path());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.path().join("secret.txt"), server.out.join("leak.txt"))
            .unwrap();
        std::os::unix::fs::symlink(site.path(), server.out.join("up")).unwrap();
    }
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/.%2e/secret.txt",
        "/..%5csecret.txt",
        "/leak.txt",
        "/up/secret.txt",
        "/up/",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}");
        assert!(
            !response.body.contains("TOP-SECRET-MARKER"),
            "{path} leaked the file"
        );
    }
}

#[test]
fn clients_that_hang_up_do_not_hurt_the_server() {
    let site = fixture("serve-site");
    let server = Server::start(site.path());
    let big = "x".repeat(4 << 20);
    std::fs::write(server.out.join("big.txt"), &big).unwrap();
    for _ in 0..5 {
        // Half a request, then gone.
        let mut half = server.connect();
        half.write_all(b"GET /big.t").unwrap();
        drop(half);
        // A whole request for a large file, gone before reading the answer.
        let mut early = server.connect();
        early.write_all(b"GET /big.txt HTTP/1.0\r\n\r\n").unwrap();
        drop(early);
        // A live-reload stream, gone after its first event.
        drop(server.events());
    }
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(server.get("/big.txt").body.len(), big.len());
}

/// serve replaces its output folder whole after every build, so, like `build --out`, it refuses a
/// folder of someone else's files and leaves it as it was.
#[test]
fn a_foreign_output_folder_is_refused_and_left_alone() {
    let site = fixture("serve-site");
    let foreign = tempfile::tempdir().unwrap();
    std::fs::write(foreign.path().join("notes.txt"), "precious").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_helpsite"))
        .args(["serve", "--port", "0", "--no-run", "--root"])
        .arg(site.path())
        .arg("--out")
        .arg(foreign.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("not a previous helpsite output"),
        "{stderr}"
    );
    let left: Vec<_> = std::fs::read_dir(foreign.path())
        .unwrap()
        .flatten()
        .collect();
    assert_eq!(left.len(), 1);
    assert_eq!(
        std::fs::read_to_string(foreign.path().join("notes.txt")).unwrap(),
        "precious"
    );
}

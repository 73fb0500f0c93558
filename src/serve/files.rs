//! Requests → files. A request path is percent-decoded, split into segments (`..` anywhere is
//! refused, not clamped), joined to the output folder and canonicalized; a target whose real path
//! is outside the output folder (a symlink out) is treated as missing. Folders answer with their
//! index.html (a redirect adds the trailing slash, so relative links work). Missing files get
//! the site's 404.html with status 404. HTML responses get the live-reload script injected.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State as Extract;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::live;
use super::state::State;

/// The whole server: the live-reload endpoints, and files for every other path.
pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route(live::EVENTS_PATH, get(live::events))
        .route(live::SCRIPT_PATH, get(live::script))
        .fallback(serve_file)
        .with_state(state)
}

/// Where a request path leads inside the output folder.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    File(PathBuf),
    /// A folder asked for without its trailing slash: redirect here.
    Redirect(String),
    NotFound,
}

async fn serve_file(Extract(state): Extract<Arc<State>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let site = state.site.read().await;
    if !site.ready {
        return live::placeholder();
    }
    match resolve(&site.out, uri.path()) {
        Target::File(path) => match tokio::fs::read(&path).await {
            Ok(bytes) => respond(StatusCode::OK, &path, bytes),
            Err(_) => not_found(&site.out).await,
        },
        Target::Redirect(location) => (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response(),
        Target::NotFound => not_found(&site.out).await,
    }
}

async fn not_found(out: &Path) -> Response {
    let page = out.join("404.html");
    match tokio::fs::read(&page).await {
        Ok(bytes) => respond(StatusCode::NOT_FOUND, &page, bytes),
        Err(_) => (StatusCode::NOT_FOUND, "404 Not Found\n").into_response(),
    }
}

fn respond(status: StatusCode, path: &Path, bytes: Vec<u8>) -> Response {
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") {
        live::inject(bytes)
    } else {
        bytes
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, kind)
        .header(header::CACHE_CONTROL, "no-store")
        .header("x-content-type-options", "nosniff")
        .body(Body::from(body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// Maps a request path (still percent-encoded) to what to answer, never leaving `root`.
pub(crate) fn resolve(root: &Path, raw: &str) -> Target {
    let Some(segments) = segments(raw) else {
        return Target::NotFound;
    };
    let Ok(real_root) = root.canonicalize() else {
        return Target::NotFound;
    };
    let rel: PathBuf = segments.iter().collect();
    let Ok(real) = root.join(rel).canonicalize() else {
        return Target::NotFound;
    };
    if !real.starts_with(&real_root) {
        return Target::NotFound;
    }
    if real.is_dir() {
        if !raw.ends_with('/') {
            return Target::Redirect(encode_path(&segments));
        }
        return match real.join("index.html").canonicalize() {
            Ok(index) if index.starts_with(&real_root) && index.is_file() => Target::File(index),
            _ => Target::NotFound,
        };
    }
    if real.is_file() {
        Target::File(real)
    } else {
        Target::NotFound
    }
}

/// The decoded path segments, without empty and `.` ones; `None` for anything suspicious:
/// `..`, a backslash, a NUL, invalid UTF-8 or a bad escape.
fn segments(raw: &str) -> Option<Vec<String>> {
    let decoded = String::from_utf8(percent_decode(raw)?).ok()?;
    let mut out = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s if s.contains(['\\', '\0']) => return None,
            s => out.push(s.to_string()),
        }
    }
    Some(out)
}

fn percent_decode(raw: &str) -> Option<Vec<u8>> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// `/a/b c/` from segments: rebuilt from decoded parts, so `//host` can never come back out
/// (no open redirect).
fn encode_path(segments: &[String]) -> String {
    let mut path = String::from("/");
    for segment in segments {
        for byte in segment.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
                path.push(byte as char);
            } else {
                path.push_str(&format!("%{byte:02X}"));
            }
        }
        path.push('/');
    }
    path
}

/// The Content-Type for a file, by extension; unknown types are served as bytes.
pub(crate) fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("out/guide")).unwrap();
        std::fs::write(dir.path().join("out/index.html"), "home").unwrap();
        std::fs::write(dir.path().join("out/guide/index.html"), "guide").unwrap();
        std::fs::write(dir.path().join("out/guide/a b.html"), "ab").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        dir
    }

    #[test]
    fn files_and_folders_resolve_inside_the_root() {
        let dir = site();
        let out = dir.path().join("out");
        let real = out.canonicalize().unwrap();
        assert_eq!(resolve(&out, "/"), Target::File(real.join("index.html")));
        assert_eq!(
            resolve(&out, "/guide/"),
            Target::File(real.join("guide/index.html"))
        );
        assert_eq!(
            resolve(&out, "/guide/a%20b.html"),
            Target::File(real.join("guide/a b.html"))
        );
        assert_eq!(resolve(&out, "/guide"), Target::Redirect("/guide/".into()));
        assert_eq!(resolve(&out, "//guide"), Target::Redirect("/guide/".into()));
        assert_eq!(resolve(&out, "/missing.html"), Target::NotFound);
    }

    #[test]
    fn traversal_is_refused_however_it_is_spelled() {
        let dir = site();
        let out = dir.path().join("out");
        for raw in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E%2Fsecret.txt",
            "/guide/..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/%00",
            "/%zz",
            "/%c0%ae%c0%ae/secret.txt",
        ] {
            assert_eq!(resolve(&out, raw), Target::NotFound, "{raw}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_missing() {
        let dir = site();
        let out = dir.path().join("out");
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(dir.path(), out.join("up")).unwrap();
        assert_eq!(resolve(&out, "/leak.txt"), Target::NotFound);
        assert_eq!(resolve(&out, "/up/secret.txt"), Target::NotFound);
        assert_eq!(resolve(&out, "/up/"), Target::NotFound);
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(
            content_type(Path::new("a/b.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("x.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("x.svg")), "image/svg+xml");
        assert_eq!(content_type(Path::new("x")), "application/octet-stream");
    }
}

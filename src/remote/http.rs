//! One Git request over HTTP: route the path (`/workspace/repo[.git]/info/refs?service=…`,
//! `…/git-upload-pack`, `…/git-receive-pack`; anything else is 404, a wrong method 405), read
//! Basic credentials, ask the policy, and either render its refusal (`text/plain`, one line per
//! body line, `WWW-Authenticate` on 401) or hand the request to `git http-backend`. Paths are
//! confined: names are plain segments, and the repository directory must resolve inside the root.

use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};

use super::cgi::{self, Body, CgiError, CgiRequest};
use super::policy::{AuthRequest, Decision, Op, Refusal, decide};
use super::profile::Profile;
use super::scenario::{is_name, now_utc};
use super::{RequestLog, State};

/// A routed Git request.
#[derive(Debug, PartialEq, Eq)]
struct Target {
    /// `workspace/repo`.
    repo: String,
    /// `/workspace/repo.git/<rest>` for http-backend.
    path_info: String,
    op: Op,
}

/// Serves one request for `profile` and records it in the log.
pub(crate) async fn handle(
    st: Arc<State>,
    profile: Profile,
    req: Request<Incoming>,
) -> Response<Body> {
    let method = req.method().to_string();
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().to_string(), |p| p.to_string());
    let user = basic_auth(req.headers()).ok().flatten().map(|(u, _)| u);
    let allowed = st.rate.allow(user.as_deref());
    let entry = RequestLog {
        method,
        path,
        user,
        decision: String::new(),
        status: 0,
    };
    // A backend's response is logged when its body ends, with how it really ended (a push the
    // client abandoned is `client-gone`, not `allow 200`); every other answer at once (an
    // answer that never reached a backend drops `on_end`, and keeps its tag).
    let (tx, rx) = tokio::sync::oneshot::channel::<cgi::Ended>();
    let on_end: cgi::OnEnd = Box::new(move |how| {
        let _ = tx.send(how);
    });
    let (response, tag) = if allowed {
        respond(&st, profile, req, on_end).await
    } else {
        let text = format!("{}\n", super::rate::TEXT);
        (plain(StatusCode::TOO_MANY_REQUESTS, &text), "rate-limited")
    };
    let mut entry = RequestLog {
        decision: tag.to_string(),
        status: response.status().as_u16(),
        ..entry
    };
    if tag != "allow" {
        st.record(entry);
        return response;
    }
    tokio::spawn(async move {
        match rx.await {
            Ok(cgi::Ended::Complete) | Err(_) => {}
            Ok(cgi::Ended::TooLarge) => entry.decision = "too-large".into(),
            Ok(cgi::Ended::ClientGone) => entry.decision = "client-gone".into(),
        }
        st.record(entry);
    });
    response
}

async fn respond(
    st: &State,
    profile: Profile,
    req: Request<Incoming>,
    on_end: cgi::OnEnd,
) -> (Response<Body>, &'static str) {
    if super::api::is_api_request(profile, &req) {
        return super::api::respond(st, profile, &req);
    }
    if let Some(target) = super::lfs::route(req.method(), req.uri().path()) {
        let Ok(auth) = basic_auth(req.headers()) else {
            let text = "Malformed Authorization header.\n";
            return (plain(StatusCode::BAD_REQUEST, text), "bad-auth");
        };
        let auth = auth.as_ref().map(|(u, p)| (u.as_str(), p.as_str()));
        return super::lfs::respond(st, profile, req, target, auth).await;
    }
    let query = req.uri().query().unwrap_or("").to_string();
    let target = match route(req.method(), req.uri().path(), &query) {
        Ok(t) => t,
        Err(status) => return (plain(status, "Not found.\n"), "bad-path"),
    };
    let Ok(auth) = basic_auth(req.headers()) else {
        return (
            plain(StatusCode::BAD_REQUEST, "Malformed Authorization header.\n"),
            "bad-auth",
        );
    };
    let at = st.as_of.map_or_else(now_utc, |a| a.moment());
    let auth_req = AuthRequest {
        repo: &target.repo,
        op: target.op,
        auth: auth.as_ref().map(|(u, p)| (u.as_str(), p.as_str())),
    };
    let decision = decide(&st.scenario, profile, at, &auth_req);
    let user = match decision {
        Decision::Refuse(refusal) => return (refused(&refusal), refusal.reason),
        Decision::Allow { user } => user,
    };
    let Some(_dir) = confined(st, &target.repo) else {
        return (plain(StatusCode::NOT_FOUND, "Not found.\n"), "not-on-disk");
    };
    let cgi_req = cgi_request(st.root.clone(), &req, target.path_info, query, user);
    let declared = cgi_req
        .content_length
        .as_deref()
        .and_then(|l| l.parse::<u64>().ok());
    if declared.is_some_and(|len| len > st.body_limit) {
        let text = format!("Request body larger than {} bytes.\n", st.body_limit);
        return (plain(StatusCode::PAYLOAD_TOO_LARGE, &text), "too-large");
    }
    match cgi::run(
        cgi_req,
        req.into_body(),
        cgi::BodyLimits {
            bytes: st.body_limit,
            idle: st.body_idle,
        },
        &st.backends,
        on_end,
    )
    .await
    {
        Ok(response) => (response, "allow"),
        Err(e @ CgiError::Busy) => (
            plain(StatusCode::SERVICE_UNAVAILABLE, &format!("{e}\n")),
            "busy",
        ),
        Err(e @ CgiError::TooLarge(_)) => (
            plain(StatusCode::PAYLOAD_TOO_LARGE, &format!("{e}\n")),
            "too-large",
        ),
        Err(CgiError::ClientGone) => (
            plain(StatusCode::BAD_REQUEST, "Incomplete request.\n"),
            "client-gone",
        ),
        Err(e) => (
            plain(StatusCode::INTERNAL_SERVER_ERROR, &format!("{e}\n")),
            "backend-error",
        ),
    }
}

/// Maps method and path to a Git endpoint; `Err(status)` for anything else.
fn route(method: &Method, path: &str, query: &str) -> Result<Target, StatusCode> {
    let not_found = StatusCode::NOT_FOUND;
    let mut parts = path.strip_prefix('/').ok_or(not_found)?.splitn(3, '/');
    let (ws, name, rest) = (parts.next(), parts.next(), parts.next());
    let (ws, name, rest) = (
        ws.ok_or(not_found)?,
        name.ok_or(not_found)?,
        rest.ok_or(not_found)?,
    );
    let name = name.strip_suffix(".git").unwrap_or(name);
    if !is_name(ws) || !is_name(name) {
        return Err(not_found);
    }
    let service = match rest {
        "info/refs" => query
            .split('&')
            .find_map(|kv| kv.strip_prefix("service="))
            .ok_or(not_found)?,
        "git-upload-pack" | "git-receive-pack" => rest,
        _ => return Err(not_found),
    };
    let op = match service {
        "git-upload-pack" => Op::Read,
        "git-receive-pack" => Op::Write,
        _ => return Err(not_found),
    };
    let wanted = if rest == "info/refs" {
        [Method::GET, Method::HEAD]
    } else {
        [Method::POST, Method::POST]
    };
    if !wanted.contains(method) {
        return Err(StatusCode::METHOD_NOT_ALLOWED);
    }
    let repo = format!("{ws}/{name}");
    Ok(Target {
        path_info: format!("/{repo}.git/{rest}"),
        repo,
        op,
    })
}

/// The repository directory, if it resolves (symlinks followed) inside the root.
fn confined(st: &State, repo: &str) -> Option<PathBuf> {
    let dir = super::repos::repo_dir(&st.root, repo).canonicalize().ok()?;
    (dir.starts_with(&st.root) && dir.is_dir()).then_some(dir)
}

/// `Ok(None)` without credentials, `Err` for a malformed header.
fn basic_auth(headers: &HeaderMap) -> Result<Option<(String, String)>, ()> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ())?;
    let (scheme, b64) = value.split_once(' ').ok_or(())?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(());
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| ())?;
    let text = String::from_utf8(raw).map_err(|_| ())?;
    let (user, pass) = text.split_once(':').ok_or(())?;
    Ok(Some((user.to_string(), pass.to_string())))
}

fn cgi_request(
    root: PathBuf,
    req: &Request<Incoming>,
    path_info: String,
    query: String,
    user: String,
) -> CgiRequest {
    let h = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    CgiRequest {
        root,
        path_info,
        query,
        method: req.method().to_string(),
        content_type: h("content-type"),
        content_length: h("content-length"),
        content_encoding: h("content-encoding"),
        git_protocol: h("git-protocol"),
        remote_user: user,
    }
}

/// A refusal as git wants it: `text/plain`, one line per body line, a challenge on 401.
fn refused(r: &Refusal) -> Response<Body> {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::FORBIDDEN);
    let mut response = plain(status, &(r.lines.join("\n") + "\n"));
    if let Some(realm) = r.realm {
        if let Ok(v) = HeaderValue::from_str(&format!("Basic realm=\"{realm}\"")) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
    }
    response
}

/// A `text/plain` response.
pub(crate) fn plain(status: StatusCode, text: &str) -> Response<Body> {
    let mut response = Response::new(full(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// A complete body.
pub(crate) fn full(text: &str) -> Body {
    Full::new(Bytes::from(text.to_string()))
        .map_err(|n| match n {})
        .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_git_endpoints() {
        let t = route(
            &Method::GET,
            "/username/demo.git/info/refs",
            "service=git-receive-pack",
        )
        .unwrap();
        assert_eq!((t.repo.as_str(), t.op), ("username/demo", Op::Write));
        assert_eq!(t.path_info, "/username/demo.git/info/refs");
        let t = route(&Method::POST, "/username/demo/git-upload-pack", "").unwrap();
        assert_eq!(
            (t.path_info.as_str(), t.op),
            ("/username/demo.git/git-upload-pack", Op::Read)
        );
        assert_eq!(
            route(&Method::GET, "/username/demo.git/git-upload-pack", ""),
            Err(StatusCode::METHOD_NOT_ALLOWED)
        );
    }

    #[test]
    fn rejects_traversal_and_other_paths() {
        for path in [
            "/../etc/info/refs",
            "/username/../demo.git/info/refs",
            "/username/%2e%2e/info/refs",
            "//etc/passwd",
            "/username/.git/info/refs",
            "/username/demo.git/HEAD",
            "/username/demo.git/objects/info/packs",
            "/username",
        ] {
            assert_eq!(
                route(&Method::GET, path, "service=git-upload-pack"),
                Err(StatusCode::NOT_FOUND),
                "{path}"
            );
        }
        assert!(route(&Method::GET, "/username/demo.git/info/refs", "").is_err());
        assert!(
            route(
                &Method::GET,
                "/username/demo.git/info/refs",
                "service=git-foo"
            )
            .is_err()
        );
    }

    #[test]
    fn basic_auth_parses_and_rejects_garbage() {
        let mut h = HeaderMap::new();
        assert_eq!(basic_auth(&h), Ok(None));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic dXNlcjpwYTpzcw=="),
        );
        assert_eq!(basic_auth(&h), Ok(Some(("user".into(), "pa:ss".into()))));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic !!!"));
        assert_eq!(basic_auth(&h), Err(()));
    }
}

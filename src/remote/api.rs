//! The REST API host (`api.bitbucket.org`) on the same proxy as Git: routes `GET /2.0/user`,
//! `/2.0/workspaces[/{ws}]` and `/2.0/repositories/{ws}[/{slug}]`, reads Basic or Bearer
//! credentials, asks `api_policy::decide` and renders its answer as JSON (`api_json.rs`), or as
//! `text/plain` for the password texts. Anything else under the host is a JSON 404 [I].

use base64::Engine as _;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::Value;

use super::State;
use super::api_json as j;
use super::api_policy::{ApiAuth, ApiBody, ApiDecision, ApiRefusal, Caller, Endpoint, decide};
use super::cgi::Body;
use super::http::{full, plain};
use super::profile::Profile;
use super::scenario::{Scenario, now_utc};

/// Whether `req` is for the profile's API host (Host header in a tunnel, or an absolute URI).
pub(crate) fn is_api_request(profile: Profile, req: &Request<Incoming>) -> bool {
    let Some(api) = profile.texts().api_host else {
        return false;
    };
    let host = req.uri().host().map(str::to_string).or_else(|| {
        let h = req.headers().get(header::HOST)?.to_str().ok()?;
        Some(h.split(':').next().unwrap_or(h).to_string())
    });
    host.is_some_and(|h| h.eq_ignore_ascii_case(api))
}

/// Serves one API request; returns the response and the log tag.
pub(crate) fn respond(
    st: &State,
    profile: Profile,
    req: &Request<Incoming>,
) -> (Response<Body>, &'static str) {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (
            json(
                StatusCode::METHOD_NOT_ALLOWED,
                &j::error("Method not allowed.", None),
            ),
            "bad-method",
        );
    }
    let Some(endpoint) = route(req.uri().path()) else {
        let doc = j::error(&format!("Resource not found: {}", req.uri().path()), None);
        return (json(StatusCode::NOT_FOUND, &doc), "bad-path");
    };
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let basic = value.and_then(decode_basic);
    let auth = match (value, &basic) {
        (None, _) => ApiAuth::None,
        (Some(_), Some((u, p))) => ApiAuth::Basic(u, p),
        (Some(v), None) => bearer(v).map_or(ApiAuth::Bearer(""), ApiAuth::Bearer),
    };
    let at = st.as_of.map_or_else(now_utc, |a| a.moment());
    match decide(&st.scenario, profile.texts(), at, endpoint, auth) {
        ApiDecision::Refuse(r) => (refused(profile, &r), r.reason),
        ApiDecision::Allow(caller) => (
            json(StatusCode::OK, &document(&st.scenario, caller, endpoint)),
            "allow",
        ),
    }
}

/// `/2.0/…` → endpoint; a trailing slash is allowed.
fn route(path: &str) -> Option<Endpoint<'_>> {
    let rest = path.strip_prefix("/2.0/")?.trim_end_matches('/');
    let parts: Vec<&str> = rest.split('/').collect();
    let ok = |s: &str| super::scenario::is_name(s);
    match parts.as_slice() {
        ["user"] => Some(Endpoint::User),
        ["workspaces"] => Some(Endpoint::Workspaces),
        ["workspaces", ws] if ok(ws) => Some(Endpoint::Workspace(ws)),
        ["repositories", ws] if ok(ws) => Some(Endpoint::Repositories(ws)),
        ["repositories", ws, slug] if ok(ws) && ok(slug) => {
            let full = &rest["repositories/".len()..];
            Some(Endpoint::Repository(full))
        }
        _ => None,
    }
}

/// The document an allowed call gets.
fn document(s: &Scenario, caller: Caller, endpoint: Endpoint) -> Value {
    let visible = |path: &str| super::api_policy::visible(s, caller, path);
    match endpoint {
        Endpoint::User => caller.account.map(j::user).unwrap_or(Value::Null),
        Endpoint::Workspaces => {
            let mut slugs: Vec<&str> = s
                .repositories
                .iter()
                .filter(|r| visible(&r.path))
                .filter_map(|r| r.path.split_once('/').map(|(ws, _)| ws))
                .chain(caller.account.map(|a| a.username.as_str()))
                .collect();
            slugs.sort_unstable();
            slugs.dedup();
            j::page(slugs.into_iter().map(j::workspace).collect())
        }
        Endpoint::Workspace(ws) => j::workspace(ws),
        Endpoint::Repositories(ws) => {
            let repos = s.repositories.iter().filter(|r| {
                r.path.split_once('/').is_some_and(|(w, _)| w == ws) && visible(&r.path)
            });
            j::page(repos.map(j::repository).collect())
        }
        Endpoint::Repository(path) => s.repository(path).map(j::repository).unwrap_or(Value::Null),
    }
}

fn refused(profile: Profile, r: &ApiRefusal) -> Response<Body> {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::FORBIDDEN);
    let mut response = match &r.body {
        ApiBody::Text(lines) => plain(status, &(lines.join("\n") + "\n")),
        ApiBody::Error { message, scopes } => json(status, &j::error(message, scopes.as_ref())),
    };
    if r.challenge {
        let realm = format!("Basic realm=\"{}\"", profile.texts().realm);
        if let Ok(v) = HeaderValue::from_str(&realm) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
    }
    response
}

fn json(status: StatusCode, doc: &Value) -> Response<Body> {
    let mut response = Response::new(full(&doc.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

fn decode_basic(value: &str) -> Option<(String, String)> {
    let (scheme, b64) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let (u, p) = String::from_utf8(raw)
        .ok()?
        .split_once(':')
        .map(|(u, p)| (u.to_string(), p.to_string()))?;
    Some((u, p))
}

fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_the_modelled_endpoints_only() {
        assert_eq!(route("/2.0/user"), Some(Endpoint::User));
        assert_eq!(route("/2.0/user/"), Some(Endpoint::User));
        assert_eq!(route("/2.0/workspaces"), Some(Endpoint::Workspaces));
        assert_eq!(
            route("/2.0/repositories/username"),
            Some(Endpoint::Repositories("username"))
        );
        assert_eq!(
            route("/2.0/repositories/username/demo"),
            Some(Endpoint::Repository("username/demo"))
        );
        for bad in [
            "/2.0/repositories/../etc",
            "/1.0/user",
            "/2.0/users",
            "/2.0/repositories/a/b/c",
        ] {
            assert_eq!(route(bad), None, "{bad}");
        }
    }

    #[test]
    fn bearer_and_basic_parse() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(
            decode_basic("Basic dTpwOnE="),
            Some(("u".into(), "p:q".into()))
        );
    }
}

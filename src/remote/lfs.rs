//! Git LFS on the Git host, as far as bitbucket-facts.md §6.6 goes (Bitbucket Cloud supports
//! LFS; its batch-API replies were not found, so every reply shape here is the LFS spec's and
//! marked [I] as Bitbucket's). Endpoints under `/{ws}/{repo}.git/info/lfs/`:
//!
//! - `POST objects/batch`: asks the Git policy like the Git endpoints (download = read, upload =
//!   write: anonymous → 401 with the Basic challenge, a token without the scope → 403), answers
//!   with `basic` transfer actions that point back at the mock and carry the caller's
//!   `Authorization` header;
//! - `PUT objects/{oid}` stores an object (SHA-256 and size checked) under
//!   `ROOT/ws/repo.git/lfs/objects/aa/bb/oid`; `GET objects/{oid}` serves it;
//! - `POST locks/verify` answers "no locks" [I: whether Bitbucket implements the locking API
//!   is not established].

use std::path::{Path, PathBuf};

use bytes::Bytes;
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};
use tokio::io::AsyncWriteExt as _;

use super::State;
use super::cgi::Body;
use super::http::full;
use super::policy::{AuthRequest, Decision, Op, decide};
use super::profile::Profile;
use super::scenario::{is_name, now_utc};

const LFS_JSON: &str = "application/vnd.git-lfs+json";

/// One routed LFS request.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LfsTarget {
    Batch { repo: String },
    Object { repo: String, oid: String, op: Op },
    LocksVerify { repo: String },
}

/// Routes `/{ws}/{repo}.git/info/lfs/…`; `None` for any other path.
pub(crate) fn route(method: &Method, path: &str) -> Option<LfsTarget> {
    let mut parts = path.strip_prefix('/')?.splitn(3, '/');
    let (ws, name, rest) = (parts.next()?, parts.next()?, parts.next()?);
    let rest = rest.strip_prefix("info/lfs/")?;
    let name = name.strip_suffix(".git").unwrap_or(name);
    if !is_name(ws) || !is_name(name) {
        return None;
    }
    let repo = format!("{ws}/{name}");
    match (method, rest) {
        (&Method::POST, "objects/batch") => Some(LfsTarget::Batch { repo }),
        (&Method::POST, "locks/verify") => Some(LfsTarget::LocksVerify { repo }),
        (m, obj) => {
            let oid = obj.strip_prefix("objects/").filter(|o| is_oid(o))?;
            let op = match *m {
                Method::PUT => Op::Write,
                Method::GET => Op::Read,
                _ => return None,
            };
            Some(LfsTarget::Object {
                repo,
                oid: oid.to_string(),
                op,
            })
        }
    }
}

fn is_oid(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[derive(Deserialize)]
struct BatchRequest {
    operation: String,
    objects: Vec<Pointer>,
}

#[derive(Deserialize)]
struct Pointer {
    oid: String,
    size: u64,
}

/// Serves one LFS request; returns the response and the log tag.
pub(crate) async fn respond(
    st: &State,
    profile: Profile,
    req: Request<Incoming>,
    target: LfsTarget,
    auth: Option<(&str, &str)>,
) -> (Response<Body>, &'static str) {
    let (repo, op) = match &target {
        LfsTarget::Batch { repo } | LfsTarget::LocksVerify { repo } => (repo.clone(), None),
        LfsTarget::Object { repo, op, .. } => (repo.clone(), Some(*op)),
    };
    let authorization = req.headers().get(header::AUTHORIZATION).cloned();
    let base = base_url(profile, &req);
    let limit = st.body_limit;
    let body = req.into_body();
    match target {
        LfsTarget::Object { oid, op, .. } => {
            if let Some(refused) = refusal(st, profile, &repo, op, auth) {
                return refused;
            }
            let path = object_path(&st.root, &repo, &oid);
            match op {
                Op::Write => (store(&path, &oid, body, limit).await, "allow"),
                Op::Read => (serve(&path).await, "allow"),
            }
        }
        LfsTarget::LocksVerify { .. } => match refusal(st, profile, &repo, Op::Write, auth) {
            Some(refused) => refused,
            None => (
                lfs_json(StatusCode::OK, &json!({"ours": [], "theirs": []})),
                "allow",
            ),
        },
        LfsTarget::Batch { .. } => {
            let _ = op;
            let Ok(bytes) = collect(body, 1 << 20).await else {
                return (
                    error(StatusCode::BAD_REQUEST, "Malformed batch request."),
                    "bad-batch",
                );
            };
            let Ok(batch) = serde_json::from_slice::<BatchRequest>(&bytes) else {
                return (
                    error(StatusCode::UNPROCESSABLE_ENTITY, "Malformed batch request."),
                    "bad-batch",
                );
            };
            let op = if batch.operation == "upload" {
                Op::Write
            } else {
                Op::Read
            };
            if let Some(refused) = refusal(st, profile, &repo, op, auth) {
                return refused;
            }
            let href = |oid: &str| format!("{base}/{repo}.git/info/lfs/objects/{oid}");
            let objects = batch.objects.iter().map(|p| {
                let have = is_oid(&p.oid) && object_path(&st.root, &repo, &p.oid).is_file();
                action(p, op, have, &href(&p.oid), authorization.as_ref())
            });
            let doc = json!({"transfer": "basic", "objects": objects.collect::<Vec<_>>()});
            (lfs_json(StatusCode::OK, &doc), "allow")
        }
    }
}

/// The Git policy's refusal for the repository as an LFS error; `None` when it allows.
fn refusal(
    st: &State,
    profile: Profile,
    repo: &str,
    op: Op,
    auth: Option<(&str, &str)>,
) -> Option<(Response<Body>, &'static str)> {
    let at = st.as_of.map_or_else(now_utc, |a| a.moment());
    let req = AuthRequest { repo, op, auth };
    match decide(&st.scenario, profile, at, &req) {
        Decision::Allow { .. } => None,
        Decision::Refuse(r) => {
            let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::FORBIDDEN);
            let mut response = error(status, &r.lines.join("\n"));
            if let Some(realm) = r.realm {
                if let Ok(v) = HeaderValue::from_str(&format!("Basic realm=\"{realm}\"")) {
                    response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
                }
            }
            Some((response, r.reason))
        }
    }
}

fn action(p: &Pointer, op: Op, have: bool, href: &str, auth: Option<&HeaderValue>) -> Value {
    let mut obj = json!({"oid": p.oid, "size": p.size, "authenticated": true});
    if !is_oid(&p.oid) {
        obj["error"] = json!({"code": 422, "message": "Invalid object id."});
        return obj;
    }
    let kind = match (op, have) {
        (Op::Write, true) => return obj,
        (Op::Write, false) => "upload",
        (Op::Read, true) => "download",
        (Op::Read, false) => {
            obj["error"] = json!({"code": 404, "message": "Object does not exist."});
            return obj;
        }
    };
    let mut act = json!({"href": href, "expires_in": 3600});
    if let Some(v) = auth.and_then(|v| v.to_str().ok()) {
        act["header"] = json!({"Authorization": v});
    }
    obj["actions"] = json!({ kind: act });
    obj
}

/// `https://bitbucket.org` inside a tunnel, `http://127.0.0.1:PORT` on plain HTTP.
fn base_url(profile: Profile, req: &Request<Incoming>) -> String {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or(profile.host());
    let scheme = if Profile::for_host(host).is_some() {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

fn object_path(root: &Path, repo: &str, oid: &str) -> PathBuf {
    super::repos::repo_dir(root, repo)
        .join("lfs/objects")
        .join(&oid[0..2])
        .join(&oid[2..4])
        .join(oid)
}

/// Streams the body to a temporary file beside `path`, then renames it there if its SHA-256
/// is `oid`.
async fn store(path: &Path, oid: &str, mut body: Incoming, limit: u64) -> Response<Body> {
    let Some(dir) = path.parent() else {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "No object directory.");
    };
    let tmp = dir.join(format!(".{oid}.part"));
    let result = async {
        tokio::fs::create_dir_all(dir).await?;
        let mut file = tokio::fs::File::create(&tmp).await?;
        let (mut hash, mut total) = (Sha256::new(), 0u64);
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(std::io::Error::other)?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            total += data.len() as u64;
            if total > limit {
                return Err(std::io::Error::other("object larger than the body limit"));
            }
            hash.update(&data);
            file.write_all(&data).await?;
        }
        file.flush().await?;
        let got: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
        if got != oid {
            return Err(std::io::Error::other(
                "content does not match the object id",
            ));
        }
        tokio::fs::rename(&tmp, path).await
    }
    .await;
    match result {
        Ok(()) => lfs_json(StatusCode::OK, &json!({})),
        Err(e) => {
            let _ = tokio::fs::remove_file(&tmp).await;
            error(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("Upload failed: {e}."),
            )
        }
    }
}

/// The stored object, or 404.
async fn serve(path: &Path) -> Response<Body> {
    match tokio::fs::read(path).await {
        Ok(bytes) => {
            let body = http_body_util::Full::new(Bytes::from(bytes))
                .map_err(|n| match n {})
                .boxed();
            let mut response = Response::new(body);
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            response
        }
        Err(_) => error(StatusCode::NOT_FOUND, "Object does not exist."),
    }
}

async fn collect(mut body: Incoming, limit: usize) -> Result<Vec<u8>, ()> {
    let mut out = Vec::new();
    while let Some(frame) = body.frame().await {
        if let Ok(data) = frame.map_err(|_| ())?.into_data() {
            out.extend_from_slice(&data);
            if out.len() > limit {
                return Err(());
            }
        }
    }
    Ok(out)
}

fn error(status: StatusCode, message: &str) -> Response<Body> {
    lfs_json(status, &json!({ "message": message }))
}

fn lfs_json(status: StatusCode, doc: &Value) -> Response<Body> {
    let mut response = Response::new(full(&doc.to_string()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(LFS_JSON));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_lfs_paths_only() {
        let oid = "a".repeat(64);
        let batch = route(&Method::POST, "/username/demo.git/info/lfs/objects/batch");
        assert_eq!(
            batch,
            Some(LfsTarget::Batch {
                repo: "username/demo".into()
            })
        );
        let put = route(
            &Method::PUT,
            &format!("/username/demo.git/info/lfs/objects/{oid}"),
        );
        assert!(matches!(put, Some(LfsTarget::Object { op: Op::Write, .. })));
        for bad in [
            "/username/demo.git/info/lfs/objects/../../config".to_string(),
            format!("/username/../info/lfs/objects/{oid}"),
            "/username/demo.git/info/refs".to_string(),
            format!("/username/demo.git/info/lfs/objects/{}", "A".repeat(64)),
        ] {
            assert_eq!(route(&Method::GET, &bad), None, "{bad}");
        }
    }
}

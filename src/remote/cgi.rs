//! The bridge to `git http-backend` (CGI). One child per request, with a clean environment: the
//! CGI variables, `REMOTE_USER` (non-empty, so pushes are enabled), `GIT_HTTP_EXPORT_ALL`, and
//! the `Git-Protocol` and `Content-Encoding` headers forwarded as `HTTP_*`. The request body is
//! streamed into the child's stdin as it arrives (chunked bodies without `CONTENT_LENGTH`, stdin
//! closed at EOF), never buffered whole; the CGI headers are parsed (`Status:` anywhere) and the
//! rest of stdout streamed back. If the client goes away or the body passes the limit, the child
//! is killed, so a half-received push never updates a ref.

use std::io;
use std::path::PathBuf;
use std::process::Stdio;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt as _, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::{Response, StatusCode};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::process::{Child, ChildStdin, ChildStdout};
use tokio::sync::watch;

/// Response bodies of the mock.
pub type Body = BoxBody<Bytes, io::Error>;

/// Largest CGI header block accepted from http-backend.
const MAX_CGI_HEAD: usize = 64 * 1024;

/// What http-backend needs to know about one request.
#[derive(Debug, Clone)]
pub struct CgiRequest {
    pub root: PathBuf,
    /// `/workspace/repo.git/info/refs` and the like.
    pub path_info: String,
    pub query: String,
    pub method: String,
    pub content_type: Option<String>,
    pub content_length: Option<String>,
    pub content_encoding: Option<String>,
    pub git_protocol: Option<String>,
    pub remote_user: String,
}

/// Why the bridge gave up.
#[derive(Debug, thiserror::Error)]
pub enum CgiError {
    #[error("request body larger than {0} bytes")]
    TooLarge(u64),
    #[error("client went away mid-request")]
    ClientGone,
    #[error("git http-backend: {0}")]
    Io(#[from] io::Error),
    #[error("git http-backend sent a malformed CGI header")]
    BadHead,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Abort {
    No,
    ClientGone,
    TooLarge,
}

/// Runs http-backend for `req`, feeding it `body` (at most `limit` bytes).
pub async fn run(req: CgiRequest, body: Incoming, limit: u64) -> Result<Response<Body>, CgiError> {
    let mut child = command(&req).spawn()?;
    let (abort_tx, abort_rx) = watch::channel(Abort::No);
    tokio::spawn(feed(body, child.stdin.take(), limit, abort_tx));
    let mut stdout = child.stdout.take().ok_or(CgiError::BadHead)?;
    let head = tokio::select! {
        head = read_head(&mut stdout) => head?,
        why = aborted(abort_rx.clone()) => {
            let _ = child.kill().await;
            return Err(if why == Abort::TooLarge { CgiError::TooLarge(limit) } else { CgiError::ClientGone });
        }
    };
    let (mut response, rest) = parse_head(head)?;
    let out = Out {
        stdout,
        child,
        abort: abort_rx,
        pending: Some(rest),
    };
    let stream = futures_util::stream::unfold(Some(out), next_frame);
    *response.body_mut() = StreamBody::new(stream).boxed();
    Ok(response)
}

fn command(req: &CgiRequest) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new("git");
    cmd.arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &req.root)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_PROJECT_ROOT", &req.root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("PATH_INFO", &req.path_info)
        .env("QUERY_STRING", &req.query)
        .env("REQUEST_METHOD", &req.method)
        .env("REMOTE_USER", &req.remote_user)
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("SERVER_PROTOCOL", "HTTP/1.1");
    let optional = [
        ("CONTENT_TYPE", &req.content_type),
        ("CONTENT_LENGTH", &req.content_length),
        ("HTTP_CONTENT_ENCODING", &req.content_encoding),
        ("HTTP_GIT_PROTOCOL", &req.git_protocol),
    ];
    for (name, value) in optional {
        if let Some(v) = value {
            cmd.env(name, v);
        }
    }
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    cmd
}

/// Copies the request body into the child's stdin; closes it at EOF.
async fn feed(
    mut body: Incoming,
    stdin: Option<ChildStdin>,
    limit: u64,
    abort: watch::Sender<Abort>,
) {
    let Some(mut stdin) = stdin else { return };
    let mut total = 0u64;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            let _ = abort.send(Abort::ClientGone);
            return;
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        total += data.len() as u64;
        if total > limit {
            let _ = abort.send(Abort::TooLarge);
            return;
        }
        if stdin.write_all(&data).await.is_err() {
            return; // the child stopped reading; its answer says why
        }
    }
    let _ = stdin.shutdown().await;
}

/// Resolves when the feeder signals an abort; never, if it finished normally.
async fn aborted(mut rx: watch::Receiver<Abort>) -> Abort {
    loop {
        let now = *rx.borrow_and_update();
        if now != Abort::No {
            return now;
        }
        if rx.changed().await.is_err() {
            return std::future::pending().await;
        }
    }
}

/// Reads stdout up to and including the blank line ending the CGI headers.
async fn read_head(stdout: &mut ChildStdout) -> Result<BytesMut, CgiError> {
    let mut buf = BytesMut::with_capacity(8192);
    loop {
        if find_end(&buf).is_some() {
            return Ok(buf);
        }
        if buf.len() > MAX_CGI_HEAD || stdout.read_buf(&mut buf).await? == 0 {
            return Err(CgiError::BadHead);
        }
    }
}

/// The end of the header block: (index of the blank line, its length).
fn find_end(buf: &[u8]) -> Option<(usize, usize)> {
    let crlf = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4));
    let lf = buf.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// Splits the CGI header block into a response (status, headers) and the body bytes after it.
fn parse_head(mut buf: BytesMut) -> Result<(Response<Body>, Bytes), CgiError> {
    let (end, len) = find_end(&buf).ok_or(CgiError::BadHead)?;
    let rest = buf.split_off(end + len).freeze();
    let text = std::str::from_utf8(&buf[..end]).map_err(|_| CgiError::BadHead)?;
    let mut response = Response::new(http_body_util::Empty::new().map_err(|n| match n {}).boxed());
    for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').ok_or(CgiError::BadHead)?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("status") {
            let code = value
                .split_whitespace()
                .next()
                .and_then(|c| c.parse::<u16>().ok());
            *response.status_mut() = code
                .and_then(|c| StatusCode::from_u16(c).ok())
                .ok_or(CgiError::BadHead)?;
        } else if let (Ok(n), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            hyper::header::HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(n, v);
        }
    }
    Ok((response, rest))
}

struct Out {
    stdout: ChildStdout,
    child: Child,
    abort: watch::Receiver<Abort>,
    pending: Option<Bytes>,
}

type Step = Option<(Result<Frame<Bytes>, io::Error>, Option<Out>)>;

/// The next piece of the response body; kills the child if the client went away.
async fn next_frame(state: Option<Out>) -> Step {
    let mut out = state?;
    if let Some(first) = out.pending.take().filter(|b| !b.is_empty()) {
        return Some((Ok(Frame::data(first)), Some(out)));
    }
    let mut buf = BytesMut::with_capacity(64 * 1024);
    tokio::select! {
        _ = aborted(out.abort.clone()) => {
            let _ = out.child.kill().await;
            Some((Err(io::Error::other("client went away")), None))
        }
        read = out.stdout.read_buf(&mut buf) => match read {
            Ok(0) => {
                let _ = out.child.wait().await;
                None
            }
            Ok(_) => Some((Ok(Frame::data(buf.freeze())), Some(out))),
            Err(e) => Some((Err(e), None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_anywhere_in_the_head() {
        let head = BytesMut::from(
            &b"Expires: x\r\nStatus: 403 Forbidden\r\nPragma: no-cache\r\n\r\nbody"[..],
        );
        let (resp, rest) = parse_head(head).unwrap();
        assert_eq!(resp.status(), 403);
        assert_eq!(resp.headers()["pragma"], "no-cache");
        assert_eq!(&rest[..], b"body");
    }

    #[test]
    fn no_status_means_200_and_lf_only_heads_parse() {
        let (resp, rest) =
            parse_head(BytesMut::from(&b"Content-Type: text/plain\n\nhi"[..])).unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(&rest[..], b"hi");
        assert!(parse_head(BytesMut::from(&b"garbage\r\n\r\n"[..])).is_err());
    }
}

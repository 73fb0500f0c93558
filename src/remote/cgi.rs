//! The bridge to `git http-backend` (CGI). One child per request, with a clean environment: the
//! CGI variables, `REMOTE_USER` (non-empty, so pushes are enabled), `GIT_HTTP_EXPORT_ALL`, and
//! the `Git-Protocol` and `Content-Encoding` headers forwarded as `HTTP_*`. The request body is
//! streamed into the child's stdin as it arrives (chunked bodies without `CONTENT_LENGTH`, stdin
//! closed at EOF), never buffered whole; the CGI headers are parsed (`Status:` anywhere) and the
//! rest of stdout streamed back. If the client goes away, stalls longer than [`BODY_IDLE`] (the
//! default; the remote's builder can change it) or the
//! body passes the limit, the child's whole process group is killed (http-backend runs
//! `git receive-pack`/`upload-pack` as its own children, which would otherwise spin on under
//! PID 1), so a half-received push never updates a ref, and its `tmp_objdir-incoming-*`
//! quarantine is removed. A gzip body is decompressed here, so the limit counts decompressed
//! bytes. At most [`MAX_BACKENDS`] of one remote run at once (503 beyond). The caller learns each request's
//! real end ([`Ended`]) when its response body finishes, for the request log.

mod feed;
mod head;

use std::io;
use std::path::PathBuf;
use std::process::Stdio;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt as _, StreamBody, combinators::BoxBody};
use hyper::Response;
use hyper::body::{Frame, Incoming};
use tokio::io::AsyncReadExt as _;
use tokio::process::{Child, ChildStdout};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

pub(crate) use feed::BodyLimits;
use feed::{Abort, aborted, feed, settled};
use head::{parse_head, read_head};

/// Response bodies of the mock.
pub(crate) type Body = BoxBody<Bytes, io::Error>;

/// Most backends running at once in this process; more requests get 503.
pub(crate) const MAX_BACKENDS: usize = 64;

/// A request body that sends nothing for this long is abandoned.
pub(crate) const BODY_IDLE: std::time::Duration = std::time::Duration::from_secs(60);

/// How a request served by a backend really ended (known once its response body is done).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    /// The whole response was sent.
    Complete,
    /// The client went away or stalled; the backend was killed.
    ClientGone,
    /// The (decompressed) body passed the limit; the backend was killed.
    TooLarge,
}

/// Told once how a request ended.
pub(crate) type OnEnd = Box<dyn FnOnce(Ended) + Send + Sync>;

/// What http-backend needs to know about one request.
#[derive(Debug, Clone)]
pub(crate) struct CgiRequest {
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
pub(crate) enum CgiError {
    #[error("request body larger than {0} bytes")]
    TooLarge(u64),
    #[error("client went away mid-request")]
    ClientGone,
    #[error("git http-backend: {0}")]
    Io(#[from] io::Error),
    #[error("git http-backend sent a malformed CGI header")]
    BadHead,
    #[error("too many requests at once ({MAX_BACKENDS} backends running); try again")]
    Busy,
}

/// The backend's process group, killed when this is dropped (done, aborted or client gone).
struct Group {
    pgid: Option<u32>,
    /// For a push: the repository whose quarantine folders to remove if it did not finish.
    push_repo: Option<PathBuf>,
    finished: bool,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Group {
    fn drop(&mut self) {
        let pid = self.pgid.and_then(|p| i32::try_from(p).ok());
        if let Some(pid) = pid.and_then(rustix::process::Pid::from_raw) {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
        if let (false, Some(repo)) = (self.finished, &self.push_repo) {
            remove_quarantine(repo);
        }
    }
}

/// Removes the `tmp_objdir-incoming-*` folders an interrupted push left in `repo/objects`.
fn remove_quarantine(repo: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(repo.join("objects")) else {
        return;
    };
    for entry in entries.flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("tmp_objdir-incoming-")
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The repository folder of a receive-pack request (`/ws/repo.git/git-receive-pack`).
fn push_repo(req: &CgiRequest) -> Option<PathBuf> {
    let rel = req.path_info.strip_suffix("/git-receive-pack")?;
    Some(req.root.join(rel.trim_start_matches('/')))
}

/// Runs http-backend for `req`, feeding it `body` (within `limits`); `on_end` learns how the
/// response really ended.
pub(crate) async fn run(
    req: CgiRequest,
    body: Incoming,
    limits: BodyLimits,
    backends: &std::sync::Arc<Semaphore>,
    on_end: OnEnd,
) -> Result<Response<Body>, CgiError> {
    let permit = backends
        .clone()
        .try_acquire_owned()
        .map_err(|_| CgiError::Busy)?;
    let gzip = req
        .content_encoding
        .as_deref()
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("gzip"));
    let mut child = command(&req, gzip).spawn()?;
    let group = Group {
        pgid: child.id(),
        push_repo: push_repo(&req),
        finished: false,
        _permit: permit,
    };
    let (abort_tx, abort_rx) = watch::channel(Abort::No);
    let limit = limits.bytes;
    tokio::spawn(feed(body, child.stdin.take(), limits, gzip, abort_tx));
    let mut stdout = child.stdout.take().ok_or(CgiError::BadHead)?;
    let head = tokio::select! {
        head = read_head(&mut stdout) => head?,
        why = aborted(abort_rx.clone()) => {
            drop(group);
            let _ = child.kill().await;
            return Err(if why == Abort::TooLarge { CgiError::TooLarge(limit) } else { CgiError::ClientGone });
        }
    };
    // The backend may answer before the whole body is in (a gzip body still decompressing past
    // the limit): hold its head back until the feeder has ended or aborted, for a moment, so
    // the client gets the 413 rather than a 200 cut short.
    if let Ok(Some(why)) = tokio::time::timeout(HEAD_HOLD, settled(abort_rx.clone())).await {
        drop(group);
        let _ = child.kill().await;
        return Err(if why == Abort::TooLarge {
            CgiError::TooLarge(limit)
        } else {
            CgiError::ClientGone
        });
    }
    let (mut response, rest) = parse_head(head)?;
    let out = Out {
        stdout,
        child,
        abort: abort_rx,
        pending: Some(rest),
        group,
        on_end: Some(on_end),
    };
    let stream = futures_util::stream::unfold(Some(out), next_frame);
    *response.body_mut() = StreamBody::new(stream).boxed();
    Ok(response)
}

fn command(req: &CgiRequest, gzip: bool) -> tokio::process::Command {
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
    // A gzip body reaches the backend decompressed: no encoding, and no length (read to EOF).
    let none = None;
    let (length, encoding) = if gzip {
        (&none, &none)
    } else {
        (&req.content_length, &req.content_encoding)
    };
    let optional = [
        ("CONTENT_TYPE", &req.content_type),
        ("CONTENT_LENGTH", length),
        ("HTTP_CONTENT_ENCODING", encoding),
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
        .process_group(0)
        .kill_on_drop(true);
    cmd
}

/// How long a backend's answer waits for the rest of the request body to be fed.
const HEAD_HOLD: std::time::Duration = std::time::Duration::from_secs(2);

struct Out {
    stdout: ChildStdout,
    child: Child,
    abort: watch::Receiver<Abort>,
    pending: Option<Bytes>,
    group: Group,
    on_end: Option<OnEnd>,
}

impl Out {
    fn end(&mut self, how: Ended) {
        if let Some(on_end) = self.on_end.take() {
            if how == Ended::Complete {
                // Reaped already: its group id may belong to someone else by now.
                self.group.finished = true;
                self.group.pgid = None;
            }
            on_end(how);
        }
    }
}

impl Drop for Out {
    /// A response dropped before its end: the client went away mid-download.
    fn drop(&mut self) {
        self.end(Ended::ClientGone);
    }
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
        why = aborted(out.abort.clone()) => {
            out.end(if why == Abort::TooLarge { Ended::TooLarge } else { Ended::ClientGone });
            let _ = out.child.kill().await;
            Some((Err(io::Error::other("client went away")), None))
        }
        read = out.stdout.read_buf(&mut buf) => match read {
            Ok(0) => {
                let _ = out.child.wait().await;
                out.end(Ended::Complete);
                None
            }
            Ok(_) => Some((Ok(Frame::data(buf.freeze())), Some(out))),
            Err(e) => Some((Err(e), None)),
        }
    }
}

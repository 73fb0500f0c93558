//! The request body's way into http-backend: copied frame by frame into the child's stdin
//! (decompressed when gzip, counted against the limit, abandoned when the client stalls), and the
//! [`Abort`] signal the feeder sends when it gives up, which the response side waits on.

use bytes::Bytes;
use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use std::io;
use tokio::io::AsyncWriteExt as _;
use tokio::process::ChildStdin;
use tokio::sync::watch;

/// What the feeder has signalled: nothing, or why it gave up on the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Abort {
    /// Still feeding, or finished normally.
    No,
    /// The client errored or sent nothing for too long.
    ClientGone,
    /// The (decompressed) body passed the limit.
    TooLarge,
}

/// What a request body may do: at most `bytes` (decompressed), at most `idle` without a byte.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyLimits {
    pub bytes: u64,
    pub idle: std::time::Duration,
}

/// Copies the request body (decompressed when `gzip`) into the child's stdin; closes it at EOF.
/// A client that errors or sends nothing for `limits.idle` is gone.
pub(super) async fn feed(
    mut body: Incoming,
    stdin: Option<ChildStdin>,
    limits: BodyLimits,
    gzip: bool,
    abort: watch::Sender<Abort>,
) {
    let Some(mut stdin) = stdin else { return };
    let mut inflate = gzip.then(|| flate2::write::GzDecoder::new(Vec::new()));
    let mut total = 0u64;
    loop {
        let frame = match tokio::time::timeout(limits.idle, body.frame()).await {
            Ok(Some(Ok(frame))) => frame,
            Ok(None) => break,
            Ok(Some(Err(_))) | Err(_) => {
                let _ = abort.send(Abort::ClientGone);
                return;
            }
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        let data = match inflate.as_mut().map(|d| inflate_chunk(d, &data)) {
            None => data,
            Some(Ok(plain)) => plain,
            Some(Err(_)) => return, // corrupt gzip: stdin closes early, the backend says so
        };
        total += data.len() as u64;
        if total > limits.bytes {
            let _ = abort.send(Abort::TooLarge);
            return;
        }
        if stdin.write_all(&data).await.is_err() {
            return; // the child stopped reading; its answer says why
        }
    }
    if let Some(rest) = inflate.map(|d| d.finish()) {
        match rest {
            Ok(rest) if total + rest.len() as u64 <= limits.bytes => {
                let _ = stdin.write_all(&rest).await;
            }
            Ok(_) => {
                let _ = abort.send(Abort::TooLarge);
                return;
            }
            Err(_) => return,
        }
    }
    let _ = stdin.shutdown().await;
}

/// Decompresses one chunk of a gzip body; returns what came out of it so far.
fn inflate_chunk(
    decoder: &mut flate2::write::GzDecoder<Vec<u8>>,
    chunk: &[u8],
) -> io::Result<Bytes> {
    use std::io::Write as _;
    decoder.write_all(chunk)?;
    decoder.flush()?;
    Ok(Bytes::from(std::mem::take(decoder.get_mut())))
}

/// Resolves when the feeder ends: with the abort it signalled, or `None` when it finished.
pub(super) async fn settled(mut rx: watch::Receiver<Abort>) -> Option<Abort> {
    loop {
        let now = *rx.borrow_and_update();
        if now != Abort::No {
            return Some(now);
        }
        if rx.changed().await.is_err() {
            return None;
        }
    }
}

/// Resolves when the feeder signals an abort; never, if it finished normally.
pub(super) async fn aborted(mut rx: watch::Receiver<Abort>) -> Abort {
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

//! Live reload: the server-sent-event stream open pages listen to, the script that listens
//! (`live.js`, injected into every HTML response at serve time), and the page shown before the
//! first good build. Events: `hello` (current generation, sent on connect), `reload` (a new good
//! build), `build-error` (the message to show in the overlay; sent on connect too while the
//! latest build is failing), `mark` (a snippet's new verification mark from the live run, put
//! in place without a reload; the run's marks so far are sent on connect too).

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::State as Extract;
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt as _};
use tokio::sync::broadcast::error::RecvError;

use super::state::{Change, State};

pub(crate) const EVENTS_PATH: &str = "/__helpsite/events";
pub(crate) const SCRIPT_PATH: &str = "/__helpsite/live.js";
const SCRIPT: &str = include_str!("live.js");
const TAG: &str = "<script src=\"/__helpsite/live.js\"></script>";

/// The event stream: the current state first, then every change until the client goes away.
pub(crate) async fn events(
    Extract(state): Extract<Arc<State>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let (snapshot, receiver) = state.subscribe();
    let mut first = vec![hello(snapshot.generation)];
    first.extend(snapshot.error.map(build_error));
    first.extend(snapshot.marks.into_iter().map(|(id, html)| mark(id, html)));
    let changes = stream::unfold(receiver, |mut receiver| async move {
        let event = match receiver.recv().await {
            Ok(change) => to_event(change),
            // Missed some: the newest state is what matters, and a reload shows it.
            Err(RecvError::Lagged(_)) => reload(0),
            Err(RecvError::Closed) => return None,
        };
        Some((event, receiver))
    });
    let all = stream::iter(first).chain(changes).map(Ok);
    Sse::new(all).keep_alive(KeepAlive::default())
}

fn to_event(change: Change) -> Event {
    match change {
        Change::Reload { generation } => reload(generation),
        Change::BuildError { message } => build_error(message),
        Change::Mark { id, html } => mark(id, html),
    }
}

fn mark(id: String, html: String) -> Event {
    Event::default()
        .event("mark")
        .data(serde_json::json!({ "id": id, "html": html }).to_string())
}

fn hello(generation: u64) -> Event {
    Event::default()
        .event("hello")
        .data(serde_json::json!({ "generation": generation }).to_string())
}

fn reload(generation: u64) -> Event {
    Event::default()
        .event("reload")
        .data(serde_json::json!({ "generation": generation }).to_string())
}

fn build_error(message: String) -> Event {
    Event::default()
        .event("build-error")
        .data(serde_json::json!({ "message": message }).to_string())
}

pub(crate) async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

/// Adds the reload script before `</body>` (or at the end when there is none).
pub(crate) fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let at = rfind(&html, b"</body>").unwrap_or(html.len());
    html.splice(at..at, TAG.bytes());
    html
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// Every path before the first good build: says so, and the overlay shows why.
pub(crate) fn placeholder() -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>No build yet</title>\
         <body><p>helpsite serve: no successful build yet. Fix the error and this page reloads.\
         </p>{TAG}</body></html>"
    );
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></BODY></html>".to_vec();
        let out = String::from_utf8(inject(html)).unwrap();
        assert_eq!(out, format!("<html><body><p>x</p>{TAG}</BODY></html>"));
        let bare = String::from_utf8(inject(b"<p>x".to_vec())).unwrap();
        assert_eq!(bare, format!("<p>x{TAG}"));
    }
}

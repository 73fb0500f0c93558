//! The control endpoint of the SSH server: plain HTTP on its own loopback port, for the
//! sandbox's `bitbucket-add-ssh-key` (the stand-in for "add the key in Bitbucket's settings").
//! `POST /ssh-keys/ACCOUNT` with one OpenSSH public-key line as the body adds it to the account:
//! 201 on success, 404 for an unknown account, 400 for a body that is not a key, 409 for a key
//! already in use. Nothing else is served.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::BodyExt as _;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::keys::AddError;
use crate::remote::cgi::Body;
use crate::remote::http::full;
use crate::remote::{RequestLog, State};

/// Largest body accepted (a public-key line is well under 16 KiB, even RSA 16384).
const MAX_BODY: usize = 16 * 1024;

/// Serves the control endpoint until `shutdown` becomes true.
pub(crate) async fn serve(
    listener: TcpListener,
    st: Arc<State>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    let st = st.clone();
                    let svc = service_fn(move |req| {
                        let st = st.clone();
                        async move { Ok::<_, Infallible>(answer(&st, req).await) }
                    });
                    tokio::spawn(http1::Builder::new().serve_connection(TokioIo::new(stream), svc));
                }
            }
            _ = shutdown.changed() => return,
        }
    }
}

async fn answer(st: &State, req: Request<Incoming>) -> Response<Body> {
    let path = req.uri().path().to_string();
    let account = path.strip_prefix("/ssh-keys/").map(str::to_string);
    let (status, text) = match (req.method() == Method::POST, account) {
        (true, Some(account)) => add(st, &account, req.into_body()).await,
        _ => (
            StatusCode::NOT_FOUND,
            "POST /ssh-keys/ACCOUNT with a public-key line\n".into(),
        ),
    };
    st.record(RequestLog {
        method: "CONTROL".into(),
        path,
        user: None,
        decision: if status.is_success() {
            "added"
        } else {
            "refused"
        }
        .into(),
        status: status.as_u16(),
    });
    let mut response = Response::new(full(&text));
    *response.status_mut() = status;
    response
}

async fn add(st: &State, account: &str, body: Incoming) -> (StatusCode, String) {
    let Ok(bytes) = http_body_util::Limited::new(body, MAX_BODY).collect().await else {
        return (StatusCode::BAD_REQUEST, "body too large\n".into());
    };
    let bytes = bytes.to_bytes();
    let line = String::from_utf8_lossy(&bytes);
    match st.ssh_keys.add(account, &line) {
        Ok(()) => (
            StatusCode::CREATED,
            format!("SSH key added to {account}.\n"),
        ),
        Err(e) => {
            let status = match e {
                AddError::NoAccount(_) => StatusCode::NOT_FOUND,
                AddError::BadKey(_) => StatusCode::BAD_REQUEST,
                AddError::InUse => StatusCode::CONFLICT,
            };
            (status, format!("{e}\n"))
        }
    }
}

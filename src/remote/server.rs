//! The listener: accepts connections on the loopback port and serves HTTP/1.1 with bounded
//! headers. A `CONNECT host:443` for a profile host is answered 200 and the tunnel is served over
//! TLS (the mock's CA) with the same Git endpoints, the host choosing the profile; CONNECT to any
//! other target gets 403 at once. Ends when the shutdown signal flips. Idle limits: a request
//! head must arrive within [`IDLE`] (hyper's header timeout, which also ends an idle keep-alive
//! connection or tunnel between requests), and a tunnel's upgrade and TLS handshake too; an
//! established tunnel in which no byte moves either way for [`TUNNEL_IDLE`] (a request stalled
//! in its body, a response nobody reads) is closed.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::cgi::Body;
use super::http::{handle, plain};
use super::idle::{Activity, Watched};
use super::profile::Profile;
use super::{RequestLog, State};

/// Largest request head (request line + headers) accepted.
pub(crate) const MAX_HEAD: usize = 64 * 1024;

/// How long a connection or tunnel may sit idle (no request head, no handshake).
pub(crate) const IDLE: Duration = Duration::from_secs(30);

/// How long an established CONNECT tunnel may pass no byte either way before it is closed
/// (the default; `MockRemoteBuilder::tunnel_idle` changes it, for tests).
pub(crate) const TUNNEL_IDLE: Duration = Duration::from_secs(60);

/// Accepts connections until `shutdown` becomes true.
pub(crate) async fn serve(
    listener: TcpListener,
    st: Arc<State>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    let _ = stream.set_nodelay(true);
                    tokio::spawn(connection(stream, st.clone(), None));
                }
            }
            _ = shutdown.changed() => return,
        }
    }
}

/// Serves one connection: plain (`tunnel = None`) or inside a CONNECT tunnel for a profile.
async fn connection<S>(io: S, st: Arc<State>, tunnel: Option<Profile>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let svc = service_fn(move |req: Request<Incoming>| {
        let st = st.clone();
        async move { Ok::<_, Infallible>(dispatch(st, tunnel, req).await) }
    });
    let _ = http1::Builder::new()
        .max_buf_size(MAX_HEAD)
        .timer(TokioTimer::new())
        .header_read_timeout(IDLE)
        .serve_connection(TokioIo::new(io), svc)
        .with_upgrades()
        .await;
}

/// Routes one request: CONNECT opens a tunnel; an absolute-form request (a client using the mock
/// as plain HTTP proxy) is served for a profile host and refused for any other; an origin-form
/// request is served with the configured profile, or the tunnel's.
async fn dispatch(
    st: Arc<State>,
    tunnel: Option<Profile>,
    req: Request<Incoming>,
) -> Response<Body> {
    if head_size(&req) > MAX_HEAD {
        let text = "Request header fields too large.\n";
        return plain(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, text);
    }
    let is_connect = req.method() == Method::CONNECT;
    let host = req.uri().authority().map(|a| a.host().to_string());
    match (tunnel, is_connect, host) {
        (Some(_), true, _) => plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "No CONNECT inside a tunnel.\n",
        ),
        (Some(profile), false, _) => handle(st, profile, req).await,
        (None, true, _) => connect(st, req),
        (None, false, None) => {
            let profile = st.profile;
            handle(st, profile, req).await
        }
        (None, false, Some(host)) => match Profile::for_host(&host) {
            Some(profile) => handle(st, profile, req).await,
            None => not_allowed(&st, req.method().as_str(), &req.uri().to_string()),
        },
    }
}

/// 403 for a proxy request to a host the mock does not play, logged.
fn not_allowed(st: &State, method: &str, target: &str) -> Response<Body> {
    st.record(RequestLog {
        method: method.into(),
        path: target.into(),
        user: None,
        decision: "not-allowed".into(),
        status: 403,
    });
    let hosts: Vec<&str> = Profile::ALL.iter().map(|p| p.host()).collect();
    let text = format!(
        "The mock remote answers only for {} (port 443 for CONNECT).\n",
        hosts.join(", ")
    );
    plain(StatusCode::FORBIDDEN, &text)
}

/// Bytes of the request line and headers (hyper bounds its buffer, not a head it parsed whole).
fn head_size(req: &Request<Incoming>) -> usize {
    let headers: usize = req
        .headers()
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len() + 4)
        .sum();
    headers + req.uri().to_string().len() + 16
}

/// Answers a CONNECT: a tunnel for the profile hosts on 443, 403 for anything else.
fn connect(st: Arc<State>, mut req: Request<Incoming>) -> Response<Body> {
    let target = req
        .uri()
        .authority()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let profile = req
        .uri()
        .authority()
        .filter(|a| a.port_u16() == Some(443))
        .and_then(|a| Profile::for_host(a.host()));
    let Some(profile) = profile else {
        return not_allowed(&st, "CONNECT", &target);
    };
    st.record(RequestLog {
        method: "CONNECT".into(),
        path: target,
        user: None,
        decision: "tunnel".into(),
        status: 200,
    });
    let upgrade = hyper::upgrade::on(&mut req);
    tokio::spawn(async move {
        let Ok(Ok(upgraded)) = tokio::time::timeout(IDLE, upgrade).await else {
            return;
        };
        let activity = Activity::new();
        let io = Watched::new(TokioIo::new(upgraded), activity.clone());
        let limit = st.tunnel_idle;
        let tunnel = async move {
            let handshake = st.tls.acceptor.accept(io);
            let Ok(Ok(tls)) = tokio::time::timeout(IDLE, handshake).await else {
                return;
            };
            connection(tls, st, Some(profile)).await;
        };
        // Dropping the tunnel closes it; a backend still reading its body sees the client go.
        tokio::select! {
            () = tunnel => {}
            () = activity.expired(limit) => {}
        }
    });
    Response::new(super::http::full(""))
}

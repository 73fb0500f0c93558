//! The listener: accepts connections on the loopback port and serves HTTP/1.1 with bounded
//! headers. A `CONNECT host:443` for a profile host is answered 200 and the tunnel is served over
//! TLS (the mock's CA) with the same Git endpoints, the host choosing the profile; CONNECT to any
//! other target gets 403 at once. Ends when the shutdown signal flips.

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
use super::profile::Profile;
use super::{RequestLog, State};

/// Largest request head (request line + headers) accepted.
pub const MAX_HEAD: usize = 64 * 1024;

/// Accepts connections until `shutdown` becomes true.
pub async fn serve(listener: TcpListener, st: Arc<State>, mut shutdown: watch::Receiver<bool>) {
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
        async move {
            if head_size(&req) > MAX_HEAD {
                let text = "Request header fields too large.\n";
                return Ok(plain(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, text));
            }
            Ok::<_, Infallible>(match (tunnel, req.method() == Method::CONNECT) {
                (None, true) => connect(st, req),
                (Some(_), true) => plain(
                    StatusCode::METHOD_NOT_ALLOWED,
                    "No CONNECT inside a tunnel.\n",
                ),
                (Some(profile), false) => handle(st, profile, req).await,
                (None, false) => {
                    let profile = st.profile;
                    handle(st, profile, req).await
                }
            })
        }
    });
    let _ = http1::Builder::new()
        .max_buf_size(MAX_HEAD)
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30))
        .serve_connection(TokioIo::new(io), svc)
        .with_upgrades()
        .await;
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
    let log = |decision: &str, status: StatusCode| RequestLog {
        method: "CONNECT".into(),
        path: target.clone(),
        user: None,
        decision: decision.into(),
        status: status.as_u16(),
    };
    let Some(profile) = profile else {
        st.record(log("not-allowed", StatusCode::FORBIDDEN));
        let hosts: Vec<String> = Profile::ALL
            .iter()
            .map(|p| format!("{}:443", p.host()))
            .collect();
        let text = format!("The mock remote tunnels only to {}.\n", hosts.join(", "));
        return plain(StatusCode::FORBIDDEN, &text);
    };
    st.record(log("tunnel", StatusCode::OK));
    let upgrade = hyper::upgrade::on(&mut req);
    tokio::spawn(async move {
        let Ok(upgraded) = upgrade.await else { return };
        let Ok(tls) = st.tls.acceptor.accept(TokioIo::new(upgraded)).await else {
            return;
        };
        connection(tls, st, Some(profile)).await;
    });
    Response::new(super::http::full(""))
}

//! The mock remote's idle limits (issue 10), shortened to a second through the builder: a
//! request body that stalls is abandoned and its backend killed while the client still holds
//! the connection; an established CONNECT tunnel (TLS up) that moves no byte is closed, and one
//! in use is not.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::remote_support::{Env, TOKEN};
use base64::Engine as _;
use helpsite::remote::MockRemote;
use rustls::pki_types::{CertificateDer, ServerName, pem::PemObject as _};

const LIMIT: Duration = Duration::from_secs(1);

fn backends_of(root: &Path) -> usize {
    let needle = format!("GIT_PROJECT_ROOT={}", root.display());
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|entry| {
            let env = std::fs::read(entry.path().join("environ")).unwrap_or_default();
            env.split(|b| *b == 0).any(|v| v == needle.as_bytes())
        })
        .count()
}

fn auth() -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("username:{TOKEN}"))
}

#[test]
fn a_stalled_request_body_is_abandoned_after_the_body_idle_limit() {
    let env = Env::with(MockRemote::builder().body_idle(LIMIT));
    let root = env.remote.root().to_path_buf();
    let mut s = TcpStream::connect(("127.0.0.1", env.remote.port())).unwrap();
    let head = format!(
        "POST /username/demo.git/git-receive-pack HTTP/1.1\r\nHost: x\r\n\
         Authorization: Basic {}\r\nContent-Type: application/x-git-receive-pack-request\r\n\
         Content-Length: 100000\r\n\r\n0000",
        auth()
    );
    s.write_all(head.as_bytes()).unwrap();
    let sent = Instant::now();
    while backends_of(&root) == 0 {
        assert!(sent.elapsed() < LIMIT, "the backend never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The client stays connected and silent; only the idle limit can end the backend.
    while backends_of(&root) > 0 {
        assert!(
            sent.elapsed() < Duration::from_secs(10),
            "the backend outlived the body idle limit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        sent.elapsed() >= LIMIT,
        "ended before the limit: {:?}",
        sent.elapsed()
    );
    let log = env.remote.log();
    let post = log.iter().find(|l| l.method == "POST").expect("logged");
    assert_eq!(post.decision, "client-gone", "{post:?}");
}

/// A TLS session to bitbucket.org through the mock's CONNECT proxy.
type Tunnel = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;

fn tunnel(env: &Env) -> Tunnel {
    let mut tcp = TcpStream::connect(("127.0.0.1", env.remote.port())).unwrap();
    tcp.write_all(b"CONNECT bitbucket.org:443 HTTP/1.1\r\nHost: bitbucket.org:443\r\n\r\n")
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        tcp.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    assert!(head.starts_with(b"HTTP/1.1 200"), "{head:?}");
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(env.remote.ca_file()).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = ServerName::try_from("bitbucket.org").unwrap();
    let mut conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    while conn.is_handshaking() {
        conn.complete_io(&mut tcp).unwrap();
    }
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    rustls::StreamOwned::new(conn, tcp)
}

/// One request in the tunnel; the status line of its answer.
fn get(tls: &mut Tunnel) -> String {
    tls.write_all(b"GET /username/demo.git/info/refs HTTP/1.1\r\nHost: bitbucket.org\r\n\r\n")
        .unwrap();
    let mut got = Vec::new();
    let mut chunk = [0u8; 4096];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = tls.read(&mut chunk).unwrap();
        assert!(n > 0, "the tunnel closed mid-answer");
        got.extend_from_slice(&chunk[..n]);
    }
    // The answer is small: read what is left of it, so the next request starts clean.
    std::thread::sleep(Duration::from_millis(50));
    tls.sock.set_nonblocking(true).unwrap();
    let _ = tls.read(&mut chunk);
    tls.sock.set_nonblocking(false).unwrap();
    String::from_utf8_lossy(&got)
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn an_idle_connect_tunnel_is_closed_and_a_busy_one_is_not() {
    let env = Env::with(MockRemote::builder().tunnel_idle(LIMIT));
    let mut tls = tunnel(&env);
    // Busy: a request every 400 ms for three times the limit, all answered.
    let start = Instant::now();
    while start.elapsed() < LIMIT * 3 {
        assert!(get(&mut tls).starts_with("HTTP/1.1 "), "answered");
        std::thread::sleep(Duration::from_millis(400));
    }
    // Idle: the mock closes the tunnel after about the limit (hyper's own head timeout,
    // 30 s, would be far later; the read timeout is 10 s).
    let idle_from = Instant::now();
    let mut rest = Vec::new();
    let closed = tls.read_to_end(&mut rest);
    let waited = idle_from.elapsed();
    assert!(
        closed.is_ok()
            || closed
                .as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::UnexpectedEof),
        "not closed: {closed:?} after {waited:?}"
    );
    assert!(
        waited >= LIMIT / 2 && waited < Duration::from_secs(5),
        "{waited:?}"
    );
}

//! Shared by the `serve_*` integration tests: a copy of a fixture site in a temp dir, the real
//! binary serving it on a free loopback port, and a raw HTTP/1.0 client (raw so a test can send
//! paths no HTTP library would, like `/../x`; 1.0 so bodies are never chunked).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Copies `tests/fixtures/NAME` into a fresh temp dir.
pub(crate) fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    copy_dir(&from, dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walking the fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// `helpsite serve` running over a site; killed on drop.
pub(crate) struct Server {
    child: Child,
    pub port: u16,
    pub out: PathBuf,
}

impl Server {
    /// Starts serving `root` (output in ROOT/public) without the live snippet run (`--no-run`:
    /// its events would interleave with the ones these tests wait for), and waits for the URL.
    pub(crate) fn start(root: &Path) -> Server {
        Server::start_with(root, &["--no-run"])
    }

    /// Starts serving `root` with the live snippet run, as `helpsite serve` does by default.
    pub(crate) fn start_running(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    fn start_with(root: &Path, extra: &[&str]) -> Server {
        let out = root.join("public");
        let mut child = Command::new(env!("CARGO_BIN_EXE_helpsite"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting helpsite serve");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let line = receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("the URL line");
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| {
                rest.trim_end_matches(|c: char| !c.is_ascii_digit())
                    .parse()
                    .ok()
            })
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        Server { child, port, out }
    }

    /// Sends `request_line` (e.g. `GET /x`) as HTTP/1.0 and reads the whole response.
    pub(crate) fn request(&self, request_line: &str) -> Response {
        let mut stream = self.connect();
        write!(stream, "{request_line} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read the response");
        Response::parse(&raw)
    }

    pub(crate) fn get(&self, path: &str) -> Response {
        self.request(&format!("GET {path}"))
    }

    pub(crate) fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        stream
    }

    /// Opens the live-reload event stream and reads its first (`hello`) event.
    pub(crate) fn events(&self) -> Events {
        let mut stream = self.connect();
        write!(
            stream,
            "GET /__helpsite/events HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .expect("send");
        let mut events = Events {
            reader: BufReader::new(stream),
        };
        let mut line = String::new();
        while events.reader.read_line(&mut line).expect("headers") > 2 {
            line.clear();
        }
        let (name, _) = events.next(Duration::from_secs(10)).expect("hello");
        assert_eq!(name, "hello");
        events
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let text = String::from_utf8_lossy(raw);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok());
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Response {
            status: status.unwrap_or(0),
            headers,
            body: body.to_string(),
        }
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A server-sent event stream being read.
pub(crate) struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// The next event (name, data), skipping keep-alive comments; `None` when `wait` runs out.
    pub(crate) fn next(&mut self, wait: Duration) -> Option<(String, String)> {
        let deadline = Instant::now() + wait;
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            self.reader
                .get_ref()
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .ok()?;
            let mut line = String::new();
            if self.reader.read_line(&mut line).ok()? == 0 {
                return None;
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if let Some(value) = line.strip_prefix("event:") {
                name = value.trim().to_string();
            } else if let Some(value) = line.strip_prefix("data:") {
                data.push_str(value.trim_start());
            } else if line.is_empty() && !name.is_empty() {
                return Some((name, data));
            }
        }
    }

    /// Waits for an event called `wanted`, failing on any other event first.
    pub(crate) fn expect(&mut self, wanted: &str) -> serde_json::Value {
        let (name, data) = self
            .next(Duration::from_secs(20))
            .unwrap_or_else(|| panic!("no {wanted} event within 20 s"));
        assert_eq!(name, wanted, "event data: {data}");
        serde_json::from_str(&data).expect("event data is JSON")
    }
}

/// Every `.html` file of the output folder, as URL paths (`/guide/fix.html`).
pub(crate) fn html_paths(out: &Path) -> Vec<String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            format!("/{}", rel.replace('\\', "/"))
        })
        .collect()
}

pub(crate) const SCRIPT_TAG: &str = "<script src=\"/__helpsite/live.js\"></script>";

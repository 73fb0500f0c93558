//! A small W3C WebDriver client over chromedriver's loopback HTTP port: just the commands the
//! browser tests use (sessions, navigation, scripts, elements, screenshots, logs, CDP).
//! Plain `std::net` + serde_json, so the browser tests add no dependency to the build.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

pub type Result<T> = std::result::Result<T, String>;

/// One browser session.
pub struct Session {
    port: u16,
    id: String,
}

/// Sends one request to chromedriver and returns the `value` of its JSON answer.
fn call(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).ok();
    let payload = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| format!("send: {e}"))?;
    let body = read_response(stream).map_err(|e| format!("{method} {path}: {e}"))?;
    let answer: Value =
        serde_json::from_str(&body).map_err(|e| format!("{method} {path}: {e}: {body}"))?;
    let value = answer.get("value").cloned().unwrap_or(Value::Null);
    if let Some(error) = value.get("error").and_then(Value::as_str) {
        let message = value.get("message").and_then(Value::as_str).unwrap_or("");
        return Err(format!("{method} {path}: {error}: {message}"));
    }
    Ok(value)
}

/// Reads one response body: chromedriver keeps connections open, so read what the headers
/// announce (Content-Length, or chunks) rather than to the end of the stream.
fn read_response(stream: TcpStream) -> std::io::Result<String> {
    let mut reader = BufReader::new(stream);
    let (mut length, mut chunked) = (None, false);
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end().to_ascii_lowercase();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("content-length:") {
            length = value.trim().parse::<usize>().ok();
        }
        chunked |= line.starts_with("transfer-encoding:") && line.contains("chunked");
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if size == 0 {
                break;
            }
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(length) = length {
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    } else {
        reader.read_to_end(&mut body)?;
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

impl Session {
    /// Starts a browser with `capabilities` (the `alwaysMatch` object).
    pub fn new(port: u16, capabilities: Value) -> Result<Session> {
        let body = json!({ "capabilities": { "alwaysMatch": capabilities } });
        let value = call(port, "POST", "/session", Some(&body))?;
        let id = value["sessionId"]
            .as_str()
            .ok_or("no session id")?
            .to_string();
        Ok(Session { port, id })
    }

    fn post(&self, path: &str, body: Value) -> Result<Value> {
        call(
            self.port,
            "POST",
            &format!("/session/{}{path}", self.id),
            Some(&body),
        )
    }

    fn get(&self, path: &str) -> Result<Value> {
        call(
            self.port,
            "GET",
            &format!("/session/{}{path}", self.id),
            None,
        )
    }

    pub fn goto(&self, url: &str) -> Result<()> {
        self.post("/url", json!({ "url": url })).map(drop)
    }

    pub fn url(&self) -> Result<String> {
        Ok(self.get("/url")?.as_str().unwrap_or_default().to_string())
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) and returns its result.
    pub fn js(&self, script: &str, args: Value) -> Result<Value> {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
    }

    /// Polls `script` until it returns something truthy, or fails after `timeout`.
    pub fn wait_for(&self, what: &str, script: &str, timeout: Duration) -> Result<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self.js(script, json!([]))?;
            let truthy = !matches!(&value, Value::Null | Value::Bool(false))
                && value != json!("")
                && value != json!(0);
            if truthy {
                return Ok(value);
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The first element matching `css`, as a WebDriver element reference.
    pub fn find(&self, css: &str) -> Result<Value> {
        let value = self.post("/element", json!({ "using": "css selector", "value": css }))?;
        Ok(value)
    }

    fn element_id(element: &Value) -> Result<String> {
        element
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("not an element: {element}"))
    }

    pub fn click(&self, css: &str) -> Result<()> {
        let id = Self::element_id(&self.find(css)?)?;
        self.post(&format!("/element/{id}/click"), json!({}))
            .map(drop)
    }

    pub fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let id = Self::element_id(&self.find(css)?)?;
        self.post(&format!("/element/{id}/value"), json!({ "text": text }))
            .map(drop)
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Result<Vec<u8>> {
        let data = self.get("/screenshot")?;
        base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap_or_default())
            .map_err(|e| format!("screenshot: {e}"))
    }

    /// Entries of a `goog:loggingPrefs` log (`browser`, `performance`) since the last call.
    pub fn log(&self, kind: &str) -> Result<Vec<Value>> {
        let value = self.post("/se/log", json!({ "type": kind }))?;
        Ok(value.as_array().cloned().unwrap_or_default())
    }

    /// A Chrome DevTools Protocol command, through chromedriver.
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        self.post("/goog/cdp/execute", json!({ "cmd": cmd, "params": params }))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = call(self.port, "DELETE", &format!("/session/{}", self.id), None);
    }
}

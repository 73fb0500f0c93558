//! The browser tests' view of a WebDriver session: a `fantoccini` client on chromedriver's
//! loopback HTTP port (plain HTTP, no TLS), with errors as strings and the two chromedriver
//! commands that W3C WebDriver lacks (`goog:loggingPrefs` logs, DevTools Protocol calls) sent
//! as custom commands through the same client.

use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

pub(crate) type Result<T> = std::result::Result<T, String>;

/// One browser session.
pub(crate) struct Session {
    client: Client,
}

/// Says which command failed.
fn failed(what: &str) -> impl FnOnce(CmdError) -> String + '_ {
    move |e| format!("{what}: {e}")
}

/// A chromedriver command outside W3C WebDriver: POST `body` to `/session/{id}/{path}`.
#[derive(Debug)]
struct Vendor {
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for Vendor {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _url: &url::Url) -> (hyper::Method, Option<String>) {
        (hyper::Method::POST, Some(self.body.to_string()))
    }
}

impl Session {
    /// Starts a browser with `capabilities` (sent as `alwaysMatch`).
    pub(crate) async fn new(port: u16, capabilities: Value) -> Result<Session> {
        let capabilities: Capabilities =
            serde_json::from_value(capabilities).map_err(|e| format!("capabilities: {e}"))?;
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .map_err(|e| format!("new session: {e}"))?;
        Ok(Session { client })
    }

    /// Ends the session (the browser exits). Dropping a client would only ask for this in the
    /// background, which a runtime shut down right after may never send.
    pub(crate) async fn close(self) -> Result<()> {
        self.client.close().await.map_err(failed("close"))
    }

    pub(crate) async fn goto(&self, url: &str) -> Result<()> {
        self.client.goto(url).await.map_err(failed(url))
    }

    pub(crate) async fn url(&self) -> Result<String> {
        let url = self.client.current_url().await.map_err(failed("url"))?;
        Ok(url.to_string())
    }

    /// Runs `script` (a function body; `arguments[i]` are `args`) and returns its result.
    pub(crate) async fn js(&self, script: &str, args: Value) -> Result<Value> {
        let Value::Array(args) = args else {
            return Err(format!("script arguments must be an array, not {args}"));
        };
        self.client
            .execute(script, args)
            .await
            .map_err(failed("execute"))
    }

    /// Polls `script` until it returns something truthy, or fails after `timeout`.
    pub(crate) async fn wait_for(
        &self,
        what: &str,
        script: &str,
        timeout: Duration,
    ) -> Result<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self.js(script, json!([])).await?;
            let truthy = !matches!(&value, Value::Null | Value::Bool(false))
                && value != json!("")
                && value != json!(0);
            if truthy {
                return Ok(value);
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The first element matching `css`.
    pub(crate) async fn find(&self, css: &str) -> Result<Element> {
        self.client
            .find(Locator::Css(css))
            .await
            .map_err(failed(css))
    }

    /// An element as a script argument (`arguments[i]` is then the DOM node).
    pub(crate) fn arg(element: &Element) -> Result<Value> {
        serde_json::to_value(element).map_err(|e| e.to_string())
    }

    pub(crate) async fn click(&self, css: &str) -> Result<()> {
        self.find(css).await?.click().await.map_err(failed(css))
    }

    pub(crate) async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let element = self.find(css).await?;
        element.send_keys(text).await.map_err(failed(css))
    }

    /// A PNG of the viewport.
    pub(crate) async fn screenshot(&self) -> Result<Vec<u8>> {
        self.client.screenshot().await.map_err(failed("screenshot"))
    }

    /// Entries of a `goog:loggingPrefs` log (`browser`, `performance`) since the last call.
    pub(crate) async fn log(&self, kind: &str) -> Result<Vec<Value>> {
        let command = Vendor {
            path: "se/log",
            body: json!({ "type": kind }),
        };
        let value = self
            .client
            .issue_cmd(command)
            .await
            .map_err(failed("log"))?;
        Ok(value.as_array().cloned().unwrap_or_default())
    }

    /// A Chrome DevTools Protocol command, through chromedriver.
    pub(crate) async fn cdp(&self, cmd: &str, params: Value) -> Result<Value> {
        let command = Vendor {
            path: "goog/cdp/execute",
            body: json!({ "cmd": cmd, "params": params }),
        };
        self.client.issue_cmd(command).await.map_err(failed(cmd))
    }
}

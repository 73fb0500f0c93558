//! What the browser tests stand on: finding Chromium and chromedriver, starting chromedriver on
//! a free loopback port, opening a fresh headless browser (own profile folder, no outside
//! network), and the site under test (the guide copied to a temp dir, built once for file:// and
//! served once by `helpsite serve`). Every process started here is killed on drop.

pub(crate) mod webdriver;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use webdriver::{Result, Session};

/// The browser and its driver, found on this machine.
#[derive(Debug, Clone)]
pub(crate) struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

/// Finds them via HELPSITE_CHROMIUM / HELPSITE_CHROMEDRIVER or on PATH (Debian's `chromium` and
/// `chromium-driver` packages). The error says what is missing and how to get it.
pub(crate) fn find_tools() -> std::result::Result<Tools, String> {
    let chromium = from_env_or_path("HELPSITE_CHROMIUM", &["chromium", "chromium-browser"])
        // Debian's /usr/bin/chromium is a shell wrapper; the real binary is beside the libs.
        .map(|p| real_chromium(&p).unwrap_or(p));
    let chromedriver = from_env_or_path("HELPSITE_CHROMEDRIVER", &["chromedriver"]);
    match (chromium, chromedriver) {
        (Some(chromium), Some(chromedriver)) => Ok(Tools {
            chromium,
            chromedriver,
        }),
        (c, d) => Err(format!(
            "{} not found (apt-get install chromium chromium-driver)",
            [
                c.is_none().then_some("chromium"),
                d.is_none().then_some("chromedriver")
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" and ")
        )),
    }
}

fn from_env_or_path(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(var) {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

fn real_chromium(wrapper: &Path) -> Option<PathBuf> {
    let real = Path::new("/usr/lib/chromium/chromium");
    (wrapper == Path::new("/usr/bin/chromium") && real.is_file()).then(|| real.to_path_buf())
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("address").port()
}

/// A child process killed on drop.
pub(crate) struct Process(pub Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// chromedriver, listening on loopback only.
pub(crate) struct Driver {
    _process: Process,
    pub port: u16,
    tools: Tools,
}

impl Driver {
    pub(crate) fn start(tools: &Tools) -> Result<Driver> {
        let port = free_port();
        let child = Command::new(&tools.chromedriver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting {}: {e}", tools.chromedriver.display()))?;
        let driver = Driver {
            _process: Process(child),
            port,
            tools: tools.clone(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("chromedriver did not start listening within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    /// A fresh headless browser: its own profile folder, no outside network.
    pub(crate) async fn browser(&self) -> Result<Browser> {
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let args = json!([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-breakpad",
            "--disable-crash-reporter",
            "--no-first-run",
            "--no-default-browser-check",
            "--window-size=1280,900",
            // Belt and braces: any name other than loopback fails to resolve. The tests still
            // check that no page even tried to reach another host.
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            format!("--user-data-dir={}", profile.path().display()),
        ]);
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": self.tools.chromium, "args": args },
            "goog:loggingPrefs": { "browser": "ALL", "performance": "ALL" },
        });
        let session = Session::new(self.port, capabilities).await?;
        Ok(Browser {
            session,
            _profile: profile,
        })
    }
}

/// A browser session and its profile folder (removed on drop, after the session closes).
pub(crate) struct Browser {
    pub session: Session,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Ends the session, then removes the profile folder.
    pub(crate) async fn close(self) -> Result<()> {
        self.session.close().await
    }

    /// Console messages of level error since the last call. The browser's own request for
    /// `/favicon.ico` (which no page asks for) is not the page's error and is left out.
    pub(crate) async fn console_errors(&self) -> Result<Vec<String>> {
        Ok(self
            .session
            .log("browser")
            .await?
            .into_iter()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].as_str().unwrap_or_default().to_string())
            .filter(|message| !message.contains("/favicon.ico - Failed to load resource"))
            .collect())
    }

    /// Network requests since the last call that would leave the machine: any http(s) or
    /// ws(s) URL whose host is not loopback. (file:, data:, blob: and the browser's own
    /// chrome: pages never touch the network.)
    /// Also returns how many requests were seen, so a silent log cannot pass for a clean one.
    pub(crate) async fn outside_requests(&self) -> Result<(Vec<String>, usize)> {
        let (mut outside, mut seen) = (Vec::new(), 0);
        for entry in self.session.log("performance").await? {
            let message: Value = serde_json::from_str(entry["message"].as_str().unwrap_or("{}"))
                .map_err(|e| e.to_string())?;
            if message["message"]["method"] != "Network.requestWillBeSent" {
                continue;
            }
            let url = message["message"]["params"]["request"]["url"]
                .as_str()
                .unwrap_or("");
            seen += 1;
            if leaves_machine(url) {
                outside.push(url.to_string());
            }
        }
        Ok((outside, seen))
    }

    /// Fails when the pages visited since the last call logged errors or reached out.
    pub(crate) async fn assert_clean(&self, what: &str) -> Result<()> {
        let errors = self.console_errors().await?;
        let (outside, seen) = self.outside_requests().await?;
        if seen == 0 {
            return Err(format!(
                "{what}: the performance log recorded no request at all"
            ));
        }
        if errors.is_empty() && outside.is_empty() {
            return Ok(());
        }
        Err(format!(
            "{what}: console errors {errors:?}; requests to other hosts {outside:?}"
        ))
    }
}

/// The guide of this repository, copied into a temp dir, built (for file://) and served. Its
/// search index is split (`[search] split = "always"`), so that searching in the browser loads
/// the index part by part, from file:// and over http; the node tests cover the one file.
pub(crate) struct Site {
    _dir: tempfile::TempDir,
    /// `helpsite build` output, for file:// URLs.
    pub built: PathBuf,
    pub server: Server,
}

impl Site {
    pub(crate) fn guide() -> Result<Site> {
        let dir = copy_guide()?;
        let toml = dir.path().join("helpsite.toml");
        let config = std::fs::read_to_string(&toml).map_err(|e| e.to_string())?;
        std::fs::write(&toml, config + "\n[search]\nsplit = \"always\"\n")
            .map_err(|e| e.to_string())?;
        let built = dir.path().join("built");
        let status = Command::new(env!("CARGO_BIN_EXE_helpsite"))
            .args(["build", "--quiet", "--root"])
            .arg(dir.path())
            .arg("--out")
            .arg(&built)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("helpsite build of the guide failed: {status}"));
        }
        let server = Server::start(dir.path())?;
        Ok(Site {
            _dir: dir,
            built,
            server,
        })
    }

    /// The file:// URL of a built page (`index.html`, `reading-the-error.html`).
    pub(crate) fn file_url(&self, page: &str) -> String {
        format!("file://{}/{page}", self.built.display())
    }
}

/// content/, templates/ and helpsite.toml of this repository, copied into a temp dir.
pub(crate) fn copy_guide() -> Result<tempfile::TempDir> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    for name in ["content", "templates", "helpsite.toml"] {
        let from = repo.join(name);
        for entry in walkdir::WalkDir::new(&from)
            .into_iter()
            .filter_map(|e| e.ok())
        {
            let rel = entry.path().strip_prefix(repo).map_err(|e| e.to_string())?;
            let to = dir.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).map_err(|e| e.to_string())?;
            } else {
                std::fs::copy(entry.path(), &to).map_err(|e| format!("{}: {e}", to.display()))?;
            }
        }
    }
    Ok(dir)
}

/// `helpsite serve --port 0` over a site folder.
pub(crate) struct Server {
    _process: Process,
    pub port: u16,
}

impl Server {
    /// Serves `root` without the live snippet run (`--no-run`): the marks come from the report.
    pub(crate) fn start(root: &Path) -> Result<Server> {
        Server::start_with(root, &["--no-run"])
    }

    /// Serves `root` with the live snippet run, as `helpsite serve` does by default.
    pub(crate) fn start_running(root: &Path) -> Result<Server> {
        Server::start_with(root, &[])
    }

    fn start_with(root: &Path, extra: &[&str]) -> Result<Server> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_helpsite"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| e.to_string())?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let process = Process(child);
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|port| port.parse().ok())
            .ok_or_else(|| format!("no URL in {line:?}"))?;
        Ok(Server {
            _process: process,
            port,
        })
    }

    pub(crate) fn url(&self, page: &str) -> String {
        format!("http://127.0.0.1:{}/{page}", self.port)
    }
}

/// Whether a request to `url` would go over the network to another machine.
pub(crate) fn leaves_machine(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    if !["http", "https", "ws", "wss", "ftp"].contains(&scheme.to_ascii_lowercase().as_str()) {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.strip_prefix('[').map_or_else(
        || host.split(':').next().unwrap_or(""),
        |v6| v6.split(']').next().unwrap_or(""),
    );
    !(host == "localhost" || host == "::1" || host.starts_with("127."))
}

//! The hermetic sandbox one chain runs in: a fresh temporary directory (removed on drop) with
//! `home/` (HOME, a seeded ~/.gitconfig), `work/` (the shell's first working directory) and
//! `.harness/` (the askpass and no-ssh programs, the output stream, the answers); and the
//! environment, reset to an allow-list: fixed locale, time zone, author and committer, no system
//! git config, no terminal prompts, proxies pointing at the mock remote (or at a closed loopback
//! port when there is none), and the mock's secrets as variables. Nothing from the host's HOME,
//! credential helpers or SSH agent is reachable.

mod files;

use super::programs::SYSTEM_PATH;
use files::{ASKPASS, GITCONFIG, NO_SSH, write_program, write_ssh};
use std::{
    fs, io,
    path::{Path, PathBuf},
};

/// Where the sandbox's network traffic may go.
#[derive(Debug, Clone, Default)]
pub(crate) struct Network {
    /// `http://127.0.0.1:PORT`: every proxy variable points here.
    pub proxy_url: String,
    /// The PEM file of the mock's CA, trusted by git, curl and Python.
    pub ca_file: Option<PathBuf>,
    /// `(ENV_NAME, secret)` pairs exposed to snippets.
    pub secrets: Vec<(String, String)>,
    /// Host loopback ports bridged into the sandbox's network namespace (the mock's proxy port
    /// first, then any others it serves, such as SSH).
    pub ports: Vec<u16>,
    /// The mock's SSH server, when there is one (reached inside namespaces only).
    pub ssh: Option<SshLink>,
}

/// How the sandbox's `ssh` reaches the mock: its SSH port and the key-registration port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SshLink {
    pub port: u16,
    /// The control endpoint behind `bitbucket-add-ssh-key` (`POST /ssh-keys/ACCOUNT`).
    pub control_port: u16,
}

/// How a chain's shell is kept from the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Isolation {
    /// Fresh Linux namespaces made by bubblewrap (see `jail`): the default.
    #[default]
    Namespaces,
    /// `--no-sandbox`: only the environment reset and a temporary HOME; the shell runs on the
    /// host as the invoking user.
    EnvOnly,
}

/// What a sandbox is made with besides the network.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    pub isolation: Isolation,
    /// The site's folder, shown read-only at `$HELPSITE_SITE`.
    pub site: Option<PathBuf>,
}

impl Network {
    /// No remote: proxies point at a loopback port nobody listens on, so every attempt to reach
    /// a host fails at once with "connection refused".
    #[cfg(test)]
    pub(crate) fn closed() -> Network {
        Network {
            proxy_url: format!("http://127.0.0.1:{}", closed_port()),
            ..Network::default()
        }
    }
}

/// A loopback port that was free a moment ago (bound, then released).
#[cfg(test)]
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_or(9, |a| a.port())
}

/// A prepared sandbox directory and environment.
#[derive(Debug)]
pub(crate) struct Sandbox {
    dir: tempfile::TempDir,
    pub root: PathBuf,
    pub home: PathBuf,
    pub work: PathBuf,
    pub harness: PathBuf,
    /// Harness files the snippet may read but not change (askpass, no-ssh, the CA).
    pub programs: PathBuf,
    pub options: Options,
    pub ports: Vec<u16>,
    env: Vec<(String, String)>,
}

/// Fixed identity and time for commits: the same ids on every run and every machine.
const AUTHOR: (&str, &str) = ("Your Name", "you@example.com");
/// 2026-01-01T00:00:00Z.
const COMMIT_DATE: &str = "@1767225600 +0000";

impl Sandbox {
    /// Creates the directories, programs and environment.
    pub(crate) fn new(network: &Network, options: &Options) -> io::Result<Sandbox> {
        let dir = tempfile::Builder::new().prefix("helpsite-sbx-").tempdir()?;
        super::cleanup::add_dir(dir.path());
        let root = dir.path().canonicalize()?;
        let (home, work, harness) = (root.join("home"), root.join("work"), root.join(".harness"));
        let programs = harness.join("ro");
        for d in [&home, &work, &harness, &programs, &root.join("tmp")] {
            fs::create_dir_all(d)?;
        }
        fs::write(home.join(".gitconfig"), GITCONFIG)?;
        write_program(&programs.join("askpass"), ASKPASS)?;
        write_program(&programs.join("no-ssh"), NO_SSH)?;
        super::jail::write_etc(&harness.join("etc"), &home)?;
        let ssh = network
            .ssh
            .filter(|_| options.isolation == Isolation::Namespaces);
        if let Some(link) = ssh {
            write_ssh(&programs, &harness.join("etc"), link)?;
        }
        let ca = match &network.ca_file {
            Some(ca) => {
                fs::copy(ca, programs.join("ca.pem"))?;
                Some(programs.join("ca.pem"))
            }
            None => None,
        };
        let mut sandbox = Sandbox {
            dir,
            root,
            home,
            work,
            harness,
            programs,
            options: options.clone(),
            ports: network.ports.clone(),
            env: Vec::new(),
        };
        sandbox.env = sandbox.environment(network, ca.as_deref());
        Ok(sandbox)
    }

    /// Where the host half of the network bridge puts its unix sockets.
    pub(crate) fn net_dir(&self) -> PathBuf {
        self.harness.join("net")
    }

    /// The whole environment of the sandbox's shell (nothing else is inherited).
    pub(crate) fn env(&self) -> &[(String, String)] {
        &self.env
    }

    /// Looks a variable up in the sandbox environment.
    pub(crate) fn var(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The file the running command's stdout and stderr (and askpass prompts) go to.
    pub(crate) fn out_file(&self) -> PathBuf {
        self.harness.join("out")
    }

    /// The file the askpass program takes its answers from, one a line.
    pub(crate) fn answers_file(&self) -> PathBuf {
        self.harness.join("answers")
    }

    /// The temporary directory itself (removed when the sandbox drops).
    #[cfg(test)]
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    fn environment(&self, network: &Network, ca: Option<&Path>) -> Vec<(String, String)> {
        let path = |p: &Path| p.to_string_lossy().into_owned();
        let search_path = match self.options.isolation {
            Isolation::EnvOnly => std::env::var("PATH").unwrap_or_else(|_| SYSTEM_PATH.into()),
            Isolation::Namespaces => SYSTEM_PATH.into(),
        };
        let ssh = network.ssh.is_some() && self.options.isolation == Isolation::Namespaces;
        let mut search_path = search_path;
        if ssh {
            search_path = format!("{search_path}:{}", path(&self.programs.join("bin")));
        }
        if self.options.isolation == Isolation::Namespaces && super::programs::gcm().is_some() {
            search_path = format!("{search_path}:{}", super::programs::GCM_DIR);
        }
        let mut env: Vec<(String, String)> = vec![
            ("PATH".into(), search_path),
            ("HOME".into(), path(&self.home)),
            ("USER".into(), "user".into()),
            ("LOGNAME".into(), "user".into()),
            ("SHELL".into(), "/bin/bash".into()),
            ("TMPDIR".into(), path(&self.root.join("tmp"))),
            ("XDG_CONFIG_HOME".into(), path(&self.home.join(".config"))),
        ];
        let fixed = [
            ("LANG", "C.UTF-8"),
            ("LC_ALL", "C.UTF-8"),
            ("TZ", "UTC"),
            ("TERM", "dumb"),
            ("NO_COLOR", "1"),
            ("PAGER", "cat"),
            ("GIT_PAGER", "cat"),
            ("GIT_CONFIG_NOSYSTEM", "1"),
            ("GIT_TERMINAL_PROMPT", "0"),
            ("GIT_AUTHOR_NAME", AUTHOR.0),
            ("GIT_AUTHOR_EMAIL", AUTHOR.1),
            ("GIT_AUTHOR_DATE", COMMIT_DATE),
            ("GIT_COMMITTER_NAME", AUTHOR.0),
            ("GIT_COMMITTER_EMAIL", AUTHOR.1),
            ("GIT_COMMITTER_DATE", COMMIT_DATE),
            ("PYTHONDONTWRITEBYTECODE", "1"),
            // Git Credential Manager (bound in when installed): no GUI; its store is left to the
            // snippet's `credential.credentialStore`, as on a reader's machine.
            ("GCM_GUI_PROMPT", "false"),
            // .NET programs (GCM) map their code heap through one large memfd for W^X, which
            // the sandbox's file-size limit kills (SIGXFSZ); the plain mapping behaves the same.
            ("DOTNET_EnableWriteXorExecute", "0"),
        ];
        env.extend(fixed.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        // Without namespaces, ssh would reach the real network: git's ssh is switched off.
        if !ssh {
            env.push((
                "GIT_SSH_COMMAND".into(),
                path(&self.programs.join("no-ssh")),
            ));
        }
        env.push((
            "HELPSITE_ASKPASS".into(),
            path(&self.programs.join("askpass")),
        ));
        let site = match self.options.isolation {
            Isolation::Namespaces => self
                .options
                .site
                .as_ref()
                .map(|_| super::jail::SITE_DIR.into()),
            Isolation::EnvOnly => self.options.site.as_deref().map(path),
        };
        if let Some(site) = site {
            env.push(("HELPSITE_SITE".into(), site));
        }
        // The program that runs `tty` commands under a pseudo-terminal (`helpsite __pty`).
        let pty = match self.options.isolation {
            Isolation::Namespaces => Some(super::jail::INIT_PATH.to_string()),
            Isolation::EnvOnly => super::programs::helpsite_binary().map(|p| path(&p)),
        };
        if let Some(pty) = pty {
            env.push(("HELPSITE_PTY".into(), pty));
        }
        env.push(("HELPSITE_OUT".into(), path(&self.out_file())));
        env.push(("HELPSITE_ANSWERS".into(), path(&self.answers_file())));
        env.push(("HELPSITE_HARNESS".into(), path(&self.harness)));
        for var in [
            "HTTPS_PROXY",
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "ALL_PROXY",
            "all_proxy",
        ] {
            env.push((var.into(), network.proxy_url.clone()));
        }
        env.push(("NO_PROXY".into(), String::new()));
        env.push(("no_proxy".into(), String::new()));
        if let Some(ca) = ca {
            for var in [
                "GIT_SSL_CAINFO",
                "SSL_CERT_FILE",
                "CURL_CA_BUNDLE",
                "REQUESTS_CA_BUNDLE",
            ] {
                env.push((var.into(), path(ca)));
            }
        }
        env.extend(network.secrets.iter().cloned());
        env
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        super::cleanup::remove_dir(self.dir.path());
    }
}

/// Expands `$VAR` and `${VAR}` in an answer from the sandbox environment; an unknown variable
/// is an error naming it (an empty answer would hide the mistake).
pub(crate) fn expand(text: &str, sandbox: &Sandbox) -> Result<String, String> {
    let re = regex::Regex::new(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
        .map_err(|e| e.to_string())?;
    let mut missing = None;
    let out = re.replace_all(text, |c: &regex::Captures| {
        let name = c.get(1).or(c.get(2)).map_or("", |m| m.as_str());
        sandbox.var(name).map(str::to_string).unwrap_or_else(|| {
            missing.get_or_insert_with(|| name.to_string());
            String::new()
        })
    });
    match missing {
        Some(name) => Err(format!(
            "answer uses ${name}, which the sandbox does not define"
        )),
        None => Ok(out.into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_environment_and_cleanup() {
        let net = Network {
            secrets: vec![("TOKEN".into(), "s3cret".into())],
            ..Network::closed()
        };
        let sbx = Sandbox::new(&net, &Options::default()).unwrap();
        let root = sbx.path().to_path_buf();
        assert!(sbx.home.join(".gitconfig").is_file());
        assert!(sbx.programs.join("askpass").is_file());
        assert_eq!(sbx.var("HOME"), Some(sbx.home.to_str().unwrap()));
        assert_eq!(sbx.var("GIT_CONFIG_NOSYSTEM"), Some("1"));
        assert!(
            sbx.var("HTTPS_PROXY")
                .unwrap()
                .starts_with("http://127.0.0.1:")
        );
        assert_eq!(
            expand("a-$TOKEN-${TOKEN}", &sbx).unwrap(),
            "a-s3cret-s3cret"
        );
        assert!(expand("$NOPE", &sbx).unwrap_err().contains("$NOPE"));
        drop(sbx);
        assert!(!root.exists());
    }
}

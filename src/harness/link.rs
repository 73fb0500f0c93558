//! The link between a chain's sandbox and its mock remote: one [`MockRemote`] per chain, started
//! with the site's scenario (helpsite.toml `[remote]`, or `--scenario FILE`, else the built-in
//! one) and the page's `[snippets]` settings (profile, as_of). The sandbox reaches it through the
//! proxy variables and the mock's CA, so guide URLs stay `https://bitbucket.org/…`; as a safety
//! net the mock's own `http://127.0.0.1:PORT` is mapped back to the real host in output.

use std::path::Path;

use anyhow::Context as _;

use super::sandbox::Network;
use crate::content::PageSettings;
use crate::remote::{MockRemote, Scenario};

/// What every chain's remote starts from.
#[derive(Debug)]
pub(crate) struct Config {
    pub scenario: Scenario,
    /// The scenario's bare repositories, created once per process and copied for each chain
    /// (creating them runs git several times; copying a few small files does not).
    template: std::sync::OnceLock<Option<tempfile::TempDir>>,
    /// How many chains have started: the first creates its repositories itself (a process that
    /// runs one chain, as under nextest, never pays for the template).
    started: std::sync::atomic::AtomicUsize,
}

/// A running remote and how the sandbox reaches it.
pub(crate) struct Link {
    /// The chain's own copy of the repositories (removed after the remote stops).
    _repos: Option<tempfile::TempDir>,
    pub network: Network,
    /// `(mock URL, https://host)` to map back in output.
    unmap: Option<(String, String)>,
    /// Kept alive for the chain; stopped on drop.
    _remote: Option<MockRemote>,
}

impl Config {
    pub(crate) fn new(scenario: Scenario) -> Config {
        Config {
            scenario,
            template: std::sync::OnceLock::new(),
            started: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// A fresh copy of the template repositories, if the template could be made.
    fn repos(&self) -> Option<tempfile::TempDir> {
        if self
            .started
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            == 0
        {
            return None;
        }
        let template = self
            .template
            .get_or_init(|| make_template(&self.scenario))
            .as_ref()?;
        let copy = tempfile::Builder::new()
            .prefix("helpsite-repos-")
            .tempdir()
            .ok()?;
        super::cleanup::add_dir(copy.path());
        copy_tree(template.path(), copy.path()).ok()?;
        Some(copy)
    }

    /// Starts a mock remote for one chain.
    pub(crate) fn start(&self, settings: &PageSettings) -> anyhow::Result<Link> {
        let (profile, as_of) = (settings.profile, settings.as_of);
        let repos = self.repos();
        let mut builder = MockRemote::builder().scenario(self.scenario.clone());
        if let Some(dir) = &repos {
            builder = builder.root(dir.path());
        }
        if let Some(profile) = profile {
            builder = builder.profile(profile);
        }
        if let Some(as_of) = as_of {
            builder = builder.as_of(as_of);
        }
        let remote = builder.start().context("starting the mock remote")?;
        let network = Network {
            proxy_url: remote.proxy_url(),
            ca_file: Some(remote.ca_file().to_path_buf()),
            secrets: remote.secrets(),
            ports: remote.ports(),
            ssh: Some(super::sandbox::SshLink {
                port: remote.ssh_port(),
                control_port: remote.ssh_control_port(),
            }),
        };
        let unmap = Some((remote.url(), format!("https://{}", remote.profile().host())));
        Ok(Link {
            _repos: repos,
            network,
            unmap,
            _remote: Some(remote),
        })
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        if let Some(dir) = &self._repos {
            super::cleanup::remove_dir(dir.path());
        }
    }
}

impl Link {
    /// Replaces the mock's loopback URL with the host it stands in for.
    pub(crate) fn unmap(&self, text: &str) -> String {
        match &self.unmap {
            Some((from, to)) => text.replace(from.as_str(), to),
            None => text.to_string(),
        }
    }
}

/// Creates the scenario's repositories once, by starting (and stopping) a mock on a directory.
fn make_template(scenario: &Scenario) -> Option<tempfile::TempDir> {
    let dir = tempfile::Builder::new()
        .prefix("helpsite-template-")
        .tempdir()
        .ok()?;
    let remote = MockRemote::builder()
        .scenario(scenario.clone())
        .root(dir.path())
        .start()
        .ok()?;
    drop(remote);
    Some(dir)
}

/// Copies a directory tree (the bare repositories: plain files and directories only).
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(std::io::Error::other)?;
        let rel = entry
            .path()
            .strip_prefix(from)
            .map_err(std::io::Error::other)?;
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmaps_the_mock_url() {
        let link = Link {
            _repos: None,
            network: Network::closed(),
            unmap: Some(("http://127.0.0.1:5".into(), "https://bitbucket.org".into())),
            _remote: None,
        };
        assert_eq!(
            link.unmap("To http://127.0.0.1:5/u/d.git"),
            "To https://bitbucket.org/u/d.git"
        );
    }
}

//! The scenario: who exists on the mock host (accounts, credentials, repositories with members and
//! initial content), which host profile it plays and at what date. Read with serde from
//! `helpsite.toml`'s `[remote]` table or a `--scenario` file (unknown keys are errors naming
//! file:line:column); a default scenario with made-up secrets is built into the binary.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context as _;
use jiff::civil::Date;
use serde::{Deserialize, Deserializer};

use super::profile::Profile;

mod as_of;

pub use as_of::AsOf;
pub(crate) use as_of::now_utc;

const DEFAULT_TOML: &str = include_str!("default_scenario.toml");

/// Everything the mock host knows.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The host profile used on plain HTTP (inside a CONNECT tunnel the host decides).
    #[serde(default)]
    pub profile: Profile,
    /// The simulated date (and optionally UTC time); `None` = now.
    #[serde(default)]
    pub as_of: Option<AsOf>,
    /// The user accounts on the host.
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// The tokens and app passwords.
    #[serde(default)]
    pub credentials: Vec<Credential>,
    /// The repositories, with their members and content.
    #[serde(default)]
    pub repositories: Vec<Repository>,
    /// The made-up seed the SSH host key is derived from (default: one fixed seed), so the
    /// fingerprint in ssh's first-connection question is the same on every run.
    #[serde(default)]
    pub ssh_host_key_seed: Option<String>,
    /// Push and request limits (bitbucket-facts.md §6.6); Bitbucket's values by default.
    #[serde(default)]
    pub limits: Limits,
}

/// Bitbucket's limits, configurable so tests can use small numbers. Sizes in bytes.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest file in a push (100 MB, since 2024-05-06; a repository can turn it off).
    pub max_file_bytes: u64,
    /// Largest push (3.5 GB): git's own `receive.maxInputSize`.
    pub max_push_bytes: u64,
    /// Largest repository (4 GB); a push that would pass it is declined.
    pub max_repository_bytes: u64,
    /// Requests per hour per user (anonymous ones together) before 429; `None`: no limit.
    pub rate_limit_per_hour: Option<u32>,
}

impl Default for Limits {
    fn default() -> Self {
        // [I] "100 MB", "3.5 GB", "4 GB" read as decimal units.
        Limits {
            max_file_bytes: 100_000_000,
            max_push_bytes: 3_500_000_000,
            max_repository_bytes: 4_000_000_000,
            rate_limit_per_hour: None,
        }
    }
}

/// A user account (an Atlassian account on Bitbucket).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The account name (in URLs and as the Git username).
    pub username: String,
    /// The account's email address (the Atlassian login).
    pub email: Option<String>,
    /// The name the REST API shows (`display_name`); default: the username.
    #[serde(default)]
    pub display_name: Option<String>,
    /// The account (web login) password.
    pub password: Option<String>,
    /// Environment variable under which snippets see the password.
    pub password_env: Option<String>,
    /// SSH public keys (OpenSSH lines, `ssh-ed25519 AAAA… comment`) added to the account.
    #[serde(default)]
    pub ssh_keys: Vec<String>,
}

/// What kind of secret a credential is.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// An Atlassian API token (with scopes).
    ApiToken,
    /// A Bitbucket app password (being retired).
    AppPassword,
    /// A repository or workspace access token (used with the username `x-token-auth`).
    AccessToken,
}

/// A token or app password.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// What kind of secret it is.
    pub kind: CredentialKind,
    /// The account (api_token, app_password), or `workspace/repo` / `workspace` (access_token).
    pub owner: String,
    /// The made-up secret itself, as a client sends it.
    pub secret: String,
    /// The scopes it carries (`repository`, `repository:write`, …).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The last day it works; `None` = never expires.
    #[serde(default, deserialize_with = "de_opt_date")]
    pub expires: Option<Date>,
    /// Revoked: refused as a wrong secret is (`bad-credentials`).
    #[serde(default)]
    pub revoked: bool,
    /// Environment variable under which snippets see the secret.
    pub env: Option<String>,
}

/// A member's permission on a repository.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// May clone and fetch.
    Read,
    /// May push too.
    Write,
    /// May push and administer the repository.
    Admin,
}

/// What a repository holds when the mock starts.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Content {
    /// No commits (a fresh repository).
    Empty,
    /// The seeded commits.
    #[default]
    Commits,
}

/// A repository `workspace/repo`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Repository {
    /// `workspace/repo`.
    pub path: String,
    /// Account name → its role on this repository.
    #[serde(default)]
    pub members: BTreeMap<String, Role>,
    /// What it holds at start.
    #[serde(default)]
    pub content: Content,
    /// Behind an IP allowlist the client is not on: access is refused (`ip-allowlist`).
    #[serde(default)]
    pub ip_allowlist: bool,
    /// Its workspace requires two-step verification: access is refused (`require-2sv`).
    #[serde(default)]
    pub require_2sv: bool,
    /// Read-only access keys (OpenSSH public-key lines) of this repository.
    #[serde(default)]
    pub access_keys: Vec<String>,
    /// The 100 MB per-file limit (on unless a repository admin turned it off).
    #[serde(default = "yes")]
    pub file_size_limit: bool,
    /// Branch restrictions: branch name → who may push to it (usernames; `x-token-auth` for
    /// access tokens). A branch listed here refuses everyone else.
    #[serde(default)]
    pub restricted_branches: BTreeMap<String, Vec<String>>,
}

fn yes() -> bool {
    true
}

fn de_opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    let s = String::deserialize(d)?;
    s.parse::<Date>().map(Some).map_err(|_| {
        serde::de::Error::custom(format!("expected a date like 2027-06-30, got `{s}`"))
    })
}

impl Default for Scenario {
    /// The built-in scenario (account `username`, repos `username/demo` and `username/empty`).
    fn default() -> Self {
        toml::from_str(DEFAULT_TOML).expect("the built-in scenario parses")
    }
}

/// A wrapper to re-read `helpsite.toml` with spans when the `[remote]` table is wrong.
#[derive(Deserialize)]
struct Doc {
    remote: Scenario,
}

impl Scenario {
    /// Reads a scenario file: either a bare scenario or a file with a `[remote]` table.
    pub fn load(path: &Path) -> anyhow::Result<Scenario> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading scenario {}", path.display()))?;
        let has_remote = text
            .parse::<toml::Table>()
            .is_ok_and(|t| t.contains_key("remote"));
        let scenario = if has_remote {
            toml::from_str::<Doc>(&text).map(|d| d.remote)
        } else {
            toml::from_str::<Scenario>(&text)
        };
        let scenario = scenario.map_err(|e| located(path, &text, &e))?;
        scenario
            .validate()
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        Ok(scenario)
    }

    /// Builds a scenario from the `[remote]` table of `file` (helpsite.toml). On error, re-reads
    /// the file to name line and column.
    pub(crate) fn from_toml_table(table: &toml::Table, file: &Path) -> anyhow::Result<Scenario> {
        let scenario = match Scenario::deserialize(toml::Value::Table(table.clone())) {
            Ok(s) => s,
            Err(e) => {
                if let Ok(text) = std::fs::read_to_string(file) {
                    if let Err(spanned) = toml::from_str::<Doc>(&text) {
                        return Err(located(file, &text, &spanned));
                    }
                }
                anyhow::bail!("{}: [remote]: {e}", file.display());
            }
        };
        scenario
            .validate()
            .map_err(|e| anyhow::anyhow!("{}: [remote]: {e}", file.display()))?;
        Ok(scenario)
    }

    /// Checks what serde cannot: repository paths, owners, duplicate names.
    pub(crate) fn validate(&self) -> Result<(), String> {
        for (i, repo) in self.repositories.iter().enumerate() {
            let ok = repo
                .path
                .split_once('/')
                .is_some_and(|(ws, r)| is_name(ws) && is_name(r));
            if !ok || repo.path.ends_with(".git") {
                return Err(format!(
                    "repositories[{i}]: path `{}`: expected `workspace/repo` (letters, digits, . _ -)",
                    repo.path
                ));
            }
        }
        for (i, repo) in self.repositories.iter().enumerate() {
            for (branch, users) in &repo.restricted_branches {
                let ok = is_branch(branch) && users.iter().all(|u| is_name(u));
                if !ok {
                    return Err(format!(
                        "repositories[{i}]: restricted_branches `{branch}`: expected a branch name and usernames (letters, digits, . _ - /)"
                    ));
                }
            }
        }
        for (i, cred) in self.credentials.iter().enumerate() {
            let is_account = self.accounts.iter().any(|a| a.username == cred.owner);
            if cred.kind != CredentialKind::AccessToken && !is_account {
                return Err(format!(
                    "credentials[{i}]: owner `{}` is not an account",
                    cred.owner
                ));
            }
            if cred.secret.is_empty() {
                return Err(format!("credentials[{i}]: empty secret"));
            }
        }
        self.validate_ssh_keys()
    }

    /// Every SSH key line parses, and no key is used twice (Bitbucket refuses a key already
    /// added elsewhere).
    fn validate_ssh_keys(&self) -> Result<(), String> {
        let accounts = self.accounts.iter().enumerate().flat_map(|(i, a)| {
            let place = move |j| format!("accounts[{i}].ssh_keys[{j}]");
            a.ssh_keys
                .iter()
                .enumerate()
                .map(move |(j, k)| (place(j), k))
        });
        let repos = self.repositories.iter().enumerate().flat_map(|(i, r)| {
            let place = move |j| format!("repositories[{i}].access_keys[{j}]");
            r.access_keys
                .iter()
                .enumerate()
                .map(move |(j, k)| (place(j), k))
        });
        let mut seen: Vec<(String, russh::keys::ssh_key::public::KeyData)> = Vec::new();
        for (place, line) in accounts.chain(repos) {
            let key = parse_public_key(line).map_err(|e| format!("{place}: {e}"))?;
            if let Some((first, _)) = seen.iter().find(|(_, k)| *k == *key.key_data()) {
                return Err(format!("{place}: the same key as {first}"));
            }
            seen.push((place, key.key_data().clone()));
        }
        Ok(())
    }

    /// `(ENV_NAME, secret)` for every secret that declares an environment variable.
    pub(crate) fn secrets(&self) -> Vec<(String, String)> {
        let accounts = self
            .accounts
            .iter()
            .filter_map(|a| Some((a.password_env.clone()?, a.password.clone()?)));
        let creds = self
            .credentials
            .iter()
            .filter_map(|c| Some((c.env.clone()?, c.secret.clone())));
        accounts.chain(creds).collect()
    }

    /// The repository at `workspace/repo`.
    pub(crate) fn repository(&self, path: &str) -> Option<&Repository> {
        self.repositories.iter().find(|r| r.path == path)
    }
}

/// Parses one OpenSSH public-key line (`ssh-ed25519 AAAA… comment`).
pub(crate) fn parse_public_key(line: &str) -> Result<russh::keys::PublicKey, String> {
    russh::keys::PublicKey::from_openssh(line.trim()).map_err(|e| {
        format!("expected an OpenSSH public-key line like `ssh-ed25519 AAAA… comment` ({e})")
    })
}

/// A safe path segment: letters, digits, `.`, `_`, `-`, not starting with a dot.
pub(crate) fn is_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// A branch name the hook can quote safely: name segments joined by `/`.
pub(crate) fn is_branch(s: &str) -> bool {
    s.split('/').all(is_name)
}

/// A TOML error as `file:line:column: message`.
fn located(path: &Path, text: &str, e: &toml::de::Error) -> anyhow::Error {
    let Some(span) = e.span() else {
        return anyhow::anyhow!("{}: {}", path.display(), e.message());
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    anyhow::anyhow!("{}:{line}:{column}: {}", path.display(), e.message())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scenario_is_valid_and_has_secrets() {
        let s = Scenario::default();
        s.validate().unwrap();
        assert_eq!(s.profile, Profile::Bitbucket);
        assert!(s.repository("username/demo").is_some());
        let secrets = s.secrets();
        assert!(secrets.iter().any(|(k, _)| k == "BITBUCKET_API_TOKEN"));
        assert!(secrets.iter().all(|(_, v)| v.contains("made-up")));
    }

    #[test]
    fn unknown_key_names_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("helpsite.toml");
        std::fs::write(
            &file,
            "title = \"x\"\n[remote]\nprofile = \"github\"\ncolour = 1\n",
        )
        .unwrap();
        let table: toml::Table = std::fs::read_to_string(&file).unwrap().parse().unwrap();
        let remote = table["remote"].as_table().unwrap();
        let err = Scenario::from_toml_table(remote, &file)
            .unwrap_err()
            .to_string();
        assert!(err.contains("helpsite.toml:4:1"), "{err}");
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn the_contract_example_parses_from_helpsite_toml() {
        let text = r#"
title = "Help"
[remote]
profile = "bitbucket"
as_of = "2026-11-28"
[[remote.accounts]]
username = "username"
email = "username@example.com"
password = "made-up-account-password"
password_env = "BITBUCKET_ACCOUNT_PASSWORD"
[[remote.credentials]]
kind = "api_token"
owner = "username"
secret = "made-up-token"
scopes = ["read:repository:bitbucket", "write:repository:bitbucket"]
expires = "2027-06-30"
revoked = false
env = "BITBUCKET_API_TOKEN"
[[remote.repositories]]
path = "username/demo"
members = { username = "admin", reader = "read" }
content = "commits"
ip_allowlist = false
"#;
        let table: toml::Table = text.parse().unwrap();
        let remote = table["remote"].as_table().unwrap();
        let s = Scenario::from_toml_table(remote, Path::new("helpsite.toml")).unwrap();
        assert_eq!(
            s.as_of,
            Some(AsOf {
                date: jiff::civil::date(2026, 11, 28),
                time: None
            })
        );
        assert_eq!(
            s.credentials[0].expires,
            Some(jiff::civil::date(2027, 6, 30))
        );
        assert_eq!(s.repositories[0].members["reader"], Role::Read);
        assert_eq!(
            s.secrets()[1],
            ("BITBUCKET_API_TOKEN".into(), "made-up-token".into())
        );
    }

    #[test]
    fn bad_date_and_bad_path_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.toml");
        std::fs::write(&file, "as_of = \"tomorrow\"\n").unwrap();
        let err = Scenario::load(&file).unwrap_err().to_string();
        assert!(
            err.contains("s.toml:1:9") && err.contains("expected a date"),
            "{err}"
        );
        std::fs::write(&file, "[[repositories]]\npath = \"../etc\"\n").unwrap();
        let err = Scenario::load(&file).unwrap_err().to_string();
        assert!(err.contains("workspace/repo"), "{err}");
    }
}

//! The SSH server's keys: its host key, derived from a fixed made-up seed so the fingerprint a
//! first connection asks about is the same on every run of a scenario, and the key book that
//! maps a client's public key to its owner (an account or a repository's read-only access key):
//! filled from the scenario at start, added to at run time (`bitbucket-add-ssh-key`, the API).

use std::sync::RwLock;

use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::ssh_key::public::KeyData;
use russh::keys::{HashAlg, PrivateKey, PublicKey};
use sha2::{Digest as _, Sha256};

use crate::remote::scenario::{Scenario, parse_public_key};

/// The seed every scenario's host key is derived from unless it names its own (made up: this
/// key stands for no real host).
pub(crate) const DEFAULT_HOST_KEY_SEED: &str = "helpsite mock bitbucket.org host key (made up)";

/// The Ed25519 host key for `seed`.
pub(crate) fn host_key(seed: &str) -> PrivateKey {
    let bytes: [u8; 32] = Sha256::digest(seed.as_bytes()).into();
    PrivateKey::from(Ed25519Keypair::from_seed(&bytes))
}

/// `SHA256:…`, as `ssh` shows it in the first-connection question.
pub(crate) fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

/// The host key as a `known_hosts` line for `hosts` (`bitbucket.org ssh-ed25519 AAAA…`).
#[cfg(test)]
pub(crate) fn known_hosts_line(key: &PrivateKey, hosts: &str) -> String {
    let public = key.public_key().to_openssh().unwrap_or_default();
    let mut parts = public.split_whitespace();
    let (kind, data) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    format!("{hosts} {kind} {data}")
}

/// Who a key belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Owner {
    Account(String),
    /// `workspace/repo`.
    AccessKey(String),
}

/// Why a key could not be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddError {
    #[error("no account `{0}` on the mock")]
    NoAccount(String),
    #[error("{0}")]
    BadKey(String),
    #[error("Someone has already added that SSH key.")]
    InUse,
}

/// Every known client key and its owner.
#[derive(Debug, Default)]
pub(crate) struct KeyBook {
    entries: RwLock<Vec<(KeyData, Owner)>>,
    accounts: Vec<String>,
}

impl KeyBook {
    /// The scenario's account keys and access keys (already validated by the scenario).
    pub(crate) fn from_scenario(s: &Scenario) -> KeyBook {
        let accounts = s.accounts.iter().flat_map(|a| {
            let owner = Owner::Account(a.username.clone());
            a.ssh_keys.iter().map(move |k| (k, owner.clone()))
        });
        let repos = s.repositories.iter().flat_map(|r| {
            let owner = Owner::AccessKey(r.path.clone());
            r.access_keys.iter().map(move |k| (k, owner.clone()))
        });
        let entries = accounts
            .chain(repos)
            .filter_map(|(line, owner)| {
                Some((parse_public_key(line).ok()?.key_data().clone(), owner))
            })
            .collect();
        KeyBook {
            entries: RwLock::new(entries),
            accounts: s.accounts.iter().map(|a| a.username.clone()).collect(),
        }
    }

    /// The owner of `key`, if it is known.
    pub(crate) fn owner(&self, key: &PublicKey) -> Option<Owner> {
        let entries = self.entries.read().ok()?;
        entries
            .iter()
            .find(|(k, _)| k == key.key_data())
            .map(|(_, o)| o.clone())
    }

    /// Adds an OpenSSH public-key line to `account`'s keys.
    pub(crate) fn add(&self, account: &str, line: &str) -> Result<(), AddError> {
        if !self.accounts.iter().any(|a| a == account) {
            return Err(AddError::NoAccount(account.to_string()));
        }
        let key = parse_public_key(line).map_err(AddError::BadKey)?;
        let mut entries = self
            .entries
            .write()
            .map_err(|_| AddError::BadKey("key book unavailable".into()))?;
        if entries.iter().any(|(k, _)| k == key.key_data()) {
            return Err(AddError::InUse);
        }
        entries.push((key.key_data().clone(), Owner::Account(account.to_string())));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA3ftGMY0Mu6eo5Oh+g3DoKIrBCEVwj2h9ZPaBKs8jsl made-up";

    #[test]
    fn host_key_is_fixed_by_its_seed() {
        let a = fingerprint(&host_key(DEFAULT_HOST_KEY_SEED));
        assert_eq!(a, fingerprint(&host_key(DEFAULT_HOST_KEY_SEED)));
        assert_ne!(a, fingerprint(&host_key("another scenario")));
        assert!(a.starts_with("SHA256:"), "{a}");
        let line = known_hosts_line(&host_key("x"), "bitbucket.org");
        assert!(line.starts_with("bitbucket.org ssh-ed25519 AAAA"), "{line}");
    }

    #[test]
    fn keys_are_added_once_to_existing_accounts() {
        let book = KeyBook::from_scenario(&Scenario::default());
        let key = parse_public_key(KEY).unwrap();
        assert_eq!(book.owner(&key), None);
        assert_eq!(
            book.add("nobody", KEY),
            Err(AddError::NoAccount("nobody".into()))
        );
        assert!(matches!(
            book.add("username", "ssh-rsa xyz"),
            Err(AddError::BadKey(_))
        ));
        book.add("username", KEY).unwrap();
        assert_eq!(book.owner(&key), Some(Owner::Account("username".into())));
        assert_eq!(book.add("reader", KEY), Err(AddError::InUse));
    }
}

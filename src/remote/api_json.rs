//! The REST API's JSON documents, built from the scenario: user, workspace, repository and the
//! paged list wrapper. Fields are the ones clients read (GCM: `username`; Sourcetree and scripts:
//! `display_name`, `uuid`, `account_id`, `type`, `full_name`, `links.clone`). Ids are derived
//! from the names (SHA-256), so they are the same on every run; their values are made up [I].

use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::scenario::{Account, Repository};

/// `{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}` from `seed`.
pub(crate) fn uuid(seed: &str) -> String {
    let h = hex(&Sha256::digest(seed.as_bytes()));
    format!(
        "{{{}-{}-{}-{}-{}}}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An Atlassian account id: `557058:` and a UUID, the form Atlassian uses for most accounts.
fn account_id(username: &str) -> String {
    let u = uuid(&format!("account:{username}"));
    format!("557058:{}", u.trim_matches(['{', '}']))
}

fn href(url: String) -> Value {
    json!({ "href": url })
}

/// `GET /2.0/user` (and the `owner` of repositories).
pub(crate) fn user(acc: &Account) -> Value {
    let uuid = uuid(&format!("user:{}", acc.username));
    let display = acc.display_name.as_deref().unwrap_or(&acc.username);
    json!({
        "type": "user",
        "username": acc.username,
        "nickname": acc.username,
        "display_name": display,
        "uuid": uuid,
        "account_id": account_id(&acc.username),
        "account_status": "active",
        "has_2fa_enabled": null,
        "is_staff": false,
        "links": {
            "self": href(format!("https://api.bitbucket.org/2.0/users/{uuid}")),
            "html": href(format!("https://bitbucket.org/{uuid}/")),
        },
    })
}

/// A workspace by its slug.
pub(crate) fn workspace(slug: &str) -> Value {
    json!({
        "type": "workspace",
        "slug": slug,
        "name": slug,
        "uuid": uuid(&format!("workspace:{slug}")),
        "is_private": true,
        "links": {
            "self": href(format!("https://api.bitbucket.org/2.0/workspaces/{slug}")),
            "html": href(format!("https://bitbucket.org/{slug}/")),
        },
    })
}

/// `GET /2.0/repositories/{workspace}/{slug}`.
pub(crate) fn repository(repo: &Repository) -> Value {
    let (ws, slug) = repo.path.split_once('/').unwrap_or(("", &repo.path));
    let path = &repo.path;
    json!({
        "type": "repository",
        "full_name": path,
        "name": slug,
        "slug": slug,
        "uuid": uuid(&format!("repository:{path}")),
        "is_private": true,
        "scm": "git",
        "workspace": workspace(ws),
        "mainbranch": { "type": "branch", "name": "main" },
        "links": {
            "self": href(format!("https://api.bitbucket.org/2.0/repositories/{path}")),
            "html": href(format!("https://bitbucket.org/{path}")),
            "clone": [
                { "name": "https", "href": format!("https://bitbucket.org/{path}.git") },
                { "name": "ssh", "href": format!("git@bitbucket.org:{path}.git") },
            ],
        },
    })
}

/// The paged wrapper of list endpoints; everything fits on the first page.
pub(crate) fn page(values: Vec<Value>) -> Value {
    json!({ "pagelen": 10, "page": 1, "size": values.len(), "values": values })
}

/// The API's error document; `scopes` = (granted, required).
pub(crate) fn error(message: &str, scopes: Option<&(Vec<String>, Vec<String>)>) -> Value {
    let mut err = json!({ "message": message });
    if let Some((granted, required)) = scopes {
        err["detail"] = json!({ "granted": granted, "required": required });
    }
    json!({ "type": "error", "error": err })
}

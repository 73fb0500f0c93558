//! The auth policy as one pure function: (scenario, profile, moment, request) → [`Decision`].
//! Every Git request goes through it — the `info/refs` GET and the POSTs alike — and the HTTP
//! layer only renders the decision. Order of checks: authenticate the secret (account password,
//! app password, API token, access token), then authorise: repository and membership, repository
//! flags (IP allowlist, 2SV), token scopes, write permission. SSH enters through [`decide_ssh`]:
//! the SSH layer has already matched the key to its owner, and the same authorisation follows.

use jiff::civil::DateTime;

use super::profile::{HostTexts, Profile, Reply};
use super::scenario::{Credential, CredentialKind, Role, Scenario};

/// What the client asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// clone / fetch / ls-remote (`git-upload-pack`).
    Read,
    /// push (`git-receive-pack`).
    Write,
}

/// One request as the policy sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AuthRequest<'a> {
    /// `workspace/repo`, without `.git`.
    pub repo: &'a str,
    pub op: Op,
    /// Basic credentials: (username, password), if sent.
    pub auth: Option<(&'a str, &'a str)>,
}

/// The policy's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Pass to `git http-backend` with this `REMOTE_USER`.
    Allow {
        user: String,
    },
    Refuse(Refusal),
}

/// A refusal, ready to render: status, `text/plain` body lines, and the realm for
/// `WWW-Authenticate` on a 401. `reason` is a short tag for the request log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub status: u16,
    pub lines: Vec<String>,
    pub realm: Option<&'static str>,
    pub reason: &'static str,
}

impl Decision {
    /// A short tag for the request log: `allow` or the refusal's reason.
    #[cfg(test)]
    pub(crate) fn tag(&self) -> &'static str {
        match self {
            Decision::Allow { .. } => "allow",
            Decision::Refuse(r) => r.reason,
        }
    }
}

/// Who the credentials turned out to be.
struct Principal<'s> {
    /// REMOTE_USER and `{user}` in texts.
    name: String,
    /// The account whose membership counts (`None` for access tokens).
    account: Option<&'s str>,
    /// The token, when scopes and its owner limit access.
    token: Option<&'s Credential>,
    /// A repository's access key (`workspace/repo`): read access to that repository only.
    key_repo: Option<&'s str>,
}

/// Decides one request.
pub(crate) fn decide(s: &Scenario, profile: Profile, at: DateTime, req: &AuthRequest) -> Decision {
    let t = profile.texts();
    let refuse = |reply: Reply, reason, user: &str| {
        Decision::Refuse(render(t, reply, reason, req.repo, user))
    };
    let Some((user, pass)) = req.auth else {
        return refuse(t.anonymous, "anonymous", "");
    };
    match authenticate(s, t, at, user, pass) {
        Ok(principal) => authorize(s, t, &principal, req),
        Err((reply, reason)) => refuse(reply, reason, user),
    }
}

fn render(t: &HostTexts, reply: Reply, reason: &'static str, repo: &str, user: &str) -> Refusal {
    let lines = reply
        .lines
        .iter()
        .map(|l| l.replace("{repo}", repo).replace("{user}", user));
    Refusal {
        status: reply.status,
        lines: lines.collect(),
        realm: (reply.status == 401).then_some(t.realm),
        reason,
    }
}

type Refused = (Reply, &'static str);

fn authenticate<'s>(
    s: &'s Scenario,
    t: &HostTexts,
    at: DateTime,
    user: &str,
    pass: &str,
) -> Result<Principal<'s>, Refused> {
    let bad = (t.bad_credentials, "bad-credentials");
    if let Some(acc) = s
        .accounts
        .iter()
        .find(|a| a.password.as_deref().is_some_and(|p| ct_eq(p, pass)))
    {
        if acc.username != user && acc.email.as_deref() != Some(user) {
            return Err(bad);
        }
        if t.password_cutoff.is_some_and(|cutoff| at.date() >= cutoff) {
            return Err((t.account_password, "account-password"));
        }
        return Ok(Principal {
            name: acc.username.clone(),
            account: Some(&acc.username),
            token: None,
            key_repo: None,
        });
    }
    let cred = s
        .credentials
        .iter()
        .find(|c| ct_eq(&c.secret, pass))
        .ok_or(bad)?;
    if !existed(t, cred.kind, at) {
        return Err((t.bad_credentials, "not-yet-existing"));
    }
    match cred.kind {
        CredentialKind::AppPassword => app_password(t, at, cred, user),
        CredentialKind::ApiToken | CredentialKind::AccessToken => token(t, at, cred, user),
    }
}

fn app_password<'s>(
    t: &HostTexts,
    at: DateTime,
    cred: &'s Credential,
    user: &str,
) -> Result<Principal<'s>, Refused> {
    let bad = (t.bad_credentials, "bad-credentials");
    let era = t.app_passwords.as_ref().ok_or(bad)?;
    if cred.owner != user || cred.revoked {
        return Err(bad);
    }
    let gone = (era.gone, "app-password-gone");
    if at.date() >= era.removed_from {
        return Err(gone);
    }
    if at.date() >= era.brownouts_from && in_brownout_window(at) {
        return Err((era.gone, "app-password-brownout"));
    }
    Ok(Principal {
        name: cred.owner.clone(),
        account: Some(&cred.owner),
        token: None,
        key_repo: None,
    })
}

/// Whether credentials of `kind` existed on the host at `at`: before that a secret of the kind
/// is unknown, the same answer as a wrong one. (Access tokens: no start date modelled.)
pub(crate) fn existed(t: &HostTexts, kind: CredentialKind, at: DateTime) -> bool {
    match kind {
        CredentialKind::ApiToken => t.api_tokens_from.is_none_or(|from| at.date() >= from),
        CredentialKind::AppPassword => t
            .app_passwords
            .as_ref()
            .is_none_or(|era| at.date() >= era.introduced),
        CredentialKind::AccessToken => true,
    }
}

/// The brownout windows as first announced: 15 minutes from 00, 06, 12 and 18 UTC. (Atlassian
/// lengthened them towards July; the later schedule was not collected.)
pub(crate) fn in_brownout_window(at: DateTime) -> bool {
    at.hour() % 6 == 0 && at.minute() < 15
}

fn token<'s>(
    t: &HostTexts,
    at: DateTime,
    cred: &'s Credential,
    user: &str,
) -> Result<Principal<'s>, Refused> {
    let bad = (t.bad_credentials, "bad-credentials");
    let access = cred.kind == CredentialKind::AccessToken;
    let user_ok = match (t.strict_token_users, access) {
        (false, _) => !user.is_empty(),
        (true, true) => user == "x-token-auth",
        (true, false) => user == cred.owner || user == "x-bitbucket-api-token-auth",
    };
    let expired = cred.expires.is_some_and(|e| at.date() > e);
    if !user_ok || expired || cred.revoked {
        return Err(bad);
    }
    let name = if access {
        "x-token-auth".to_string()
    } else {
        cred.owner.clone()
    };
    let account = (!access).then_some(cred.owner.as_str());
    Ok(Principal {
        name,
        account,
        token: Some(cred),
        key_repo: None,
    })
}

fn authorize(s: &Scenario, t: &HostTexts, p: &Principal, req: &AuthRequest) -> Decision {
    let refuse =
        |reply: Reply, reason| Decision::Refuse(render(t, reply, reason, req.repo, &p.name));
    let Some(repo) = s.repository(req.repo) else {
        return refuse(t.not_found, "no-such-repository");
    };
    let role = match (p.account, p.token) {
        (Some(account), _) => repo.members.get(account).copied(),
        (None, Some(tok)) => access_token_reaches(&tok.owner, req.repo).then_some(Role::Admin),
        (None, None) => (p.key_repo == Some(req.repo)).then_some(Role::Read),
    };
    let Some(role) = role else {
        return refuse(t.not_found, "no-access");
    };
    if repo.ip_allowlist {
        return refuse(t.ip_allowlist, "ip-allowlist");
    }
    if repo.require_2sv {
        return refuse(t.require_2sv, "require-2sv");
    }
    if let Some(tok) = p.token {
        if let Some((reply, reason)) = missing_scope(t, tok, req.op) {
            return refuse(reply, reason);
        }
    }
    if req.op == Op::Write && role == Role::Read {
        return refuse(t.read_only_push, "read-only");
    }
    Decision::Allow {
        user: p.name.clone(),
    }
}

/// Whose SSH key authenticated the connection (the SSH layer matches keys; the policy decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyOwner<'a> {
    /// A key in an account's SSH keys: the account's membership counts.
    Account(&'a str),
    /// A repository's access key (`workspace/repo`): read-only, that repository only.
    AccessKey(&'a str),
}

/// One git command over SSH as the policy sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SshRequest<'a> {
    /// `workspace/repo`, without `.git`.
    pub repo: &'a str,
    pub op: Op,
    pub key: KeyOwner<'a>,
}

/// Decides one git command over SSH with the same authorisation as HTTPS (repository,
/// membership, repository flags, write permission). The refusal's `reason` is what the SSH layer
/// renders (its lines are the HTTPS texts); a push with an access key is `read-only-key`.
pub(crate) fn decide_ssh(s: &Scenario, profile: Profile, req: &SshRequest) -> Decision {
    let (name, account, key_repo) = match req.key {
        KeyOwner::Account(user) => (user.to_string(), Some(user), None),
        KeyOwner::AccessKey(repo) => (format!("access-key:{repo}"), None, Some(repo)),
    };
    let principal = Principal {
        name,
        account,
        token: None,
        key_repo,
    };
    let http = AuthRequest {
        repo: req.repo,
        op: req.op,
        auth: None,
    };
    match authorize(s, profile.texts(), &principal, &http) {
        Decision::Refuse(mut r) if r.reason == "read-only" && key_repo.is_some() => {
            r.reason = "read-only-key";
            Decision::Refuse(r)
        }
        other => other,
    }
}

/// An access token owned by `ws/repo` reaches that repository, one owned by `ws` all of `ws`.
fn access_token_reaches(owner: &str, repo: &str) -> bool {
    owner == repo || repo.split_once('/').is_some_and(|(ws, _)| ws == owner)
}

fn missing_scope(t: &HostTexts, tok: &Credential, op: Op) -> Option<Refused> {
    let has = |set: &[&str]| tok.scopes.iter().any(|s| set.contains(&s.as_str()));
    let write = has(t.write_scopes);
    let read = has(t.read_scopes) || (t.write_implies_read && write);
    if !read {
        return Some((t.missing_read_scope, "missing-scope"));
    }
    (op == Op::Write && !write).then_some((t.missing_write_scope, "missing-scope"))
}

/// Compares secrets without an early exit on the first differing byte.
pub(crate) fn ct_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "policy_ssh_tests.rs"]
mod ssh_tests;

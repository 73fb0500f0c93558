//! The REST API's auth policy as one pure function, like `policy.rs` for Git: (scenario,
//! moment, request) → [`ApiDecision`]. The API's rules differ from Git's (bitbucket-facts.md
//! §6.3): Basic takes the Atlassian account **email** with an API token (the Bitbucket username
//! with a token is refused), `Authorization: Bearer` takes an access token, every token needs
//! the endpoint's scope, and the account password gets the API's own 401 text. The HTTP side
//! (`api.rs`) only renders the decision.

use jiff::civil::DateTime;

use super::policy::{ct_eq, existed, in_brownout_window};
use super::profile::HostTexts;
use super::scenario::{Account, Credential, CredentialKind, Scenario};

/// What the client sent in `Authorization`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApiAuth<'a> {
    None,
    Basic(&'a str, &'a str),
    Bearer(&'a str),
}

/// The endpoints modelled, with their path parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint<'a> {
    /// `GET /2.0/user`.
    User,
    /// `GET /2.0/workspaces`.
    Workspaces,
    /// `GET /2.0/workspaces/{workspace}`.
    Workspace(&'a str),
    /// `GET /2.0/repositories/{workspace}`.
    Repositories(&'a str),
    /// `GET /2.0/repositories/{workspace}/{slug}`, as `workspace/slug`.
    Repository(&'a str),
}

impl Endpoint<'_> {
    /// The scope a token needs (Sourcetree's list in facts §6.3 names these three).
    pub(crate) fn scope(self) -> &'static str {
        match self {
            Endpoint::User => "read:user:bitbucket",
            Endpoint::Workspaces | Endpoint::Workspace(_) => "read:workspace:bitbucket",
            Endpoint::Repositories(_) | Endpoint::Repository(_) => "read:repository:bitbucket",
        }
    }
}

/// Who is calling, once authenticated: an account (password, app password or API token) and
/// the token whose scopes limit the call (API token, or an access token without an account).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Caller<'s> {
    pub account: Option<&'s Account>,
    pub token: Option<&'s Credential>,
}

impl<'s> Caller<'s> {
    fn account(acc: &'s Account) -> Self {
        Caller {
            account: Some(acc),
            token: None,
        }
    }
}

/// The policy's answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ApiDecision<'s> {
    Allow(Caller<'s>),
    Refuse(ApiRefusal),
}

/// A refusal, ready to render. `reason` is the request log's tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiRefusal {
    pub status: u16,
    pub body: ApiBody,
    /// Send `WWW-Authenticate: Basic realm="Bitbucket.org HTTP"` (facts §4, [V-doc] KB).
    pub challenge: bool,
    pub reason: &'static str,
}

/// A refusal's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ApiBody {
    /// `{"type":"error","error":{"message":…,"detail":{"granted":[…],"required":[…]}}}`.
    Error {
        message: String,
        scopes: Option<(Vec<String>, Vec<String>)>,
    },
    /// `text/plain` lines (the account-password and app-password texts).
    Text(&'static [&'static str]),
}

/// facts §2: "The REST API variant says '...for API authentication.' and adds two lines" [R,
/// the same six lines in several reports, 2022].
const API_PASSWORD: &[&str] = &[
    "Bitbucket Cloud recently stopped supporting account passwords for API authentication.",
    "See our community post for more details: https://atlassian.community/t5/x/x/ba-p/1948231",
    "App passwords are recommended for most use cases and can be created in your Personal settings:",
    "https://bitbucket.org/account/settings/app-passwords/",
    "For more details on API authentication methods see our documentation:",
    "https://developer.atlassian.com/cloud/bitbucket/rest/intro/#authentication",
];

/// [I] The API's body for an unknown or wrong secret was not collected.
const UNAUTHORIZED: &str = "Unauthorized";
pub(crate) const SCOPES: &str = "Your credentials lack one or more required privilege scopes.";

/// Decides one API request.
pub(crate) fn decide<'s>(
    s: &'s Scenario,
    t: &HostTexts,
    at: DateTime,
    endpoint: Endpoint,
    auth: ApiAuth,
) -> ApiDecision<'s> {
    let caller = match authenticate(s, t, at, auth) {
        Ok(c) => c,
        Err(r) => return ApiDecision::Refuse(r),
    };
    if let Some(r) = missing_scope(caller, endpoint) {
        return ApiDecision::Refuse(r);
    }
    match endpoint {
        Endpoint::Repository(path) if !visible(s, caller, path) => {
            ApiDecision::Refuse(not_found(format!("Repository {path} not found")))
        }
        Endpoint::Workspace(ws) | Endpoint::Repositories(ws) if !in_workspace(s, caller, ws) => {
            ApiDecision::Refuse(not_found(format!("No workspace with identifier '{ws}'.")))
        }
        _ => ApiDecision::Allow(caller),
    }
}

/// [I] 404 bodies: the message wording is not established.
fn not_found(message: String) -> ApiRefusal {
    ApiRefusal {
        status: 404,
        body: ApiBody::Error {
            message,
            scopes: None,
        },
        challenge: false,
        reason: "not-found",
    }
}

fn unauthorized(reason: &'static str) -> ApiRefusal {
    ApiRefusal {
        status: 401,
        body: ApiBody::Error {
            message: UNAUTHORIZED.into(),
            scopes: None,
        },
        challenge: true,
        reason,
    }
}

fn authenticate<'s>(
    s: &'s Scenario,
    t: &HostTexts,
    at: DateTime,
    auth: ApiAuth,
) -> Result<Caller<'s>, ApiRefusal> {
    let (user, pass) = match auth {
        ApiAuth::None => return Err(unauthorized("anonymous")),
        ApiAuth::Bearer(secret) => return bearer(s, at, secret),
        ApiAuth::Basic(user, pass) => (user, pass),
    };
    if let Some(acc) = s
        .accounts
        .iter()
        .find(|a| a.password.as_deref().is_some_and(|p| ct_eq(p, pass)))
    {
        return account_password(t, at, acc, user);
    }
    let cred = s
        .credentials
        .iter()
        .find(|c| ct_eq(&c.secret, pass))
        .ok_or_else(|| unauthorized("bad-credentials"))?;
    if !existed(t, cred.kind, at) {
        return Err(unauthorized("not-yet-existing"));
    }
    if cred.revoked || cred.expires.is_some_and(|e| at.date() > e) {
        return Err(unauthorized("bad-credentials"));
    }
    let owner = s.accounts.iter().find(|a| a.username == cred.owner);
    match (cred.kind, owner) {
        (CredentialKind::ApiToken, Some(acc)) if is_email_of(acc, user) => Ok(Caller {
            account: Some(acc),
            token: Some(cred),
        }),
        (CredentialKind::ApiToken, _) => Err(unauthorized("username-not-email")),
        (CredentialKind::AppPassword, Some(acc)) if acc.username == user => {
            app_password(t, at, acc)
        }
        // [I] Access tokens go as Bearer; Basic with one is treated as a wrong secret.
        _ => Err(unauthorized("bad-credentials")),
    }
}

fn is_email_of(acc: &Account, user: &str) -> bool {
    acc.email
        .as_deref()
        .is_some_and(|e| e.eq_ignore_ascii_case(user))
}

fn account_password<'s>(
    t: &HostTexts,
    at: DateTime,
    acc: &'s Account,
    user: &str,
) -> Result<Caller<'s>, ApiRefusal> {
    if acc.username != user && !is_email_of(acc, user) {
        return Err(unauthorized("bad-credentials"));
    }
    if t.password_cutoff.is_some_and(|cutoff| at.date() >= cutoff) {
        return Err(ApiRefusal {
            status: 401,
            body: ApiBody::Text(API_PASSWORD),
            challenge: true,
            reason: "account-password",
        });
    }
    Ok(Caller::account(acc))
}

/// App passwords worked with the username on the API; after removal (and in brownouts) the API
/// answered 401 (facts §1: "410 for Git, 401 for the API"), body [I] the Git text.
fn app_password<'s>(
    t: &HostTexts,
    at: DateTime,
    acc: &'s Account,
) -> Result<Caller<'s>, ApiRefusal> {
    let Some(era) = t.app_passwords.as_ref() else {
        return Err(unauthorized("bad-credentials"));
    };
    let gone = at.date() >= era.removed_from
        || (at.date() >= era.brownouts_from && in_brownout_window(at));
    if gone {
        return Err(ApiRefusal {
            status: 401,
            body: ApiBody::Text(era.gone.lines),
            challenge: true,
            reason: "app-password-gone",
        });
    }
    Ok(Caller::account(acc))
}

fn bearer<'s>(s: &'s Scenario, at: DateTime, secret: &str) -> Result<Caller<'s>, ApiRefusal> {
    let cred = s
        .credentials
        .iter()
        .find(|c| ct_eq(&c.secret, secret) && c.kind == CredentialKind::AccessToken)
        .ok_or_else(|| unauthorized("bad-credentials"))?;
    if cred.revoked || cred.expires.is_some_and(|e| at.date() > e) {
        return Err(unauthorized("bad-credentials"));
    }
    Ok(Caller {
        account: None,
        token: Some(cred),
    })
}

fn missing_scope(caller: Caller, endpoint: Endpoint) -> Option<ApiRefusal> {
    let token = caller.token?;
    let required = endpoint.scope();
    let has = token.scopes.iter().any(|s| s == required);
    // [I] An access token has no user behind it: /2.0/user never answers it.
    let no_user = caller.account.is_none() && endpoint == Endpoint::User;
    if has && !no_user {
        return None;
    }
    Some(ApiRefusal {
        status: 403,
        body: ApiBody::Error {
            message: SCOPES.into(),
            scopes: Some((token.scopes.clone(), vec![required.to_string()])),
        },
        challenge: false,
        reason: "missing-scope",
    })
}

/// Whether the caller may see `workspace/slug`: a member, or an access token that reaches it.
pub(crate) fn visible(s: &Scenario, caller: Caller, path: &str) -> bool {
    let Some(repo) = s.repository(path) else {
        return false;
    };
    match (caller.account, caller.token) {
        (Some(acc), _) => repo.members.contains_key(&acc.username),
        (None, Some(tok)) => {
            tok.owner == path || path.split_once('/').is_some_and(|(ws, _)| ws == tok.owner)
        }
        (None, None) => false,
    }
}

/// Whether the caller belongs to workspace `ws`: it owns it or sees a repository in it [I].
pub(crate) fn in_workspace(s: &Scenario, caller: Caller, ws: &str) -> bool {
    let owns = caller.account.is_some_and(|a| a.username == ws);
    owns || s.repositories.iter().any(|r| {
        r.path.split_once('/').is_some_and(|(w, _)| w == ws) && visible(s, caller, &r.path)
    })
}

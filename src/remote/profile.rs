//! Host profiles as data: for Bitbucket, GitHub and GitLab, the status codes and `text/plain`
//! bodies each refusal gets, the Basic realm, the dates that matter and the scope names. The
//! policy (`policy.rs`) is one flow over this table. Texts come from bitbucket-facts.md §2; the
//! ones marked `[I]` there (or here) are inferred, not observed.

use jiff::civil::{Date, date};
use serde::Deserialize;

/// A host the mock can play.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Bitbucket Cloud (`bitbucket.org`).
    #[default]
    Bitbucket,
    /// GitHub (`github.com`).
    Github,
    /// GitLab (`gitlab.com`).
    Gitlab,
}

impl Profile {
    /// Every profile the mock can play.
    pub(crate) const ALL: [Profile; 3] = [Profile::Bitbucket, Profile::Github, Profile::Gitlab];

    /// The public host name (`bitbucket.org`).
    pub(crate) fn host(self) -> &'static str {
        self.texts().host
    }

    /// The profile whose host (or REST API host) is `host`.
    pub(crate) fn for_host(host: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| {
            let t = p.texts();
            t.host.eq_ignore_ascii_case(host)
                || t.api_host.is_some_and(|a| a.eq_ignore_ascii_case(host))
        })
    }

    /// Every host name served through CONNECT (the TLS certificate names them all).
    pub(crate) fn all_hosts() -> Vec<&'static str> {
        let git = Profile::ALL.iter().map(|p| p.host());
        let api = Profile::ALL.iter().filter_map(|p| p.texts().api_host);
        git.chain(api).collect()
    }

    /// The host's own wording: its error messages and prompts, as its clients show them.
    pub(crate) fn texts(self) -> &'static HostTexts {
        match self {
            Profile::Bitbucket => &BITBUCKET,
            Profile::Github => &GITHUB,
            Profile::Gitlab => &GITLAB,
        }
    }
}

impl std::str::FromStr for Profile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "bitbucket" => Ok(Profile::Bitbucket),
            "github" => Ok(Profile::Github),
            "gitlab" => Ok(Profile::Gitlab),
            _ => Err(format!(
                "unknown profile `{s}`: expected bitbucket, github or gitlab"
            )),
        }
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Profile::Bitbucket => "bitbucket",
            Profile::Github => "github",
            Profile::Gitlab => "gitlab",
        })
    }
}

/// A refusal: status and body lines. `{repo}` and `{user}` in a line are filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reply {
    pub status: u16,
    pub lines: &'static [&'static str],
}

/// Everything that differs between hosts.
#[derive(Debug)]
pub(crate) struct HostTexts {
    pub host: &'static str,
    /// The REST API's host (`api.bitbucket.org`), answered by `api.rs`; `None`: not modelled.
    pub api_host: Option<&'static str>,
    pub realm: &'static str,
    /// First, anonymous request (the body is never shown by git).
    pub anonymous: Reply,
    /// Unknown secret, wrong username, expired or revoked token.
    pub bad_credentials: Reply,
    /// The account password, from `password_cutoff` on (`None`: passwords always work).
    pub account_password: Reply,
    pub password_cutoff: Option<Date>,
    /// Missing repository, or no read access to it.
    pub not_found: Reply,
    /// A member with read access pushes.
    pub read_only_push: Reply,
    pub missing_read_scope: Reply,
    pub missing_write_scope: Reply,
    pub ip_allowlist: Reply,
    pub require_2sv: Reply,
    /// App passwords: `None` = the host has none (treated as bad credentials).
    pub app_passwords: Option<AppPasswordEra>,
    /// Bitbucket: API tokens need the username or `x-bitbucket-api-token-auth`, access tokens
    /// `x-token-auth`. Elsewhere any username goes with a token.
    pub strict_token_users: bool,
    /// The first day API tokens (kind `api_token`) exist; before it such a secret is unknown.
    pub api_tokens_from: Option<Date>,
    /// Scope names granting read / write. Bitbucket's names are accepted everywhere so one
    /// scenario serves all profiles.
    pub read_scopes: &'static [&'static str],
    pub write_scopes: &'static [&'static str],
    /// Whether a write scope alone also allows reading (not on Bitbucket).
    pub write_implies_read: bool,
}

/// Bitbucket's app-password timeline.
#[derive(Debug)]
pub(crate) struct AppPasswordEra {
    /// Introduced: before this day an app password is unknown.
    pub introduced: Date,
    /// Brownouts start: from here, requests in a window fail with `gone`.
    pub brownouts_from: Date,
    /// Removed for good: every request fails with `gone`.
    pub removed_from: Date,
    pub gone: Reply,
}

const BB_MAY_NOT: &str = "You may not have access to this repository or it no longer exists in this workspace. If you think this repository exists and you have access, make sure you are authenticated.";
const BB_NOT_EXIST: &str = "The requested repository either does not exist or you do not have access. If you believe this repository exists and you have access, make sure you're authenticated.";
const BB_SCOPES: &str = "Your credentials lack one or more required privilege scopes.";
const BB_READ: &str = "read:repository:bitbucket";
const BB_WRITE: &str = "write:repository:bitbucket";

static BITBUCKET: HostTexts = HostTexts {
    host: "bitbucket.org",
    api_host: Some("api.bitbucket.org"),
    realm: "Bitbucket.org HTTP",
    anonymous: Reply {
        status: 401,
        lines: &[BB_MAY_NOT],
    },
    bad_credentials: Reply {
        status: 401,
        lines: &[BB_MAY_NOT],
    },
    account_password: Reply {
        status: 401,
        lines: &[
            "Bitbucket Cloud recently stopped supporting account passwords for Git authentication.",
            "See our community post for more details: https://atlassian.community/t5/x/x/ba-p/1948231",
            "App passwords are recommended for most use cases and can be created in your Personal settings:",
            "https://bitbucket.org/account/settings/app-passwords/",
        ],
    },
    password_cutoff: Some(date(2022, 3, 1)),
    not_found: Reply {
        status: 403,
        lines: &[BB_NOT_EXIST],
    },
    // Bitbucket's exact text for a read-only member pushing is NOT established (facts §2): the
    // "do not have access" text is reused.
    read_only_push: Reply {
        status: 403,
        lines: &[BB_NOT_EXIST],
    },
    missing_read_scope: Reply {
        status: 403,
        lines: &[BB_SCOPES],
    },
    missing_write_scope: Reply {
        status: 403,
        lines: &[BB_SCOPES],
    },
    ip_allowlist: Reply {
        status: 403,
        lines: &["To access this repository, an admin must whitelist your IP."],
    },
    require_2sv: Reply {
        status: 403,
        lines: &["To access this repository, enable two-step authentication."],
    },
    app_passwords: Some(AppPasswordEra {
        // bitbucket-facts.md §1: "2016-06-06 App passwords introduced" [V-doc].
        introduced: date(2016, 6, 6),
        brownouts_from: date(2026, 6, 9),
        removed_from: date(2026, 7, 28),
        gone: Reply {
            status: 410,
            lines: &[
                "CHANGE-3222 - Functionality has been deprecated",
                "App passwords are deprecated and must be replaced with API tokens.",
                "https://developer.atlassian.com/cloud/bitbucket/changelog#CHANGE-3222",
            ],
        },
    }),
    strict_token_users: true,
    // bitbucket-facts.md §1: API tokens announced "2025-06 (≈9–10 Jun)" [V-doc]; the exact first
    // day is [I]: the 9th, the earlier of the two.
    api_tokens_from: Some(date(2025, 6, 9)),
    read_scopes: &[BB_READ],
    write_scopes: &[BB_WRITE],
    write_implies_read: false,
};

const GH_BAD: &str =
    "Invalid username or token. Password authentication is not supported for Git operations.";
const GH_NOT_FOUND: Reply = Reply {
    status: 404,
    lines: &["Repository not found."],
};
const GH_DENIED: Reply = Reply {
    status: 403,
    lines: &["Permission to {repo}.git denied to {user}."],
};

static GITHUB: HostTexts = HostTexts {
    host: "github.com",
    api_host: None,
    realm: "GitHub",
    anonymous: Reply {
        status: 401,
        lines: &[GH_BAD],
    },
    bad_credentials: Reply {
        status: 401,
        lines: &[GH_BAD],
    },
    account_password: Reply {
        status: 401,
        lines: &[
            "Support for password authentication was removed on August 13, 2021.",
            "Please see https://docs.github.com/get-started/getting-started-with-git/about-remote-repositories#cloning-with-https-urls for information on currently recommended modes of authentication.",
        ],
    },
    password_cutoff: Some(date(2021, 8, 13)),
    not_found: GH_NOT_FOUND,
    read_only_push: GH_DENIED,
    missing_read_scope: GH_NOT_FOUND,
    missing_write_scope: Reply {
        status: 403,
        lines: &["Write access to repository not granted."],
    },
    // [I] GitHub's texts for IP allow lists and required 2FA were not collected.
    ip_allowlist: GH_DENIED,
    require_2sv: GH_DENIED,
    app_passwords: None,
    strict_token_users: false,
    // [I] GitHub/GitLab personal tokens predate every simulated date the guide uses.
    api_tokens_from: None,
    read_scopes: &[BB_READ, BB_WRITE, "repo", "contents:read", "contents:write"],
    write_scopes: &[BB_WRITE, "repo", "contents:write"],
    write_implies_read: true,
};

const GL_DENIED: &str = "HTTP Basic: Access denied. If a password was provided for Git authentication, the password was incorrect or you're required to use a token instead of a password. If a token was provided, it was either incorrect, expired, or improperly scoped. See https://gitlab.com/help/topics/git/troubleshooting_git.md#error-on-git-fetch-http-basic-access-denied";
const GL_DENIED_REPLY: Reply = Reply {
    status: 401,
    lines: &[GL_DENIED],
};
const GL_NO_PUSH: Reply = Reply {
    status: 403,
    lines: &["You are not allowed to push code to this project."],
};

static GITLAB: HostTexts = HostTexts {
    host: "gitlab.com",
    api_host: None,
    realm: "GitLab",
    anonymous: GL_DENIED_REPLY,
    bad_credentials: GL_DENIED_REPLY,
    account_password: GL_DENIED_REPLY,
    password_cutoff: None,
    not_found: Reply {
        status: 404,
        lines: &[
            "The project you were looking for could not be found or you don't have permission to view it.",
        ],
    },
    read_only_push: GL_NO_PUSH,
    missing_read_scope: GL_DENIED_REPLY,
    missing_write_scope: GL_NO_PUSH,
    // [I] GitLab's texts for IP restrictions and enforced 2FA were not collected.
    ip_allowlist: GL_NO_PUSH,
    require_2sv: GL_DENIED_REPLY,
    app_passwords: None,
    strict_token_users: false,
    // [I] GitHub/GitLab personal tokens predate every simulated date the guide uses.
    api_tokens_from: None,
    read_scopes: &[BB_READ, BB_WRITE, "read_repository", "write_repository"],
    write_scopes: &[BB_WRITE, "write_repository"],
    write_implies_read: true,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_round_trip() {
        for p in Profile::ALL {
            assert_eq!(Profile::for_host(p.host()), Some(p));
            assert_eq!(p.to_string().parse::<Profile>(), Ok(p));
        }
        assert_eq!(Profile::for_host("example.com"), None);
        assert!("bitbucket.org".parse::<Profile>().is_err());
    }
}

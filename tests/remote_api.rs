//! The REST API (`api.bitbucket.org`) through the mock's CONNECT proxy, driven by the real
//! `curl` with the mock's CA: one test per rule of bitbucket-facts.md §6.3 and §2, statuses,
//! headers and bodies compared exactly.

mod remote_support;

use std::process::Command;

use helpsite::remote::scenario::AsOf;
use helpsite::remote::{MockRemote, MockRemoteBuilder};
use serde_json::{Value, json};

const EMAIL: &str = "username@example.com";
const ALL_SCOPES: &str = "ATATT-made-up-api-token-sourcetree-scopes";
const REPO_SCOPES: &str = "ATATT-made-up-api-token-read-write";
const ACCESS: &str = "made-up-repository-access-token";
const SCOPES: &str = "Your credentials lack one or more required privilege scopes.";

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// `curl` through the mock as HTTPS proxy, trusting only the mock's CA.
fn curl(remote: &MockRemote, path: &str, auth: &[&str]) -> Reply {
    let dir = tempfile::tempdir().unwrap();
    let headers = dir.path().join("headers");
    let out = Command::new("curl")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .args(["-sS", "--proxy", &remote.proxy_url(), "--cacert"])
        .arg(remote.ca_file())
        .arg("-D")
        .arg(&headers)
        .args(["-w", "\n%{http_code}"])
        .args(auth)
        .arg(format!("https://api.bitbucket.org{path}"))
        .output()
        .expect("curl runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let (body, code) = text.rsplit_once('\n').unwrap();
    Reply {
        status: code.parse().unwrap(),
        headers: std::fs::read_to_string(headers).unwrap(),
        body: body.to_string(),
    }
}

fn basic(user: &str, pass: &str) -> Vec<String> {
    vec!["-u".into(), format!("{user}:{pass}")]
}

fn call(remote: &MockRemote, path: &str, auth: Vec<String>) -> Reply {
    let auth: Vec<&str> = auth.iter().map(String::as_str).collect();
    curl(remote, path, &auth)
}

fn start(builder: MockRemoteBuilder) -> MockRemote {
    builder.start().expect("mock starts")
}

fn today() -> MockRemote {
    start(MockRemote::builder().as_of("2026-11-28".parse::<AsOf>().unwrap()))
}

fn unauthorized() -> Value {
    json!({"type": "error", "error": {"message": "Unauthorized"}})
}

#[test]
fn email_and_api_token_with_read_user_scope_get_the_user() {
    let remote = today();
    let r = call(&remote, "/2.0/user", basic(EMAIL, ALL_SCOPES));
    assert_eq!(r.status, 200, "{}", r.body);
    let user = r.json();
    assert_eq!(user["type"], "user");
    assert_eq!(user["username"], "username");
    assert_eq!(user["display_name"], "User Name");
    let uuid = user["uuid"].as_str().unwrap();
    assert!(
        uuid.starts_with('{') && uuid.ends_with('}') && uuid.len() == 38,
        "{uuid}"
    );
    assert!(user["account_id"].as_str().unwrap().starts_with("557058:"));
    let log = remote.log();
    assert_eq!(
        log[0].to_string(),
        "CONNECT api.bitbucket.org:443 user=- tunnel 200"
    );
    assert_eq!(
        log[1].to_string(),
        format!("GET /2.0/user user={EMAIL} allow 200")
    );
}

#[test]
fn bitbucket_username_with_an_api_token_is_401_with_the_realm() {
    let remote = today();
    let r = call(&remote, "/2.0/user", basic("username", ALL_SCOPES));
    assert_eq!((r.status, r.json()), (401, unauthorized()));
    assert_eq!(
        r.header("www-authenticate").as_deref(),
        Some("Basic realm=\"Bitbucket.org HTTP\"")
    );
    assert_eq!(remote.log()[1].decision, "username-not-email");
}

#[test]
fn account_password_gets_the_apis_six_line_text() {
    let remote = today();
    let r = call(
        &remote,
        "/2.0/user",
        basic(EMAIL, "made-up-account-password"),
    );
    assert_eq!(r.status, 401);
    assert_eq!(
        r.body.lines().collect::<Vec<_>>(),
        [
            "Bitbucket Cloud recently stopped supporting account passwords for API authentication.",
            "See our community post for more details: https://atlassian.community/t5/x/x/ba-p/1948231",
            "App passwords are recommended for most use cases and can be created in your Personal settings:",
            "https://bitbucket.org/account/settings/app-passwords/",
            "For more details on API authentication methods see our documentation:",
            "https://developer.atlassian.com/cloud/bitbucket/rest/intro/#authentication",
        ]
    );
}

#[test]
fn a_token_without_read_user_scope_gets_403_with_granted_and_required() {
    let remote = today();
    let r = call(&remote, "/2.0/user", basic(EMAIL, REPO_SCOPES));
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json(),
        json!({"type": "error", "error": {"message": SCOPES, "detail": {
            "granted": ["read:repository:bitbucket", "write:repository:bitbucket"],
            "required": ["read:user:bitbucket"],
        }}})
    );
    let r = call(&remote, "/2.0/workspaces", basic(EMAIL, REPO_SCOPES));
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["error"]["detail"]["required"],
        json!(["read:workspace:bitbucket"])
    );
}

#[test]
fn repository_scope_reads_the_repository_and_lists_the_workspace() {
    let remote = today();
    let r = call(
        &remote,
        "/2.0/repositories/username/demo",
        basic(EMAIL, REPO_SCOPES),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let repo = r.json();
    assert_eq!(
        (repo["type"].as_str(), repo["full_name"].as_str()),
        (Some("repository"), Some("username/demo"))
    );
    assert_eq!(
        repo["links"]["clone"][0]["href"],
        "https://bitbucket.org/username/demo.git"
    );
    let r = call(
        &remote,
        "/2.0/repositories/username",
        basic(EMAIL, REPO_SCOPES),
    );
    let doc = r.json();
    let names: Vec<&str> = doc["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["slug"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["demo", "empty"]);
    let r = call(
        &remote,
        "/2.0/repositories/username/nothing-here",
        basic(EMAIL, REPO_SCOPES),
    );
    assert_eq!(
        (r.status, r.json()["error"]["message"].as_str()),
        (404, Some("Repository username/nothing-here not found"))
    );
}

#[test]
fn workspaces_with_the_workspace_scope() {
    let remote = today();
    let r = call(&remote, "/2.0/workspaces", basic(EMAIL, ALL_SCOPES));
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert_eq!(
        (doc["size"].as_u64(), doc["values"][0]["slug"].as_str()),
        (Some(1), Some("username"))
    );
    assert_eq!(doc["values"][0]["type"], "workspace");
}

#[test]
fn bearer_access_token_reads_its_repository_but_not_the_user() {
    let remote = today();
    let bearer = vec!["-H".to_string(), format!("Authorization: Bearer {ACCESS}")];
    let r = call(&remote, "/2.0/repositories/username/demo", bearer.clone());
    assert_eq!((r.status, r.json()["slug"].as_str()), (200, Some("demo")));
    let r = call(&remote, "/2.0/repositories/username/empty", bearer.clone());
    assert_eq!(r.status, 404);
    let r = call(&remote, "/2.0/user", bearer);
    assert_eq!(
        (r.status, r.json()["error"]["message"].as_str()),
        (403, Some(SCOPES))
    );
    let r = call(&remote, "/2.0/user", basic("x-token-auth", ACCESS));
    assert_eq!((r.status, r.json()), (401, unauthorized()));
}

#[test]
fn before_api_tokens_existed_a_token_is_a_wrong_secret() {
    let remote = start(MockRemote::builder().as_of("2025-06-08".parse::<AsOf>().unwrap()));
    let early = call(&remote, "/2.0/user", basic(EMAIL, ALL_SCOPES));
    let wrong = call(&remote, "/2.0/user", basic(EMAIL, "no-such-token"));
    assert_eq!((early.status, early.json()), (wrong.status, wrong.json()));
    assert_eq!(
        (early.status, remote.log()[1].decision.as_str()),
        (401, "not-yet-existing")
    );
    let remote = start(MockRemote::builder().as_of("2025-06-09".parse::<AsOf>().unwrap()));
    assert_eq!(
        call(&remote, "/2.0/user", basic(EMAIL, ALL_SCOPES)).status,
        200
    );
}

#[test]
fn anonymous_and_unknown_paths() {
    let remote = today();
    let r = call(&remote, "/2.0/user", vec![]);
    assert_eq!((r.status, r.json()), (401, unauthorized()));
    let r = call(&remote, "/2.0/snippets", basic(EMAIL, ALL_SCOPES));
    assert_eq!(r.status, 404);
}

/// The same rule through git: on 2016-06-05 an app password is a wrong secret, on 2016-06-06 it works.
#[test]
fn git_before_app_passwords_existed_gets_the_wrong_secret_answer() {
    let may_not = "remote: You may not have access to this repository or it no longer exists in this workspace. If you think this repository exists and you have access, make sure you are authenticated.";
    let url = "https://bitbucket.org/username/demo.git";
    for (day, code) in [("2016-06-05", 128), ("2016-06-06", 0)] {
        let env =
            remote_support::Env::with(MockRemote::builder().as_of(day.parse::<AsOf>().unwrap()));
        let home = env.home().to_path_buf();
        let mut git = env.git(&home, "username", "made-up-app-password");
        let out = remote_support::run(git.args(["ls-remote", url]), code);
        if code != 0 {
            assert_eq!(
                env.stderr(&out).lines().collect::<Vec<_>>(),
                [
                    may_not,
                    &format!("fatal: Authentication failed for '{url}/'")
                ]
            );
        }
    }
}

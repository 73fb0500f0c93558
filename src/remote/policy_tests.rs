//! The §5 scenario table of bitbucket-facts.md, row by row, against the pure policy.

use jiff::civil::{DateTime, date};

use super::*;

const TODAY: DateTime = date(2026, 11, 28).at(10, 0, 0, 0);
const DEMO: &str = "username/demo";

fn decide_as(
    profile: Profile,
    at: DateTime,
    repo: &str,
    op: Op,
    auth: Option<(&str, &str)>,
) -> Decision {
    decide(
        &Scenario::default(),
        profile,
        at,
        &AuthRequest { repo, op, auth },
    )
}

fn bb(op: Op, user: &str, pass: &str) -> Decision {
    decide_as(Profile::Bitbucket, TODAY, DEMO, op, Some((user, pass)))
}

fn refused(d: Decision) -> Refusal {
    match d {
        Decision::Refuse(r) => r,
        Decision::Allow { user } => panic!("expected a refusal, got allow as {user}"),
    }
}

fn allowed(d: Decision) -> String {
    match d {
        Decision::Allow { user } => user,
        Decision::Refuse(r) => panic!("expected allow, got {r:?}"),
    }
}

const RW: &str = "ATATT-made-up-api-token-read-write";
const RO: &str = "ATATT-made-up-api-token-read-only";
const MAY_NOT: &str = "You may not have access to this repository or it no longer exists in this workspace. If you think this repository exists and you have access, make sure you are authenticated.";
const NOT_EXIST: &str = "The requested repository either does not exist or you do not have access. If you believe this repository exists and you have access, make sure you're authenticated.";

#[test]
fn anonymous_gets_401_with_the_bitbucket_realm() {
    let r = refused(decide_as(Profile::Bitbucket, TODAY, DEMO, Op::Read, None));
    assert_eq!(
        (r.status, r.realm, r.reason),
        (401, Some("Bitbucket.org HTTP"), "anonymous")
    );
}

#[test]
fn account_password_is_refused_since_2022_03_01() {
    let r = refused(bb(Op::Read, "username", "made-up-account-password"));
    assert_eq!(r.status, 401);
    assert_eq!(r.lines.len(), 4);
    assert!(
        r.lines[0].starts_with("Bitbucket Cloud recently stopped supporting account passwords")
    );
    let before = date(2022, 2, 28).at(12, 0, 0, 0);
    let d = decide_as(
        Profile::Bitbucket,
        before,
        DEMO,
        Op::Write,
        Some(("username", "made-up-account-password")),
    );
    assert_eq!(allowed(d), "username");
}

#[test]
fn app_password_works_before_brownouts_fails_in_windows_and_after_removal() {
    let app = Some(("username", "made-up-app-password"));
    let at = |d: DateTime| decide_as(Profile::Bitbucket, d, DEMO, Op::Write, app);
    assert_eq!(allowed(at(date(2026, 6, 8).at(0, 5, 0, 0))), "username");
    assert_eq!(allowed(at(date(2026, 6, 10).at(1, 0, 0, 0))), "username");
    let r = refused(at(date(2026, 6, 10).at(6, 5, 0, 0)));
    assert_eq!((r.status, r.reason), (410, "app-password-brownout"));
    let r = refused(at(date(2026, 7, 28).at(9, 0, 0, 0)));
    assert_eq!(
        (r.status, r.lines[0].as_str()),
        (410, "CHANGE-3222 - Functionality has been deprecated")
    );
    assert_eq!(r.lines.len(), 3);
    let r = refused(decide_as(
        Profile::Bitbucket,
        date(2026, 1, 1).at(0, 0, 0, 0),
        DEMO,
        Op::Read,
        Some(("reader", "made-up-app-password")),
    ));
    assert_eq!(r.status, 401);
}

#[test]
fn api_token_username_rules() {
    assert_eq!(allowed(bb(Op::Read, "username", RW)), "username");
    assert_eq!(
        allowed(bb(Op::Write, "x-bitbucket-api-token-auth", RW)),
        "username"
    );
    let r = refused(bb(Op::Read, "username@example.com", RW));
    assert_eq!(
        (r.status, r.lines.clone()),
        (401, vec![MAY_NOT.to_string()])
    );
    assert_eq!(r.realm, Some("Bitbucket.org HTTP"));
    assert_eq!(refused(bb(Op::Read, "x-token-auth", RW)).status, 401);
}

#[test]
fn api_token_scopes() {
    assert_eq!(allowed(bb(Op::Read, "username", RO)), "username");
    let r = refused(bb(Op::Write, "username", RO));
    assert_eq!(r.status, 403);
    assert_eq!(
        r.lines,
        vec!["Your credentials lack one or more required privilege scopes."]
    );
    // write does not imply read on Bitbucket
    let r = refused(bb(
        Op::Read,
        "username",
        "ATATT-made-up-api-token-write-only",
    ));
    assert_eq!((r.status, r.reason), (403, "missing-scope"));
}

#[test]
fn wrong_expired_or_revoked_secrets_get_401() {
    for secret in [
        "nope",
        "ATATT-made-up-api-token-expired",
        "ATATT-made-up-api-token-revoked",
    ] {
        let r = refused(bb(Op::Read, "username", secret));
        assert_eq!(
            (r.status, r.lines.clone()),
            (401, vec![MAY_NOT.to_string()]),
            "{secret}"
        );
    }
    let before = date(2025, 12, 31).at(0, 0, 0, 0);
    let d = decide_as(
        Profile::Bitbucket,
        before,
        DEMO,
        Op::Read,
        Some(("username", "ATATT-made-up-api-token-expired")),
    );
    assert_eq!(allowed(d), "username");
}

#[test]
fn missing_repository_or_no_access_gets_403() {
    let r = refused(decide_as(
        Profile::Bitbucket,
        TODAY,
        "username/nope",
        Op::Read,
        Some(("username", RW)),
    ));
    assert_eq!(
        (r.status, r.lines.clone(), r.realm),
        (403, vec![NOT_EXIST.to_string()], None)
    );
    let reader = Some(("reader", "ATATT-made-up-reader-api-token"));
    let r = refused(decide_as(
        Profile::Bitbucket,
        TODAY,
        "username/empty",
        Op::Read,
        reader,
    ));
    assert_eq!((r.status, r.reason), (403, "no-access"));
}

#[test]
fn read_only_member_push_gets_403() {
    let reader = Some(("reader", "ATATT-made-up-reader-api-token"));
    assert_eq!(
        allowed(decide_as(Profile::Bitbucket, TODAY, DEMO, Op::Read, reader)),
        "reader"
    );
    let r = refused(decide_as(
        Profile::Bitbucket,
        TODAY,
        DEMO,
        Op::Write,
        reader,
    ));
    assert_eq!((r.status, r.reason), (403, "read-only"));
}

#[test]
fn access_token_needs_x_token_auth_and_reaches_its_repository_only() {
    let tok = "made-up-repository-access-token";
    assert_eq!(allowed(bb(Op::Write, "x-token-auth", tok)), "x-token-auth");
    assert_eq!(refused(bb(Op::Read, "username", tok)).status, 401);
    let other = Some(("x-token-auth", tok));
    assert_eq!(
        refused(decide_as(
            Profile::Bitbucket,
            TODAY,
            "username/empty",
            Op::Read,
            other
        ))
        .status,
        403
    );
}

#[test]
fn repository_flags_get_their_403_texts() {
    let mut s = Scenario::default();
    s.repositories[0].ip_allowlist = true;
    let req = AuthRequest {
        repo: DEMO,
        op: Op::Read,
        auth: Some(("username", RW)),
    };
    let Decision::Refuse(r) = decide(&s, Profile::Bitbucket, TODAY, &req) else {
        panic!()
    };
    assert_eq!(
        r.lines,
        vec!["To access this repository, an admin must whitelist your IP."]
    );
    s.repositories[0].ip_allowlist = false;
    s.repositories[0].require_2sv = true;
    let Decision::Refuse(r) = decide(&s, Profile::Bitbucket, TODAY, &req) else {
        panic!()
    };
    assert_eq!(
        (r.status, r.lines[0].as_str()),
        (
            403,
            "To access this repository, enable two-step authentication."
        )
    );
}

#[test]
fn github_profile_texts() {
    let gh = |repo, op, auth| decide_as(Profile::Github, TODAY, repo, op, auth);
    assert_eq!(refused(gh(DEMO, Op::Read, None)).realm, Some("GitHub"));
    let r = refused(gh(
        DEMO,
        Op::Read,
        Some(("username", "made-up-account-password")),
    ));
    assert!(r.lines[0].starts_with("Support for password authentication was removed"));
    let r = refused(gh("username/nope", Op::Read, Some(("anything", RW))));
    assert_eq!(
        (r.status, r.lines[0].as_str()),
        (404, "Repository not found.")
    );
    let r = refused(gh(
        DEMO,
        Op::Write,
        Some(("reader", "ATATT-made-up-reader-api-token")),
    ));
    assert_eq!(
        (r.status, r.lines[0].as_str()),
        (403, "Permission to username/demo.git denied to reader.")
    );
    let r = refused(gh(DEMO, Op::Write, Some(("username", RO))));
    assert_eq!(r.lines[0], "Write access to repository not granted.");
    assert_eq!(
        allowed(gh(DEMO, Op::Write, Some(("anything", RW)))),
        "username"
    );
    assert_eq!(
        refused(gh(
            DEMO,
            Op::Read,
            Some(("username", "made-up-app-password"))
        ))
        .status,
        401
    );
}

#[test]
fn gitlab_profile_texts() {
    let gl = |repo, op, auth| decide_as(Profile::Gitlab, TODAY, repo, op, auth);
    let r = refused(gl(DEMO, Op::Read, Some(("username", "wrong"))));
    assert!(r.lines[0].starts_with("HTTP Basic: Access denied."));
    assert_eq!(
        refused(gl("username/nope", Op::Read, Some(("username", RW)))).status,
        404
    );
    let r = refused(gl(
        DEMO,
        Op::Write,
        Some(("reader", "ATATT-made-up-reader-api-token")),
    ));
    assert_eq!(
        (r.status, r.lines[0].as_str()),
        (403, "You are not allowed to push code to this project.")
    );
    assert_eq!(
        allowed(gl(
            DEMO,
            Op::Write,
            Some(("username", "made-up-account-password"))
        )),
        "username"
    );
}

#[test]
fn a_credential_kind_that_did_not_exist_yet_is_unknown() {
    let day_before_tokens = date(2025, 6, 8).at(10, 0, 0, 0);
    let git =
        |at, user, pass| decide_as(Profile::Bitbucket, at, DEMO, Op::Read, Some((user, pass)));
    let wrong = refused(git(day_before_tokens, "username", "no-such-secret"));
    let early = refused(git(day_before_tokens, "username", RW));
    assert_eq!((early.status, &early.lines), (wrong.status, &wrong.lines));
    assert_eq!(early.reason, "not-yet-existing");
    let first_day = date(2025, 6, 9).at(0, 0, 0, 0);
    assert_eq!(allowed(git(first_day, "username", RW)), "username");
    let before_app_passwords = date(2016, 6, 5).at(10, 0, 0, 0);
    let app = "made-up-app-password";
    let r = refused(git(before_app_passwords, "username", app));
    assert_eq!((r.status, r.reason), (401, "not-yet-existing"));
    assert_eq!(
        allowed(git(date(2016, 6, 6).at(0, 0, 0, 0), "username", app)),
        "username"
    );
}

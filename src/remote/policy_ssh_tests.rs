//! The SSH entry point of the policy: the key's owner instead of a secret, the same rules.

use super::*;

fn decide_key(repo: &str, op: Op, key: KeyOwner) -> Decision {
    let s = Scenario::default();
    decide_ssh(&s, Profile::Bitbucket, &SshRequest { repo, op, key })
}

#[test]
fn members_read_and_write_by_role() {
    let admin = KeyOwner::Account("username");
    let reader = KeyOwner::Account("reader");
    assert_eq!(decide_key("username/demo", Op::Write, admin).tag(), "allow");
    assert_eq!(decide_key("username/demo", Op::Read, reader).tag(), "allow");
    assert_eq!(
        decide_key("username/demo", Op::Write, reader).tag(),
        "read-only"
    );
    assert_eq!(
        decide_key("username/empty", Op::Read, reader).tag(),
        "no-access"
    );
    assert_eq!(
        decide_key("username/nope", Op::Read, admin).tag(),
        "no-such-repository"
    );
}

#[test]
fn an_access_key_reads_its_repository_only() {
    let key = KeyOwner::AccessKey("username/demo");
    assert_eq!(decide_key("username/demo", Op::Read, key).tag(), "allow");
    assert_eq!(
        decide_key("username/demo", Op::Write, key).tag(),
        "read-only-key"
    );
    assert_eq!(
        decide_key("username/empty", Op::Read, key).tag(),
        "no-access"
    );
}

//! The files a sandbox is seeded with: the `~/.gitconfig`, the askpass and no-ssh programs, and
//! for SSH the relay, the system ssh config and `bitbucket-add-ssh-key` (programs are written
//! executable).

use std::{
    fs,
    io::{self, Write as _},
    path::Path,
};

use super::SshLink;

pub(super) const GITCONFIG: &str = "\
[user]\n\tname = Your Name\n\temail = you@example.com\n\
[init]\n\tdefaultBranch = main\n\
[advice]\n\tdetachedHead = false\n\
[pull]\n\trebase = false\n\
[core]\n\tpager = cat\n\
[credential]\n\thelper =\n";

pub(super) const ASKPASS: &str = r#"#!/bin/sh
# helpsite askpass: shows git's prompt in the output stream as a terminal would (a typed
# username echoed, a password not) and answers with the next of the snippet's answers.
PATH=/usr/bin:/bin
prompt="$1"
if [ ! -s "$HELPSITE_ANSWERS" ]; then
    printf '%s\n' "$prompt" >> "$HELPSITE_OUT"
    echo "helpsite: no answer left for this prompt: add another answer=\"...\" to the fence" >&2
    exit 1
fi
answer=$(head -n 1 "$HELPSITE_ANSWERS")
tail -n +2 "$HELPSITE_ANSWERS" > "$HELPSITE_ANSWERS.rest"
mv "$HELPSITE_ANSWERS.rest" "$HELPSITE_ANSWERS"
case "$prompt" in
    Username*) printf '%s%s\n' "$prompt" "$answer" >> "$HELPSITE_OUT" ;;
    *) printf '%s\n' "$prompt" >> "$HELPSITE_OUT" ;;
esac
printf '%s\n' "$answer"
"#;

pub(super) const NO_SSH: &str = r#"#!/bin/sh
echo "ssh: disabled in the helpsite sandbox (only the mock remote over HTTPS is reachable)" >&2
exit 255
"#;

/// The sandbox's system-wide ssh config (`/etc/ssh/ssh_config` inside): both Bitbucket names go
/// through the relay to the mock. Nothing else changes: a first connection asks about the host
/// key as on a reader's machine (a `tty` snippet answers `yes`; without a terminal ssh refuses
/// with `Host key verification failed.`), and a reader's own ~/.ssh/config is read first.
const SSH_CONFIG: &str = "\
# helpsite sandbox: bitbucket.org and altssh.bitbucket.org are the mock remote.
Host bitbucket.org altssh.bitbucket.org
    ProxyCommand @RELAY@ @PORT@ %h %p
";

/// `bitbucket-add-ssh-key ACCOUNT [FILE]`: the sandbox's stand-in for "Personal settings → SSH
/// keys → Add key" on bitbucket.org; sends the public-key line to the mock's control endpoint.
const ADD_SSH_KEY: &str = r#"#!/bin/bash
# bitbucket-add-ssh-key ACCOUNT [PUBLIC_KEY_FILE]: adds the key to ACCOUNT's SSH keys on the
# helpsite mock of bitbucket.org (what Personal settings > SSH keys > Add key does there).
export LC_ALL=C
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: bitbucket-add-ssh-key ACCOUNT [PUBLIC_KEY_FILE] (default ~/.ssh/id_ed25519.pub)" >&2
    exit 2
fi
account=$1
file=${2:-$HOME/.ssh/id_ed25519.pub}
case "$account" in
    *[!A-Za-z0-9_.-]* | "") echo "bitbucket-add-ssh-key: '$account' is not an account name" >&2; exit 2 ;;
esac
case "$file" in
    *.pub) ;;
    *) echo "bitbucket-add-ssh-key: $file is not a .pub file: add the public half, never the private key" >&2; exit 2 ;;
esac
key=$(< "$file") || exit 1
exec 3<>/dev/tcp/127.0.0.1/@CONTROL@ || exit 1
printf 'POST /ssh-keys/%s HTTP/1.1\r\nHost: bitbucket.org\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$account" "${#key}" "$key" >&3
IFS= read -r status <&3
while IFS= read -r line <&3 && [ -n "${line%$'\r'}" ]; do :; done
body=$(cat <&3)
case "$status" in
    "HTTP/1.1 201"*) printf '%s\n' "$body" ;;
    *) printf 'bitbucket-add-ssh-key: %s\n' "$body" >&2; exit 1 ;;
esac
"#;

/// The relay, the system ssh config and `bitbucket-add-ssh-key` for a sandbox with SSH.
pub(super) fn write_ssh(programs: &Path, etc: &Path, link: SshLink) -> io::Result<()> {
    let relay = programs.join("ssh-relay");
    write_program(&relay, crate::remote::ssh::RELAY_SCRIPT)?;
    let config = SSH_CONFIG
        .replace("@RELAY@", &relay.to_string_lossy())
        .replace("@PORT@", &link.port.to_string());
    fs::write(etc.join("ssh_config"), config)?;
    fs::create_dir_all(programs.join("bin"))?;
    write_program(
        &programs.join("bin/bitbucket-add-ssh-key"),
        &ADD_SSH_KEY.replace("@CONTROL@", &link.control_port.to_string()),
    )
}

pub(super) fn write_program(path: &Path, text: &str) -> io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o755)
        .open(path)?;
    file.write_all(text.as_bytes())
}

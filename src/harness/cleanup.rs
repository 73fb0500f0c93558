//! What must not outlive an interrupted run: every live session's process group and every
//! sandbox directory are registered here while they exist, so a Ctrl-C (SIGINT) during
//! `helpsite test` or `cargo test` kills the groups and removes the directories before exiting,
//! and so does SIGTERM (ordinary runs clean up through `Drop`; a signal skips destructors). A
//! SIGKILL cannot be caught: there the sandboxes' `--die-with-parent` ends every pid namespace.

use std::{
    path::{Path, PathBuf},
    sync::{Mutex, Once},
};

static GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());
/// The exit status an interrupt asked for (130 SIGINT, 143 SIGTERM); 0 while none.
static INTERRUPTED: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);
static DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

pub(crate) fn add_group(pgid: u32) {
    if let Ok(mut groups) = GROUPS.lock() {
        groups.push(pgid);
    }
}

pub(crate) fn remove_group(pgid: u32) {
    if let Ok(mut groups) = GROUPS.lock() {
        groups.retain(|g| *g != pgid);
    }
}

pub(crate) fn add_dir(path: &Path) {
    if let Ok(mut dirs) = DIRS.lock() {
        dirs.push(path.to_path_buf());
    }
}

pub(crate) fn remove_dir(path: &Path) {
    if let Ok(mut dirs) = DIRS.lock() {
        dirs.retain(|d| d != path);
    }
}

/// Kills a process group (the shell, or bwrap, and everything it started) with SIGKILL, by
/// system call (rustix), never through a `kill` program a snippet could have planted on PATH.
pub(crate) fn kill_group(pgid: u32) {
    let pid = i32::try_from(pgid)
        .ok()
        .and_then(rustix::process::Pid::from_raw);
    if let Some(pid) = pid {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
}

/// Kills every registered group and removes every registered directory.
pub(crate) fn now() {
    let groups = GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
    groups.into_iter().for_each(kill_group);
    let dirs = DIRS.lock().map(|d| d.clone()).unwrap_or_default();
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Exits with 130 if an interrupt (or SIGTERM) is being handled (so the main thread, seeing its shells die,
/// does not report an ordinary failure first).
pub(crate) fn exit_if_interrupted() {
    let code = INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst);
    if code != 0 {
        std::process::exit(code);
    }
}

/// On SIGINT or SIGTERM: clean up, then exit with status 130 or 143 (as a shell reports them).
pub(crate) fn on_interrupt() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        let Ok(runtime) = runtime else { return };
        std::thread::spawn(move || {
            let code = runtime.block_on(async {
                use tokio::signal::unix::{SignalKind, signal};
                let mut term = signal(SignalKind::terminate()).ok()?;
                tokio::select! {
                    r = tokio::signal::ctrl_c() => r.ok().map(|_| 130),
                    r = term.recv() => r.map(|_| 143),
                }
            });
            if let Some(code) = code {
                INTERRUPTED.store(code, std::sync::atomic::Ordering::SeqCst);
                now();
                eprintln!("\ninterrupted: snippet shells killed, sandboxes removed");
                std::process::exit(code);
            }
        });
    });
}

//! What must not outlive an interrupted run: every live session's process group and every
//! sandbox directory are registered here while they exist, so a Ctrl-C (SIGINT) during
//! `helpsite test` or `cargo test` kills the groups and removes the directories before exiting
//! (ordinary runs clean up through `Drop`; a signal skips destructors).

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{Mutex, Once},
};

static GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
static DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

pub fn add_group(pgid: u32) {
    if let Ok(mut groups) = GROUPS.lock() {
        groups.push(pgid);
    }
}

pub fn remove_group(pgid: u32) {
    if let Ok(mut groups) = GROUPS.lock() {
        groups.retain(|g| *g != pgid);
    }
}

pub fn add_dir(path: &Path) {
    if let Ok(mut dirs) = DIRS.lock() {
        dirs.push(path.to_path_buf());
    }
}

pub fn remove_dir(path: &Path) {
    if let Ok(mut dirs) = DIRS.lock() {
        dirs.retain(|d| d != path);
    }
}

/// Kills a process group (the shell and everything it started). `kill(1)` rather than libc,
/// because the crate forbids `unsafe`.
pub fn kill_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// Kills every registered group and removes every registered directory.
pub fn now() {
    let groups = GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
    groups.into_iter().for_each(kill_group);
    let dirs = DIRS.lock().map(|d| d.clone()).unwrap_or_default();
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Exits with 130 if an interrupt is being handled (so the main thread, seeing its shells die,
/// does not report an ordinary failure first).
pub fn exit_if_interrupted() {
    if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
        std::process::exit(130);
    }
}

/// On SIGINT: clean up, then exit with status 130 (as a shell reports an interrupt).
pub fn on_interrupt() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        let Ok(runtime) = runtime else { return };
        std::thread::spawn(move || {
            if runtime.block_on(tokio::signal::ctrl_c()).is_ok() {
                INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
                now();
                eprintln!("\ninterrupted: snippet shells killed, sandboxes removed");
                std::process::exit(130);
            }
        });
    });
}

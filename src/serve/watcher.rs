//! Watching the sources: content/ and templates/ (recursively) and helpsite.toml. Events are
//! filtered (reads, editor swap and backup files, the output and staging folders), debounced (a
//! save often comes as several events) and each burst triggers one rebuild on this module's
//! thread.
//!
//! The debounce is done here rather than with notify-debouncer-mini: that crate drops the event
//! kind, and on Linux every build's own reads of the sources (inotify `OPEN`) would then look
//! like changes and rebuild forever.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use anyhow::Context as _;
use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::builder::Builder;
use super::state::State;

/// Quiet time after the last event of a save before rebuilding.
const DEBOUNCE: Duration = Duration::from_millis(30);
/// Quiet time after a file was closed from writing (inotify `CLOSE_WRITE`): the save is
/// complete, only a burst of saves (an editor writing several files) is waited for.
const AFTER_CLOSE: Duration = Duration::from_millis(5);

/// Keeps watching while alive.
pub(crate) struct Watching {
    _watcher: RecommendedWatcher,
}

/// What is watched, as absolute paths.
#[derive(Debug, Clone)]
struct Sources {
    content: PathBuf,
    templates: PathBuf,
    config: PathBuf,
    report: PathBuf,
}

impl Sources {
    fn wants(&self, path: &Path) -> bool {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let scratch = name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp");
        let inside = path.starts_with(&self.content) || path.starts_with(&self.templates);
        path == self.config || path == self.report || (inside && !scratch)
    }
}

/// Starts watching `root` and rebuilding with `builder` on every change.
pub(crate) fn start(
    root: &Path,
    report: &Path,
    builder: Builder,
    state: Arc<State>,
) -> anyhow::Result<Watching> {
    let root = std::path::absolute(root)
        .with_context(|| format!("resolving the site folder {}", root.display()))?;
    let report = std::path::absolute(report)
        .with_context(|| format!("resolving the report path {}", report.display()))?;
    let sources = Sources {
        content: root.join("content"),
        templates: root.join("templates"),
        config: root.join("helpsite.toml"),
        report: report.clone(),
    };
    let (sender, receiver) = channel();
    let filter = sources.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
        match event {
            Ok(event) if !changes(&event, &filter) => {}
            // A closed channel means the server is stopping: nothing to do.
            Ok(event) => {
                let closed = event.kind == EventKind::Access(AccessKind::Close(AccessMode::Write));
                let paths = event.paths.into_iter().filter(|p| filter.wants(p));
                drop(sender.send((paths.collect::<Vec<_>>(), closed)));
            }
            Err(err) => eprintln!("warning: watching files: {err}"),
        }
    })
    .context("starting the file watcher")?;
    // The root itself only for helpsite.toml (editors replace files by renaming, which a watch
    // on the file alone would lose); the output folder inside it is filtered out by `wants`.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .with_context(|| format!("watching {}", root.display()))?;
    // The report is replaced by a rename, so its folder is watched (when it is not the root).
    if let Some(folder) = report.parent().filter(|f| *f != root && f.is_dir()) {
        watcher
            .watch(folder, RecursiveMode::NonRecursive)
            .with_context(|| format!("watching {}", folder.display()))?;
    }
    for dir in [&sources.content, &sources.templates] {
        if dir.is_dir() {
            watcher
                .watch(dir, RecursiveMode::Recursive)
                .with_context(|| format!("watching {}", dir.display()))?;
        }
    }
    std::thread::Builder::new()
        .name("helpsite-rebuild".into())
        .spawn(move || rebuild_loop(&receiver, &builder, &state))
        .context("starting the rebuild thread")?;
    Ok(Watching { _watcher: watcher })
}

/// Whether an event changes a source: a read (the build's own) does not.
fn changes(event: &Event, sources: &Sources) -> bool {
    let read = matches!(
        event.kind,
        EventKind::Access(kind) if kind != AccessKind::Close(AccessMode::Write)
    );
    !read && event.paths.iter().any(|path| sources.wants(path))
}

/// One update per burst of changes: wait for the first, then for quiet (`DEBOUNCE`, or
/// `AFTER_CLOSE` once the last event closed a written file), and hand the builder every path
/// the burst changed. Changes that arrive during a build start one more after it.
fn rebuild_loop(receiver: &Receiver<(Vec<PathBuf>, bool)>, builder: &Builder, state: &State) {
    while let Ok((first, mut closed)) = receiver.recv() {
        let mut paths: std::collections::BTreeSet<PathBuf> = first.into_iter().collect();
        loop {
            let quiet = if closed { AFTER_CLOSE } else { DEBOUNCE };
            match receiver.recv_timeout(quiet) {
                Ok((more, more_closed)) => {
                    paths.extend(more);
                    closed = more_closed;
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        builder.changed(state, &paths.into_iter().collect::<Vec<_>>());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_trigger_rebuilds() {
        let sources = Sources {
            content: "/s/content".into(),
            templates: "/s/templates".into(),
            config: "/s/helpsite.toml".into(),
            report: "/s/.helpsite-report.json".into(),
        };
        assert!(sources.wants(Path::new("/s/content/guide/a.md")));
        assert!(sources.wants(Path::new("/s/templates/page.html")));
        assert!(sources.wants(Path::new("/s/helpsite.toml")));
        assert!(sources.wants(Path::new("/s/.helpsite-report.json")));
        assert!(!sources.wants(Path::new("/s/.helpsite-report.json.tmp")));
        assert!(!sources.wants(Path::new("/s/public/index.html")));
        assert!(!sources.wants(Path::new("/s/.public.staging")));
        assert!(!sources.wants(Path::new("/s/content/.a.md.swp")));
        assert!(!sources.wants(Path::new("/s/content/a.md~")));
        assert!(!sources.wants(Path::new("/s/other.toml")));
    }
}

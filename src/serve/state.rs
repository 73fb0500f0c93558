//! What the server, the builder and the event streams share: where the last good site is, the
//! current build error (if any), a generation counter and the channel that announces changes.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use tokio::sync::{RwLock, broadcast};

/// A change that open pages must hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// A new good build is being served: reload.
    Reload { generation: u64 },
    /// The latest build failed; the last good site stays served. The text is what the terminal
    /// showed.
    BuildError { message: String },
    /// A snippet's mark changed in the live run: the element with id `id` gets `html` as its
    /// status (no reload).
    Mark { id: String, html: String },
}

/// Shared by every request and by the builder thread.
#[derive(Debug)]
pub(crate) struct State {
    /// The folder served. Requests hold the read lock while they resolve and read a file; the
    /// builder takes the write lock while it swaps a new build in.
    pub site: RwLock<Site>,
    latest: Mutex<Latest>,
    changes: broadcast::Sender<Change>,
}

/// The served output folder and whether a good build is in it yet.
#[derive(Debug)]
pub(crate) struct Site {
    pub out: PathBuf,
    /// False until the first successful build: until then every path gets a placeholder.
    pub ready: bool,
}

#[derive(Debug, Default, Clone)]
struct Latest {
    generation: u64,
    error: Option<String>,
    /// The live run's marks so far (snippet id → badge), sent to pages that connect mid-run:
    /// their HTML may come from a build older than these.
    marks: std::collections::BTreeMap<String, String>,
}

/// What a page that connects is told first.
#[derive(Debug)]
pub(crate) struct Snapshot {
    pub generation: u64,
    pub error: Option<String>,
    pub marks: Vec<(String, String)>,
}

impl State {
    pub(crate) fn new(out: PathBuf) -> State {
        // Room for a burst of marks (a fast chain finishes many snippets at once); a page that
        // lags behind anyway reloads.
        let (changes, _) = broadcast::channel(256);
        State {
            site: RwLock::new(Site { out, ready: false }),
            latest: Mutex::new(Latest::default()),
            changes,
        }
    }

    /// Subscribes to changes, and returns the state to show right away.
    pub(crate) fn subscribe(&self) -> (Snapshot, broadcast::Receiver<Change>) {
        let latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        // Subscribing under the lock: no change can slip between the snapshot and the receiver.
        let receiver = self.changes.subscribe();
        let snapshot = Snapshot {
            generation: latest.generation,
            error: latest.error.clone(),
            marks: latest
                .marks
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        (snapshot, receiver)
    }

    /// A live run starts: forget the previous run's marks.
    pub(crate) fn clear_marks(&self) {
        let mut latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        latest.marks.clear();
    }

    /// A snippet's mark changed: every open page updates it in place.
    pub(crate) fn mark(&self, id: String, html: String) {
        let mut latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        latest.marks.insert(id.clone(), html.clone());
        let _ = self.changes.send(Change::Mark { id, html });
    }

    /// Records a good build (already swapped in) and tells every open page to reload.
    pub(crate) fn succeeded(&self) {
        let mut latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        latest.generation += 1;
        latest.error = None;
        // No receivers is fine: nobody is looking.
        let _ = self.changes.send(Change::Reload {
            generation: latest.generation,
        });
    }

    /// Records a failed build and shows its message on every open page.
    pub(crate) fn failed(&self, message: String) {
        let mut latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        latest.error = Some(message.clone());
        let _ = self.changes.send(Change::BuildError { message });
    }
}

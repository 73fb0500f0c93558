//! What the server, the builder and the event streams share: where the last good site is, the
//! current build error (if any), a generation counter and the channel that announces changes.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use tokio::sync::{RwLock, broadcast};

/// A change that open pages must hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A new good build is being served: reload.
    Reload { generation: u64 },
    /// The latest build failed; the last good site stays served. The text is what the terminal
    /// showed.
    BuildError { message: String },
}

/// Shared by every request and by the builder thread.
#[derive(Debug)]
pub struct State {
    /// The folder served. Requests hold the read lock while they resolve and read a file; the
    /// builder takes the write lock while it swaps a new build in.
    pub site: RwLock<Site>,
    latest: Mutex<Latest>,
    changes: broadcast::Sender<Change>,
}

/// The served output folder and whether a good build is in it yet.
#[derive(Debug)]
pub struct Site {
    pub out: PathBuf,
    /// False until the first successful build: until then every path gets a placeholder.
    pub ready: bool,
}

#[derive(Debug, Default, Clone)]
struct Latest {
    generation: u64,
    error: Option<String>,
}

impl State {
    pub fn new(out: PathBuf) -> State {
        let (changes, _) = broadcast::channel(16);
        State {
            site: RwLock::new(Site { out, ready: false }),
            latest: Mutex::new(Latest::default()),
            changes,
        }
    }

    /// Subscribes to changes, and returns the state to show right away (generation, error).
    pub fn subscribe(&self) -> (u64, Option<String>, broadcast::Receiver<Change>) {
        let latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        // Subscribing under the lock: no change can slip between the snapshot and the receiver.
        let receiver = self.changes.subscribe();
        (latest.generation, latest.error.clone(), receiver)
    }

    /// Records a good build (already swapped in) and tells every open page to reload.
    pub fn succeeded(&self) {
        let mut latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        latest.generation += 1;
        latest.error = None;
        // No receivers is fine: nobody is looking.
        let _ = self.changes.send(Change::Reload {
            generation: latest.generation,
        });
    }

    /// Records a failed build and shows its message on every open page.
    pub fn failed(&self, message: String) {
        let mut latest = self.latest.lock().unwrap_or_else(PoisonError::into_inner);
        latest.error = Some(message.clone());
        let _ = self.changes.send(Change::BuildError { message });
    }
}

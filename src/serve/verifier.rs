//! The live run behind `helpsite serve`: the snippets run in the background, at start and again
//! for every chain whose snippets changed, so marks appear without running `helpsite test` by
//! hand. Pages first show "running…" for what is queued; each verdict goes to open pages as a
//! `mark` event as soon as its snippet finishes; at the end the report file is written (merged
//! over the previous one), which rebuilds the site once with the final marks and summaries.
//!
//! Never in the way of a reload: the runner has its own thread, and its chains run on their own
//! rayon pool, so a rebuild's parallel render never queues behind a snippet waiting on git; and
//! those threads (with everything they start) run at nice 10, so a rebuild gets the CPU first. It
//! only reads what the builder reads (the sources, the report) and shares with it one
//! [`LiveMarks`]: the marks of the run so far, which every build of the run uses.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use anyhow::Context as _;

use super::builder::Builder;
use super::state::State;
use crate::harness::{self, Observer, SnippetResult, Suite, Verdict, record};
use crate::output::verify::{self, Marks};
use crate::report::Report;
use crate::site::Site;
use crate::snippets::{Snippet, SnippetKind};

/// The marks of the run in progress; `None` between runs (the report file is then the truth).
#[derive(Debug, Default)]
pub(crate) struct LiveMarks {
    marks: Mutex<Option<Marks>>,
}

impl LiveMarks {
    /// The marks a build should show: the live ones during a run, else `None`.
    pub(crate) fn current(&self) -> Option<Marks> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Marks>> {
        self.marks.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Starts the runner thread; send on the returned channel after every good build to have it
/// look for snippets to run.
pub(crate) fn start(
    root: PathBuf,
    report: PathBuf,
    builder: Builder,
    state: Arc<State>,
) -> anyhow::Result<Sender<()>> {
    let (sender, receiver) = channel();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(
            std::thread::available_parallelism()
                .map(usize::from)
                .unwrap_or(2),
        )
        .thread_name(|i| format!("helpsite-snippet-{i}"))
        .start_handler(|_| lower_priority())
        .build()
        .context("starting the snippet runner's threads")?;
    let runner = Runner {
        root,
        report,
        builder,
        state,
        pool,
    };
    std::thread::Builder::new()
        .name("helpsite-verify".into())
        .spawn(move || runner.run_forever(&receiver))
        .context("starting the snippet runner")?;
    Ok(sender)
}

struct Runner {
    root: PathBuf,
    report: PathBuf,
    builder: Builder,
    state: Arc<State>,
    pool: rayon::ThreadPool,
}

impl Runner {
    fn run_forever(&self, receiver: &Receiver<()>) {
        lower_priority();
        let mut last_error = None;
        while receiver.recv().is_ok() {
            // Several builds while a run went on: one look is enough.
            while receiver.try_recv().is_ok() {}
            match self.once() {
                // Said once, not after every rebuild (the build itself reports input errors).
                Err(err) => {
                    let text = format!("{err:#}");
                    if last_error.as_ref() != Some(&text) {
                        eprintln!("snippets: not run: {text}");
                    }
                    last_error = Some(text);
                }
                Ok(()) => last_error = None,
            }
        }
    }

    /// Runs the chains with a snippet the report has no current verdict for.
    fn once(&self) -> anyhow::Result<()> {
        // Loaded as the builder loads it (with the generated page), so sharing its render
        // cache renders nothing again.
        let site = Site::load(&self.root)?.with_verification(Marks::none());
        let rendered = self.builder.render_cached(&site)?;
        let suite = site.suite_of(&rendered, None)?;
        suite.check_isolation()?;
        let older = Marks::load(&self.report)?;
        let selected = stale_chains(&suite, &older);
        if selected.is_empty() {
            return Ok(());
        }
        let started = Instant::now();
        let names: Vec<String> = selected
            .iter()
            .map(|&i| suite.snippets[i].test_name.clone())
            .collect();
        eprintln!("snippets: running {} in the background", selected.len());
        *self.builder.live().lock() = Some(older.with_running(names));
        self.state.clear_marks();
        // Pages show "running…" from here on.
        self.builder.rebuild(&self.state);
        let header = record::report(&suite, &[]);
        let observer = Live {
            marks: self.builder.live(),
            state: &self.state,
            header: &header,
        };
        let run = self
            .pool
            .install(|| harness::run(&suite, &selected, &observer));
        suite.shutdown();
        let complete = selected.len() == suite.snippets.len();
        let saved = record::save(
            &suite,
            record::report(&suite, &run.results),
            complete,
            &self.report,
        );
        // From now on builds read the report file again (its write triggers one).
        *self.builder.live().lock() = None;
        saved?;
        eprintln!(
            "snippets: {} passed, {} failed, {} ignored in {:.1} s; report written to {}",
            run.count(Verdict::Passed),
            run.count(Verdict::Failed),
            run.count(Verdict::Ignored),
            started.elapsed().as_secs_f64(),
            self.report.display()
        );
        Ok(())
    }
}

/// Makes the calling thread nice 10. On Linux the nice value is per thread, and the threads
/// and processes it starts inherit it: the sandbox spawner (started on first use, from here),
/// the shells, git and the chains' mock remotes. A save's rebuild then gets the CPU first.
fn lower_priority() {
    // Best effort: at worst snippets compete with rebuilds at the same priority.
    let _ = rustix::process::setpriority_process(None, 10);
}

/// Every snippet of every chain that has a snippet without a current verdict (not in the
/// report, or changed since), in suite order; ignored snippets only when they are new.
fn stale_chains(suite: &Suite, marks: &Marks) -> Vec<usize> {
    let stale = |s: &Snippet| marks.entry(&s.test_name).is_none_or(|e| e.hash != s.hash());
    let chains: BTreeSet<Option<usize>> = (0..suite.snippets.len())
        .filter(|&i| stale(&suite.snippets[i]))
        .map(|i| suite.chain_of(i))
        .collect();
    (0..suite.snippets.len())
        .filter(|&i| {
            let chain = suite.chain_of(i);
            chains.contains(&chain) && (chain.is_some() || stale(&suite.snippets[i]))
        })
        .collect()
}

/// Hears the run: records each verdict in the live marks and sends its badge to open pages.
struct Live<'a> {
    marks: &'a LiveMarks,
    state: &'a State,
    header: &'a Report,
}

impl Observer for Live<'_> {
    fn finished(&self, _index: usize, snippet: &Snippet, result: &SnippetResult) {
        let mut entry = result.entry(snippet);
        entry.ran = Some(self.header.generated.clone());
        let badge = {
            let mut guard = self.marks.lock();
            let marks = guard.get_or_insert_with(Marks::none);
            marks.record(entry, self.header);
            let shown =
                !snippet.attrs.hidden && !matches!(snippet.kind, SnippetKind::Ignored { .. });
            match marks.mark(snippet, &snippet.hash()) {
                Some(mark) if shown => Some(verify::badge(marks, snippet, &mark)),
                _ => None,
            }
        };
        if let Some(badge) = badge {
            self.state
                .mark(verify::snippet_id(&snippet.test_name), badge);
        }
    }
}

//! The libtest-mimic glue behind tests/snippets.rs: one trial per snippet (all but `text`),
//! named `page::section::name`, so `cargo test NAME`, `--list`, `--exact`, `--ignored` and
//! `cargo nextest run --partition hash:1/2` work as with ordinary tests. `ignore=` snippets are
//! ignored trials whose reason shows when run with `--ignored`.
//!
//! libtest-mimic decides which trials run and on which thread; each trial asks [`super::run`]
//! for its one snippet and turns the verdict it observes into libtest's outcome.

use std::sync::{Arc, Mutex};

use libtest_mimic::{Arguments, Completion, Conclusion, Failed, Trial};

use super::{Observer, SnippetResult, Suite, Verdict};
use crate::snippets::{Snippet, SnippetKind};

/// One trial per snippet of `suite`, in `order` (indices into `suite.snippets`).
pub(crate) fn trials(suite: &Arc<Suite>, order: &[usize]) -> Vec<Trial> {
    order
        .iter()
        .map(|&index| {
            let snippet = &suite.snippets[index];
            let ignored = matches!(snippet.kind, SnippetKind::Ignored { .. });
            let suite = Arc::clone(suite);
            Trial::ignorable_test(snippet.test_name.clone(), move || {
                let trial = TrialOutcome::default();
                super::run(&suite, &[index], &trial);
                trial.take()
            })
            .with_ignored_flag(ignored)
        })
        .collect()
}

/// The observer of one trial: keeps the verdict in libtest's terms.
#[derive(Default)]
struct TrialOutcome(Mutex<Option<Result<Completion, Failed>>>);

impl Observer for TrialOutcome {
    fn finished(&self, _index: usize, _snippet: &Snippet, result: &SnippetResult) {
        let reason = result.reason.clone().unwrap_or_default();
        let outcome = match result.verdict {
            Verdict::Passed => Ok(Completion::Completed),
            Verdict::Ignored => Ok(Completion::ignored_with(reason)),
            Verdict::Failed => Err(Failed::from(reason)),
        };
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(outcome);
    }
}

impl TrialOutcome {
    fn take(&self) -> Result<Completion, Failed> {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        slot.take()
            .unwrap_or_else(|| Err(Failed::from("the harness reported no verdict")))
    }
}

/// Runs every snippet of `suite` as a test, after the `extra` trials, with libtest's command
/// line (`args`), and returns libtest's conclusion (the caller exits with it: 0 all passed, 101
/// a test failed).
pub fn run(args: &Arguments, suite: Suite, extra: Vec<Trial>) -> Conclusion {
    super::cleanup::on_interrupt();
    let suite = Arc::new(suite);
    // Listed in page order; run interleaved across chains so parallel threads rarely wait on
    // one chain (each chain still runs its snippets in page order).
    let order = if args.list {
        (0..suite.snippets.len()).collect()
    } else {
        suite.parallel_order()
    };
    let mut all = extra;
    all.extend(trials(&suite, &order));
    let conclusion = libtest_mimic::run(args, all);
    super::cleanup::exit_if_interrupted();
    suite.shutdown();
    conclusion
}

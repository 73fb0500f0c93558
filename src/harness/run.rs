//! One run of a suite: which snippets, in what order, and who hears about it. [`run`] is the
//! only scheduler (chains in parallel, each chain's snippets in page order); what it finds goes
//! to an [`Observer`] as it happens and comes back as a [`Run`] at the end. The CLI's progress
//! line and summary and the libtest glue are observers, so neither schedules nor counts itself
//! (as ripgrep's printers are `Sink`s of one searcher).

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::{SnippetResult, Suite};
use crate::{report::Verdict, snippets::Snippet};

/// Hears a run's events. Every method has a default that does nothing; the calls for different
/// chains come from different threads.
pub trait Observer: Sync {
    /// The run starts, with `total` snippets selected.
    fn started(&self, total: usize) {
        let _ = total;
    }

    /// `snippet` (index `index` in the suite) has its verdict.
    fn finished(&self, index: usize, snippet: &Snippet, result: &SnippetResult) {
        let _ = (index, snippet, result);
    }

    /// Every selected snippet has its verdict (the same results, in suite order).
    fn ended(&self, suite: &Suite, run: &Run) {
        let _ = (suite, run);
    }
}

/// An observer that hears nothing.
pub struct Quiet;

impl Observer for Quiet {}

/// What a run found: each selected snippet's result, in suite (page) order.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// `(index in the suite, result)` of each snippet run.
    pub results: Vec<(usize, SnippetResult)>,
}

impl Run {
    /// How many results have verdict `verdict`.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.results
            .iter()
            .filter(|(_, r)| r.verdict == verdict)
            .count()
    }
}

/// Runs the `selected` snippets of `suite` (indices into `suite.snippets`), chains in parallel,
/// each chain's snippets in order, telling `observer` as verdicts come in.
pub fn run(suite: &Suite, selected: &[usize], observer: &dyn Observer) -> Run {
    let mut groups: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
    for &i in selected {
        groups.entry(suite.chain_of(i)).or_default().push(i);
    }
    observer.started(selected.len());
    let one = |i: usize| {
        let result = suite.run(i);
        observer.finished(i, &suite.snippets[i], &result);
        (i, result)
    };
    let mut results: Vec<(usize, SnippetResult)> = if groups.len() <= 1 {
        // One chain (or a single trial under libtest): no thread hand-off.
        groups.into_values().flatten().map(one).collect()
    } else {
        groups
            .into_par_iter()
            .flat_map_iter(|(_, members)| members.into_iter().map(one).collect::<Vec<_>>())
            .collect()
    };
    results.sort_by_key(|(i, _)| *i);
    let run = Run { results };
    observer.ended(suite, &run);
    run
}

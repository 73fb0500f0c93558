//! The libtest-mimic harness behind tests/snippets.rs: one trial per snippet (all but `text`),
//! named `page::section::name`, so `cargo test NAME`, `--list`, `--exact`, `--ignored` and
//! `cargo nextest run --partition hash:1/2` work as with ordinary tests. `ignore=` snippets are
//! ignored trials whose reason shows when run with `--ignored`.

use std::{path::Path, sync::Arc};

use libtest_mimic::{Arguments, Completion, Failed, Trial};

use super::suite::{Suite, Verdict};

/// One trial per snippet of `suite`, in `order` (indices into `suite.snippets`).
pub fn trials(suite: &Arc<Suite>, order: &[usize]) -> Vec<Trial> {
    order
        .iter()
        .map(|&index| {
            let snippet = &suite.snippets[index];
            let ignored = matches!(snippet.kind, crate::snippets::SnippetKind::Ignored { .. });
            let suite = Arc::clone(suite);
            Trial::ignorable_test(snippet.test_name.clone(), move || {
                match suite.run(index).verdict {
                    Verdict::Passed => Ok(Completion::Completed),
                    Verdict::Ignored(reason) => Ok(Completion::ignored_with(reason)),
                    Verdict::Failed(message) => Err(Failed::from(message)),
                }
            })
            .with_ignored_flag(ignored)
        })
        .collect()
}

/// Runs every snippet of the site at `root` as a test, then exits: 0 all passed, 101 a test
/// failed (libtest's code), 2 the site could not be loaded (the error names file:line:column).
pub fn main(root: &Path) -> ! {
    let args = Arguments::from_args();
    super::cleanup::on_interrupt();
    let suite = match Suite::load(root) {
        Ok(suite) => Arc::new(suite),
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::exit(2);
        }
    };
    // Listed in page order; run interleaved across chains so parallel threads rarely wait on
    // one chain (each chain still runs its snippets in page order).
    let order = if args.list {
        (0..suite.snippets.len()).collect()
    } else {
        suite.parallel_order()
    };
    let conclusion = libtest_mimic::run(&args, trials(&suite, &order));
    super::cleanup::exit_if_interrupted();
    suite.shutdown();
    conclusion.exit()
}

//! A chain's sandbox belongs to the process, not to the thread that happened to start it.
//! bubblewrap's `--die-with-parent` is `PR_SET_PDEATHSIG`, whose "parent" is the forking
//! thread; libtest's workers end one by one as the queue empties, and the sandboxes a finished
//! worker had started used to die with it, mid-chain ("the shell was killed by a signal", the
//! flaky guide failure of 2026-12-01). Runs in namespaces, as `cargo test` does by default.

use helpsite::harness::{self, Verdict, run::Quiet};

#[test]
fn a_chain_outlives_the_thread_that_started_it() {
    let root = crate::support::fixture("snippets-threads");
    let site = helpsite::site::Site::load(&root).unwrap();
    let suite = site.suite(None).unwrap();
    assert_eq!(suite.snippets.len(), 2);
    std::thread::scope(|scope| {
        let first = scope.spawn(|| harness::run(&suite, &[0], &Quiet));
        let first = first.join().unwrap();
        assert_eq!(first.count(Verdict::Passed), 1, "{:?}", first.results);
    });
    // The thread that started the chain's shell has ended; the chain goes on.
    let second = harness::run(&suite, &[1], &Quiet);
    assert_eq!(second.count(Verdict::Passed), 1, "{:?}", second.results);
    suite.shutdown();
}

//! The engine both `cargo test` (tests/snippets.rs) and `helpsite test` drive: take a rendered
//! site's snippets, group them into chains (a page's snippets in order; an `isolated`
//! snippet starts a new chain), and hand out verdicts.
//!
//! A chain runs at most once per process, lazily and incrementally: asking for snippet k runs
//! the chain's snippets up to k (the earlier ones replayed: only their exit statuses count) and
//! keeps the sandbox alive for the next question; every verdict is cached, so running all the
//! tests of a page costs one pass, while `cargo test NAME` still replays NAME's predecessors.
//! When the last snippet of a chain has run, its sandbox, shell and mock remote are torn down.

use std::{sync::Mutex, time::Duration};

use anyhow::Context as _;

use super::{
    bridge::Limits,
    link::{self, Link},
    matching,
    sandbox::{Isolation, Options, Sandbox},
    session::Session,
    step::{self, Live, Rewrite, StepResult},
};
use crate::{
    content::{Corpus, PageSettings},
    markdown::RenderedPage,
    remote::Scenario,
    report::{self, Entry, Verdict},
    snippets::{Snippet, SnippetKind},
};

/// A snippet's verdict with what the report and `--overwrite` need.
#[derive(Debug, Clone)]
pub struct SnippetResult {
    pub verdict: Verdict,
    /// Why it failed (place, name, command, diff) or why it was not run; `None` when it passed.
    pub reason: Option<String>,
    pub duration: Duration,
    pub rewrites: Vec<Rewrite>,
    /// A transcript's actual output per command (empty for other kinds).
    pub outputs: Vec<String>,
}

impl SnippetResult {
    /// The report's line for `snippet`, whose result this is.
    pub(crate) fn entry(&self, snippet: &Snippet) -> Entry {
        Entry {
            name: snippet.test_name.clone(),
            file: snippet.file.to_string_lossy().replace('\\', "/"),
            line: snippet.line,
            verdict: self.verdict,
            reason: match self.verdict {
                Verdict::Failed => self.reason.as_deref().map(report::clip),
                _ => self.reason.clone(),
            },
            duration_ms: u64::try_from(self.duration.as_millis()).unwrap_or(u64::MAX),
            hash: snippet.hash(),
            ran: None,
            output: (!self.outputs.is_empty()).then(|| self.outputs.clone()),
            written: matches!(snippet.kind, crate::snippets::SnippetKind::File { .. }),
        }
    }
}

/// A site's snippets, ready to run.
pub struct Suite {
    /// Every snippet that is a test (all but `text`), in page order.
    pub snippets: Vec<Snippet>,
    place: Vec<Option<(usize, usize)>>,
    chains: Vec<Chain>,
    link: link::Config,
    /// Namespaces (the default) or `--no-sandbox`, and the site folder shown to snippets.
    options: Options,
}

struct Chain {
    members: Vec<usize>,
    settings: PageSettings,
    state: Mutex<ChainState>,
}

#[derive(Default)]
struct ChainState {
    results: Vec<StepResult>,
    live: Option<LiveChain>,
}

/// A running chain. Field order is drop order: the shell dies before its sandbox and remote.
struct LiveChain {
    session: Session,
    sandbox: Sandbox,
    link: Link,
}

impl Suite {
    /// The snippets of `rendered` (the pages of `corpus`, drafts left out), chained, each
    /// chain's mock remote started from `scenario` and its page's `[snippets]` settings. Duplicate
    /// test names are errors here.
    pub(crate) fn new(
        corpus: &Corpus,
        rendered: &[RenderedPage],
        scenario: Scenario,
    ) -> anyhow::Result<Suite> {
        let mut suite = Suite {
            snippets: Vec::new(),
            place: Vec::new(),
            chains: Vec::new(),
            link: link::Config::new(scenario),
            options: Options {
                isolation: if corpus.config.snippets.sandbox {
                    Isolation::Namespaces
                } else {
                    Isolation::EnvOnly
                },
                site: corpus.root.canonicalize().ok(),
            },
        };
        for page in rendered {
            let front = &corpus.pages[page.page].front;
            if front.draft {
                continue;
            }
            suite.add_page(&page.snippets, &front.snippets)?;
        }
        check_unique_names(&suite.snippets)?;
        Ok(suite)
    }

    fn add_page(&mut self, snippets: &[Snippet], settings: &PageSettings) -> anyhow::Result<()> {
        let mut chain: Option<usize> = None;
        for snippet in snippets.iter().filter(|s| s.is_test()) {
            let index = self.snippets.len();
            self.snippets.push(snippet.clone());
            if matches!(snippet.kind, SnippetKind::Ignored { .. }) {
                self.place.push(None);
                continue;
            }
            if chain.is_none() || snippet.attrs.isolated {
                self.chains.push(Chain {
                    members: Vec::new(),
                    settings: settings.clone(),
                    state: Mutex::default(),
                });
                chain = Some(self.chains.len() - 1);
            }
            let c = chain.unwrap_or_default();
            self.place.push(Some((c, self.chains[c].members.len())));
            self.chains[c].members.push(index);
        }
        Ok(())
    }

    /// Runs (or looks up) snippet `index`'s verdict.
    pub(crate) fn run(&self, index: usize) -> SnippetResult {
        let snippet = &self.snippets[index];
        let Some((c, pos)) = self.place[index] else {
            let reason = match &snippet.kind {
                SnippetKind::Ignored { reason } => reason.clone(),
                _ => "not run".to_string(),
            };
            return SnippetResult {
                verdict: Verdict::Ignored,
                reason: Some(matching::visible(&reason)),
                duration: Duration::ZERO,
                rewrites: Vec::new(),
                outputs: Vec::new(),
            };
        };
        let chain = &self.chains[c];
        let mut state = chain
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        while state.results.len() <= pos {
            let next = chain.members[state.results.len()];
            let result = self.step(chain, &mut state, next);
            state.results.push(result);
            if state.results.len() == chain.members.len() {
                state.live = None;
            }
        }
        self.verdict(chain, &state.results, pos)
    }

    fn step(&self, chain: &Chain, state: &mut ChainState, index: usize) -> StepResult {
        if state.live.is_none() && state.results.is_empty() {
            match self.start(chain) {
                Ok(live) => state.live = Some(live),
                Err(e) => {
                    let message = format!("could not start the sandbox: {e:#}");
                    return StepResult {
                        failure: Some(message.clone()),
                        replay_failure: Some(message),
                        ..StepResult::default()
                    };
                }
            }
        }
        let Some(live) = state.live.as_mut() else {
            let message = "the chain could not start".to_string();
            return StepResult {
                failure: Some(message.clone()),
                replay_failure: Some(message),
                ..StepResult::default()
            };
        };
        let unmap = |text: &str| live.link.unmap(text);
        let mut ctx = Live {
            sandbox: &live.sandbox,
            session: &mut live.session,
            unmap: &unmap,
        };
        step::run(&self.snippets[index], &mut ctx)
    }

    fn start(&self, chain: &Chain) -> anyhow::Result<LiveChain> {
        let link = self.link.start(&chain.settings)?;
        let sandbox = Sandbox::new(&link.network, &self.options).context("creating the sandbox")?;
        let session = Session::start(&sandbox, self.limits(chain)).context("starting bash")?;
        Ok(LiveChain {
            session,
            sandbox,
            link,
        })
    }

    fn verdict(&self, chain: &Chain, results: &[StepResult], pos: usize) -> SnippetResult {
        let own = &results[pos];
        let snippet = &self.snippets[chain.members[pos]];
        let mut message = String::new();
        let broken = results[..pos]
            .iter()
            .zip(&chain.members)
            .find_map(|(r, &m)| r.replay_failure.as_ref().map(|why| (m, why)));
        if let Some((m, why)) = broken {
            let s = &self.snippets[m];
            message.push_str(&format!(
                "step {} at {}:{} failed: {why}\n",
                s.test_name,
                s.file.display(),
                s.line
            ));
        }
        if let Some(failure) = &own.failure {
            message.push_str(&format!(
                "{}:{}: {} failed\n{failure}",
                snippet.file.display(),
                snippet.line,
                snippet.test_name
            ));
        }
        let (verdict, reason) = if message.is_empty() {
            (Verdict::Passed, None)
        } else {
            // The output of snippet code goes to terminals and the report: made visible.
            (Verdict::Failed, Some(matching::visible(&message)))
        };
        SnippetResult {
            verdict,
            reason,
            duration: own.duration,
            rewrites: own.rewrites.clone(),
            outputs: own.outputs.clone(),
        }
    }

    /// The chain's limits: CPU time per process bounded by the sum of its snippets' timeouts.
    fn limits(&self, chain: &Chain) -> Limits {
        let total: Duration = chain
            .members
            .iter()
            .map(|&m| self.snippets[m].timeout())
            .sum();
        Limits {
            cpu_seconds: total.as_secs().clamp(1, 86_400) + 1,
            ..Limits::DEFAULT
        }
    }

    /// Runs the chains without namespaces (`--no-sandbox`): only the environment is reset.
    pub(crate) fn set_isolation(&mut self, isolation: Isolation) {
        self.options.isolation = isolation;
    }

    /// Whether chains run in namespaces.
    pub(crate) fn isolation(&self) -> Isolation {
        self.options.isolation
    }

    /// When namespaces are asked for, checks once that they can be made here: the error names
    /// the cause and the setting to change (`helpsite test` exits 2 with it).
    pub(crate) fn check_isolation(&self) -> anyhow::Result<()> {
        if self.options.isolation == Isolation::Namespaces {
            super::jail::probe()?;
        }
        Ok(())
    }

    /// The snippets in an order that lets parallel runners work on different chains: the first
    /// snippet of every chain, then the second of every chain, … (ignored snippets first).
    pub(crate) fn parallel_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.snippets.len()).collect();
        order.sort_by_key(|&i| self.place[i].map(|(chain, pos)| (pos, chain)));
        order
    }

    /// The chain snippet `index` belongs to (`None` for ignored snippets).
    pub(crate) fn chain_of(&self, index: usize) -> Option<usize> {
        self.place[index].map(|(chain, _)| chain)
    }

    /// The scenario the chains' mock remotes start from.
    pub(crate) fn scenario(&self) -> &Scenario {
        &self.link.scenario
    }

    /// Tears every live chain down (shells killed, sandboxes removed, remotes stopped).
    pub fn shutdown(&self) {
        for chain in &self.chains {
            let mut state = chain
                .state
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            state.live = None;
        }
    }
}

/// Two snippets with one test name would be one test to libtest and nextest: an input error.
fn check_unique_names(snippets: &[Snippet]) -> anyhow::Result<()> {
    let mut seen = std::collections::HashMap::new();
    for s in snippets {
        if let Some(first) = seen.insert(s.test_name.as_str(), s) {
            anyhow::bail!(
                "{}:{}: test name `{}` is already used at {}:{}: give one a different `name=`",
                s.file.display(),
                s.line,
                s.test_name,
                first.file.display(),
                first.line
            );
        }
    }
    Ok(())
}

//! `helpsite test [FILTER] [--root DIR] [--report FILE] [--overwrite] [--scenario FILE]`: runs
//! the site's snippets with the same engine as `cargo test` (chains in parallel), shows progress
//! on a terminal, prints each failure and a summary, writes the JSON report, and with
//! `--overwrite` rewrites failing transcripts' expected output in the Markdown.

use std::{
    collections::BTreeMap,
    io::{IsTerminal as _, Write as _},
    path::PathBuf,
    sync::atomic::{AtomicUsize, Ordering},
    time::Instant,
};

use anyhow::Context as _;

use crate::{
    Outcome,
    harness::{self, Observer, Run, SnippetResult, Suite, Verdict, overwrite, sandbox::Isolation},
    remote::Scenario,
    report::Report,
    site::Site,
    snippets::Snippet,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Run only snippets whose test name contains this text.
    pub filter: Option<String>,
    /// The site's root folder (holding helpsite.toml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Write the JSON report here (the site build reads it for verification badges).
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Rewrite the expected output of failing transcripts in the Markdown, in place.
    #[arg(long)]
    pub overwrite: bool,
    /// Use this scenario file instead of helpsite.toml's [remote] table.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// Run without Linux namespaces: only the environment is reset (the report says
    /// `isolated: false`). Also `sandbox = false` under [snippets] in helpsite.toml.
    #[arg(long)]
    pub no_sandbox: bool,
}

pub fn execute(args: Args) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    crate::harness::cleanup::on_interrupt();
    let site = Site::load(&args.root)?;
    let scenario = args.scenario.as_deref().map(Scenario::load).transpose()?;
    let mut suite = site.suite(scenario)?;
    if args.no_sandbox {
        suite.set_isolation(Isolation::EnvOnly);
    }
    suite.check_isolation()?;
    let selected: Vec<usize> = (0..suite.snippets.len())
        .filter(|&i| {
            args.filter
                .as_ref()
                .is_none_or(|f| suite.snippets[i].test_name.contains(f.as_str()))
        })
        .collect();
    let run = harness::run(&suite, &selected, &Terminal::new(started));
    crate::harness::cleanup::exit_if_interrupted();
    suite.shutdown();
    if let Some(path) = &args.report {
        write_report(&suite, &run, path)?;
    }
    if args.overwrite {
        overwrite_failures(&suite, &args.root, &run)?;
    }
    Ok(if run.count(Verdict::Failed) == 0 {
        Outcome::Success
    } else {
        Outcome::ChecksFailed
    })
}

/// What `helpsite test` shows: a progress line on a terminal while snippets run, then one line
/// per snippet, every failure in full and a summary.
struct Terminal {
    started: Instant,
    done: AtomicUsize,
    total: AtomicUsize,
    tty: bool,
}

impl Terminal {
    fn new(started: Instant) -> Terminal {
        Terminal {
            started,
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
            tty: std::io::stderr().is_terminal(),
        }
    }
}

impl Observer for Terminal {
    fn started(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
    }

    fn finished(&self, _index: usize, snippet: &Snippet, _result: &SnippetResult) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.tty {
            let total = self.total.load(Ordering::Relaxed);
            eprint!("\r\x1b[2K[{n}/{total}] {}", snippet.test_name);
            let _ = std::io::stderr().flush();
        }
    }

    fn ended(&self, suite: &Suite, run: &Run) {
        if self.tty && !run.results.is_empty() {
            eprint!("\r\x1b[2K");
        }
        print_results(suite, run);
        print_summary(suite, run, self.started);
        if suite.isolation() == Isolation::EnvOnly {
            println!(
                "snippets ran WITHOUT the sandbox (--no-sandbox): on this machine, as this user, \
                 with only the environment reset"
            );
        }
    }
}

/// Prints one line per snippet and every failure in full.
fn print_results(suite: &Suite, run: &Run) {
    let mut failures = Vec::new();
    for (i, result) in &run.results {
        let name = &suite.snippets[*i].test_name;
        let reason = result.reason.as_deref().unwrap_or_default();
        match result.verdict {
            Verdict::Passed if is_written(&suite.snippets[*i]) => {
                println!("test {name} ... written")
            }
            Verdict::Passed => println!("test {name} ... ok"),
            Verdict::Ignored => println!("test {name} ... ignored, {reason}"),
            Verdict::Failed => {
                println!("test {name} ... FAILED");
                failures.push((name, reason));
            }
        }
    }
    for (name, message) in &failures {
        println!("\n---- {name} ----\n{message}");
    }
}

/// A `file=PATH` block: it writes a file and checks nothing, so it counts as written.
fn is_written(snippet: &Snippet) -> bool {
    matches!(snippet.kind, crate::snippets::SnippetKind::File { .. })
}

fn print_summary(suite: &Suite, run: &Run, started: Instant) {
    let written = run
        .results
        .iter()
        .filter(|(i, r)| r.verdict == Verdict::Passed && is_written(&suite.snippets[*i]))
        .count();
    let passed = run.count(Verdict::Passed) - written;
    let failed = run.count(Verdict::Failed);
    let ignored = run.count(Verdict::Ignored);
    let word = if failed == 0 { "ok" } else { "FAILED" };
    println!(
        "\nsnippets: {word}. {passed} passed; {failed} failed; {ignored} ignored; {written} written; finished in {:.2}s",
        started.elapsed().as_secs_f64()
    );
}

fn write_report(suite: &Suite, run: &Run, path: &std::path::Path) -> anyhow::Result<()> {
    let scenario = suite.scenario();
    let profile = format!("{:?}", scenario.profile).to_lowercase();
    let as_of = match scenario.as_of {
        Some(as_of) => as_of.date.to_string(),
        None => crate::remote::scenario::now_utc().date().to_string(),
    };
    let entries = run
        .results
        .iter()
        .map(|(i, r)| r.entry(&suite.snippets[*i]))
        .collect();
    let mut report = Report::new(&profile, &as_of, entries);
    report.isolated = suite.isolation() == Isolation::Namespaces;
    report.write(path).context("writing the snippet report")
}

fn overwrite_failures(suite: &Suite, root: &std::path::Path, run: &Run) -> anyhow::Result<()> {
    let mut by_file: BTreeMap<PathBuf, Vec<(&Snippet, &[_])>> = BTreeMap::new();
    for (i, result) in &run.results {
        if result.verdict == Verdict::Failed && !result.rewrites.is_empty() {
            let snippet = &suite.snippets[*i];
            by_file
                .entry(root.join(&snippet.file))
                .or_default()
                .push((snippet, &result.rewrites[..]));
        }
    }
    for (path, fixes) in by_file {
        let n = overwrite::rewrite_file(&path, &fixes)?;
        println!("overwrote {n} command(s) in {}", path.display());
    }
    Ok(())
}

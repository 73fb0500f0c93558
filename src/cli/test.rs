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
use rayon::prelude::*;

use crate::{
    Outcome,
    remote::Scenario,
    snippets::{
        Snippet, SnippetResult, Suite, Verdict, overwrite,
        report::{Entry, Report},
        sandbox::Isolation,
    },
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
    crate::snippets::cleanup::on_interrupt();
    let mut suite = Suite::load(&args.root)?;
    if let Some(path) = &args.scenario {
        suite.set_scenario(Scenario::load(path)?);
    }
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
    let results = run_all(&suite, &selected);
    crate::snippets::cleanup::exit_if_interrupted();
    suite.shutdown();
    let failed = print_results(&suite, &results);
    print_summary(&results, started);
    if suite.isolation() == Isolation::EnvOnly {
        println!(
            "snippets ran WITHOUT the sandbox (--no-sandbox): on this machine, as this user, \
             with only the environment reset"
        );
    }
    if let Some(path) = &args.report {
        write_report(&suite, &results, path)?;
    }
    if args.overwrite {
        overwrite_failures(&suite, &args.root, &results)?;
    }
    Ok(if failed == 0 {
        Outcome::Success
    } else {
        Outcome::ChecksFailed
    })
}

/// Runs the selected snippets, chains in parallel, each chain's snippets in order.
fn run_all(suite: &Suite, selected: &[usize]) -> Vec<(usize, SnippetResult)> {
    let mut groups: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
    for &i in selected {
        groups.entry(suite.chain_of(i)).or_default().push(i);
    }
    let total = selected.len();
    let done = AtomicUsize::new(0);
    let tty = std::io::stderr().is_terminal();
    let mut results: Vec<(usize, SnippetResult)> = groups
        .into_par_iter()
        .flat_map_iter(|(_, members)| {
            members
                .into_iter()
                .map(|i| {
                    let result = suite.run(i);
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if tty {
                        let name = &suite.snippets[i].test_name;
                        eprint!("\r\x1b[2K[{n}/{total}] {name}");
                        let _ = std::io::stderr().flush();
                    }
                    (i, result)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    if tty && total > 0 {
        eprint!("\r\x1b[2K");
    }
    results.sort_by_key(|(i, _)| *i);
    results
}

/// Prints one line per snippet and every failure in full; returns the number of failures.
fn print_results(suite: &Suite, results: &[(usize, SnippetResult)]) -> usize {
    let mut failures = Vec::new();
    for (i, result) in results {
        let name = &suite.snippets[*i].test_name;
        match &result.verdict {
            Verdict::Passed => println!("test {name} ... ok"),
            Verdict::Ignored(reason) => println!("test {name} ... ignored, {reason}"),
            Verdict::Failed(message) => {
                println!("test {name} ... FAILED");
                failures.push((name, message));
            }
        }
    }
    for (name, message) in &failures {
        println!("\n---- {name} ----\n{message}");
    }
    failures.len()
}

fn print_summary(results: &[(usize, SnippetResult)], started: Instant) {
    let count = |f: fn(&Verdict) -> bool| results.iter().filter(|(_, r)| f(&r.verdict)).count();
    let passed = count(|v| *v == Verdict::Passed);
    let failed = count(|v| matches!(v, Verdict::Failed(_)));
    let ignored = count(|v| matches!(v, Verdict::Ignored(_)));
    let word = if failed == 0 { "ok" } else { "FAILED" };
    println!(
        "\nsnippets: {word}. {passed} passed; {failed} failed; {ignored} ignored; finished in {:.2}s",
        started.elapsed().as_secs_f64()
    );
}

fn write_report(
    suite: &Suite,
    results: &[(usize, SnippetResult)],
    path: &std::path::Path,
) -> anyhow::Result<()> {
    let scenario = suite.scenario();
    let profile = format!("{:?}", scenario.profile).to_lowercase();
    let as_of = match scenario.as_of {
        Some(as_of) => as_of.date.to_string(),
        None => crate::remote::scenario::now_utc().date().to_string(),
    };
    let entries = results
        .iter()
        .map(|(i, r)| Entry::new(&suite.snippets[*i], r))
        .collect();
    let mut report = Report::new(&profile, &as_of, entries);
    report.isolated = suite.isolation() == Isolation::Namespaces;
    report.write(path).context("writing the snippet report")
}

fn overwrite_failures(
    suite: &Suite,
    root: &std::path::Path,
    results: &[(usize, SnippetResult)],
) -> anyhow::Result<()> {
    let mut by_file: BTreeMap<PathBuf, Vec<(&Snippet, &[_])>> = BTreeMap::new();
    for (i, result) in results {
        if matches!(result.verdict, Verdict::Failed(_)) && !result.rewrites.is_empty() {
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

//! `helpsite test [FILTER] [--root DIR] [--report FILE] [--overwrite] [--scenario FILE]`: runs
//! the site's snippets with the same engine as `cargo test` (chains in parallel), shows progress
//! on a terminal, prints each failure and a summary, writes the JSON report (by default
//! `ROOT/.helpsite-report.json`; a filtered run merges into it), and with `--overwrite` rewrites
//! failing transcripts' expected output in the Markdown.
//!
//! Colour goes through anstream: on a terminal that supports it, plain under `NO_COLOR`,
//! `TERM=dumb` or when the output is not a terminal (`CLICOLOR_FORCE=1` forces it). The
//! progress line (a cursor escape) is only drawn on a terminal that is not `TERM=dumb`.

use std::{
    collections::BTreeMap,
    io::{IsTerminal as _, Write as _},
    path::{Path, PathBuf},
    sync::atomic::{AtomicUsize, Ordering},
    time::Instant,
};

use anstyle::{AnsiColor, Style};

use crate::{
    Outcome,
    harness::{
        self, Observer, Run, SnippetResult, Suite, Verdict, overwrite, record, sandbox::Isolation,
    },
    output::verify::DEFAULT_REPORT,
    remote::Scenario,
    site::Site,
    snippets::Snippet,
};

const OK: Style = AnsiColor::Green.on_default();
const FAILED: Style = AnsiColor::Red.on_default().bold();
const IGNORED: Style = AnsiColor::Yellow.on_default();
const BOLD: Style = Style::new().bold();
const REMOVED: Style = AnsiColor::Red.on_default();
const ADDED: Style = AnsiColor::Green.on_default();

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Run only snippets whose test name contains this text.
    pub filter: Option<String>,
    /// The site's root folder (holding helpsite.toml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Write the JSON report here (the site build reads it for verification marks); default:
    /// ROOT/.helpsite-report.json. A filtered run merges its results into the report there.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Write no report.
    #[arg(long, conflicts_with = "report")]
    pub no_report: bool,
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

/// Runs `helpsite test`.
pub(super) fn execute(args: Args) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    super::check_root(&args.root)?;
    let site = Site::load(&args.root)?;
    let report = match args.no_report {
        true => None,
        false => Some(
            args.report
                .clone()
                .unwrap_or_else(|| args.root.join(DEFAULT_REPORT)),
        ),
    };
    let selection = Selection {
        filter: args.filter.as_deref(),
        scenario: args.scenario.as_deref(),
        no_sandbox: args.no_sandbox,
        report: report.as_deref(),
    };
    let tested = run(&site, &selection, started)?;
    if args.overwrite {
        overwrite_failures(&tested.suite, &args.root, &tested.run)?;
    } else {
        tested.hint_overwrite(&args.root, args.filter.as_deref());
    }
    Ok(tested.outcome())
}

/// Which snippets of a site to run, how, and where the report goes.
pub(super) struct Selection<'a> {
    /// Only test names containing this.
    pub filter: Option<&'a str>,
    /// A scenario file instead of the site's own.
    pub scenario: Option<&'a Path>,
    /// Without Linux namespaces.
    pub no_sandbox: bool,
    /// Where to save the report (`None`: nowhere).
    pub report: Option<&'a Path>,
}

/// A finished run: the suite it ran, its results and the report it saved.
pub(super) struct Tested {
    suite: Suite,
    run: Run,
    /// The report as saved (merged over the older one for a filtered run).
    pub report: Option<crate::report::Report>,
}

impl Tested {
    /// `Success` when no snippet failed.
    pub(super) fn outcome(&self) -> Outcome {
        match self.run.count(Verdict::Failed) {
            0 => Outcome::Success,
            _ => Outcome::ChecksFailed,
        }
    }

    /// Says how to accept new output into the Markdown, when a transcript's output changed.
    pub(super) fn hint_overwrite(&self, root: &Path, filter: Option<&str>) {
        if self.run.results.iter().any(|(_, r)| !r.rewrites.is_empty()) {
            print_overwrite_hint(root, filter);
        }
    }
}

/// Runs the selected snippets of `site` with progress and a summary on the terminal, and saves
/// the report: `helpsite test`, and `helpsite build --verify` before it builds.
pub(super) fn run(
    site: &Site,
    selection: &Selection<'_>,
    started: Instant,
) -> anyhow::Result<Tested> {
    crate::harness::cleanup::on_interrupt();
    let scenario = selection.scenario.map(Scenario::load).transpose()?;
    let mut suite = site.suite(scenario)?;
    if selection.no_sandbox {
        suite.set_isolation(Isolation::EnvOnly);
    }
    suite.check_isolation()?;
    let selected: Vec<usize> = (0..suite.snippets.len())
        .filter(|&i| {
            selection
                .filter
                .is_none_or(|f| suite.snippets[i].test_name.contains(f))
        })
        .collect();
    let run = harness::run(&suite, &selected, &Terminal::new(started));
    crate::harness::cleanup::exit_if_interrupted();
    suite.shutdown();
    let report = match selection.report {
        Some(path) => {
            let complete = selected.len() == suite.snippets.len();
            let report = record::report(&suite, &run.results);
            Some(record::save(&suite, report, complete, path)?)
        }
        None => None,
    };
    Ok(Tested { suite, run, report })
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
            // Cursor escapes only on a terminal that understands them.
            tty: std::io::stderr().is_terminal()
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb"),
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
            anstream::println!(
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
                anstream::println!("test {name} ... {OK}written{OK:#}");
            }
            Verdict::Passed => anstream::println!("test {name} ... {OK}ok{OK:#}"),
            Verdict::Ignored => {
                anstream::println!("test {name} ... {IGNORED}ignored{IGNORED:#}, {reason}");
            }
            Verdict::Failed => {
                anstream::println!("test {name} ... {FAILED}FAILED{FAILED:#}");
                failures.push((name, reason));
            }
        }
    }
    for (name, message) in &failures {
        anstream::println!("\n{BOLD}---- {name} ----{BOLD:#}");
        for line in message.lines() {
            let style = diff_style(line);
            anstream::println!("{style}{line}{style:#}");
        }
    }
}

/// Red for a diff's removed (expected) lines, green for added (actual) ones; snapbox's plain
/// diff puts line numbers first: `   2      - expected`, `        2 + actual`.
fn diff_style(line: &str) -> Style {
    let body = line.trim_start_matches(|c: char| c == ' ' || c.is_ascii_digit());
    if body.len() == line.len() {
        return Style::new();
    }
    if body.starts_with("- ") || body == "-" {
        REMOVED
    } else if body.starts_with("+ ") || body == "+" {
        ADDED
    } else {
        Style::new()
    }
}

/// How to accept what the commands printed, for a run with transcripts whose output differs.
fn print_overwrite_hint(root: &Path, filter: Option<&str>) {
    let mut command = String::from("helpsite test");
    if root != Path::new(".") {
        command.push_str(&format!(" --root {}", root.display()));
    }
    if let Some(filter) = filter {
        command.push_str(&format!(" {filter}"));
    }
    anstream::println!(
        "\n{BOLD}hint:{BOLD:#} if the new output is right, accept it into the Markdown with \
         `{command} --overwrite`"
    );
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
    let (word, style) = if failed == 0 {
        ("ok", OK)
    } else {
        ("FAILED", FAILED)
    };
    anstream::println!(
        "\nsnippets: {style}{word}{style:#}. {passed} passed; {failed} failed; {ignored} ignored; \
         {written} written; finished in {:.2}s",
        started.elapsed().as_secs_f64()
    );
}

fn overwrite_failures(suite: &Suite, root: &Path, run: &Run) -> anyhow::Result<()> {
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
        anstream::println!("overwrote {n} command(s) in {}", path.display());
    }
    Ok(())
}

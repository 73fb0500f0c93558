//! `helpsite build`: load the site at `--root`, render it and write it to `--out`.

use std::path::PathBuf;

use crate::output::verify::{self, Marks};
use crate::{
    Outcome,
    site::{Built, FailingSnippets, Site},
};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The site's folder (holds content/, optional templates/ and helpsite.toml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site; default: ROOT/public.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing on success.
    #[arg(long, short)]
    pub quiet: bool,
    /// The snippet report to mark snippets from (`helpsite test --report FILE`);
    /// default: ROOT/.helpsite-report.json when it exists.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Run every snippet first (writing the report), then build with the fresh marks.
    #[arg(long)]
    pub verify: bool,
    /// Publish even when the report records failing snippets (their marks say "failing").
    #[arg(long)]
    pub allow_failing: bool,
}

/// Runs `helpsite build`.
pub(super) fn execute(args: Args) -> anyhow::Result<Outcome> {
    super::check_root(&args.root)?;
    let out = args.out.clone().unwrap_or_else(|| args.root.join("public"));
    let site = Site::load(&args.root)?;
    let (marks, tests) = verification(&args, &site)?;
    let mut site = site.with_verification(marks);
    if !args.allow_failing {
        site = site.refusing_failing();
    }
    // Warnings first, so they are seen whether or not the build then succeeds.
    let warnings = &site.corpus.warnings;
    if !args.quiet {
        for warning in warnings {
            eprintln!("{warning}");
        }
    }
    let stats = match site.build(&out, None) {
        Err(err) if err.is::<FailingSnippets>() => {
            eprintln!("error: {err}");
            return Ok(Outcome::ChecksFailed);
        }
        Err(err) => return Err(err),
        Ok(Built::BrokenLinks(links)) => {
            for link in &links {
                eprintln!("{link}");
            }
            eprintln!(
                "error: {} broken link(s); {} was not changed",
                links.len(),
                out.display()
            );
            return Ok(Outcome::ChecksFailed);
        }
        Ok(Built::Site(stats)) => stats,
    };
    if !args.quiet {
        eprintln!(
            "built {} pages into {} (load {} ms, render {} ms, write {} ms)",
            stats.pages,
            out.display(),
            site.load_time.as_millis(),
            stats.render_time.as_millis(),
            stats.write_time.as_millis()
        );
    }
    if stats.failing > 0 {
        eprintln!(
            "warning: published {} snippet(s) marked failing (--allow-failing)",
            stats.failing
        );
    }
    if let Some(summary) = crate::content::warnings::summary(warnings).filter(|_| !args.quiet) {
        eprintln!("{summary}");
    }
    // With --verify, failing snippets fail the build too (the site is still written).
    Ok(tests)
}

/// The marks to build with: with `--verify`, from running every snippet of `site` first (its
/// report is saved as `helpsite test` saves it); else read from the report.
fn verification(args: &Args, site: &Site) -> anyhow::Result<(Marks, Outcome)> {
    let report = match &args.report {
        Some(path) if !args.verify && !path.exists() => {
            anyhow::bail!("--report {}: no such file", path.display())
        }
        Some(path) => path.clone(),
        None => args.root.join(verify::DEFAULT_REPORT),
    };
    if !args.verify {
        return Ok((Marks::load(&report)?, Outcome::Success));
    }
    let selection = super::test::Selection {
        filter: None,
        scenario: None,
        no_sandbox: false,
        report: Some(&report),
    };
    let tested = super::test::run(site, &selection, std::time::Instant::now())?;
    tested.hint_overwrite(&args.root, None);
    let marks = tested
        .report
        .clone()
        .map_or_else(Marks::none, Marks::from_report);
    Ok((marks, tested.outcome()))
}

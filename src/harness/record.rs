//! What a run leaves behind: the JSON report (`report::Report`) for the selected snippets, laid
//! over the previous report when only some snippets ran (`helpsite test NAME`, or the dev
//! server re-running the chains of the pages that changed), so a partial run never forgets the
//! verdicts of the snippets it did not run.

use std::path::Path;

use anyhow::Context as _;

use super::{SnippetResult, Suite, sandbox::Isolation};
use crate::report::Report;

/// The report of `results` (indices into `suite.snippets` with their results), on its own.
pub(crate) fn report(suite: &Suite, results: &[(usize, SnippetResult)]) -> Report {
    let scenario = suite.scenario();
    let profile = format!("{:?}", scenario.profile).to_lowercase();
    let as_of = match scenario.as_of {
        Some(as_of) => as_of.date.to_string(),
        None => crate::remote::scenario::now_utc().date().to_string(),
    };
    let entries = results
        .iter()
        .map(|(i, r)| r.entry(&suite.snippets[*i]))
        .collect();
    let mut report = Report::new(&profile, &as_of, entries);
    for entry in &mut report.snippets {
        entry.ran = Some(report.generated.clone());
    }
    report.isolated = suite.isolation() == Isolation::Namespaces;
    report
}

/// Writes `report` to `path`: as it is when `complete` (every snippet of the suite ran), else
/// merged over the report already there (a malformed one is an error: it is not overwritten).
pub(crate) fn save(
    suite: &Suite,
    report: Report,
    complete: bool,
    path: &Path,
) -> anyhow::Result<Report> {
    let report = if complete {
        report
    } else {
        match Report::read(path)? {
            Some(older) => {
                let known: Vec<&str> = suite
                    .snippets
                    .iter()
                    .map(|s| s.test_name.as_str())
                    .collect();
                report.merged_over(older, &known)
            }
            None => report,
        }
    };
    report.write(path).context("writing the snippet report")?;
    Ok(report)
}

//! `cargo test --test html_validity`: builds the repository's own site (content/) and the
//! fixture sites with the real binary, then runs the W3C Nu HTML Checker over every HTML and
//! CSS file they produce; any error fails the trial, with the checker's messages.
//!
//! The checker is `node_modules/vnu-jar/build/dist/vnu.jar` (`npm ci` installs it; it needs
//! `java`), or the jar named by `HELPSITE_VNU_JAR`. Without it the trials are reported as
//! ignored with that hint — never passed — and with `HELPSITE_REQUIRE_VNU=1` (as .ci/run sets)
//! they fail instead.

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::prelude::*;
use libtest_mimic::{Arguments, Completion, Failed, Trial};

/// Sites to check: (trial name, site root relative to the repository).
const SITES: &[(&str, &str)] = &[
    ("repo_content", "."),
    ("fixture_html", "tests/fixtures/html"),
    ("fixture_search", "tests/fixtures/search"),
];

fn main() {
    let args = Arguments::from_args();
    let trials = SITES
        .iter()
        .map(|&(name, root)| {
            Trial::ignorable_test(format!("html_validity::{name}"), move || check_site(root))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The checker to run, or why there is none.
fn vnu() -> Result<PathBuf, String> {
    let jar = std::env::var_os("HELPSITE_VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("node_modules/vnu-jar/build/dist/vnu.jar"));
    if !jar.is_file() {
        return Err(format!(
            "{} not found: run `npm ci` in the repository (and install java), or set HELPSITE_VNU_JAR",
            jar.display()
        ));
    }
    match Command::new("java").arg("-version").output() {
        Ok(out) if out.status.success() => Ok(jar),
        _ => Err("`java` not found: install a JRE (apt-get install default-jre-headless)".into()),
    }
}

fn check_site(root: &str) -> Result<Completion, Failed> {
    let jar = match vnu() {
        Ok(jar) => jar,
        Err(why) if std::env::var("HELPSITE_REQUIRE_VNU").as_deref() == Ok("1") => {
            return Err(format!("HELPSITE_REQUIRE_VNU=1 but {why}").into());
        }
        Err(why) => return Ok(Completion::ignored_with(why)),
    };
    let dir = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let out = dir.path().join("public");
    let build = Command::cargo_bin("helpsite")
        .map_err(|e| format!("helpsite binary: {e}"))?
        .args(["build", "--root"])
        .arg(repo().join(root))
        .arg("--out")
        .arg(&out)
        .output()
        .map_err(|e| format!("running helpsite: {e}"))?;
    if !build.status.success() {
        return Err(format!(
            "helpsite build failed:\n{}",
            String::from_utf8_lossy(&build.stderr)
        )
        .into());
    }
    let files = files_to_check(&out)?;
    if !files
        .iter()
        .any(|f| f.extension().is_some_and(|e| e == "html"))
    {
        return Err(format!("no HTML file in {}", out.display()).into());
    }
    run_vnu(&jar, &files)
}

/// Every `.html` and `.css` file under `out`, sorted.
fn files_to_check(out: &Path) -> Result<Vec<PathBuf>, Failed> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("walking {}: {e}", out.display()))?;
        if entry
            .path()
            .extension()
            .is_some_and(|e| e == "html" || e == "css")
        {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

fn run_vnu(jar: &Path, files: &[PathBuf]) -> Result<Completion, Failed> {
    let result = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--format", "gnu", "--also-check-css"])
        .args(files)
        .output()
        .map_err(|e| format!("running java -jar {}: {e}", jar.display()))?;
    let messages = String::from_utf8_lossy(&result.stderr);
    if result.status.success() && messages.trim().is_empty() {
        Ok(Completion::Completed)
    } else {
        Err(format!(
            "the Nu HTML Checker reports, over {} files:\n{messages}",
            files.len()
        )
        .into())
    }
}

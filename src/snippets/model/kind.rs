//! Which kind a snippet is ([`SnippetKind`]): decided from its language word, its attributes and
//! the site's `[snippets]` policy (runners, display-only languages, bare fences), with the
//! combinations that make no sense refused with the reason.

use super::{Attrs, SnippetKind};
use crate::config::{BareFences, SnippetPolicy};

/// Decides the kind from the language, the attributes and the site's `[snippets]` policy,
/// rejecting combinations that make no sense.
pub(super) fn classify(
    lang: &str,
    attrs: &Attrs,
    policy: &SnippetPolicy,
) -> Result<SnippetKind, String> {
    let runner = policy.run.get(lang);
    let runnable =
        matches!(lang, "console" | "sh" | "bash" | "shell" | "python") || runner.is_some();
    if lang.is_empty() {
        if policy.bare_fences == BareFences::Text && *attrs == Attrs::default() {
            return Ok(SnippetKind::Text);
        }
        return Err(
            "code block without a language: say `text` for plain text (or set \
                    `bare_fences = \"text\"` under [snippets] in helpsite.toml)"
                .into(),
        );
    }
    let display_only = policy.display_only.iter().any(|l| l == lang);
    if display_only && attrs.file.is_none() && attrs.ignore.is_none() {
        if attrs.status.is_some() || !attrs.answers.is_empty() {
            return Err(format!(
                "`{lang}` blocks are display_only (helpsite.toml): `status` and `answer` do not apply"
            ));
        }
        return Ok(SnippetKind::Text);
    }
    if lang == "text" {
        if *attrs != Attrs::default() {
            return Err("`text` blocks are not run, so they take no attributes".into());
        }
        return Ok(SnippetKind::Text);
    }
    if lang == "console" && attrs.file.is_some() {
        return Err("a console transcript is run, not written: `file=` does not apply".into());
    }
    // A script with `file=` is written, not run (the reader saves it and runs it later, as the
    // guide then shows): it behaves as a config block, so `status` and `answer` do not apply.
    let runnable = runnable && attrs.file.is_none();
    if lang == "console" && attrs.status.is_some() {
        return Err("a console transcript states each command's status with a `? N` line".into());
    }
    if !runnable && (attrs.status.is_some() || !attrs.answers.is_empty()) {
        return Err(format!(
            "`{lang}` blocks are not run: `status` and `answer` do not apply"
        ));
    }
    if let Some(reason) = &attrs.ignore {
        return Ok(SnippetKind::Ignored {
            reason: reason.clone(),
        });
    }
    Ok(match (lang, &attrs.file) {
        (_, Some(path)) => SnippetKind::File { path: path.clone() },
        ("console", _) => SnippetKind::Console {
            commands: Vec::new(),
        },
        ("sh" | "bash" | "shell", _) => SnippetKind::Script,
        ("python", _) => SnippetKind::Python,
        (_, None) if runner.is_some() => SnippetKind::Run {
            interpreter: runner.cloned().unwrap_or_default(),
        },
        (_, None) => {
            return Err(format!(
                "`{lang}` blocks are not run: add `{{file=PATH}}` to write it into the sandbox, \
                 or `{{ignore=\"reason\"}}`"
            ));
        }
    })
}

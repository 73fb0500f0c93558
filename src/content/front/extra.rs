//! The keys of a page's front matter that helpsite does not type: kept for templates under
//! `extra` (an `[extra]` table's keys merged in), except a key one typo away from one of
//! helpsite's, which is an error located on its line with the suggestion.

use std::path::Path;

use serde_json::{Map, Value};

use super::Split;
use crate::config::{TomlError, suggest};

/// helpsite's own keys and the ones it honours, in the order a suggestion prefers them.
const KEYS: &[&str] = &[
    "title",
    "description",
    "weight",
    "draft",
    "snippets",
    "date",
    "updated",
    "lastmod",
    "slug",
    "aliases",
    "template",
    "extra",
];

/// Other generators' keys that are near one of [`KEYS`] but mean something else: kept under
/// `extra`, never "corrected".
const FOREIGN: &[&str] = &[
    "type", "path", "tags", "layout", "author", "authors", "url", "render", "series", "dates",
];

/// The keys helpsite does not type, with an `[extra]` table's keys merged in; a key one typo
/// away from one of helpsite's is an error.
pub(super) fn extra_of(
    mut all: Map<String, Value>,
    split: &Split<'_>,
    file: &Path,
) -> Result<Map<String, Value>, TomlError> {
    let mut extra = match all.remove("extra") {
        Some(Value::Object(map)) => map,
        Some(other) => Map::from_iter([("extra".to_string(), other)]),
        None => Map::new(),
    };
    for (key, value) in all {
        if KEYS.contains(&key.as_str()) {
            continue;
        }
        if !FOREIGN.contains(&key.as_str())
            && let Some(near) = suggest(&key, KEYS)
        {
            let (line, column) = key_position(split, &key);
            return Err(TomlError {
                file: file.to_path_buf(),
                line,
                column,
                message: format!(
                    "unknown key `{key}`: did you mean `{near}`? (other generators' keys \
                     are kept for templates under `extra`; this one is too close to a \
                     helpsite key to guess)"
                ),
            });
        }
        extra.insert(key, value);
    }
    Ok(extra)
}

/// Line and column of the first line of the front matter that starts with `key`.
fn key_position(split: &Split<'_>, key: &str) -> (usize, usize) {
    for (i, line) in split.front.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with(key) {
            return (split.front_line + i, line.len() - trimmed.len() + 1);
        }
    }
    (split.front_line, 1)
}

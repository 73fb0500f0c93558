//! Heading ids: lowercase words joined by `-`, made unique within a page by `-1`, `-2`, …
//! The snippet test names use the same ids, so both stay in step.

use std::collections::HashMap;

/// Hands out unique slugs for one page.
#[derive(Debug, Default)]
pub struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    pub fn slug(&mut self, text: &str) -> String {
        let base = slugify(text);
        let n = self.seen.entry(base.clone()).or_insert(0);
        let id = if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        *n += 1;
        id
    }
}

/// `Fix it: use an API token` → `fix-it-use-an-api-token`. Never empty.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedupes_and_normalises() {
        let mut s = Slugger::default();
        assert_eq!(
            s.slug("Fix it: use an API token"),
            "fix-it-use-an-api-token"
        );
        assert_eq!(
            s.slug("Fix it: use an API token"),
            "fix-it-use-an-api-token-1"
        );
        assert_eq!(s.slug("!!!"), "section");
    }
}

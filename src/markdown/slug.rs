//! Heading ids: lowercase words joined by `-`, made unique within a page by `-1`, `-2`, …
//! The snippet test names use the same ids, so both stay in step.

use std::collections::{HashMap, HashSet};

/// Hands out unique slugs for one page.
#[derive(Debug, Default)]
pub(crate) struct Slugger {
    /// Every id handed out or claimed.
    taken: HashSet<String>,
    /// The next suffix to try for a base slug.
    next: HashMap<String, usize>,
}

impl Slugger {
    /// Reserves an id given explicitly (`# Title {#id}`) so no slug takes it.
    pub(crate) fn claim(&mut self, id: &str) {
        self.taken.insert(id.to_string());
    }

    /// A unique id for a heading with this text: its slug, else the slug with `-1`, `-2`, …
    pub(crate) fn slug(&mut self, text: &str) -> String {
        let base = slugify(text);
        let mut n = self.next.get(&base).copied().unwrap_or(0);
        loop {
            let id = if n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            n += 1;
            if self.taken.insert(id.clone()) {
                self.next.insert(base, n);
                return id;
            }
        }
    }
}

/// `Fix it: use an API token` → `fix-it-use-an-api-token`. Never empty.
pub(crate) fn slugify(text: &str) -> String {
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
        // `a-1` is taken by a heading literally called "A 1": the second "A" skips it.
        let mut s = Slugger::default();
        assert_eq!(s.slug("A"), "a");
        assert_eq!(s.slug("A 1"), "a-1");
        assert_eq!(s.slug("A"), "a-2");
        let mut s = Slugger::default();
        s.claim("intro");
        assert_eq!(s.slug("Intro"), "intro-1");
    }
}

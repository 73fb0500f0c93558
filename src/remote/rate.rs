//! Rate limiting, when the scenario asks for it (`limits.rate_limit_per_hour`): requests per
//! user per hour, the anonymous ones counted together (on loopback every client has the same
//! IP), Git and the REST API alike. Past the limit a request gets 429 with the text of
//! bitbucket-facts.md §6.6 (`Rate limit for this resource has been exceeded` [V-doc KB]; that
//! it comes as `text/plain` on both hosts is [I]). Windows are fixed hours from the first
//! request of each user.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(crate) const TEXT: &str = "Rate limit for this resource has been exceeded";
const WINDOW: Duration = Duration::from_secs(3600);

/// Counters per user; `limit = None` lets everything through.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    limit: Option<u32>,
    seen: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    pub(crate) fn new(limit: Option<u32>) -> Self {
        RateLimiter {
            limit,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request of `user` (`None`: anonymous); false once it is over the limit.
    pub(crate) fn allow(&self, user: Option<&str>) -> bool {
        self.allow_at(user, Instant::now())
    }

    fn allow_at(&self, user: Option<&str>, now: Instant) -> bool {
        let Some(limit) = self.limit else {
            return true;
        };
        let Ok(mut seen) = self.seen.lock() else {
            return true;
        };
        let key = user.map_or_else(|| "\0anonymous".to_string(), str::to_string);
        let entry = seen.entry(key).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1 <= limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_user_and_resets_after_an_hour() {
        let r = RateLimiter::new(Some(2));
        let t0 = Instant::now();
        assert!(r.allow_at(Some("a"), t0) && r.allow_at(Some("a"), t0));
        assert!(!r.allow_at(Some("a"), t0));
        assert!(r.allow_at(Some("b"), t0) && r.allow_at(None, t0));
        assert!(r.allow_at(Some("a"), t0 + WINDOW));
        assert!(RateLimiter::new(None).allow_at(None, t0));
    }
}

//! How much an endpoint can make one load do. A broken or hostile endpoint (a listing whose page
//! tokens go round in a circle, an endless or huge answer, a million runs, builds dated next
//! year) runs into these and the load ends with a problem naming what was cut, instead of
//! fetching forever or filling the tab's memory.

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};

use triage_core::prow::BuildId;

use super::error::FailKind;

/// Pages read per listing: 100,000 names, far more than any folder of the real bucket holds.
pub const MAX_LISTING_PAGES: u32 = 100;
/// Largest JSON answer (listing page, `finished.json`, pointer, leaderboard): real ones are
/// under 100 kB.
pub const MAX_JSON_BYTES: u64 = 1_000_000;
/// Largest JUnit file: real ones are 0.1–3 MB, the largest seen about 30 MB.
pub const MAX_JUNIT_BYTES: u64 = 256_000_000;
/// Runs read per load: a 31-day window of every e2e lane is about 20,000.
pub const MAX_RUNS: u32 = 25_000;
/// Runs read per lane in the stretch before the window, newest first: a busy
/// lane runs about 300 times a week.
pub const MAX_EARLIER_RUNS: usize = 400;
/// Largest `quarantine.json`: a real one lists a few dozen tests in under 200 kB.
pub const MAX_QUARANTINE_BYTES: u64 = 500_000;
/// A request fails when no byte has come for this long (not when the whole download is slow:
/// a 30 MB JUnit file at 1 MB/s takes 30 s and completes).
pub const IDLE_TIMEOUT_MS: u32 = 30_000;
/// Builds dated further than this after the bucket's "now" are refused: clocks drift a little,
/// a snowflake from next year is a broken or hostile bucket.
pub const MAX_AHEAD_HOURS: i64 = 24;
/// Tries per URL, the first included, on throttling, server errors and network trouble.
pub const ATTEMPTS: u32 = 4;
/// The pause before the first retry; each further pause doubles.
pub const FIRST_BACKOFF_MS: u32 = 300;

/// Milliseconds to wait before retry number `retry` (1-based): doubling from `first_ms`.
pub fn backoff_ms(first_ms: u32, retry: u32) -> u32 {
    first_ms.saturating_mul(1 << retry.saturating_sub(1).min(16))
}

/// The page tokens of one listing so far: a token seen before, or more than
/// [`MAX_LISTING_PAGES`] pages, ends the listing.
#[derive(Debug, Default)]
pub struct PageTokens {
    seen: HashSet<String>,
    pages: u32,
}

impl PageTokens {
    /// Notes that a page was read and returns the token of the next one to read, `None` when
    /// the listing is complete, or why it must stop.
    pub fn next(&mut self, token: Option<String>) -> Result<Option<String>, FailKind> {
        self.pages += 1;
        let Some(token) = token.filter(|token| !token.is_empty()) else {
            return Ok(None);
        };
        if self.pages >= MAX_LISTING_PAGES {
            return Err(FailKind::TooManyPages {
                limit: MAX_LISTING_PAGES,
            });
        }
        if !self.seen.insert(token.clone()) {
            return Err(FailKind::TokenRepeated { pages: self.pages });
        }
        Ok(Some(token))
    }
}

/// Whether an answer that declares `content_length` bytes is over `limit`, before reading it.
pub fn declared_over(content_length: Option<&str>, limit: u64) -> bool {
    content_length
        .and_then(|value| value.trim().parse::<u64>().ok())
        .is_some_and(|length| length > limit)
}

/// Whether `build` is dated more than [`MAX_AHEAD_HOURS`] after `now`.
pub fn is_future(build: BuildId, now: DateTime<Utc>) -> bool {
    build.time() > now + TimeDelta::hours(MAX_AHEAD_HOURS)
}

/// Runs a load may still read; counts down from [`MAX_RUNS`].
#[derive(Debug)]
pub struct RunBudget {
    left: u32,
    /// Runs found after the budget ran out.
    pub skipped: u32,
}

impl Default for RunBudget {
    fn default() -> Self {
        RunBudget::new(MAX_RUNS)
    }
}

impl RunBudget {
    pub fn new(limit: u32) -> RunBudget {
        RunBudget {
            left: limit,
            skipped: 0,
        }
    }

    /// Takes one run from the budget; `false` once it is spent.
    pub fn take(&mut self) -> bool {
        match self.left.checked_sub(1) {
            Some(left) => {
                self.left = left;
                true
            }
            None => {
                self.skipped += 1;
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_ends_on_its_last_page() {
        let mut tokens = PageTokens::default();
        assert_eq!(tokens.next(Some("a".into())), Ok(Some("a".into())));
        assert_eq!(tokens.next(Some("b".into())), Ok(Some("b".into())));
        assert_eq!(tokens.next(Some(String::new())), Ok(None));
        assert_eq!(PageTokens::default().next(None), Ok(None));
    }

    #[test]
    fn a_token_cycle_stops_at_the_first_repeat() {
        let mut tokens = PageTokens::default();
        assert_eq!(tokens.next(Some("A".into())), Ok(Some("A".into())));
        assert_eq!(tokens.next(Some("B".into())), Ok(Some("B".into())));
        assert_eq!(
            tokens.next(Some("A".into())),
            Err(FailKind::TokenRepeated { pages: 3 })
        );
    }

    #[test]
    fn an_endless_listing_stops_at_the_page_cap() {
        let mut tokens = PageTokens::default();
        let mut read = 0;
        let stop = loop {
            read += 1;
            match tokens.next(Some(format!("token-{read}"))) {
                Ok(Some(_)) => continue,
                Ok(None) => panic!("an endless listing never ends by itself"),
                Err(stop) => break stop,
            }
        };
        assert_eq!(read, MAX_LISTING_PAGES);
        assert_eq!(
            stop,
            FailKind::TooManyPages {
                limit: MAX_LISTING_PAGES
            }
        );
        assert!(!stop.can_retry());
    }

    #[test]
    fn declared_lengths_over_the_limit_are_refused_before_reading() {
        assert!(declared_over(Some("1000001"), MAX_JSON_BYTES));
        assert!(!declared_over(Some(" 1000000 "), MAX_JSON_BYTES));
        assert!(declared_over(Some("256000001"), MAX_JUNIT_BYTES));
        assert!(!declared_over(Some("30000000"), MAX_JUNIT_BYTES));
        // No or an unreadable header: the streamed count decides.
        assert!(!declared_over(None, 1));
        assert!(!declared_over(Some("lots"), 1));
        assert!(!declared_over(Some("-5"), 1));
    }

    #[test]
    fn builds_more_than_a_day_ahead_are_future() {
        let now = DateTime::parse_from_rfc3339("2026-08-22T15:00:00Z")
            .unwrap()
            .to_utc();
        let at = |hours: i64| BuildId::first_at(now + TimeDelta::hours(hours)).unwrap();
        assert!(!is_future(at(-100), now));
        assert!(!is_future(at(23), now), "clock drift is tolerated");
        assert!(is_future(at(25), now));
        assert!(is_future(BuildId(u64::MAX), now));
    }

    #[test]
    fn the_run_budget_counts_what_it_turns_away() {
        let mut budget = RunBudget::new(2);
        assert_eq!(
            [(); 5].map(|()| budget.take()),
            [true, true, false, false, false]
        );
        assert_eq!(budget.skipped, 3);
        assert!(RunBudget::default().take());
    }

    #[test]
    fn backoff_doubles_and_saturates() {
        assert_eq!(
            [1, 2, 3, 4].map(|retry| backoff_ms(250, retry)),
            [250, 500, 1000, 2000]
        );
        assert_eq!(backoff_ms(250, 0), 250);
        assert_eq!(backoff_ms(u32::MAX, 40), u32::MAX);
    }
}

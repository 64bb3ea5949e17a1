//! How a load is going: what it counted, what failed and why, in the shapes the page shows.

use std::fmt;

use super::discover::Task;

/// Running totals of a load.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Jobs found that the filter keeps, and how many of them have had their runs listed.
    pub jobs: u32,
    pub jobs_listed: u32,
    /// Runs found, and how many of them are loaded (from the network or the cache).
    pub runs: u32,
    pub runs_loaded: u32,
    pub runs_failed: u32,
    pub runs_cached: u32,
    /// Objects downloaded and bytes received (listings included).
    pub files: u32,
    pub bytes: u64,
}

/// Whether a load is still under way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Phase {
    #[default]
    Idle,
    Loading,
    Done,
}

impl Phase {
    /// Lowercase name, for a `data-phase` attribute that tests and styles can key on.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Loading => "loading",
            Phase::Done => "done",
        }
    }
}

/// Something that went wrong without stopping the rest of the load.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Unique within a page, so a retry button finds its problem.
    pub id: u32,
    /// The URL that failed, or the run it is about.
    pub target: String,
    pub reason: String,
    /// The step to run again; `None` when retrying cannot help (a cut-off file).
    pub retry: Option<Task>,
}

/// Why a fetch failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FailKind {
    NotFound,
    Status(u16),
    /// The browser could not reach the server (offline, DNS, CORS, refused).
    Network(String),
    TimedOut {
        seconds: u32,
    },
    /// The answer came but is not what was asked for (bad JSON, say).
    Invalid(String),
}

impl FailKind {
    /// Worth another try after a pause: throttling, server errors and network trouble.
    pub fn is_transient(&self) -> bool {
        match self {
            FailKind::Status(code) => *code == 429 || *code >= 500,
            FailKind::Network(_) | FailKind::TimedOut { .. } => true,
            FailKind::NotFound | FailKind::Invalid(_) => false,
        }
    }
}

impl fmt::Display for FailKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailKind::NotFound => f.write_str("not found"),
            FailKind::Status(code) => write!(f, "HTTP {code}"),
            FailKind::Network(detail) => write!(f, "network error: {detail}"),
            FailKind::TimedOut { seconds } => write!(f, "no answer within {seconds} s"),
            FailKind::Invalid(detail) => write!(f, "unreadable answer: {detail}"),
        }
    }
}

/// A fetch that failed for good, after any retries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchError {
    pub url: String,
    pub kind: FailKind,
    pub attempts: u32,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.url, self.reason())
    }
}

impl FetchError {
    /// An answer that came but could not be read.
    pub fn invalid(url: &str, detail: impl Into<String>) -> FetchError {
        FetchError {
            url: url.to_owned(),
            kind: FailKind::Invalid(detail.into()),
            attempts: 1,
        }
    }

    /// The failure without the URL, noting retries.
    pub fn reason(&self) -> String {
        match self.attempts {
            0 | 1 => self.kind.to_string(),
            n => format!("{} (after {n} attempts)", self.kind),
        }
    }
}

/// The scheme, host and port of a URL (all of it when it has no path).
pub fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    match url[after_scheme..].find(['/', '?', '#']) {
        Some(at) => &url[..after_scheme + at],
        None => url,
    }
}

/// Milliseconds to wait before retry number `retry` (1-based): doubling from `first_ms`.
pub fn backoff_ms(first_ms: u32, retry: u32) -> u32 {
    first_ms.saturating_mul(1 << retry.saturating_sub(1).min(16))
}

/// `1.2 MB`, `350 kB`, `12 B`: decimal units, one decimal from MB on.
pub fn human_bytes(bytes: u64) -> String {
    const KB: u64 = 1000;
    const MB: u64 = KB * KB;
    match bytes {
        b if b < KB => format!("{b} B"),
        b if b < MB => format!("{} kB", b / KB),
        b => format!("{:.1} MB", b as f64 / MB as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_transient_failures_are_retried() {
        for kind in [
            FailKind::Status(429),
            FailKind::Status(500),
            FailKind::Status(503),
            FailKind::Network("x".into()),
            FailKind::TimedOut { seconds: 1 },
        ] {
            assert!(kind.is_transient(), "{kind}");
        }
        for kind in [
            FailKind::NotFound,
            FailKind::Status(403),
            FailKind::Status(400),
            FailKind::Invalid("x".into()),
        ] {
            assert!(!kind.is_transient(), "{kind}");
        }
    }

    #[test]
    fn errors_name_the_url_and_the_attempts() {
        let error = FetchError {
            url: "http://x/o".into(),
            kind: FailKind::Status(500),
            attempts: 4,
        };
        assert_eq!(error.to_string(), "http://x/o: HTTP 500 (after 4 attempts)");
        let once = FetchError {
            attempts: 1,
            kind: FailKind::Network("Failed to fetch".into()),
            ..error
        };
        assert_eq!(once.reason(), "network error: Failed to fetch");
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin("http://127.0.0.1:9/storage/v1/b/x/o?prefix=a"),
            "http://127.0.0.1:9"
        );
        assert_eq!(origin("https://kubevirt.io?x=1"), "https://kubevirt.io");
        assert_eq!(origin("https://kubevirt.io"), "https://kubevirt.io");
        assert_eq!(origin("./sample/manifest.json"), ".");
        assert_eq!(origin("not a url"), "not a url");
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

    #[test]
    fn bytes_read_like_a_person_would_say_them() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(35_400), "35 kB");
        assert_eq!(human_bytes(1_250_000), "1.2 MB");
        assert_eq!(human_bytes(u64::MAX), "18446744073709.6 MB");
    }
}

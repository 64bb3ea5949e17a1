//! What goes wrong in a load, typed: why one fetch failed ([`FailKind`]), a fetch that failed for
//! good ([`FetchError`]), and everything a load reports without stopping ([`LoadError`]).

use std::fmt;

use triage_core::decimal::one_decimal;
use triage_core::junit::ParseError;
use triage_core::prow::BuildId;

/// Why a fetch failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FailKind {
    NotFound,
    Status(u16),
    /// The browser could not reach the server (offline, DNS, CORS, refused).
    Network(String),
    /// No byte came for this long.
    Idle {
        seconds: u32,
    },
    /// The answer came but is not what was asked for (bad JSON, say).
    Invalid(String),
    /// The answer is, or says it is, bigger than the page reads.
    TooLarge {
        limit: u64,
    },
    /// A listing named a page token it had named before: it would go round forever.
    TokenRepeated {
        pages: u32,
    },
    /// A listing went on past the most pages the page reads.
    TooManyPages {
        limit: u32,
    },
}

impl FailKind {
    /// Worth another try after a pause: throttling, server errors and network trouble.
    pub fn is_transient(&self) -> bool {
        match self {
            FailKind::Status(code) => *code == 429 || *code >= 500,
            FailKind::Network(_) | FailKind::Idle { .. } => true,
            _ => false,
        }
    }

    /// Whether a person's retry can help: not when the endpoint broke a bound, which it would
    /// break again.
    pub fn can_retry(&self) -> bool {
        !matches!(
            self,
            FailKind::TooLarge { .. }
                | FailKind::TokenRepeated { .. }
                | FailKind::TooManyPages { .. }
        )
    }
}

impl fmt::Display for FailKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailKind::NotFound => f.write_str("not found"),
            FailKind::Status(code) => write!(f, "HTTP {code}"),
            FailKind::Network(detail) => write!(f, "network error: {detail}"),
            FailKind::Idle { seconds } => write!(f, "no data for {seconds} s"),
            FailKind::Invalid(detail) => write!(f, "unreadable answer: {detail}"),
            FailKind::TooLarge { limit } => {
                write!(f, "larger than {}, the most the page reads", human_bytes(*limit))
            }
            FailKind::TokenRepeated { pages } => write!(
                f,
                "listing stopped after {pages} pages: it repeats a page token, so it would never end"
            ),
            FailKind::TooManyPages { limit } => write!(
                f,
                "listing stopped after {limit} pages, the most the page reads; the rest is not loaded"
            ),
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
    /// A failure found on the first try.
    pub fn new(url: &str, kind: FailKind) -> FetchError {
        FetchError {
            url: url.to_owned(),
            kind,
            attempts: 1,
        }
    }

    /// An answer that came but could not be read.
    pub fn invalid(url: &str, detail: impl Into<String>) -> FetchError {
        FetchError::new(url, FailKind::Invalid(detail.into()))
    }

    /// The failure without the URL, noting retries.
    pub fn reason(&self) -> String {
        match self.attempts {
            0 | 1 => self.kind.to_string(),
            n => format!("{} (after {n} attempts)", self.kind),
        }
    }
}

/// Something a load reports without stopping.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    /// A step's fetch failed, or a listing was cut at a bound.
    Fetch(FetchError),
    /// A JUnit file that ends early or is not well-formed: the failures before are kept.
    BrokenJunit { url: String, error: ParseError },
    /// A leaderboard entry that names no run.
    NotARun { entry: String },
    /// A build dated further ahead of the bucket's "now" than
    /// [`MAX_AHEAD_HOURS`](super::bounds::MAX_AHEAD_HOURS), not loaded.
    FutureBuild { url: String, build: BuildId },
    /// The load found more runs than it reads.
    TooManyRuns { limit: u32 },
    /// A job folder held more runs in the stretch before the window than are read there.
    EarlierCut {
        job: String,
        kept: usize,
        left: usize,
    },
}

impl LoadError {
    /// The URL the problem is about, if there is one to show.
    pub fn target(&self) -> Option<&str> {
        match self {
            LoadError::Fetch(error) => Some(&error.url),
            LoadError::BrokenJunit { url, .. } | LoadError::FutureBuild { url, .. } => Some(url),
            LoadError::NotARun { entry } => Some(entry),
            LoadError::TooManyRuns { .. } => None,
            LoadError::EarlierCut { job, .. } => Some(job),
        }
    }
}

impl From<FetchError> for LoadError {
    fn from(error: FetchError) -> LoadError {
        LoadError::Fetch(error)
    }
}

impl fmt::Display for LoadError {
    /// The reason, without the target.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Fetch(error) => f.write_str(&error.reason()),
            LoadError::BrokenJunit { error, .. } => write!(
                f,
                "JUnit file cut short or malformed ({error}); the failures before that point are kept"
            ),
            LoadError::NotARun { .. } => f.write_str("not a Prow run URL"),
            LoadError::FutureBuild { build, .. } => write!(
                f,
                "build {build} is dated {}, more than a day ahead: not loaded",
                // The date alone, and no strftime: chrono's formatter costs the page kilobytes.
                build.time().date_naive()
            ),
            LoadError::TooManyRuns { limit } => write!(
                f,
                "stopped at {limit} runs, the most one load reads: narrow the time window or the jobs"
            ),
            LoadError::EarlierCut { kept, left, .. } => write!(
                f,
                "before the window, only the newest {kept} runs were read to check new failures; {left} older left out"
            ),
        }
    }
}

/// `1.2 MB`, `350 kB`, `12 B`: decimal units, one decimal from MB on.
pub fn human_bytes(bytes: u64) -> String {
    const KB: u64 = 1000;
    const MB: u64 = KB * KB;
    match bytes {
        b if b < KB => format!("{b} B"),
        b if b < MB => format!("{} kB", b / KB),
        b => format!("{} MB", one_decimal(b as f64 / MB as f64)),
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
            FailKind::Idle { seconds: 1 },
        ] {
            assert!(kind.is_transient(), "{kind}");
            assert!(kind.can_retry(), "{kind}");
        }
        for kind in [
            FailKind::NotFound,
            FailKind::Status(403),
            FailKind::Status(400),
            FailKind::Invalid("x".into()),
            FailKind::TooLarge { limit: 1 },
            FailKind::TokenRepeated { pages: 3 },
            FailKind::TooManyPages { limit: 100 },
        ] {
            assert!(!kind.is_transient(), "{kind}");
        }
    }

    #[test]
    fn broken_bounds_offer_no_retry() {
        for kind in [
            FailKind::TooLarge { limit: 1 },
            FailKind::TokenRepeated { pages: 3 },
            FailKind::TooManyPages { limit: 100 },
        ] {
            assert!(!kind.can_retry(), "{kind}");
        }
        assert_eq!(
            FailKind::TooLarge { limit: 1_000_000 }.to_string(),
            "larger than 1.0 MB, the most the page reads"
        );
    }

    #[test]
    fn errors_name_the_url_and_the_attempts() {
        let error = FetchError {
            url: "http://x/o".into(),
            kind: FailKind::Status(500),
            attempts: 4,
        };
        assert_eq!(error.to_string(), "http://x/o: HTTP 500 (after 4 attempts)");
        let once = FetchError::new("http://x/o", FailKind::Network("Failed to fetch".into()));
        assert_eq!(once.reason(), "network error: Failed to fetch");
    }

    #[test]
    fn load_errors_keep_their_target() {
        let fetch = LoadError::from(FetchError::new("http://x/o", FailKind::NotFound));
        assert_eq!(
            (fetch.target(), fetch.to_string().as_str()),
            (Some("http://x/o"), "not found")
        );
        let future = LoadError::FutureBuild {
            url: "http://x/f".into(),
            build: BuildId(u64::MAX),
        };
        assert_eq!(future.target(), Some("http://x/f"));
        assert!(
            future.to_string().contains("more than a day ahead"),
            "{future}"
        );
        let cap = LoadError::TooManyRuns { limit: 25_000 };
        assert_eq!(cap.target(), None);
        assert!(cap.to_string().contains("25000 runs"), "{cap}");
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

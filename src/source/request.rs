//! What to load, read from the page URL so every view is a link: `source=live|ci-health|sample`,
//! `window=7d`, `jobs=<patterns>`, `run=<Spyglass URL>`, `pr=<n>`, `results=<ci-health URL>`,
//! `gcs=<base URL>`, `bucket=<name>`, `concurrency=<n>`.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, TimeDelta, Utc};

use triage_core::links::spyglass_url;
use triage_core::prow::{BuildId, RunPath};

use super::bucket::Bucket;
use super::config::StorageConfig;

/// ci-health's weekly leaderboard of required e2e jobs, the base of the official SIG reports.
pub const DEFAULT_RESULTS_URL: &str =
    "https://kubevirt.io/ci-health/output/kubevirt/kubevirt/results.json";
/// Requests in flight at once, unless `concurrency` says otherwise.
pub const DEFAULT_CONCURRENCY: usize = 8;
/// More would only get the page throttled.
const MAX_CONCURRENCY: usize = 32;

/// Everything a load needs to know, as the URL says it.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadRequest {
    pub source: SourceKind,
    pub bucket: Bucket,
    pub scope: Scope,
    pub jobs: JobFilter,
    pub concurrency: usize,
}

/// The `source` parameter: which bucket and which set of runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SourceKind {
    /// Every e2e run in the time window, from GCS.
    #[default]
    Live,
    /// The failed runs ci-health's leaderboard lists, from GCS, with its job totals.
    CiHealth,
    /// The bundled bucket snapshot, read like GCS.
    Sample,
}

/// Which runs to load.
#[derive(Clone, Debug, PartialEq)]
pub enum Scope {
    /// Every run of the filtered jobs in the window before the bucket's "now".
    Window(Window),
    /// The failed runs of a ci-health `results.json`.
    Leaderboard {
        url: String,
    },
    /// Every run of one pull request.
    Pull(u32),
    Run(RunPath),
}

/// A URL parameter whose value cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    pub param: &'static str,
    pub value: String,
    pub reason: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}: {}", self.param, self.value, self.reason)
    }
}

impl LoadRequest {
    /// Reads the request from query parameters; `run` beats `pr`, which beats `source`.
    pub fn from_query<'a>(
        get: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<LoadRequest, QueryError> {
        let param = |key: &'static str| get(key).map(str::trim).filter(|v| !v.is_empty());
        let error = |param: &'static str, value: &str, reason: String| QueryError {
            param,
            value: value.to_owned(),
            reason,
        };
        let source = match param("source") {
            Some(text) => SourceKind::parse(text)
                .ok_or_else(|| error("source", text, "use live, ci-health or sample".into()))?,
            None => SourceKind::default(),
        };
        let window = match param("window") {
            Some(text) => text
                .parse()
                .map_err(|reason| error("window", text, reason))?,
            None => Window::DEFAULT,
        };
        let concurrency = match param("concurrency") {
            Some(text) => text
                .parse()
                .ok()
                .filter(|n| (1..=MAX_CONCURRENCY).contains(n))
                .ok_or_else(|| error("concurrency", text, format!("use 1 to {MAX_CONCURRENCY}")))?,
            None => DEFAULT_CONCURRENCY,
        };
        let scope = if let Some(text) = param("run") {
            Scope::Run(
                RunPath::parse_spyglass_url(text).map_err(|e| error("run", text, e.to_string()))?,
            )
        } else if let Some(text) = param("pr") {
            Scope::Pull(
                parse_pr(text)
                    .ok_or_else(|| error("pr", text, "not a pull request number".into()))?,
            )
        } else if source == SourceKind::CiHealth {
            Scope::Leaderboard {
                url: param("results").unwrap_or(DEFAULT_RESULTS_URL).to_owned(),
            }
        } else {
            Scope::Window(window)
        };
        let bucket = match source {
            SourceKind::Sample => Bucket::Sample,
            SourceKind::Live | SourceKind::CiHealth => {
                Bucket::Gcs(StorageConfig::with_overrides(get("gcs"), get("bucket")))
            }
        };
        Ok(LoadRequest {
            source,
            bucket,
            scope,
            jobs: JobFilter::parse(get("jobs").unwrap_or_default()),
            concurrency,
        })
    }
}

impl SourceKind {
    pub const ALL: [SourceKind; 3] = [SourceKind::Live, SourceKind::CiHealth, SourceKind::Sample];

    /// The `source` parameter value.
    pub fn param(self) -> &'static str {
        match self {
            SourceKind::Live => "live",
            SourceKind::CiHealth => "ci-health",
            SourceKind::Sample => "sample",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Live => "All e2e runs (GCS)",
            SourceKind::CiHealth => "ci-health leaderboard",
            SourceKind::Sample => "Bundled sample",
        }
    }

    fn parse(text: &str) -> Option<SourceKind> {
        Self::ALL.into_iter().find(|kind| kind.param() == text)
    }
}

/// How far back from "now" runs are read, in whole hours; written `36h` or `7d`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Window {
    hours: u32,
}

impl Window {
    pub const DEFAULT: Window = Window { hours: 7 * 24 };
    /// The choices the page offers.
    pub const PRESETS: [Window; 4] = [
        Window { hours: 24 },
        Window { hours: 3 * 24 },
        Window::DEFAULT,
        Window { hours: 14 * 24 },
    ];
    /// A month of every e2e run is already more than a browser tab should fetch.
    const MAX_HOURS: u32 = 31 * 24;

    /// The first build id inside the window ending at `now`.
    pub fn since(self, now: DateTime<Utc>) -> Option<BuildId> {
        BuildId::first_at(now - TimeDelta::hours(i64::from(self.hours)))
    }
}

impl FromStr for Window {
    type Err = String;

    fn from_str(text: &str) -> Result<Window, String> {
        let invalid = || "use hours or days, like 24h or 7d".to_owned();
        let (number, unit) = text.split_at(text.len().saturating_sub(1));
        let per_unit = match unit {
            "h" => 1,
            "d" => 24,
            _ => return Err(invalid()),
        };
        let count: u32 = triage_core::prow::parse_decimal(number).ok_or_else(invalid)?;
        let hours = count.saturating_mul(per_unit);
        if hours == 0 || hours > Self::MAX_HOURS {
            return Err(format!("use 1h to {}d", Self::MAX_HOURS / 24));
        }
        Ok(Window { hours })
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.hours % 24 == 0 {
            write!(f, "{}d", self.hours / 24)
        } else {
            write!(f, "{}h", self.hours)
        }
    }
}

/// Which jobs to read: comma-separated patterns where `*` matches any text; a job is kept when
/// one of them occurs in its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobFilter {
    patterns: Vec<String>,
}

impl Default for JobFilter {
    /// KubeVirt's e2e lanes: `pull-kubevirt-e2e-...`, `periodic-kubevirt-e2e-...`.
    fn default() -> Self {
        JobFilter::parse("-e2e-")
    }
}

impl JobFilter {
    /// Reads the `jobs` parameter; blank means the default.
    pub fn parse(text: &str) -> JobFilter {
        let patterns: Vec<String> = text
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        if patterns.is_empty() {
            return JobFilter::default();
        }
        JobFilter { patterns }
    }

    pub fn matches(&self, job: &str) -> bool {
        self.patterns.iter().any(|pattern| occurs(pattern, job))
    }

    /// The parameter text this filter reads back from.
    pub fn text(&self) -> String {
        self.patterns.join(",")
    }
}

/// Whether the `*`-separated pieces of `pattern` occur in `text` in order.
fn occurs(pattern: &str, text: &str) -> bool {
    let mut rest = text;
    for piece in pattern.split('*').filter(|piece| !piece.is_empty()) {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    true
}

/// What someone pasted to load one run or one pull request.
#[derive(Clone, Debug, PartialEq)]
pub enum Entry {
    Pull(u32),
    Run(RunPath),
}

impl Entry {
    /// Reads a PR number (`16536`, `#16536`, a GitHub PR URL) or a Spyglass run URL.
    pub fn parse(text: &str) -> Result<Entry, String> {
        let text = text.trim();
        if let Some(pr) = parse_pr(text) {
            return Ok(Entry::Pull(pr));
        }
        RunPath::parse_spyglass_url(text)
            .map(Entry::Run)
            .map_err(|_| {
                "paste a Prow run URL (https://prow.ci.kubevirt.io/view/gs/...) or a PR number"
                    .into()
            })
    }

    /// The query parameters that select this entry, clearing the other kind.
    pub fn params(&self) -> [(&'static str, Option<String>); 2] {
        match self {
            Entry::Pull(pr) => [("pr", Some(pr.to_string())), ("run", None)],
            Entry::Run(path) => [("run", Some(spyglass_url(path))), ("pr", None)],
        }
    }
}

/// `16536`, `#16536` or `https://github.com/kubevirt/kubevirt/pull/16536[/...]`.
fn parse_pr(text: &str) -> Option<u32> {
    let number = match text.strip_prefix("https://github.com/kubevirt/kubevirt/pull/") {
        Some(rest) => rest.split(['/', '#', '?']).next()?,
        None => text.strip_prefix('#').unwrap_or(text),
    };
    triage_core::prow::parse_decimal(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUN_URL: &str = "https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/logs/periodic-kubevirt-e2e-k8s-1.34-sig-compute/2091004683941318656";

    fn read(pairs: &[(&str, &str)]) -> Result<LoadRequest, QueryError> {
        LoadRequest::from_query(|key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
    }

    #[test]
    fn no_parameters_mean_seven_days_of_live_e2e_runs() {
        let request = read(&[]).unwrap();
        assert_eq!(request.source, SourceKind::Live);
        assert_eq!(request.bucket, Bucket::Gcs(StorageConfig::default()));
        assert_eq!(request.scope, Scope::Window(Window::DEFAULT));
        assert_eq!(request.jobs, JobFilter::default());
        assert_eq!(request.concurrency, DEFAULT_CONCURRENCY);
    }

    #[test]
    fn parameters_pick_bucket_and_scope() {
        let request = read(&[
            ("source", "sample"),
            ("window", "24h"),
            ("jobs", "sig-storage"),
            ("concurrency", "2"),
        ])
        .unwrap();
        assert_eq!(request.bucket, Bucket::Sample);
        assert_eq!(request.scope, Scope::Window("1d".parse().unwrap()));
        assert!(request
            .jobs
            .matches("periodic-kubevirt-e2e-k8s-1.34-sig-storage"));
        assert_eq!(request.concurrency, 2);

        let health = read(&[("source", "ci-health"), ("gcs", "http://127.0.0.1:9")]).unwrap();
        assert_eq!(
            health.scope,
            Scope::Leaderboard {
                url: DEFAULT_RESULTS_URL.into()
            }
        );
        assert_eq!(
            health.bucket,
            Bucket::Gcs(StorageConfig::with_overrides(
                Some("http://127.0.0.1:9"),
                None
            ))
        );
        let custom = read(&[("source", "ci-health"), ("results", "http://x/r.json")]).unwrap();
        assert_eq!(
            custom.scope,
            Scope::Leaderboard {
                url: "http://x/r.json".into()
            }
        );

        let run = read(&[("run", RUN_URL), ("pr", "1"), ("source", "ci-health")]).unwrap();
        assert_eq!(
            run.scope,
            Scope::Run(RunPath::parse_spyglass_url(RUN_URL).unwrap())
        );
        assert_eq!(
            read(&[("pr", "#16536"), ("source", "sample")])
                .unwrap()
                .scope,
            Scope::Pull(16536)
        );
        assert_eq!(
            read(&[("pr", " "), ("source", " ")]).unwrap(),
            read(&[]).unwrap()
        );
    }

    #[test]
    fn bad_parameters_are_named() {
        let cases = [
            (("source", "s3"), "source"),
            (("window", "7w"), "window"),
            (("window", "0d"), "window"),
            (("window", "32d"), "window"),
            (("window", "-1h"), "window"),
            (("window", "h"), "window"),
            (("window", "99999999999d"), "window"),
            (("concurrency", "0"), "concurrency"),
            (("concurrency", "100"), "concurrency"),
            (("run", "https://example.com/x"), "run"),
            (("pr", "abc"), "pr"),
        ];
        for ((key, value), param) in cases {
            let error = read(&[(key, value)]).unwrap_err();
            assert_eq!((error.param, error.value.as_str()), (param, value));
            assert!(
                error.to_string().starts_with(&format!("{key}={value}: ")),
                "{error}"
            );
        }
    }

    #[test]
    fn windows_read_back_and_start_at_a_build_id() {
        for text in ["1h", "36h", "1d", "7d", "31d"] {
            assert_eq!(text.parse::<Window>().unwrap().to_string(), text);
        }
        assert_eq!("48h".parse::<Window>().unwrap().to_string(), "2d");
        assert!(Window::PRESETS.windows(2).all(|pair| pair[0] < pair[1]));
        let now = DateTime::parse_from_rfc3339("2026-08-22T15:02:56Z")
            .unwrap()
            .to_utc();
        let since = Window::DEFAULT.since(now).unwrap();
        assert_eq!(since.time(), now - TimeDelta::days(7));
    }

    #[test]
    fn entries_are_runs_or_pull_requests() {
        assert_eq!(Entry::parse(" 16536 "), Ok(Entry::Pull(16536)));
        assert_eq!(Entry::parse("#7"), Ok(Entry::Pull(7)));
        assert_eq!(
            Entry::parse("https://github.com/kubevirt/kubevirt/pull/16536/files"),
            Ok(Entry::Pull(16536))
        );
        let run = Entry::parse(&format!("{RUN_URL}#1:build-log.txt%3A12")).unwrap();
        assert_eq!(
            run.params(),
            [("run", Some(RUN_URL.to_owned())), ("pr", None)]
        );
        assert_eq!(
            Entry::Pull(3).params(),
            [("pr", Some("3".to_owned())), ("run", None)]
        );
        for bad in [
            "",
            "#",
            "-1",
            "pull 3",
            "https://github.com/other/repo/pull/1",
            "gs://kubevirt-prow/logs/j/1",
        ] {
            assert!(Entry::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn job_filter_patterns() {
        const JOB: &str = "pull-kubevirt-e2e-k8s-1.34-sig-storage";
        let default = JobFilter::default();
        assert!(default.matches(JOB));
        assert!(!default.matches("pull-kubevirt-unit-test"));
        assert_eq!(JobFilter::parse("  "), default);
        assert_eq!(default.text(), "-e2e-");
        let filter = JobFilter::parse("sig-network, e2e*1.34*storage");
        assert!(filter.matches("pull-kubevirt-e2e-k8s-1.34-sig-network"));
        assert!(filter.matches(JOB));
        assert!(!filter.matches("pull-kubevirt-e2e-k8s-1.33-sig-storage"));
        assert!(JobFilter::parse("*").matches(""));
        assert!(!JobFilter::parse("storage*e2e").matches(JOB));
    }
}

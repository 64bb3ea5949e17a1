//! What to load, read from the loading parameters of the page URL (see [`crate::params`]), so
//! every view is a link.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, TimeDelta, Utc};

use triage_core::links::spyglass_url;
use triage_core::prow::{BuildId, RunPath, DECK_URL, GITHUB_URL};

use crate::params::{self, Param};

use super::bucket::Bucket;
use super::config::{is_fetchable, parse_base_url, parse_bucket, StorageConfig, LOOPBACK_NAMES};

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

/// A URL parameter whose value cannot be used, or that a link names by its old name.
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
    /// Reads the request from query parameters; `run` beats `pr`, which beats `source`. A value
    /// that cannot be used is left out, like a bad filter, and returned with why.
    pub fn from_query<'a>(get: impl Fn(&str) -> Option<&'a str>) -> (LoadRequest, Vec<QueryError>) {
        let mut query = Reader {
            get: &get,
            refused: Vec::new(),
        };
        let source = query
            .read(&params::SOURCE, |text| {
                SourceKind::parse(text).ok_or_else(|| "use live, ci-health or sample".into())
            })
            .unwrap_or_default();
        let window = query
            .read(&params::LOAD_WINDOW, str::parse::<Window>)
            .unwrap_or(Window::DEFAULT);
        let concurrency = query
            .read(&params::CONCURRENCY, |text| {
                text.parse()
                    .ok()
                    .filter(|n| (1..=MAX_CONCURRENCY).contains(n))
                    .ok_or_else(|| format!("use 1 to {MAX_CONCURRENCY}"))
            })
            .unwrap_or(DEFAULT_CONCURRENCY);
        let run = query.read(&params::RUN, |text| {
            RunPath::parse_spyglass_url(text).map_err(|e| e.to_string())
        });
        let pr = query.read(&params::PR, |text| {
            parse_pr(text).ok_or_else(|| "not a pull request number".into())
        });
        let results = query.read(&params::RESULTS, |text| {
            if is_fetchable(text) {
                Ok(text)
            } else {
                Err(format!(
                    "use an https:// URL, a relative path or http:// to {LOOPBACK_NAMES}"
                ))
            }
        });
        let base_url = query.read(&params::GCS, parse_base_url);
        let bucket = query.read(&params::BUCKET, parse_bucket);
        let jobs = query
            .read(&params::LOAD_JOBS, |text| Ok(JobFilter::parse(text)))
            .unwrap_or_default();
        let scope = match (run, pr) {
            (Some(run), _) => Scope::Run(run),
            (None, Some(pr)) => Scope::Pull(pr),
            (None, None) if source == SourceKind::CiHealth => Scope::Leaderboard {
                url: results.unwrap_or(DEFAULT_RESULTS_URL).to_owned(),
            },
            (None, None) => Scope::Window(window),
        };
        let default = StorageConfig::default();
        let bucket = match source {
            SourceKind::Sample => Bucket::Sample,
            SourceKind::Live | SourceKind::CiHealth => Bucket::Gcs(StorageConfig {
                base_url: base_url.unwrap_or(default.base_url),
                bucket: bucket.unwrap_or(default.bucket),
            }),
        };
        let request = LoadRequest {
            source,
            bucket,
            scope,
            jobs,
            concurrency,
        };
        (request, query.refused)
    }

    /// Whether runs come from somewhere other than the public KubeVirt bucket (which the
    /// bundled sample is a snapshot of), or are picked by another leaderboard than ci-health's.
    pub fn is_elsewhere(&self) -> bool {
        let leaderboard_elsewhere =
            matches!(&self.scope, Scope::Leaderboard { url } if url != DEFAULT_RESULTS_URL);
        let bucket_elsewhere = matches!(&self.bucket, Bucket::Gcs(config) if !config.is_default());
        leaderboard_elsewhere || bucket_elsewhere
    }

    /// Whether Prow shows the runs loaded: they come from the public bucket (or its snapshot).
    pub fn runs_on_prow(&self) -> bool {
        !matches!(&self.bucket, Bucket::Gcs(config) if !config.is_default())
    }

    /// Where the runs come from, in words: for the page and the exports.
    pub fn describe(&self) -> String {
        let bucket = match &self.bucket {
            Bucket::Gcs(config) => config.describe(),
            Bucket::Sample => "the bundled sample".to_owned(),
        };
        let jobs = self.jobs.text();
        match &self.scope {
            Scope::Window(window) => {
                format!("Runs of jobs matching {jobs} in the last {window}, from {bucket}")
            }
            Scope::Leaderboard { url } => format!("Failed runs listed in {url}, from {bucket}"),
            Scope::Pull(pr) => format!("Runs of jobs matching {jobs} on PR #{pr}, from {bucket}"),
            Scope::Run(run) => format!("Run {} of {}, from {bucket}", run.build(), run.job()),
        }
    }
}

/// Reads query parameters, keeping the values that cannot be used, and old names, with why.
struct Reader<'g, G> {
    get: &'g G,
    refused: Vec<QueryError>,
}

impl<'a, G: Fn(&str) -> Option<&'a str>> Reader<'_, G> {
    /// The parsed value of `param` (under its old name if the link has only that); `None` when
    /// it is absent, blank or refused.
    fn read<T>(
        &mut self,
        param: &Param,
        parse: impl FnOnce(&'a str) -> Result<T, String>,
    ) -> Option<T> {
        let get = self.get;
        let value = |name: &str| get(name).map(str::trim).filter(|v| !v.is_empty());
        let (name, value) = match (value(param.name), param.old_name) {
            (Some(new), Some(old)) if value(old).is_some() => {
                self.refused.push(QueryError {
                    param: old,
                    value: value(old).unwrap_or_default().to_owned(),
                    reason: format!("old name of {}, which the link also has", param.name),
                });
                (param.name, new)
            }
            (Some(value), _) => (param.name, value),
            (None, Some(old)) => {
                let value = value(old)?;
                self.refused.push(QueryError {
                    param: old,
                    value: value.to_owned(),
                    reason: format!("renamed {}, read as it", param.name),
                });
                (old, value)
            }
            (None, None) => return None,
        };
        parse(value)
            .map_err(|reason| {
                self.refused.push(QueryError {
                    param: name,
                    value: value.to_owned(),
                    reason,
                })
            })
            .ok()
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
        BuildId::first_at(now - self.length())
    }

    pub fn length(self) -> TimeDelta {
        TimeDelta::hours(i64::from(self.hours))
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
            .map_err(|_| format!("paste a Prow run URL ({DECK_URL}/view/gs/...) or a PR number"))
    }

    /// The query parameters that select this entry, clearing the other kind.
    pub fn params(&self) -> [(&'static str, Option<String>); 2] {
        let (run, pr) = (params::RUN.name, params::PR.name);
        match self {
            Entry::Pull(number) => [(pr, Some(number.to_string())), (run, None)],
            Entry::Run(path) => [(run, Some(spyglass_url(path))), (pr, None)],
        }
    }
}

/// `16536`, `#16536` or `https://github.com/kubevirt/kubevirt/pull/16536[/...]`.
fn parse_pr(text: &str) -> Option<u32> {
    let pull_url = text
        .strip_prefix(GITHUB_URL)
        .and_then(|rest| rest.strip_prefix("/pull/"));
    let number = match pull_url {
        Some(rest) => rest.split(['/', '#', '?']).next()?,
        None => text.strip_prefix('#').unwrap_or(text),
    };
    triage_core::prow::parse_decimal(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUN_URL: &str = "https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/logs/periodic-kubevirt-e2e-k8s-1.34-sig-compute/2091004683941318656";

    fn read(pairs: &[(&str, &str)]) -> (LoadRequest, Vec<QueryError>) {
        LoadRequest::from_query(|key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
    }

    fn request(pairs: &[(&str, &str)]) -> LoadRequest {
        let (request, refused) = read(pairs);
        assert_eq!(refused, [], "{pairs:?}");
        request
    }

    #[test]
    fn no_parameters_mean_seven_days_of_live_e2e_runs() {
        let request = request(&[]);
        assert_eq!(request.source, SourceKind::Live);
        assert_eq!(request.bucket, Bucket::Gcs(StorageConfig::default()));
        assert_eq!(request.scope, Scope::Window(Window::DEFAULT));
        assert_eq!(request.jobs, JobFilter::default());
        assert_eq!(request.concurrency, DEFAULT_CONCURRENCY);
        assert!(!request.is_elsewhere() && request.runs_on_prow());
        assert_eq!(
            request.describe(),
            "Runs of jobs matching -e2e- in the last 7d, from bucket kubevirt-prow at https://storage.googleapis.com"
        );
    }

    #[test]
    fn parameters_pick_bucket_and_scope() {
        let sample = request(&[
            ("source", "sample"),
            ("load-window", "24h"),
            ("load-jobs", "sig-storage"),
            ("concurrency", "2"),
        ]);
        assert_eq!(sample.bucket, Bucket::Sample);
        assert_eq!(sample.scope, Scope::Window("1d".parse().unwrap()));
        assert!(sample
            .jobs
            .matches("periodic-kubevirt-e2e-k8s-1.34-sig-storage"));
        assert_eq!(sample.concurrency, 2);
        assert!(!sample.is_elsewhere() && sample.runs_on_prow());

        let health = request(&[("source", "ci-health"), ("gcs", "http://127.0.0.1:9")]);
        assert_eq!(
            health.scope,
            Scope::Leaderboard {
                url: DEFAULT_RESULTS_URL.into()
            }
        );
        let local = StorageConfig {
            base_url: "http://127.0.0.1:9".into(),
            bucket: "kubevirt-prow".into(),
        };
        assert_eq!(health.bucket, Bucket::Gcs(local));
        assert!(health.is_elsewhere() && !health.runs_on_prow());
        let custom = request(&[
            ("source", "ci-health"),
            ("results", "http://localhost/r.json"),
        ]);
        assert_eq!(
            custom.scope,
            Scope::Leaderboard {
                url: "http://localhost/r.json".into()
            }
        );
        assert!(custom.is_elsewhere() && custom.runs_on_prow());

        let run = request(&[("run", RUN_URL), ("pr", "1"), ("source", "ci-health")]);
        assert_eq!(
            run.scope,
            Scope::Run(RunPath::parse_spyglass_url(RUN_URL).unwrap())
        );
        assert_eq!(
            request(&[("pr", "#16536"), ("source", "sample")]).scope,
            Scope::Pull(16536)
        );
        assert_eq!(request(&[("pr", " "), ("source", " ")]), request(&[]));
    }

    #[test]
    fn bad_parameters_are_named_and_the_rest_applies() {
        let cases = [
            ("source", "s3"),
            ("load-window", "7w"),
            ("load-window", "0d"),
            ("load-window", "32d"),
            ("load-window", "-1h"),
            ("load-window", "h"),
            ("load-window", "99999999999d"),
            ("concurrency", "0"),
            ("concurrency", "100"),
            ("run", "https://example.com/x"),
            ("pr", "abc"),
            ("gcs", "javascript:void(0)//x"),
            ("gcs", "http://evil.example"),
            ("bucket", "../other"),
            ("results", "javascript:alert(1)"),
            ("results", "data:application/json,{}"),
            ("results", "//evil.example/r.json"),
        ];
        for (key, value) in cases {
            let (request, refused) = read(&[
                (key, value),
                ("source", "ci-health"),
                ("load-jobs", "sig-network"),
            ]);
            assert_eq!(refused.len(), 1, "{key}={value}");
            assert_eq!((refused[0].param, refused[0].value.as_str()), (key, value));
            assert!(
                refused[0]
                    .to_string()
                    .starts_with(&format!("{key}={value}: ")),
                "{}",
                refused[0]
            );
            let fallback = request.clone();
            assert_eq!(fallback.jobs, JobFilter::parse("sig-network"), "{key}");
            if key != "source" {
                assert_eq!(request.source, SourceKind::CiHealth);
            }
            assert!(
                !request.is_elsewhere(),
                "{key}={value} must fall back to the default"
            );
        }
    }

    #[test]
    fn old_names_are_read_with_a_notice() {
        let (request, notices) = read(&[("window", "3d"), ("jobs", "sig-storage")]);
        assert_eq!(
            request,
            self::request(&[("load-window", "3d"), ("load-jobs", "sig-storage")])
        );
        let said: Vec<String> = notices.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "window=3d: renamed load-window, read as it",
                "jobs=sig-storage: renamed load-jobs, read as it"
            ]
        );
        let (both, notices) = read(&[("window", "3d"), ("load-window", "1d")]);
        assert_eq!(both.scope, Scope::Window("1d".parse().unwrap()));
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert_eq!(
            notices[0].to_string(),
            "window=3d: old name of load-window, which the link also has"
        );
        let (bad, notices) = read(&[("window", "7w")]);
        assert_eq!(bad.scope, Scope::Window(Window::DEFAULT));
        assert_eq!(notices.len(), 2, "{notices:?}");
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

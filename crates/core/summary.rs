//! What a report holds: the per-SIG cards, their lists and counts, as the page shows them and the
//! exports write them. Only types; [`report`](crate::report) builds them.
//!
//! Run counts follow the official report: a run belongs to its job's SIG, and a failed run
//! without JUnit belongs to SIG CI. Test failures belong to the test's SIG (its `[sig-*]` tag).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;

use super::deferred::Deferred;
use super::filter::Filter;
use super::job::JobName;
use super::junit::SourceLocation;
use super::normalize::ClusterId;
use super::order;
use super::prow::RunPath;
use super::rules::Rule;
use super::run::{Run, TestFailure};
use super::sig::Sig;
use super::verdict::{Headline, TestRuns, TestVerdict, Window};

/// Failed and counted runs; the rate exists only with a denominator.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunCounts {
    pub failed: u32,
    pub total: u32,
}

impl RunCounts {
    /// Failure rate in percent, `None` when no run was counted.
    pub fn rate(self) -> Option<f64> {
        (self.total > 0).then(|| f64::from(self.failed) * 100.0 / f64::from(self.total))
    }

    /// The official report's colour bands: red above 10 %, orange above 5 %.
    pub fn severity(self) -> Severity {
        match self.rate() {
            Some(rate) if rate > 10.0 => Severity::High,
            Some(rate) if rate > 5.0 => Severity::Elevated,
            _ => Severity::Normal,
        }
    }

    /// Counts one more run.
    pub(crate) fn add(&mut self, failed: bool) {
        self.total += 1;
        self.failed += u32::from(failed);
    }
}

/// Colour band of a failure rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Normal,
    Elevated,
    High,
}

/// Known job totals from elsewhere (ci-health's leaderboard) that override counting the runs.
pub type JobTotals = BTreeMap<String, RunCounts>;

/// One failure as a card shows and links it. Made once per failure when the data is indexed
/// and shared (`Arc<Example>`) by every report that lists it.
#[derive(Debug, PartialEq)]
pub struct Example {
    pub test: Arc<str>,
    pub message: Arc<str>,
    pub run: Arc<ExampleRun>,
    pub location: Option<SourceLocation>,
    pub rule_id: &'static str,
    pub symptom_id: &'static str,
}

impl Example {
    pub fn of(run: &Arc<ExampleRun>, failure: &TestFailure) -> Example {
        Example {
            test: failure.test.clone(),
            message: failure.message.clone(),
            run: run.clone(),
            location: failure.location.clone(),
            rule_id: failure.classification.kind().id.as_str(),
            symptom_id: failure.classification.symptom.id.as_str(),
        }
    }
}

/// The run of an example, made once per run and shared by all of its examples.
#[derive(Debug, PartialEq)]
pub struct ExampleRun {
    pub job: Arc<str>,
    /// The Prow run, for links; `None` for local files.
    pub path: Option<RunPath>,
    /// The Prow build id or the local file name.
    pub label: String,
    /// The commit under test, for source links.
    pub commit: Option<String>,
}

impl ExampleRun {
    pub fn of(run: &Run) -> ExampleRun {
        ExampleRun {
            job: run.job.raw.as_str().into(),
            path: run.prow_path().cloned(),
            label: run.label(),
            commit: run.commit.clone(),
        }
    }
}

/// A kind of failure within a SIG (the area when one matched, else the symptom).
#[derive(Clone, Debug, PartialEq)]
pub struct KindSummary {
    pub rule: &'static Rule,
    pub failures: u32,
    pub tests: u32,
    /// Failures of the first few distinct tests.
    pub examples: Vec<Arc<Example>>,
}

/// Related kinds under one Common Failures bullet (the rules' `theme`), most failures first.
#[derive(Clone, Debug, PartialEq)]
pub struct ThemeSummary {
    /// The theme, or [`OTHER_THEME`] for the kinds of the themes past the first few.
    pub theme: &'static str,
    pub failures: u32,
    /// Its kinds, most failures first.
    pub kinds: Vec<KindSummary>,
}

/// The last bullet's name when a SIG has more themes than bullets.
pub const OTHER_THEME: &str = "Other failures";

/// A job with failures attributed to the SIG.
#[derive(Clone, Debug, PartialEq)]
pub struct JobSummary {
    pub job: JobName,
    /// Failed runs with failures of this SIG, over all counted runs of the job.
    pub runs: RunCounts,
    pub failures: u32,
    /// The newest failed runs, newest first.
    pub failed_runs: Vec<RunPath>,
}

/// A failing test with where it failed.
#[derive(Clone, Debug, PartialEq)]
pub struct TestSummary {
    pub test: Arc<str>,
    pub failures: u32,
    /// Its jobs, by name.
    pub jobs: Arc<[Arc<str>]>,
    pub kind: &'static Rule,
    pub latest: Arc<Example>,
    /// Its verdict on each of its jobs that has one (bucket runs only), by job name.
    pub verdicts: Vec<Arc<TestVerdict>>,
}

impl TestSummary {
    /// Its runs summed over the lanes it failed on: failed runs over the runs of those lanes
    /// that would have shown it failing ([`TestRuns::basis`] says how they were counted).
    pub fn runs(&self) -> TestRuns {
        self.verdicts
            .iter()
            .fold(TestRuns::default(), |sum, verdict| sum.plus(&verdict.runs))
    }

    /// Its most telling headline over its lanes; `None` without verdicts (local files).
    pub fn headline(&self) -> Option<Headline> {
        self.verdicts.iter().map(|v| v.headline()).min()
    }

    /// Whether it is quarantined on any of its lanes.
    pub fn quarantined(&self) -> bool {
        self.verdicts.iter().any(|v| v.quarantine.is_some())
    }
}

/// How a list of failing tests is sorted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TestOrder {
    /// Most failed runs first (failures where no runs are known), then by name.
    #[default]
    Count,
    /// Highest failure rate first (tests without a rate last), then by count.
    Rate,
}

/// `tests` in `order`. The report lists them by count; a card re-sorts on demand.
pub fn sort_tests(tests: &mut Vec<TestSummary>, order: TestOrder) {
    let count = |t: &TestSummary| match t.runs().failed {
        0 => t.failures,
        failed => failed,
    };
    let by_count = order::most_first_by_name(std::mem::take(tests), |t| &t.test, count);
    *tests = match order {
        TestOrder::Count => by_count,
        TestOrder::Rate => order::by_key(by_count, |t| {
            u64::MAX - order::float_key(t.runs().rate().unwrap_or(-1.0))
        }),
    };
}

/// Failures whose normalised messages are identical, across tests, runs and jobs.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterSummary {
    pub id: ClusterId,
    pub kind: &'static Rule,
    pub failures: u32,
    /// Its tests and jobs, by name.
    pub tests: Vec<Arc<str>>,
    pub jobs: Arc<[Arc<str>]>,
    /// Failures of the first few distinct tests.
    pub examples: Vec<Arc<Example>>,
}

/// Everything one SIG card shows. The lists are shared, so the card and its lists take them
/// without copying.
#[derive(Clone, Debug, PartialEq)]
pub struct SigReport {
    pub sig: Sig,
    pub runs: RunCounts,
    pub failures: u32,
    pub kinds: Arc<[KindSummary]>,
    pub jobs: Arc<[JobSummary]>,
    /// Made when first read: only drill-downs and exports list them.
    pub tests: Deferred<TestSummary>,
    pub clusters: Deferred<ClusterSummary>,
    /// Failures per day over [`Report::days`].
    pub daily: Vec<u32>,
    /// Failures of quarantined tests left out of the counts and lists above (all zero when
    /// the filter shows quarantined tests).
    pub quarantined_failures: u32,
}

impl SigReport {
    /// A card with nothing on it yet.
    pub fn empty(sig: Sig, days: usize) -> SigReport {
        SigReport {
            sig,
            runs: RunCounts::default(),
            failures: 0,
            kinds: Arc::new([]),
            jobs: Arc::new([]),
            tests: Deferred::empty(),
            clusters: Deferred::empty(),
            daily: vec![0; days],
            quarantined_failures: 0,
        }
    }
}

/// The whole report, SIGs in display order (core SIGs always, others when seen, CI last).
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub sigs: Vec<SigReport>,
    /// Every day from the first to the last run start, for sparklines.
    pub days: Vec<NaiveDate>,
    pub runs: RunCounts,
    /// The window the verdicts were judged in, for their phrases; `None` without verdicts.
    pub window: Option<Window>,
    /// Failures that only one PR's runs have, per PR: out of the SIGs' counts unless
    /// `pr-failures=show` (then empty).
    pub pull_failures: Vec<PullFailures>,
}

/// One PR's own failing tests (see [`crate::pull_failures`]) and the runs they failed in
/// (sorted, without repeats).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PullFailures {
    pub pr: u32,
    pub tests: Vec<Arc<str>>,
    pub runs: Vec<RunPath>,
}

/// What a report covers, as the exports state it: its runs, their days and the filters.
#[derive(Clone, Debug, PartialEq)]
pub struct Scope {
    pub runs: RunCounts,
    /// The first and the last day a counted run started.
    pub days: Option<(NaiveDate, NaiveDate)>,
    /// The filters as URL parameters (`sig`, `storage`): text from whoever wrote the URL.
    pub filters: Vec<(&'static str, String)>,
    /// Where the runs were read (an endpoint and bucket, local files, the sample): a page link
    /// can point the page at any endpoint, so every export names it.
    pub source: String,
    /// Whether the runs are the public bucket's, which Prow shows: runs read from another
    /// endpoint must not be exported as links to prow.ci.kubevirt.io.
    pub prow_links: bool,
}

impl Scope {
    pub fn of(report: &Report, filter: &Filter, source: &str) -> Scope {
        Scope {
            runs: report.runs,
            days: report
                .days
                .first()
                .zip(report.days.last())
                .map(|(a, b)| (*a, *b)),
            filters: filter.to_query(),
            source: source.to_owned(),
            prow_links: true,
        }
    }

    /// One sentence on what the report covers: how many runs, over which days, with which
    /// filters, each `key=value` written by `filter_text` (plain, or a Markdown code span).
    pub fn sentence(&self, filter_text: impl Fn(&str) -> String) -> String {
        let mut out = format!(
            "Based on {} runs ({} failed)",
            self.runs.total, self.runs.failed
        );
        if let Some((first, last)) = self.days {
            out.push_str(&format!(" started {first} to {last}"));
        }
        let filters: Vec<String> = self
            .filters
            .iter()
            .map(|(key, value)| filter_text(&format!("{key}={value}")))
            .collect();
        if !filters.is_empty() {
            out.push_str(&format!(", filtered by {}", filters.join(" ")));
        }
        out.push('.');
        out
    }
}

/// The plain-text sentence, for readers that show text as text (the JSON export).
impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentence(str::to_owned))
    }
}

//! The per-SIG report: what the cards show and the Markdown export says.
//!
//! Run counts follow the official report: a run belongs to its job's SIG, and a failed run
//! without JUnit belongs to SIG CI. Test failures belong to the test's SIG (its `[sig-*]` tag).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::filter::Filter;
use super::job::JobName;
use super::junit::SourceLocation;
use super::normalize::ClusterId;
use super::prow::RunPath;
use super::rules::Rule;
use super::run::{Run, RunStatus, TestFailure};
use super::sig::Sig;

/// How many examples a failure kind or a cluster keeps.
const EXAMPLES: usize = 3;
/// How many failed runs a job keeps links to.
const RUN_LINKS: usize = 5;

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

    fn add(&mut self, failed: bool) {
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

/// A pointer back to one failure, with what a card needs to show and link it. Cheap to clone:
/// its strings are shared with the failure and its run.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub test: Arc<str>,
    pub message: Arc<str>,
    pub run: Arc<ExampleRun>,
    pub location: Option<SourceLocation>,
    pub rule_id: &'static str,
    pub symptom_id: &'static str,
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

/// A kind of failure within a SIG (the area when one matched, else the symptom).
#[derive(Clone, Debug, PartialEq)]
pub struct KindSummary {
    pub rule: &'static Rule,
    pub failures: u32,
    pub tests: u32,
    pub examples: Vec<Example>,
}

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
    pub jobs: BTreeSet<Arc<str>>,
    pub kind: &'static Rule,
    pub latest: Example,
}

/// Failures whose normalised messages are identical, across tests, runs and jobs.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterSummary {
    pub id: ClusterId,
    pub kind: &'static Rule,
    pub failures: u32,
    pub tests: BTreeSet<Arc<str>>,
    pub jobs: BTreeSet<Arc<str>>,
    pub examples: Vec<Example>,
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
    pub tests: Arc<[TestSummary]>,
    pub clusters: Arc<[ClusterSummary]>,
    /// Failures per day over [`Report::days`].
    pub daily: Vec<u32>,
}

/// The whole report, SIGs in display order (core SIGs always, others when seen, CI last).
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub sigs: Vec<SigReport>,
    /// Every day from the first to the last run start, for sparklines.
    pub days: Vec<NaiveDate>,
    pub runs: RunCounts,
}

impl Report {
    /// Builds the report of the runs and failures `filter` keeps. Job totals are counted from the
    /// runs, except for jobs named in `totals` (known from elsewhere, e.g. ci-health).
    pub fn build<'a>(
        runs: impl IntoIterator<Item = &'a Run>,
        totals: &JobTotals,
        filter: &Filter,
        now: DateTime<Utc>,
    ) -> Report {
        let runs: Vec<&Run> = runs
            .into_iter()
            .filter(|run| run.is_counted() && filter.matches_run(run, now))
            .collect();
        let days = day_range(&runs);
        let job_totals = job_totals(&runs, totals, filter);
        let shared: Vec<SharedRun> = runs.iter().map(|run| SharedRun::new(run)).collect();
        let mut builders: BTreeMap<Sig, SigBuilder> = Sig::core()
            .into_iter()
            .chain([Sig::Ci])
            .map(|sig| (sig, SigBuilder::default()))
            .collect();
        for shared in &shared {
            let run = shared.run;
            if matches!(run.status, RunStatus::FailedWithoutJunit) {
                builders.entry(Sig::Ci).or_default().add_job(shared);
            }
            let kept = run
                .failures()
                .iter()
                .filter(|f| filter.matches_failure(run, f));
            for failure in kept {
                builders
                    .entry(failure.sig.clone())
                    .or_default()
                    .add_failure(shared, failure);
            }
        }
        count_sig_runs(&mut builders, &runs, &job_totals);
        let sigs = builders
            .into_iter()
            .filter(|(sig, _)| filter.shows_sig(sig))
            .map(|(sig, builder)| builder.finish(sig, &job_totals, &days))
            .collect();
        let mut counts = RunCounts::default();
        runs.iter().for_each(|run| counts.add(run.is_failed()));
        Report {
            sigs,
            days,
            runs: counts,
        }
    }

    /// The card of one SIG.
    pub fn sig(&self, sig: &Sig) -> Option<&SigReport> {
        self.sigs.iter().find(|report| &report.sig == sig)
    }
}

/// Counted runs per job, with externally known totals (of the jobs the filter keeps) first.
fn job_totals(runs: &[&Run], known: &JobTotals, filter: &Filter) -> JobTotals {
    let mut totals = JobTotals::new();
    for run in runs {
        totals
            .entry(run.job.raw.clone())
            .or_default()
            .add(run.is_failed());
    }
    let kept = known
        .iter()
        .filter(|(job, _)| filter.matches_job(&JobName::parse(job)));
    totals.extend(kept.map(|(job, counts)| (job.clone(), *counts)));
    totals
}

/// A SIG's runs are its jobs' runs (known totals included); SIG CI's are all runs, failed
/// when they produced no JUnit.
fn count_sig_runs<'r>(
    builders: &mut BTreeMap<Sig, SigBuilder<'r>>,
    runs: &[&Run],
    job_totals: &JobTotals,
) {
    let mut all = 0;
    for (job, counts) in job_totals {
        all += counts.total;
        if let Some(sig) = JobName::parse(job).sig() {
            let sig_runs = &mut builders.entry(sig).or_default().runs;
            sig_runs.failed += counts.failed;
            sig_runs.total += counts.total;
        }
    }
    let infra = runs
        .iter()
        .filter(|run| matches!(run.status, RunStatus::FailedWithoutJunit))
        .count();
    builders.entry(Sig::Ci).or_default().runs = RunCounts {
        failed: u32::try_from(infra).unwrap_or(u32::MAX),
        total: all,
    };
}

/// Every calendar day (UTC) from the earliest to the latest run start.
fn day_range(runs: &[&Run]) -> Vec<NaiveDate> {
    let starts = runs
        .iter()
        .filter_map(|run| run.started.map(|t| t.date_naive()));
    let (Some(first), Some(last)) = (starts.clone().min(), starts.max()) else {
        return Vec::new();
    };
    first.iter_days().take_while(|day| *day <= last).collect()
}

/// A counted run with what its examples share, made once per run rather than per failure.
struct SharedRun<'r> {
    run: &'r Run,
    example: Arc<ExampleRun>,
}

impl<'r> SharedRun<'r> {
    fn new(run: &'r Run) -> Self {
        let example = ExampleRun {
            job: run.job.raw.as_str().into(),
            path: run.prow_path().cloned(),
            label: run.label(),
            commit: run.commit.clone(),
        };
        SharedRun {
            run,
            example: Arc::new(example),
        }
    }

    fn job(&self) -> &Arc<str> {
        &self.example.job
    }
}

/// Accumulates one SIG's card; keys borrow from the runs, so adding a failure allocates only
/// for what the card keeps (first examples, new tests, new clusters), and those share their
/// strings with the runs.
#[derive(Default)]
struct SigBuilder<'r> {
    runs: RunCounts,
    failures: u32,
    kinds: FxHashMap<&'r str, KindBuilder<'r>>,
    jobs: FxHashMap<&'r str, JobBuilder<'r>>,
    tests: FxHashMap<&'r Arc<str>, TestBuilder<'r>>,
    clusters: FxHashMap<ClusterId, ClusterBuilder<'r>>,
    daily: BTreeMap<NaiveDate, u32>,
}

struct KindBuilder<'r> {
    rule: &'static Rule,
    failures: u32,
    tests: FxHashSet<&'r str>,
    examples: Vec<Example>,
}

struct TestBuilder<'r> {
    kind: &'static Rule,
    failures: u32,
    jobs: BTreeSet<&'r Arc<str>>,
    latest: (Option<DateTime<Utc>>, Example),
}

struct ClusterBuilder<'r> {
    kind: &'static Rule,
    failures: u32,
    tests: FxHashSet<&'r Arc<str>>,
    jobs: BTreeSet<&'r Arc<str>>,
    examples: Vec<Example>,
}

#[derive(Default)]
struct JobBuilder<'r> {
    failures: u32,
    /// (start, label) of failed runs, to keep the newest.
    failed_runs: BTreeMap<(Option<DateTime<Utc>>, &'r str), Option<&'r RunPath>>,
}

impl<'r> SigBuilder<'r> {
    fn add_failure(&mut self, run: &'r SharedRun<'r>, failure: &'r TestFailure) {
        self.failures += 1;
        let kind = failure.classification.kind();
        self.add_kind(kind, run, failure);
        self.add_job(run);
        self.add_test(kind, run, failure);
        self.add_cluster(kind, run, failure);
        if let Some(day) = run.run.started.map(|t| t.date_naive()) {
            *self.daily.entry(day).or_default() += 1;
        }
    }

    fn add_kind(&mut self, rule: &'static Rule, run: &SharedRun, failure: &'r TestFailure) {
        let kind = self
            .kinds
            .entry(rule.id.as_str())
            .or_insert_with(|| KindBuilder {
                rule,
                failures: 0,
                tests: FxHashSet::default(),
                examples: Vec::new(),
            });
        kind.failures += 1;
        if kind.tests.insert(&failure.test) && kind.examples.len() < EXAMPLES {
            kind.examples.push(example(run, failure));
        }
    }

    /// Lists the run under its job; also how SIG CI lists runs that never produced JUnit.
    fn add_job(&mut self, run: &'r SharedRun<'r>) {
        let job = self.jobs.entry(&run.run.job.raw).or_default();
        job.failures += 1;
        job.failed_runs
            .entry((run.run.started, run.example.label.as_str()))
            .or_insert(run.example.path.as_ref());
    }

    fn add_test(&mut self, kind: &'static Rule, run: &'r SharedRun<'r>, failure: &'r TestFailure) {
        let test = self
            .tests
            .entry(&failure.test)
            .or_insert_with(|| TestBuilder {
                kind,
                failures: 0,
                jobs: BTreeSet::new(),
                latest: (run.run.started, example(run, failure)),
            });
        test.failures += 1;
        test.jobs.insert(run.job());
        if run.run.started > test.latest.0 {
            test.kind = kind;
            test.latest = (run.run.started, example(run, failure));
        }
    }

    fn add_cluster(
        &mut self,
        kind: &'static Rule,
        run: &'r SharedRun<'r>,
        failure: &'r TestFailure,
    ) {
        let cluster = self
            .clusters
            .entry(failure.cluster)
            .or_insert_with(|| ClusterBuilder {
                kind,
                failures: 0,
                tests: FxHashSet::default(),
                jobs: BTreeSet::new(),
                examples: Vec::new(),
            });
        cluster.failures += 1;
        if cluster.tests.insert(&failure.test) && cluster.examples.len() < EXAMPLES {
            cluster.examples.push(example(run, failure));
        }
        cluster.jobs.insert(run.job());
    }

    fn finish(self, sig: Sig, job_totals: &JobTotals, days: &[NaiveDate]) -> SigReport {
        let owned = |set: BTreeSet<&Arc<str>>| set.into_iter().cloned().collect();
        let sorted = |set: FxHashSet<&Arc<str>>| set.into_iter().cloned().collect();
        let mut kinds: Vec<_> = self
            .kinds
            .into_values()
            .map(|k| KindSummary {
                rule: k.rule,
                failures: k.failures,
                tests: u32::try_from(k.tests.len()).unwrap_or(u32::MAX),
                examples: k.examples,
            })
            .collect();
        kinds.sort_by(|a, b| {
            b.failures
                .cmp(&a.failures)
                .then_with(|| a.rule.id.cmp(&b.rule.id))
        });
        let mut jobs: Vec<_> = self
            .jobs
            .into_iter()
            .map(|(name, job)| job.finish(name, job_totals))
            .collect();
        jobs.sort_by(|a, b| {
            b.runs
                .failed
                .cmp(&a.runs.failed)
                .then_with(|| a.job.raw.cmp(&b.job.raw))
        });
        let mut tests: Vec<_> = self
            .tests
            .into_iter()
            .map(|(name, t)| TestSummary {
                test: name.clone(),
                failures: t.failures,
                jobs: owned(t.jobs),
                kind: t.kind,
                latest: t.latest.1,
            })
            .collect();
        tests.sort_by(|a, b| {
            b.failures
                .cmp(&a.failures)
                .then_with(|| a.test.cmp(&b.test))
        });
        let mut clusters: Vec<_> = self
            .clusters
            .into_iter()
            .map(|(id, c)| ClusterSummary {
                id,
                kind: c.kind,
                failures: c.failures,
                tests: sorted(c.tests),
                jobs: owned(c.jobs),
                examples: c.examples,
            })
            .collect();
        clusters.sort_by(|a, b| b.failures.cmp(&a.failures).then_with(|| a.id.cmp(&b.id)));
        let daily = days
            .iter()
            .map(|day| self.daily.get(day).copied().unwrap_or(0))
            .collect();
        SigReport {
            sig,
            runs: self.runs,
            failures: self.failures,
            kinds: kinds.into(),
            jobs: jobs.into(),
            tests: tests.into(),
            clusters: clusters.into(),
            daily,
        }
    }
}

impl JobBuilder<'_> {
    fn finish(self, name: &str, job_totals: &JobTotals) -> JobSummary {
        let failed = u32::try_from(self.failed_runs.len()).unwrap_or(u32::MAX);
        let total = job_totals
            .get(name)
            .map_or(failed, |counts| counts.total.max(failed));
        JobSummary {
            job: JobName::parse(name),
            runs: RunCounts { failed, total },
            failures: self.failures,
            failed_runs: self
                .failed_runs
                .into_iter()
                .rev()
                .filter_map(|(_, path)| path.cloned())
                .take(RUN_LINKS)
                .collect(),
        }
    }
}

fn example(run: &SharedRun, failure: &TestFailure) -> Example {
    Example {
        test: failure.test.clone(),
        message: failure.message.clone(),
        run: run.example.clone(),
        location: failure.location.clone(),
        rule_id: failure.classification.kind().id.as_str(),
        symptom_id: failure.classification.symptom.id.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::prow::BuildId;
    use crate::core::run::{RunOrigin, TestResults};

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-08-22T12:00:00Z")
            .unwrap()
            .to_utc()
    }

    fn run(job: &str, hours_ago: i64, status: RunStatus) -> Run {
        let started = now() - chrono::Duration::hours(hours_ago);
        Run {
            job: JobName::parse(job),
            origin: RunOrigin::Prow(RunPath::Periodic {
                job: job.into(),
                build: BuildId::first_at(started).unwrap(),
            }),
            started: Some(started),
            commit: None,
            status,
        }
    }

    /// A failed run whose JUnit holds one failure per (test, message).
    fn failed(job: &str, hours_ago: i64, failures: &[(&str, &str)]) -> Run {
        let cases: String = failures
            .iter()
            .map(|(test, message)| {
                format!(r#"<testcase name="{test}"><failure>{message}</failure></testcase>"#)
            })
            .collect();
        let xml = format!("<testsuite>{cases}</testsuite>");
        let sig = JobName::parse(job).sig();
        let results = TestResults::from_bytes(xml.as_bytes(), sig.as_ref());
        run(job, hours_ago, RunStatus::Failed(results))
    }

    const STORAGE: &str = "periodic-kubevirt-e2e-k8s-1.34-sig-storage";
    const SNAPSHOT: (&str, &str) = (
        "[sig-storage]VirtualMachineSnapshot should create an online snapshot",
        "Timed out after 180.000s. Timed out waiting for the agent of testvmi-abcde to connect",
    );

    fn build(runs: &[Run]) -> Report {
        Report::build(runs, &JobTotals::new(), &Filter::default(), now())
    }

    #[test]
    fn kinds_count_distinct_tests_beyond_the_examples() {
        let tests: Vec<String> = (0..6)
            .map(|i| format!("[sig-storage]Snapshot case {i}"))
            .collect();
        let failures: Vec<(&str, &str)> = tests.iter().map(|t| (t.as_str(), SNAPSHOT.1)).collect();
        let runs = [failed(STORAGE, 1, &failures), failed(STORAGE, 2, &failures)];
        let report = build(&runs);
        let storage = report.sig(&Sig::Storage).unwrap();
        let kind = &storage.kinds[0];
        assert_eq!(
            (kind.failures, kind.tests, kind.examples.len()),
            (12, 6, EXAMPLES)
        );
        assert_eq!(storage.clusters.len(), 1, "one normalised message");
        assert_eq!(storage.clusters[0].tests.len(), 6);
        assert_eq!(
            storage.jobs[0].runs,
            RunCounts {
                failed: 2,
                total: 2
            }
        );
    }

    #[test]
    fn runs_without_junit_are_sig_ci_and_rates_count_every_run() {
        let runs = [
            run(STORAGE, 1, RunStatus::FailedWithoutJunit),
            run(STORAGE, 2, RunStatus::Passed),
            run(STORAGE, 3, RunStatus::NotCounted),
            failed(STORAGE, 4, &[SNAPSHOT]),
        ];
        let report = build(&runs);
        let ci = report.sig(&Sig::Ci).unwrap();
        assert_eq!(
            ci.runs,
            RunCounts {
                failed: 1,
                total: 3
            }
        );
        assert_eq!(ci.jobs[0].job.raw, STORAGE);
        let storage = report.sig(&Sig::Storage).unwrap();
        assert_eq!(
            storage.runs,
            RunCounts {
                failed: 2,
                total: 3
            }
        );
        assert_eq!(storage.runs.severity(), Severity::High);
        assert_eq!(report.days.len(), 1);
    }

    #[test]
    fn known_totals_replace_counted_ones() {
        let runs = [failed(STORAGE, 1, &[SNAPSHOT])];
        let totals = JobTotals::from([(
            STORAGE.to_owned(),
            RunCounts {
                failed: 3,
                total: 40,
            },
        )]);
        let report = Report::build(&runs, &totals, &Filter::default(), now());
        let storage = report.sig(&Sig::Storage).unwrap();
        assert_eq!(
            storage.runs,
            RunCounts {
                failed: 3,
                total: 40
            }
        );
        assert_eq!(storage.runs.severity(), Severity::Elevated);
        assert_eq!(
            storage.jobs[0].runs,
            RunCounts {
                failed: 1,
                total: 40
            }
        );
    }

    #[test]
    fn filters_drop_runs_failures_and_cards() {
        let runs = [
            failed(STORAGE, 1, &[SNAPSHOT]),
            failed(
                "periodic-kubevirt-e2e-k8s-1.33-sig-storage",
                100,
                &[SNAPSHOT],
            ),
        ];
        let (filter, _) = Filter::from_query([("sig", "storage"), ("days", "2")]);
        let report = Report::build(&runs, &JobTotals::new(), &filter, now());
        assert_eq!(report.sigs.len(), 1);
        assert_eq!(report.sigs[0].failures, 1);
        assert_eq!(
            report.runs,
            RunCounts {
                failed: 1,
                total: 1
            }
        );
        let (filter, _) = Filter::from_query([("kind", "fstrim")]);
        let report = Report::build(&runs, &JobTotals::new(), &filter, now());
        assert_eq!(report.sig(&Sig::Storage).unwrap().failures, 0);
    }

    #[test]
    fn a_test_shows_its_newest_failure_and_days_line_up() {
        let runs = [
            failed(STORAGE, 30, &[(SNAPSHOT.0, "old message")]),
            failed(STORAGE, 1, &[(SNAPSHOT.0, "new message")]),
        ];
        let report = build(&runs);
        let storage = report.sig(&Sig::Storage).unwrap();
        assert_eq!(&*storage.tests[0].latest.message, "new message");
        assert_eq!(storage.tests[0].failures, 2);
        assert_eq!(report.days.len(), storage.daily.len());
        assert_eq!(storage.daily.iter().sum::<u32>(), 2);
        assert_eq!(storage.jobs[0].failed_runs.len(), 2);
        assert!(storage.jobs[0].failed_runs[0].build() > storage.jobs[0].failed_runs[1].build());
    }
}

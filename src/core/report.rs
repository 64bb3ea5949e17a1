//! The per-SIG report: what the cards show and the Markdown export says.
//!
//! Run counts follow the official report: a run belongs to its job's SIG, and a failed run
//! without JUnit belongs to SIG CI. Test failures belong to the test's SIG (its `[sig-*]` tag).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use super::filter::Filter;
use super::job::JobName;
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

/// A pointer back to one failure, with what a card needs to show and link it.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub test: String,
    pub message: String,
    pub job: String,
    pub run: Option<RunPath>,
    pub run_label: String,
    pub commit: Option<String>,
    pub location: Option<super::junit::SourceLocation>,
    pub rule_id: &'static str,
    pub symptom_id: &'static str,
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
    pub test: String,
    pub failures: u32,
    pub jobs: BTreeSet<String>,
    pub kind: &'static Rule,
    pub latest: Example,
}

/// Failures whose normalised messages are identical, across tests, runs and jobs.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterSummary {
    pub id: ClusterId,
    pub kind: &'static Rule,
    pub failures: u32,
    pub tests: BTreeSet<String>,
    pub jobs: BTreeSet<String>,
    pub examples: Vec<Example>,
}

/// Everything one SIG card shows.
#[derive(Clone, Debug, PartialEq)]
pub struct SigReport {
    pub sig: Sig,
    pub runs: RunCounts,
    pub failures: u32,
    pub kinds: Vec<KindSummary>,
    pub jobs: Vec<JobSummary>,
    pub tests: Vec<TestSummary>,
    pub clusters: Vec<ClusterSummary>,
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
    pub fn build(runs: &[Run], totals: &JobTotals, filter: &Filter, now: DateTime<Utc>) -> Report {
        let runs: Vec<&Run> = runs
            .iter()
            .filter(|run| run.is_counted() && filter.matches_run(run, now))
            .collect();
        let days = day_range(&runs);
        let job_totals = job_totals(&runs, totals, filter);
        let mut builders: BTreeMap<Sig, SigBuilder> = Sig::core()
            .into_iter()
            .chain([Sig::Ci])
            .map(|sig| (sig, SigBuilder::default()))
            .collect();
        for run in &runs {
            if let Some(sig) = run.job.sig() {
                builders.entry(sig).or_default().runs.add(run.is_failed());
            }
            let infra = matches!(run.status, RunStatus::FailedWithoutJunit);
            let ci = builders.entry(Sig::Ci).or_default();
            ci.runs.add(infra);
            if infra {
                ci.add_job(run);
            }
            for failure in run
                .failures()
                .iter()
                .filter(|f| filter.matches_failure(run, f))
            {
                builders
                    .entry(failure.sig.clone())
                    .or_default()
                    .add_failure(run, failure);
            }
        }
        apply_sig_totals(&mut builders, &job_totals);
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

/// Where totals come from outside, SIG run counts are the sums over the SIG's jobs.
fn apply_sig_totals(builders: &mut BTreeMap<Sig, SigBuilder>, job_totals: &JobTotals) {
    let mut sums: BTreeMap<Sig, RunCounts> = BTreeMap::new();
    for (job, counts) in job_totals {
        if let Some(sig) = JobName::parse(job).sig() {
            let sum = sums.entry(sig).or_default();
            sum.failed += counts.failed;
            sum.total += counts.total;
        }
    }
    for (sig, sum) in sums {
        let runs = &mut builders.entry(sig).or_default().runs;
        runs.failed = runs.failed.max(sum.failed);
        runs.total = runs.total.max(sum.total);
    }
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

#[derive(Default)]
struct SigBuilder {
    runs: RunCounts,
    failures: u32,
    kinds: HashMap<&'static str, KindSummary>,
    jobs: HashMap<String, JobBuilder>,
    tests: HashMap<String, TestSummary>,
    clusters: HashMap<ClusterId, ClusterSummary>,
    daily: BTreeMap<NaiveDate, u32>,
}

#[derive(Default)]
struct JobBuilder {
    failures: u32,
    /// (start, path) of failed runs, to keep the newest.
    failed_runs: BTreeMap<(Option<DateTime<Utc>>, String), Option<RunPath>>,
}

impl SigBuilder {
    fn add_failure(&mut self, run: &Run, failure: &TestFailure) {
        self.failures += 1;
        let kind = failure.classification.kind();
        let example = example(run, failure);
        self.add_kind(kind, &example);
        self.add_job(run);
        self.add_test(failure, kind, &example, &run.job.raw);
        self.add_cluster(failure, kind, &example, &run.job.raw);
        if let Some(day) = run.started.map(|t| t.date_naive()) {
            *self.daily.entry(day).or_default() += 1;
        }
    }

    fn add_kind(&mut self, kind: &'static Rule, example: &Example) {
        let summary = self
            .kinds
            .entry(kind.id.as_str())
            .or_insert_with(|| KindSummary {
                rule: kind,
                failures: 0,
                tests: 0,
                examples: Vec::new(),
            });
        summary.failures += 1;
        if !summary.examples.iter().any(|e| e.test == example.test) {
            summary.tests += 1;
            if summary.examples.len() < EXAMPLES {
                summary.examples.push(example.clone());
            }
        }
    }

    /// Lists the run under its job; also how SIG CI lists runs that never produced JUnit.
    fn add_job(&mut self, run: &Run) {
        let job = self.jobs.entry(run.job.raw.clone()).or_default();
        job.failures += 1;
        job.failed_runs
            .entry((run.started, run.label()))
            .or_insert_with(|| run.prow_path().cloned());
    }

    fn add_test(
        &mut self,
        failure: &TestFailure,
        kind: &'static Rule,
        example: &Example,
        job: &str,
    ) {
        let test = self
            .tests
            .entry(failure.test.clone())
            .or_insert_with(|| TestSummary {
                test: failure.test.clone(),
                failures: 0,
                jobs: BTreeSet::new(),
                kind,
                latest: example.clone(),
            });
        test.failures += 1;
        test.jobs.insert(job.to_owned());
    }

    fn add_cluster(
        &mut self,
        failure: &TestFailure,
        kind: &'static Rule,
        example: &Example,
        job: &str,
    ) {
        let cluster = self
            .clusters
            .entry(failure.cluster)
            .or_insert_with(|| ClusterSummary {
                id: failure.cluster,
                kind,
                failures: 0,
                tests: BTreeSet::new(),
                jobs: BTreeSet::new(),
                examples: Vec::new(),
            });
        cluster.failures += 1;
        if cluster.tests.insert(failure.test.clone()) && cluster.examples.len() < EXAMPLES {
            cluster.examples.push(example.clone());
        }
        cluster.jobs.insert(job.to_owned());
    }

    fn finish(self, sig: Sig, job_totals: &JobTotals, days: &[NaiveDate]) -> SigReport {
        let mut kinds: Vec<_> = self.kinds.into_values().collect();
        kinds.sort_by(|a, b| {
            b.failures
                .cmp(&a.failures)
                .then_with(|| a.rule.id.cmp(&b.rule.id))
        });
        let mut jobs: Vec<_> = self
            .jobs
            .into_iter()
            .map(|(name, job)| job.finish(&name, job_totals))
            .collect();
        jobs.sort_by(|a, b| {
            b.runs
                .failed
                .cmp(&a.runs.failed)
                .then_with(|| a.job.raw.cmp(&b.job.raw))
        });
        let mut tests: Vec<_> = self.tests.into_values().collect();
        tests.sort_by(|a, b| {
            b.failures
                .cmp(&a.failures)
                .then_with(|| a.test.cmp(&b.test))
        });
        let mut clusters: Vec<_> = self.clusters.into_values().collect();
        clusters.sort_by(|a, b| b.failures.cmp(&a.failures).then_with(|| a.id.cmp(&b.id)));
        let daily = days
            .iter()
            .map(|day| self.daily.get(day).copied().unwrap_or(0))
            .collect();
        SigReport {
            sig,
            runs: self.runs,
            failures: self.failures,
            kinds,
            jobs,
            tests,
            clusters,
            daily,
        }
    }
}

impl JobBuilder {
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
                .filter_map(|(_, path)| path)
                .take(RUN_LINKS)
                .collect(),
        }
    }
}

fn example(run: &Run, failure: &TestFailure) -> Example {
    Example {
        test: failure.test.clone(),
        message: failure.message.clone(),
        job: run.job.raw.clone(),
        run: run.prow_path().cloned(),
        run_label: run.label(),
        commit: run.commit.clone(),
        location: failure.location.clone(),
        rule_id: failure.classification.kind().id.as_str(),
        symptom_id: failure.classification.symptom.id.as_str(),
    }
}

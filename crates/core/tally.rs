//! Counting the failures one filter keeps into per-SIG cards. Counts live in arrays parallel to
//! the [`Dataset`]'s tables, so adding a failure is a few indexed increments and two set inserts
//! of integer pairs; names are only looked at to order the finished lists, and the two long
//! lists (tests, clusters) are ordered only when first read.

use std::sync::Arc;

use chrono::NaiveDate;
use rustc_hash::FxHashSet;

use super::dataset::{
    Dataset, Id, IndexedFailure, IndexedRun, OfSig, SigCluster, SigJob, SigKind, SigTest, Table,
};
use super::deferred::Deferred;
use super::job::JobName;
use super::order::{by_key, most_first};
use super::prow::RunPath;
use super::sig::Sig;
use super::summary::{
    ClusterSummary, Example, JobSummary, JobTotals, KindSummary, RunCounts, SigReport, TestSummary,
};

/// How many examples a failure kind or a cluster keeps.
pub const EXAMPLES: usize = 3;
/// How many failed runs a job keeps links to.
pub const RUN_LINKS: usize = 5;

/// The counts of one report while its failures are added.
pub struct Tally<'d> {
    data: &'d Arc<Dataset>,
    days: &'d [NaiveDate],
    sigs: Vec<SigCount>,
    kinds: Vec<KindCount>,
    tests: Vec<TestCount>,
    clusters: Vec<ClusterCount>,
    jobs: Vec<JobCount<'d>>,
    kind_tests: FxHashSet<(Id<SigKind>, Id<SigTest>)>,
    cluster_tests: FxHashSet<(Id<SigCluster>, Id<SigTest>)>,
}

#[derive(Clone)]
struct SigCount {
    failures: u32,
    /// Failures per day of the report.
    daily: Vec<u32>,
}

#[derive(Clone, Default)]
struct KindCount {
    failures: u32,
    tests: u32,
    examples: Vec<Arc<Example>>,
}

/// Owns its contents (failures by index), as it outlives the tally in a deferred list.
#[derive(Clone, Default)]
struct TestCount {
    failures: u32,
    /// The newest failure: its run's start and its index in [`Dataset::failures`].
    latest: Option<(Option<chrono::DateTime<chrono::Utc>>, usize)>,
    jobs: JobSet,
}

#[derive(Clone, Default)]
struct ClusterCount {
    failures: u32,
    /// The first failure, by index; it gives the cluster its kind.
    first: Option<usize>,
    tests: Vec<Id<SigTest>>,
    jobs: JobSet,
    examples: Vec<Arc<Example>>,
}

#[derive(Clone, Default)]
struct JobCount<'d> {
    failures: u32,
    /// Distinct failed runs: a run's failures are added one after another.
    runs: Vec<&'d IndexedRun>,
}

impl<'d> JobCount<'d> {
    fn add(&mut self, run: &'d IndexedRun) {
        self.failures += 1;
        if !self
            .runs
            .last()
            .is_some_and(|last| std::ptr::eq(*last, run))
        {
            self.runs.push(run);
        }
    }
}

/// The few jobs a test or cluster failed in. Most fail in one, which needs no allocation.
#[derive(Clone, Default)]
struct JobSet {
    first: Option<Id<JobName>>,
    more: Vec<Id<JobName>>,
}

impl JobSet {
    fn insert(&mut self, job: Id<JobName>) {
        match self.first {
            None => self.first = Some(job),
            Some(first) if first == job || self.more.contains(&job) => {}
            Some(_) => self.more.push(job),
        }
    }

    fn ids(&self) -> impl Iterator<Item = Id<JobName>> + '_ {
        self.first.into_iter().chain(self.more.iter().copied())
    }

    /// Whether the job named `raw` is in the set.
    fn has(&self, data: &Dataset, raw: &str) -> bool {
        self.ids().any(|id| data.jobs[id].raw == raw)
    }

    /// The jobs' names, sorted. A single job's list is shared.
    fn names(&self, data: &Dataset) -> Arc<[Arc<str>]> {
        let Some(first) = self.first else {
            return Arc::new([]);
        };
        if self.more.is_empty() {
            return data.job_lists[first.index()].clone();
        }
        let jobs: Vec<Id<JobName>> = self.ids().collect();
        by_key(jobs, |job| u64::from(data.job_ranks[job.index()]))
            .iter()
            .map(|job| data.job_lists[job.index()][0].clone())
            .collect()
    }
}

impl<'d> Tally<'d> {
    pub fn new(data: &'d Arc<Dataset>, days: &'d [NaiveDate]) -> Self {
        let pairs = data.tests.len();
        Tally {
            data,
            days,
            sigs: vec![
                SigCount {
                    failures: 0,
                    daily: vec![0; days.len()],
                };
                data.sigs.len()
            ],
            kinds: vec![KindCount::default(); data.kinds.len()],
            tests: vec![TestCount::default(); data.tests.len()],
            clusters: vec![ClusterCount::default(); data.clusters.len()],
            jobs: vec![JobCount::default(); data.sig_jobs.len()],
            kind_tests: FxHashSet::with_capacity_and_hasher(pairs, Default::default()),
            cluster_tests: FxHashSet::with_capacity_and_hasher(pairs, Default::default()),
        }
    }

    /// Lists a run that failed without JUnit under its job on SIG CI's card.
    pub fn add_run(&mut self, run: &'d IndexedRun) {
        if let Some(job) = run.without_junit {
            self.jobs[job.index()].add(run);
        }
    }

    /// Adds the failure at `at` in [`Dataset::failures`], one of `run`'s.
    pub fn add_failure(&mut self, run: &'d IndexedRun, at: usize) {
        let data: &'d Dataset = self.data;
        let failure = &data.failures[at];
        self.count_day(run, failure.sig);
        self.jobs[failure.job.index()].add(run);
        self.add_to_kind(failure);
        let test = &mut self.tests[failure.test.index()];
        test.failures += 1;
        test.jobs.insert(run.job);
        if test.latest.is_none_or(|(started, _)| run.started > started) {
            test.latest = Some((run.started, at));
        }
        self.add_to_cluster(run, failure, at);
    }

    fn add_to_kind(&mut self, failure: &IndexedFailure) {
        let new_test = self.kind_tests.insert((failure.kind, failure.test));
        let kind = &mut self.kinds[failure.kind.index()];
        kind.failures += 1;
        if new_test {
            kind.tests += 1;
            if kind.examples.len() < EXAMPLES {
                kind.examples.push(failure.example.clone());
            }
        }
    }

    fn add_to_cluster(&mut self, run: &IndexedRun, failure: &IndexedFailure, at: usize) {
        let new_test = self.cluster_tests.insert((failure.cluster, failure.test));
        let cluster = &mut self.clusters[failure.cluster.index()];
        cluster.failures += 1;
        cluster.first.get_or_insert(at);
        cluster.jobs.insert(run.job);
        if new_test {
            cluster.tests.push(failure.test);
            if cluster.examples.len() < EXAMPLES {
                cluster.examples.push(failure.example.clone());
            }
        }
    }

    fn count_day(&mut self, run: &IndexedRun, sig: Id<Sig>) {
        let count = &mut self.sigs[sig.index()];
        count.failures += 1;
        if let (Some(day), Some(first)) = (run.day(), self.days.first()) {
            count.daily[(day - *first).num_days() as usize] += 1;
        }
    }

    /// The cards of the SIGs with failures or failed runs listed.
    pub fn finish(self, job_totals: &JobTotals) -> Vec<SigReport> {
        let data = self.data;
        let sigs = data.sigs.len();
        let cards = per_sig(&data.kinds, self.kinds, sigs)
            .into_iter()
            .zip(per_sig(&data.tests, self.tests, sigs))
            .zip(per_sig(&data.clusters, self.clusters, sigs))
            .zip(per_sig(&data.sig_jobs, self.jobs, sigs))
            .map(|(((kinds, tests), clusters), jobs)| Card {
                kinds,
                tests,
                clusters,
                jobs,
            });
        data.sigs
            .iter()
            .zip(cards.zip(self.sigs))
            .filter(|(_, (card, count))| count.failures > 0 || !card.jobs.is_empty())
            .map(|((_, sig), (card, count))| card.finish(data, sig.clone(), count, job_totals))
            .collect()
    }
}

/// A count that may be zero: only counted items are listed.
trait Counted {
    fn failures(&self) -> u32;
}

macro_rules! counted {
    ($($count:ty),*) => {$(
        impl Counted for $count {
            fn failures(&self) -> u32 {
                self.failures
            }
        }
    )*};
}
counted!(KindCount, TestCount, ClusterCount, JobCount<'_>);

/// The counted items of `table`, with their counts, grouped by SIG.
fn per_sig<K: OfSig, C: Counted>(
    table: &Table<K>,
    counts: Vec<C>,
    sigs: usize,
) -> Vec<Vec<(Id<K>, C)>> {
    let mut groups: Vec<Vec<(Id<K>, C)>> = (0..sigs).map(|_| Vec::new()).collect();
    for ((id, key), count) in table.iter().zip(counts) {
        if count.failures() > 0 {
            groups[key.sig().index()].push((id, count));
        }
    }
    groups
}

/// One SIG's counted kinds, tests, clusters and jobs, before ordering.
struct Card<'d> {
    kinds: Vec<(Id<SigKind>, KindCount)>,
    tests: Vec<(Id<SigTest>, TestCount)>,
    clusters: Vec<(Id<SigCluster>, ClusterCount)>,
    jobs: Vec<(Id<SigJob>, JobCount<'d>)>,
}

impl Card<'_> {
    /// The SIG's report with its lists ordered, most failures first.
    fn finish(
        self,
        data: &Arc<Dataset>,
        sig: Sig,
        count: SigCount,
        job_totals: &JobTotals,
    ) -> SigReport {
        let (tests, clusters) = (self.tests, self.clusters);
        SigReport {
            sig,
            runs: RunCounts::default(),
            failures: count.failures,
            daily: count.daily,
            quarantined_failures: 0,
            kinds: kinds(data, self.kinds).into(),
            jobs: jobs(data, self.jobs, job_totals).into(),
            tests: Deferred::new(tests.len(), {
                let data = Arc::clone(data);
                move || ordered_tests(&data, tests)
            }),
            clusters: Deferred::new(clusters.len(), {
                let data = Arc::clone(data);
                move || ordered_clusters(&data, clusters)
            }),
        }
    }
}

/// Most failures first, then by rule id.
fn kinds(data: &Dataset, counts: Vec<(Id<SigKind>, KindCount)>) -> Vec<KindSummary> {
    let rank = |(id, count): &(Id<SigKind>, KindCount)| {
        most_first(count.failures, data.kind_ranks[id.index()])
    };
    by_key(counts, rank)
        .into_iter()
        .map(|(id, count)| KindSummary {
            rule: data.kinds[id].rule,
            failures: count.failures,
            tests: count.tests,
            examples: count.examples,
        })
        .collect()
}

/// Most failures first, then by name.
fn ordered_tests(data: &Dataset, counts: Vec<(Id<SigTest>, TestCount)>) -> Vec<TestSummary> {
    let rank = |(id, count): &(Id<SigTest>, TestCount)| {
        most_first(count.failures, data.test_ranks[id.index()])
    };
    by_key(counts, rank)
        .into_iter()
        .filter_map(|(id, count)| {
            let latest = &data.failures[count.latest?.1];
            let name = &data.tests[id].name;
            let verdicts = data.verdicts.for_test(name).iter();
            Some(TestSummary {
                verdicts: verdicts
                    .filter(|v| count.jobs.has(data, &v.job.raw))
                    .cloned()
                    .collect(),
                test: name.clone(),
                failures: count.failures,
                jobs: count.jobs.names(data),
                kind: latest.classification.kind(),
                latest: latest.example.clone(),
            })
        })
        .collect()
}

/// Most failures first, then in the order first seen; each cluster's tests by name.
fn ordered_clusters(
    data: &Dataset,
    counts: Vec<(Id<SigCluster>, ClusterCount)>,
) -> Vec<ClusterSummary> {
    let rank = |(id, count): &(Id<SigCluster>, ClusterCount)| {
        most_first(count.failures, id.index() as u32)
    };
    by_key(counts, rank)
        .into_iter()
        .filter_map(|(id, count)| {
            let tests = by_key(count.tests, |test| u64::from(data.test_ranks[test.index()]));
            Some(ClusterSummary {
                id: data.clusters[id].cluster,
                kind: data.failures[count.first?].classification.kind(),
                failures: count.failures,
                tests: tests
                    .iter()
                    .map(|test| data.tests[*test].name.clone())
                    .collect(),
                jobs: count.jobs.names(data),
                examples: count.examples,
            })
        })
        .collect()
}

/// Most failed runs first, then by name.
fn jobs(
    data: &Dataset,
    counts: Vec<(Id<SigJob>, JobCount)>,
    job_totals: &JobTotals,
) -> Vec<JobSummary> {
    let rank = |(id, count): &(Id<SigJob>, JobCount)| {
        let failed = u32::try_from(count.runs.len()).unwrap_or(u32::MAX);
        most_first(failed, data.job_ranks[data.sig_jobs[*id].job.index()])
    };
    by_key(counts, rank)
        .into_iter()
        .map(|(id, count)| {
            let job = &data.jobs[data.sig_jobs[id].job];
            let failed = u32::try_from(count.runs.len()).unwrap_or(u32::MAX);
            let total = job_totals
                .get(&job.raw)
                .map_or(failed, |counts| counts.total.max(failed));
            JobSummary {
                job: job.clone(),
                runs: RunCounts { failed, total },
                failures: count.failures,
                failed_runs: newest_runs(count.runs),
            }
        })
        .collect()
}

/// Links to the newest of a job's failed runs, newest first (undated local runs last).
fn newest_runs(runs: Vec<&IndexedRun>) -> Vec<RunPath> {
    let age = |run: &&IndexedRun| {
        let started = run
            .started
            .map_or(0, |t| t.timestamp_millis().max(0) as u64 + 1);
        u64::MAX - started
    };
    by_key(runs, age)
        .iter()
        .filter_map(|run| run.example.path.clone())
        .take(RUN_LINKS)
        .collect()
}

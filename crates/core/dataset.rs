//! The loaded runs, indexed once per load. Every SIG, job, test, kind and cluster gets a small
//! integer id, so that a filter change (the [`tally`](super::tally)) counts
//! into arrays instead of hashing and comparing long test names: with 10,000 failures that is
//! the difference between a report in a frame and one that drops several.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::ops::{Index, Range};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rustc_hash::FxHashMap;

use super::classify::Classification;
use super::job::JobName;
use super::normalize::ClusterId;
use super::order::ranks;
use super::prow::RunKind;
use super::rules::Rule;
use super::run::{Run, RunStatus, TestFailure};
use super::sig::Sig;
use super::summary::{Example, ExampleRun};
use super::verdict::{Quarantine, QuarantineList, Verdicts};

/// The position of a `T` in its [`Table`]; only ever made by that table.
pub struct Id<T> {
    index: u32,
    of: PhantomData<fn() -> T>,
}

impl<T> Id<T> {
    /// The position, for arrays that run parallel to the table.
    pub fn index(self) -> usize {
        self.index as usize
    }
}

// Derives would require `T` itself to be `Copy`, `Eq`, ...; an id is those whatever `T` is.
impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}
impl<T> Eq for Id<T> {}
impl<T> Hash for Id<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.index.hash(state);
    }
}
impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.index)
    }
}

/// Distinct values in the order they were first seen.
pub struct Table<T> {
    items: Vec<T>,
}

impl<T> Table<T> {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every id with its value.
    pub fn iter(&self) -> impl Iterator<Item = (Id<T>, &T)> {
        self.items.iter().enumerate().map(|(index, item)| {
            let id = Id {
                index: index as u32,
                of: PhantomData,
            };
            (id, item)
        })
    }
}

impl<T> Index<Id<T>> for Table<T> {
    type Output = T;

    fn index(&self, id: Id<T>) -> &T {
        &self.items[id.index()]
    }
}

/// Builds a [`Table`], giving each new value the next id.
struct Interner<T> {
    items: Vec<T>,
    ids: FxHashMap<T, Id<T>>,
}

impl<T: Clone + Eq + Hash> Interner<T> {
    fn new() -> Self {
        Interner {
            items: Vec::new(),
            ids: FxHashMap::default(),
        }
    }

    fn id(&mut self, item: T) -> Id<T> {
        let next = Id {
            index: u32::try_from(self.items.len()).expect("fewer than 2^32 distinct values"),
            of: PhantomData,
        };
        *self.ids.entry(item).or_insert_with_key(|item| {
            self.items.push(item.clone());
            next
        })
    }

    fn finish(self) -> Table<T> {
        Table { items: self.items }
    }
}

/// A failure kind within a SIG. Rules are compared by identity: each is one static value.
#[derive(Clone, Copy)]
pub struct SigKind {
    pub sig: Id<Sig>,
    pub rule: &'static Rule,
}

impl PartialEq for SigKind {
    fn eq(&self, other: &Self) -> bool {
        self.sig == other.sig && std::ptr::eq(self.rule, other.rule)
    }
}
impl Eq for SigKind {}
impl Hash for SigKind {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.sig.hash(state);
        std::ptr::hash(self.rule, state);
    }
}

/// A test name within a SIG (the same name can be attributed to two SIGs by their jobs).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SigTest {
    pub sig: Id<Sig>,
    pub name: Arc<str>,
}

/// A failure cluster within a SIG.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SigCluster {
    pub sig: Id<Sig>,
    pub cluster: ClusterId,
}

/// A job as listed on a SIG's card.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SigJob {
    pub sig: Id<Sig>,
    pub job: Id<JobName>,
}

/// A key that belongs to one SIG's card.
pub trait OfSig {
    fn sig(&self) -> Id<Sig>;
}

macro_rules! of_sig {
    ($($key:ty),*) => {$(
        impl OfSig for $key {
            fn sig(&self) -> Id<Sig> {
                self.sig
            }
        }
    )*};
}
of_sig!(SigKind, SigTest, SigCluster, SigJob);

/// A counted run (one that is neither aborted nor pending).
pub struct IndexedRun {
    pub job: Id<JobName>,
    pub kind: Option<RunKind>,
    pub started: Option<DateTime<Utc>>,
    pub failed: bool,
    /// Failed with a complete JUnit listing only quarantined tests: the run of a periodic lane that runs
    /// them by design, not a failure of the SIG unless quarantined tests are shown.
    pub only_quarantined: bool,
    /// Its JUnit was read to the end: only then can its failures be all it failed on.
    pub complete_junit: bool,
    /// SIG CI's listing of the run, when it failed without producing JUnit.
    pub without_junit: Option<Id<SigJob>>,
    pub example: Arc<ExampleRun>,
    /// Its failures in [`Dataset::failures`].
    pub failures: Range<usize>,
}

impl IndexedRun {
    pub fn day(&self) -> Option<NaiveDate> {
        self.started.map(|t| t.date_naive())
    }

    /// Whether it counts as failed, with quarantined tests shown (`true`) or not.
    pub fn counts_failed(&self, show_quarantined: bool) -> bool {
        self.failed && (show_quarantined || !self.only_quarantined)
    }
}

/// One test failure of a counted run.
pub struct IndexedFailure {
    pub sig: Id<Sig>,
    pub kind: Id<SigKind>,
    pub test: Id<SigTest>,
    pub cluster: Id<SigCluster>,
    pub job: Id<SigJob>,
    pub classification: Classification,
    /// Made once here and shared by every report that shows it.
    pub example: Arc<Example>,
}

/// Everything loaded, indexed.
pub struct Dataset {
    pub runs: Vec<IndexedRun>,
    pub failures: Vec<IndexedFailure>,
    pub sigs: Table<Sig>,
    pub jobs: Table<JobName>,
    /// Each job's name as a one-job list, shared by every report that lists the job.
    pub job_lists: Vec<Arc<[Arc<str>]>>,
    pub kinds: Table<SigKind>,
    pub tests: Table<SigTest>,
    pub clusters: Table<SigCluster>,
    pub sig_jobs: Table<SigJob>,
    /// Each test's, job's and kind's place in name order, so that lists sort by integers.
    pub test_ranks: Vec<u32>,
    pub job_ranks: Vec<u32>,
    pub kind_ranks: Vec<u32>,
    /// Whether each test is quarantined (by its name, or the list given to
    /// [`Dataset::with_verdicts`]), by test id.
    pub quarantined: Vec<bool>,
    /// Every failing test's verdict per lane, computed once per load; none until
    /// [`Dataset::with_verdicts`].
    pub verdicts: Arc<Verdicts>,
}

impl Dataset {
    pub fn new<'a>(runs: impl IntoIterator<Item = &'a Run>) -> Dataset {
        let mut tables = Interners::new();
        let mut indexed = Vec::new();
        let mut failures = Vec::new();
        for run in runs.into_iter().filter(|run| run.is_counted()) {
            let job = tables.jobs.id(run.job.clone());
            let example = Arc::new(ExampleRun::of(run));
            let first = failures.len();
            failures.extend(
                run.failures()
                    .iter()
                    .map(|failure| tables.failure(job, &example, failure)),
            );
            let without_junit = matches!(run.status, RunStatus::FailedWithoutJunit)
                .then(|| tables.sig_job(&Sig::Ci, job));
            indexed.push(IndexedRun {
                job,
                kind: run.kind(),
                started: run.started,
                failed: run.is_failed(),
                only_quarantined: false,
                complete_junit: run
                    .status
                    .results()
                    .is_some_and(|results| results.parse_error.is_none()),
                without_junit,
                example,
                failures: first..failures.len(),
            });
        }
        let mut data = tables.finish(indexed, failures);
        data.mark_quarantined(None);
        data
    }

    /// The dataset with the verdicts of its bucket runs ([`Verdicts::compute`] over the same
    /// load) and the quarantine list they were judged with, which also marks its tests.
    pub fn with_verdicts(mut self, verdicts: Verdicts, list: Option<&QuarantineList>) -> Dataset {
        self.mark_quarantined(list);
        self.verdicts = Arc::new(verdicts);
        self
    }

    /// Marks the quarantined tests (by name, or on `list`), and the runs that failed on them
    /// alone.
    fn mark_quarantined(&mut self, list: Option<&QuarantineList>) {
        self.quarantined = self
            .tests
            .iter()
            .map(|(_, test)| Quarantine::of(&test.name, list).is_some())
            .collect();
        for run in &mut self.runs {
            let mut failures = self.failures[run.failures.clone()].iter();
            run.only_quarantined = run.failed
                && run.complete_junit
                && !run.failures.is_empty()
                && failures.all(|failure| self.quarantined[failure.test.index()]);
        }
    }
}

/// The tables while they are being filled.
struct Interners {
    sigs: Interner<Sig>,
    jobs: Interner<JobName>,
    kinds: Interner<SigKind>,
    tests: Interner<SigTest>,
    clusters: Interner<SigCluster>,
    sig_jobs: Interner<SigJob>,
}

impl Interners {
    fn new() -> Self {
        Interners {
            sigs: Interner::new(),
            jobs: Interner::new(),
            kinds: Interner::new(),
            tests: Interner::new(),
            clusters: Interner::new(),
            sig_jobs: Interner::new(),
        }
    }

    fn sig_job(&mut self, sig: &Sig, job: Id<JobName>) -> Id<SigJob> {
        let sig = self.sigs.id(sig.clone());
        self.sig_jobs.id(SigJob { sig, job })
    }

    fn failure(
        &mut self,
        job: Id<JobName>,
        run: &Arc<ExampleRun>,
        failure: &TestFailure,
    ) -> IndexedFailure {
        let sig = self.sigs.id(failure.sig.clone());
        let rule = failure.classification.kind();
        IndexedFailure {
            sig,
            kind: self.kinds.id(SigKind { sig, rule }),
            test: self.tests.id(SigTest {
                sig,
                name: failure.test.clone(),
            }),
            cluster: self.clusters.id(SigCluster {
                sig,
                cluster: failure.cluster,
            }),
            job: self.sig_job(&failure.sig, job),
            classification: failure.classification,
            example: Arc::new(Example::of(run, failure)),
        }
    }

    fn finish(self, runs: Vec<IndexedRun>, failures: Vec<IndexedFailure>) -> Dataset {
        let (tests, jobs, kinds) = (self.tests.finish(), self.jobs.finish(), self.kinds.finish());
        Dataset {
            quarantined: Vec::new(),
            verdicts: Arc::default(),
            runs,
            failures,
            sigs: self.sigs.finish(),
            job_lists: jobs
                .iter()
                .map(|(_, job)| Arc::from([Arc::from(job.raw.as_str())]))
                .collect(),
            test_ranks: ranks(tests.iter().map(|(_, test)| &*test.name)),
            job_ranks: ranks(jobs.iter().map(|(_, job)| job.raw.as_str())),
            kind_ranks: ranks(kinds.iter().map(|(_, kind)| kind.rule.id.as_str())),
            jobs,
            kinds,
            tests,
            clusters: self.clusters.finish(),
            sig_jobs: self.sig_jobs.finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(words: &[&str]) -> (Table<String>, Vec<Id<String>>) {
        let mut interner = Interner::new();
        let ids = words.iter().map(|w| interner.id((*w).to_owned())).collect();
        (interner.finish(), ids)
    }

    #[test]
    fn equal_values_share_an_id_in_first_seen_order() {
        let (table, ids) = table(&["b", "a", "b", "c", "a"]);
        assert_eq!(table.len(), 3);
        assert_eq!(ids[0], ids[2]);
        assert_eq!(ids[1], ids[4]);
        let order: Vec<&str> = table.iter().map(|(_, w)| w.as_str()).collect();
        assert_eq!(order, ["b", "a", "c"]);
        assert_eq!(table[ids[3]], "c");
    }
}

//! What each failing test is doing over time, per lane: flaky, broken since a run, new, or
//! quarantined, each with the runs that prove it.
//!
//! Computed once per data load ([`Verdicts::compute`]) and only looked up on a filter change
//! ([`Verdicts::for_test`]), so a filter change costs a hash lookup per listed test.

mod earlier;
mod json;
mod phrase;
mod quarantine;
#[cfg(test)]
mod tests;

use std::num::NonZeroU32;
use std::ops::Range;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use rustc_hash::{FxHashMap, FxHashSet};

use super::history::{Change, Commit, History, Lane, LaneRun, Lanes, Outcome, RunRef};
use super::job::JobName;
use super::order::{by_key, ranks};
use super::run::Run;

use earlier::EarlierFailures;
pub use earlier::{Earlier, Unread};
pub use json::to_json;
pub use phrase::period;
pub use quarantine::{Quarantine, QuarantineList, MAX_LISTED, QUARANTINE_TAG};

/// A failing streak shorter than this is not "broken".
pub const MIN_BROKEN_RUNS: usize = 2;

const KUBEVIRT_COMPARE: &str = "https://github.com/kubevirt/kubevirt/compare";

/// The stretch of time the loaded runs cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

impl Window {
    /// `None` unless `start` is before `end`.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Option<Window> {
        (start < end).then_some(Window { start, end })
    }

    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    pub fn length(&self) -> TimeDelta {
        self.end - self.start
    }

    /// The window verdicts are judged in: from the first to the last start of `runs` (a day
    /// at least), so "new this week" speaks of what was loaded, whichever way it was chosen.
    /// `None` without a run with a start time (dropped files only).
    pub fn spanned(runs: &[Run]) -> Option<Window> {
        let mut starts = runs.iter().filter_map(|run| run.started);
        let first = starts.next()?;
        let (first, last) = starts.fold((first, first), |(lo, hi), t| (lo.min(t), hi.max(t)));
        Window::new(first, last.max(first + TimeDelta::days(1)))
    }

    /// The stretch of the same length just before: where "new" is checked.
    pub fn before(&self) -> Window {
        Window {
            start: self.start - self.length(),
            end: self.start,
        }
    }
}

/// The runs of a lane a test's failure rate is counted over. Passing runs' JUnit is not read,
/// so a run in which the test did not fail stands in for a run in which it passed; runs that
/// say nothing about the test are counted apart and never in the rate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TestRuns {
    /// Runs whose JUnit lists the test as failed: the numerator.
    pub failed: u32,
    /// Passed runs (JUnit not read: the test passed or was skipped).
    pub passed_runs: u32,
    /// Failed runs whose complete JUnit does not list the test (it passed or was skipped).
    pub failed_runs_without_it: u32,
    /// Left out: aborted, errored or unfinished runs, and failed runs without JUnit or whose
    /// JUnit was unread or cut short before the test.
    pub without_result: u32,
}

impl TestRuns {
    /// The denominator: runs that would have shown the test failing.
    pub fn total(&self) -> u32 {
        self.failed + self.passed_runs + self.failed_runs_without_it
    }

    /// Failure rate in percent, `None` without runs.
    pub fn rate(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| f64::from(self.failed) * 100.0 / f64::from(total))
    }

    /// The runs of two lanes together.
    pub fn plus(&self, other: &TestRuns) -> TestRuns {
        TestRuns {
            failed: self.failed + other.failed,
            passed_runs: self.passed_runs + other.passed_runs,
            failed_runs_without_it: self.failed_runs_without_it + other.failed_runs_without_it,
            without_result: self.without_result + other.without_result,
        }
    }

    fn add(&mut self, outcome: Outcome, passed_run: bool) {
        let count = match outcome {
            Outcome::Fail => &mut self.failed,
            Outcome::Pass if passed_run => &mut self.passed_runs,
            Outcome::Pass => &mut self.failed_runs_without_it,
            Outcome::NoResult => &mut self.without_result,
        };
        *count += 1;
    }
}

/// The last passing and first failing run around the change that broke a test.
#[derive(Clone, Debug, PartialEq)]
pub struct Onset {
    pub last_passing: Arc<RunRef>,
    pub first_failing: Arc<RunRef>,
    /// Runs with a result from the first failing one to the newest, all failed.
    pub failing_runs: u32,
}

impl Onset {
    /// GitHub's view of the commits between the two runs, for lanes that test a branch head
    /// (periodics), when both commits are known and differ.
    pub fn compare_url(&self) -> Option<String> {
        let (before, after) = (&self.last_passing, &self.first_failing);
        if !(before.tests_branch_head() && after.tests_branch_head()) {
            return None;
        }
        let (before, after) = (before.commit.as_ref()?, after.commit.as_ref()?);
        (before != after).then(|| {
            format!(
                "{KUBEVIRT_COMPARE}/{}...{}",
                before.as_str(),
                after.as_str()
            )
        })
    }
}

/// How a test failed the same job differently on the same code, or on and off.
#[derive(Clone, Debug, PartialEq)]
pub enum FlakeEvidence {
    /// Two runs at the same commit: one failed the test, one did not.
    SameCommit {
        commit: Commit,
        failed: Arc<RunRef>,
        passed: Arc<RunRef>,
    },
    /// Failed, then did not, then failed again.
    Intermittent {
        failed: Arc<RunRef>,
        passed: Arc<RunRef>,
        failed_again: Arc<RunRef>,
    },
}

/// What the test's runs on the lane show, judged in this order.
#[derive(Clone, Debug, PartialEq)]
pub enum Trend {
    /// Failed in every run with a result from one run on, at least [`MIN_BROKEN_RUNS`] runs
    /// of more than one change (not one pull request's own runs), after a passing run.
    BrokenSince(Onset),
    /// The same, but no run in the window passed: it broke before the window.
    FailingThroughout {
        first_failing: Arc<RunRef>,
        failing_runs: u32,
    },
    Flaky(FlakeEvidence),
    /// None of the above: too few failures, or a failing streak that stopped or stayed
    /// within one pull request.
    Unclear,
}

/// Whether the failures started inside the window.
#[derive(Clone, Debug, PartialEq)]
pub enum Novelty {
    /// No failure on the lane in the window's length before the first one here.
    New {
        first_failing: Arc<RunRef>,
        earlier: EarlierCheck,
    },
    /// It also failed on the lane in the window's length before its first failure here, in
    /// `earlier_failures` of the lane's `earlier_runs` runs with a result there.
    Recurring {
        earlier_failures: u32,
        earlier_runs: u32,
        last_earlier: DateTime<Utc>,
    },
}

/// How far "new" was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EarlierCheck {
    /// "New" means only that the first failure is in the window.
    Unchecked(Unchecked),
    /// Checked against this many runs of the lane in the window's length before the first
    /// failure.
    Checked { runs: NonZeroU32 },
}

/// Why the stretch before a first failure was not checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unchecked {
    /// The stretch before the window was not loaded (a load of less than a window, or still
    /// loading).
    NotLoaded,
    /// It holds no run of the lane in the window's length before the first failure.
    NoRuns,
    /// The lane's runs there could not all be read: why.
    Unread(Arc<str>),
}

/// The one word a card leads with, most telling first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Headline {
    /// Quarantined tests fail where quarantined tests run (periodic lanes): no regression.
    Quarantined,
    Broken,
    Flaky,
    New,
    Failing,
}

impl Headline {
    /// Lowercase name for URLs and exports: `quarantined`, `broken`, `flaky`, `new`, `failing`.
    pub fn slug(self) -> &'static str {
        match self {
            Headline::Quarantined => "quarantined",
            Headline::Broken => "broken",
            Headline::Flaky => "flaky",
            Headline::New => "new",
            Headline::Failing => "failing",
        }
    }
}

/// One failing test on one lane.
#[derive(Clone, Debug, PartialEq)]
pub struct TestVerdict {
    pub test: Arc<str>,
    pub job: JobName,
    pub runs: TestRuns,
    pub trend: Trend,
    pub novelty: Novelty,
    pub quarantine: Option<Quarantine>,
    pub history: History,
}

impl TestVerdict {
    pub fn headline(&self) -> Headline {
        match (&self.quarantine, &self.trend, &self.novelty) {
            (Some(_), ..) => Headline::Quarantined,
            (_, Trend::BrokenSince(_) | Trend::FailingThroughout { .. }, _) => Headline::Broken,
            (_, Trend::Flaky(_), _) => Headline::Flaky,
            (
                _,
                _,
                Novelty::New {
                    earlier: EarlierCheck::Checked { .. },
                    ..
                },
            ) => Headline::New,
            _ => Headline::Failing,
        }
    }
}

/// Every failing test's verdict per lane, grouped by test.
#[derive(Debug, Default)]
pub struct Verdicts {
    window: Option<Window>,
    /// By test name, then job name; shared with the reports that list them.
    verdicts: Vec<Arc<TestVerdict>>,
    by_test: FxHashMap<Arc<str>, Range<usize>>,
}

impl Verdicts {
    /// Judges every test that failed in `runs` (the window's runs) on each lane it failed on.
    /// Runs not in the bucket (dropped files) have no lane history and are left out.
    pub fn compute(
        runs: &[Run],
        window: Window,
        earlier: Earlier,
        quarantine: Option<&QuarantineList>,
    ) -> Verdicts {
        let lanes = Lanes::of(runs);
        let earlier = EarlierFailures::of(earlier, window);
        let verdicts: Vec<TestVerdict> = lanes
            .failing
            .iter()
            .map(|failing| {
                let lane = &lanes.lanes[failing.lane as usize];
                judge(failing.test, lane, &failing.runs, &earlier, quarantine)
            })
            .collect();
        Verdicts::grouped(window, verdicts)
    }

    fn grouped(window: Window, verdicts: Vec<TestVerdict>) -> Verdicts {
        let test_ranks = name_ranks(verdicts.iter().map(|v| &*v.test));
        let job_ranks = name_ranks(verdicts.iter().map(|v| v.job.raw.as_str()));
        let ranked: Vec<(u64, TestVerdict)> = verdicts
            .into_iter()
            .zip(test_ranks.into_iter().zip(job_ranks))
            .map(|(v, (test, job))| ((u64::from(test) << 32) | u64::from(job), v))
            .collect();
        let verdicts: Vec<Arc<TestVerdict>> = by_key(ranked, |(key, _)| *key)
            .into_iter()
            .map(|(_, v)| Arc::new(v))
            .collect();
        let mut by_test: FxHashMap<Arc<str>, Range<usize>> = FxHashMap::default();
        for (at, verdict) in verdicts.iter().enumerate() {
            by_test
                .entry(Arc::clone(&verdict.test))
                .or_insert(at..at)
                .end = at + 1;
        }
        Verdicts {
            window: Some(window),
            verdicts,
            by_test,
        }
    }

    /// The window judged in, `None` for no verdicts computed yet.
    pub fn window(&self) -> Option<Window> {
        self.window
    }

    /// A test's verdicts, one per lane it failed on, by job name; empty if it did not fail.
    pub fn for_test(&self, test: &str) -> &[Arc<TestVerdict>] {
        self.by_test
            .get(test)
            .map_or(&[], |range| &self.verdicts[range.clone()])
    }

    /// The most telling headline of a test over its lanes, for sorting and filtering tests.
    pub fn headline(&self, test: &str) -> Option<Headline> {
        self.for_test(test).iter().map(|v| v.headline()).min()
    }

    /// A test's runs summed over the lanes it failed on, for sorting tests by rate or count.
    pub fn runs(&self, test: &str) -> TestRuns {
        self.for_test(test)
            .iter()
            .fold(TestRuns::default(), |sum, verdict| sum.plus(&verdict.runs))
    }

    /// A test's verdict on one job.
    pub fn get(&self, test: &str, job: &str) -> Option<&TestVerdict> {
        self.for_test(test)
            .iter()
            .find(|v| v.job.raw == job)
            .map(|v| &**v)
    }

    /// The lanes whose runs before the window are needed: those of tests that would read as
    /// new but are not checked yet (no other verdict, first failure in the window), each once.
    pub fn unchecked_lanes(&self) -> Vec<&str> {
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        self.iter()
            .filter(|v| v.quarantine.is_none() && v.trend == Trend::Unclear)
            .filter(|v| {
                matches!(
                    v.novelty,
                    Novelty::New {
                        earlier: EarlierCheck::Unchecked(Unchecked::NotLoaded),
                        ..
                    }
                )
            })
            .map(|v| v.job.raw.as_str())
            .filter(|job| seen.insert(job))
            .collect()
    }

    /// Every verdict, by test name, then job name.
    pub fn iter(&self) -> impl Iterator<Item = &TestVerdict> {
        self.verdicts.iter().map(|v| &**v)
    }

    pub fn len(&self) -> usize {
        self.verdicts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.verdicts.is_empty()
    }
}

/// Each name's place among the distinct names sorted; equal names share it.
fn name_ranks<'a>(names: impl Iterator<Item = &'a str>) -> Vec<u32> {
    let mut distinct: FxHashMap<&str, u32> = FxHashMap::default();
    let ids: Vec<u32> = names
        .map(|name| {
            let next = u32::try_from(distinct.len()).unwrap_or(u32::MAX);
            *distinct.entry(name).or_insert(next)
        })
        .collect();
    let mut by_id: Vec<&str> = vec![""; distinct.len()];
    for (name, id) in distinct {
        by_id[id as usize] = name;
    }
    let rank_of_id = ranks(by_id.into_iter());
    ids.into_iter().map(|id| rank_of_id[id as usize]).collect()
}

fn judge(
    test: &Arc<str>,
    lane: &Lane,
    failed_at: &[u32],
    earlier: &EarlierFailures,
    quarantine: Option<&QuarantineList>,
) -> TestVerdict {
    let outcomes = lane.outcomes(failed_at);
    let mut runs = TestRuns::default();
    for (outcome, lane_run) in &outcomes {
        runs.add(*outcome, lane_run.passed);
    }
    let known: Vec<(bool, &LaneRun)> = outcomes
        .iter()
        .filter(|(outcome, _)| *outcome != Outcome::NoResult)
        .map(|(outcome, lane_run)| (*outcome == Outcome::Fail, *lane_run))
        .collect();
    TestVerdict {
        test: Arc::clone(test),
        job: lane.job.clone(),
        runs,
        trend: trend(&known),
        novelty: earlier.novelty(test, lane.job, first_failing(&known)),
        quarantine: Quarantine::of(test, quarantine),
        history: History::of(&outcomes),
    }
}

/// `known`: the runs with a result, oldest first, with whether the test failed; at least one
/// failed.
fn trend(known: &[(bool, &LaneRun)]) -> Trend {
    let streak_start = known
        .iter()
        .rposition(|(failed, _)| !failed)
        .map_or(0, |last_pass| last_pass + 1);
    let streak = &known[streak_start..];
    let changes: FxHashSet<Change> = streak
        .iter()
        .map(|(_, lane_run)| lane_run.run.change())
        .collect();
    if streak.len() >= MIN_BROKEN_RUNS && changes.len() > 1 {
        let first_failing = Arc::clone(&streak[0].1.run);
        let failing_runs = u32::try_from(streak.len()).unwrap_or(u32::MAX);
        return match streak_start.checked_sub(1) {
            Some(last_pass) => Trend::BrokenSince(Onset {
                last_passing: Arc::clone(&known[last_pass].1.run),
                first_failing,
                failing_runs,
            }),
            None => Trend::FailingThroughout {
                first_failing,
                failing_runs,
            },
        };
    }
    same_commit(known)
        .or_else(|| intermittent(known))
        .map_or(Trend::Unclear, Trend::Flaky)
}

/// The first commit at which one run failed the test and another did not.
fn same_commit(known: &[(bool, &LaneRun)]) -> Option<FlakeEvidence> {
    /// A commit's first failing and first passing run so far.
    #[derive(Default)]
    struct AtCommit<'a> {
        failed: Option<&'a Arc<RunRef>>,
        passed: Option<&'a Arc<RunRef>>,
    }
    let mut seen: FxHashMap<u32, AtCommit> = FxHashMap::default();
    for &(failed, lane_run) in known {
        let Some(commit) = lane_run.commit else {
            continue;
        };
        let entry = seen.entry(commit).or_default();
        let slot = if failed {
            &mut entry.failed
        } else {
            &mut entry.passed
        };
        slot.get_or_insert(&lane_run.run);
        if let (Some(failed), Some(passed)) = (entry.failed, entry.passed) {
            return Some(FlakeEvidence::SameCommit {
                commit: failed.commit.clone()?,
                failed: Arc::clone(failed),
                passed: Arc::clone(passed),
            });
        }
    }
    None
}

/// The first fail, pass, fail in the lane's runs.
fn intermittent(known: &[(bool, &LaneRun)]) -> Option<FlakeEvidence> {
    let first_fail = known.iter().position(|(failed, _)| *failed)?;
    let pass = first_fail + known[first_fail..].iter().position(|(failed, _)| !failed)?;
    let fail_again = pass + known[pass..].iter().position(|(failed, _)| *failed)?;
    Some(FlakeEvidence::Intermittent {
        failed: Arc::clone(&known[first_fail].1.run),
        passed: Arc::clone(&known[pass].1.run),
        failed_again: Arc::clone(&known[fail_again].1.run),
    })
}

fn first_failing<'a>(known: &[(bool, &'a LaneRun)]) -> &'a Arc<RunRef> {
    known
        .iter()
        .find_map(|(failed, lane_run)| failed.then_some(&lane_run.run))
        .expect("a judged test failed at least once")
}

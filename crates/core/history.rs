//! Each lane's runs in order, and what every run says about one test: the raw material of the
//! verdicts and the history strip a card shows per failing test and lane.
//!
//! Only failures are kept from JUnit (passing runs' JUnit is not even read), so a run "passes"
//! a test when its results are complete and do not list the test as failing: the run passed, or
//! it failed with a complete JUnit file in which this test passed or was skipped.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;

use super::job::JobName;
use super::links::spyglass_url;
use super::order::by_key;
use super::prow::{BuildId, RunPath};
use super::run::{Run, RunStatus};

/// Most cells a history strip shows; older runs are counted, not shown.
pub const STRIP_CELLS: usize = 30;

/// A Prow run as verdicts cite it: enough to date it, link it and compare its commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRef {
    pub path: RunPath,
    pub started: DateTime<Utc>,
    /// The kubevirt/kubevirt commit it tested, when that is a hex SHA (`finished.json` may
    /// name a branch instead, which says nothing about the code).
    pub commit: Option<Commit>,
}

impl RunRef {
    /// Runs in the bucket only: a dropped file has no lane history and no time.
    pub fn of(run: &Run) -> Option<RunRef> {
        Some(RunRef {
            path: run.prow_path()?.clone(),
            started: run.started?,
            commit: run.commit.as_deref().and_then(Commit::parse),
        })
    }

    /// The run's Prow page.
    pub fn url(&self) -> String {
        spyglass_url(&self.path)
    }

    /// What the run tested, for telling one pull request's own failures from a lane's:
    /// presubmit runs of one PR are one change, every other run (periodic, batch) its own.
    pub fn change(&self) -> Change {
        match self.path.pr() {
            Some(pr) => Change::Pull(pr),
            None => Change::Run(self.path.build()),
        }
    }

    /// Whether this run is a periodic or postsubmit run, which tests a branch head.
    pub fn tests_branch_head(&self) -> bool {
        matches!(self.path, RunPath::Periodic { .. })
    }
}

/// See [`RunRef::change`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Change {
    Pull(u32),
    Run(BuildId),
}

/// A git commit SHA: 7 to 40 hex digits, kept lowercase. Anything else (a branch name, an
/// empty string) is not a commit two runs can be compared on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Commit(String);

impl Commit {
    pub fn parse(text: &str) -> Option<Commit> {
        let text = text.trim();
        let hex = (7..=40).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit());
        hex.then(|| Commit(text.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 7 digits, as GitHub abbreviates.
    pub fn short(&self) -> &str {
        &self.0[..7]
    }
}

/// What one run of a lane says about one test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Its JUnit lists the test as failed.
    Fail,
    /// Its results are complete and do not list the test as failed: passed or skipped.
    Pass,
    /// It says nothing about the test: aborted, errored, unfinished, failed without JUnit, its
    /// JUnit unread or cut short (and not listing the test before the cut).
    NoResult,
}

/// One run in a history strip.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub outcome: Outcome,
    pub run: Arc<RunRef>,
}

/// A test's recent runs on one lane, oldest first (newest right, as TestGrid draws it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// At most [`STRIP_CELLS`] of the newest runs.
    pub cells: Vec<Cell>,
    /// Older runs of the lane in the window that did not fit.
    pub older: u32,
}

impl History {
    /// The newest [`STRIP_CELLS`] of `runs` (oldest first).
    pub(crate) fn of(runs: &[(Outcome, &LaneRun)]) -> History {
        let shown = runs.len().min(STRIP_CELLS);
        let older = runs.len() - shown;
        History {
            cells: runs[older..]
                .iter()
                .map(|(outcome, lane_run)| Cell {
                    outcome: *outcome,
                    run: Arc::clone(&lane_run.run),
                })
                .collect(),
            older: u32::try_from(older).unwrap_or(u32::MAX),
        }
    }
}

/// How much of a run's failures its results list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Coverage {
    /// All of them: the run passed, or failed with a JUnit file read to its end.
    Complete,
    /// Some or none: the JUnit broke off, is missing or unread, or the run did not finish.
    Partial,
}

impl Coverage {
    fn of(status: &RunStatus) -> Coverage {
        match status {
            RunStatus::Passed => Coverage::Complete,
            RunStatus::Failed(results) if results.parse_error.is_none() => Coverage::Complete,
            _ => Coverage::Partial,
        }
    }
}

/// Whether a run says anything about any test: it passed, or its JUnit was read (to its end,
/// or far enough to list failures).
pub(crate) fn has_result(status: &RunStatus) -> bool {
    match status {
        RunStatus::Passed => true,
        RunStatus::Failed(results) => results.parse_error.is_none() || !results.failures.is_empty(),
        _ => false,
    }
}

/// One run of a lane.
pub(crate) struct LaneRun {
    pub run: Arc<RunRef>,
    pub passed: bool,
    /// The run's commit as a number, equal for equal commits within the lane.
    pub commit: Option<u32>,
    coverage: Coverage,
}

/// All runs of one job in the window, oldest first (by build id, which Prow mints in
/// scheduling order).
pub(crate) struct Lane<'a> {
    pub job: &'a JobName,
    pub runs: Vec<LaneRun>,
}

impl Lane<'_> {
    /// The outcome of every run of the lane for a test that failed in the runs at `failed`
    /// (ascending positions in [`Lane::runs`]).
    pub fn outcomes(&self, failed: &[u32]) -> Vec<(Outcome, &LaneRun)> {
        let mut failed = failed.iter().peekable();
        (0..)
            .zip(&self.runs)
            .map(|(at, lane_run)| {
                let outcome = if failed.next_if_eq(&&at).is_some() {
                    Outcome::Fail
                } else if lane_run.coverage == Coverage::Complete {
                    Outcome::Pass
                } else {
                    Outcome::NoResult
                };
                (outcome, lane_run)
            })
            .collect()
    }
}

/// The runs where a test failed on one lane.
pub(crate) struct Failing<'a> {
    pub test: &'a Arc<str>,
    pub lane: u32,
    /// Ascending positions in the lane's runs.
    pub runs: Vec<u32>,
}

/// The window's runs split into lanes, with every test's failing runs per lane.
pub(crate) struct Lanes<'a> {
    pub lanes: Vec<Lane<'a>>,
    pub failing: Vec<Failing<'a>>,
}

impl<'a> Lanes<'a> {
    /// Runs that are not in the bucket (dropped files) or have no time are left out.
    pub fn of(runs: &'a [Run]) -> Lanes<'a> {
        let mut lanes: Vec<Vec<(&'a Run, RunRef)>> = Vec::new();
        let mut lane_of: FxHashMap<&'a str, usize> = FxHashMap::default();
        for run in runs {
            let Some(run_ref) = RunRef::of(run) else {
                continue;
            };
            let lane = *lane_of.entry(run.job.raw.as_str()).or_insert_with(|| {
                lanes.push(Vec::new());
                lanes.len() - 1
            });
            lanes[lane].push((run, run_ref));
        }
        let lanes: Vec<Vec<(&Run, RunRef)>> = lanes
            .into_iter()
            .map(|runs| by_key(runs, |(_, run_ref)| run_ref.path.build().0))
            .collect();
        let failing = failing_runs(&lanes);
        Lanes {
            lanes: lanes.into_iter().map(Lane::of).collect(),
            failing,
        }
    }
}

impl<'a> Lane<'a> {
    fn of(runs: Vec<(&'a Run, RunRef)>) -> Lane<'a> {
        let job = &runs[0].0.job;
        let mut commits: FxHashMap<Commit, u32> = FxHashMap::default();
        let runs = runs
            .into_iter()
            .map(|(run, run_ref)| {
                let next = u32::try_from(commits.len()).unwrap_or(u32::MAX);
                let commit = run_ref
                    .commit
                    .as_ref()
                    .map(|commit| *commits.entry(commit.clone()).or_insert(next));
                LaneRun {
                    run: Arc::new(run_ref),
                    passed: matches!(run.status, RunStatus::Passed),
                    commit,
                    coverage: Coverage::of(&run.status),
                }
            })
            .collect();
        Lane { job, runs }
    }
}

/// Every test's failing runs per lane, each run once however often its JUnit lists the test.
fn failing_runs<'a>(lanes: &[Vec<(&'a Run, RunRef)>]) -> Vec<Failing<'a>> {
    let mut failing: Vec<Failing<'a>> = Vec::new();
    let mut index: FxHashMap<(&'a str, u32), usize> = FxHashMap::default();
    for (lane, runs) in (0..).zip(lanes) {
        for (at, (run, _)) in (0..).zip(runs) {
            for failure in run.failures() {
                let slot = *index.entry((&*failure.test, lane)).or_insert_with(|| {
                    failing.push(Failing {
                        test: &failure.test,
                        lane,
                        runs: Vec::new(),
                    });
                    failing.len() - 1
                });
                let runs = &mut failing[slot].runs;
                if runs.last() != Some(&at) {
                    runs.push(at);
                }
            }
        }
    }
    failing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commits_are_hex_shas_only() {
        let sha = "B3AA2D135CCA04CA416CDF4D9DA2B65816532C68";
        let commit = Commit::parse(sha).unwrap();
        assert_eq!(commit.as_str(), sha.to_ascii_lowercase());
        assert_eq!(commit.short(), "b3aa2d1");
        assert_eq!(Commit::parse(" abc1234 ").unwrap().as_str(), "abc1234");
        for not_a_sha in [
            "",
            "main",
            "release-1.7",
            "abc123",
            "g3aa2d1",
            &"a".repeat(41),
        ] {
            assert_eq!(Commit::parse(not_a_sha), None, "{not_a_sha:?}");
        }
    }

    #[test]
    fn history_keeps_the_newest_cells() {
        let run = LaneRun {
            run: Arc::new(RunRef {
                path: RunPath::Periodic {
                    job: "periodic-kubevirt-e2e-k8s-1.34-sig-storage".into(),
                    build: BuildId(1),
                },
                started: DateTime::UNIX_EPOCH,
                commit: None,
            }),
            passed: true,
            commit: None,
            coverage: Coverage::Complete,
        };
        let outcomes = [Outcome::Fail, Outcome::Pass, Outcome::NoResult];
        let runs: Vec<(Outcome, &LaneRun)> = (0..STRIP_CELLS + 2)
            .map(|at| (outcomes[at % 3], &run))
            .collect();
        let history = History::of(&runs);
        assert_eq!(history.older, 2);
        assert_eq!(history.cells.len(), STRIP_CELLS);
        assert_eq!(history.cells[0].outcome, Outcome::NoResult);
        assert_eq!(
            history.cells.last().map(|cell| cell.outcome),
            Some(outcomes[(STRIP_CELLS + 1) % 3])
        );
        assert_eq!(History::of(&runs[..1]).older, 0);
    }
}

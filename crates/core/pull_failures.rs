//! One pull request's own failures. A PR that breaks a test fails its own runs, on every lane
//! that runs the test; that says nothing about a SIG's health (ci-health counts merged PRs
//! only). A test that fails only in runs of one PR, in at least [`MIN_RUNS`] of them, while
//! other runs of the same lanes do not fail it, is that PR's failure: the report sets it apart
//! from the SIGs' counts and rates (unless `pr-failures=show`) and lists it per PR.

use std::sync::Arc;

use super::dataset::{Dataset, IndexedRun};
use super::summary::PullFailures;

/// Failed runs of one PR a test needs before it counts as that PR's own failure: one failed
/// run is a flake as likely as a breakage.
pub const MIN_RUNS: usize = 2;

/// Per test of [`Dataset::tests`], the PR whose own failure it is in `runs`, if any. Vectors
/// by index rather than maps and no sorting: the page's WASM budget is tight.
pub fn own_tests(data: &Dataset, runs: &[&IndexedRun]) -> Vec<Option<u32>> {
    let mut failing: Vec<Vec<usize>> = vec![Vec::new(); data.tests.len()];
    for (at, run) in runs.iter().enumerate() {
        for failure in run.failures.clone() {
            let failed_in = &mut failing[data.failures[failure].test.index()];
            if failed_in.last() != Some(&at) {
                failed_in.push(at);
            }
        }
    }
    let own = |failed_in: &Vec<usize>| {
        let pr = pr_of(runs[*failed_in.first()?])?;
        let only_this_pr = failed_in.iter().all(|&at| pr_of(runs[at]) == Some(pr));
        let jobs: Vec<_> = failed_in.iter().map(|&at| runs[at].job).collect();
        // A run that read its JUnit to the end (or passed) and did not fail the test.
        let passes_elsewhere = runs.iter().any(|run| {
            jobs.contains(&run.job) && pr_of(run) != Some(pr) && (!run.failed || run.complete_junit)
        });
        (only_this_pr && failed_in.len() >= MIN_RUNS && passes_elsewhere).then_some(pr)
    };
    failing.iter().map(own).collect()
}

fn pr_of(run: &IndexedRun) -> Option<u32> {
    run.example.path.as_ref()?.pr()
}

/// Collects the PRs' own failures as the report meets them, in the runs' order.
#[derive(Default)]
pub struct PullList(Vec<PullFailures>);

impl PullList {
    pub fn add(&mut self, pr: u32, test: &Arc<str>, run: &IndexedRun) {
        let at = match self.0.iter().position(|pull| pull.pr == pr) {
            Some(at) => at,
            None => {
                self.0.push(PullFailures {
                    pr,
                    ..PullFailures::default()
                });
                self.0.len() - 1
            }
        };
        let pull = &mut self.0[at];
        if !pull.tests.contains(test) {
            pull.tests.push(test.clone());
        }
        // A run's failures come together: a repeat is the run just added.
        if let Some(path) = &run.example.path {
            if pull.runs.last() != Some(path) {
                pull.runs.push(path.clone());
            }
        }
    }

    pub fn finish(self) -> Vec<PullFailures> {
        self.0
    }
}

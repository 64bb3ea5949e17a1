//! One pull request's own failures. A PR that breaks a test fails its own runs, on every lane
//! that runs the test; that says nothing about a SIG's health (ci-health counts merged PRs
//! only). A test that fails only in runs of one PR, in at least [`MIN_RUNS`] of them, while
//! other runs of the same lanes do not fail it, is that PR's failure: the report sets it apart
//! from the SIGs' counts and rates (unless `pr-failures=show`) and lists it per PR.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::dataset::{Dataset, Id, IndexedRun, SigTest};
use super::summary::PullFailures;

/// Failed runs of one PR a test needs before it counts as that PR's own failure: one failed
/// run is a flake as likely as a breakage.
pub const MIN_RUNS: usize = 2;

/// The tests of `runs` that are one PR's own failures, with that PR.
pub fn own_tests(data: &Dataset, runs: &[&IndexedRun]) -> HashMap<Id<SigTest>, u32> {
    let mut failing: HashMap<Id<SigTest>, Vec<usize>> = HashMap::new();
    for (at, run) in runs.iter().enumerate() {
        for failure in run.failures.clone() {
            let failed_in = failing.entry(data.failures[failure].test).or_default();
            if failed_in.last() != Some(&at) {
                failed_in.push(at);
            }
        }
    }
    failing
        .into_iter()
        .filter_map(|(test, failed_in)| {
            let pr = pr_of(runs[failed_in[0]])?;
            let only_this_pr = failed_in.iter().all(|&at| pr_of(runs[at]) == Some(pr));
            let jobs: HashSet<_> = failed_in.iter().map(|&at| runs[at].job).collect();
            // A run that read its JUnit to the end (or passed) and did not fail the test.
            let passes_elsewhere = runs.iter().any(|run| {
                jobs.contains(&run.job)
                    && pr_of(run) != Some(pr)
                    && (!run.failed || run.complete_junit)
            });
            (only_this_pr && failed_in.len() >= MIN_RUNS && passes_elsewhere).then_some((test, pr))
        })
        .collect()
}

fn pr_of(run: &IndexedRun) -> Option<u32> {
    run.example.path.as_ref()?.pr()
}

/// Collects the PRs' own failures as the report meets them.
#[derive(Default)]
pub struct PullList(BTreeMap<u32, PullFailures>);

impl PullList {
    pub fn add(&mut self, pr: u32, test: &Arc<str>, run: &IndexedRun) {
        let entry = self.0.entry(pr).or_insert_with(|| PullFailures {
            pr,
            ..PullFailures::default()
        });
        entry.tests.push(test.clone());
        entry.runs.extend(run.example.path.clone());
    }

    /// Per PR, lowest number first.
    pub fn finish(self) -> Vec<PullFailures> {
        let mut pulls: Vec<PullFailures> = self.0.into_values().collect();
        for pull in &mut pulls {
            pull.tests.sort();
            pull.tests.dedup();
            pull.runs.sort();
            pull.runs.dedup();
        }
        pulls
    }
}

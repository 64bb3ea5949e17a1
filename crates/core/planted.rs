//! Generated Prow runs whose truth is known, for the verdict tests and benchmark: lanes of
//! runs at set times, pull requests and commits, with chosen tests failing in chosen runs.
//! Runs are built the way the loader builds them, from JUnit text.

use chrono::{DateTime, TimeDelta, Utc};

use super::job::JobName;
use super::prow::{BuildId, RunPath};
use super::run::{Run, RunOrigin, RunStatus, TestResults};

/// How a planned run ends, before any test is made to fail in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Passes unless a test fails in it; then it fails with a complete JUnit.
    Finished,
    Aborted,
    FailedWithoutJunit,
    /// Failed with a JUnit file cut short after the failures planted in it.
    CutShort,
}

/// One run to generate.
#[derive(Clone, Debug)]
pub struct PlannedRun {
    pub job: String,
    pub started: DateTime<Utc>,
    /// The pull request of a presubmit run; `None` for periodic and batch runs.
    pub pr: Option<u32>,
    pub commit: Option<String>,
    pub ending: Ending,
    /// Tests that fail in it.
    pub failing: Vec<String>,
}

impl PlannedRun {
    pub fn new(job: &str, started: DateTime<Utc>, pr: Option<u32>, commit: Option<&str>) -> Self {
        PlannedRun {
            job: job.to_owned(),
            started,
            pr,
            commit: commit.map(str::to_owned),
            ending: Ending::Finished,
            failing: Vec::new(),
        }
    }

    /// Whether it will be a passed run.
    pub fn passes(&self) -> bool {
        self.ending == Ending::Finished && self.failing.is_empty()
    }

    /// The run, with a build id minted from its start time (unique per job and millisecond).
    pub fn build(&self) -> Run {
        let build = BuildId::first_at(self.started).expect("a time before 2150");
        let path = match (self.job.starts_with("pull-"), self.pr) {
            (true, Some(pr)) => RunPath::Presubmit {
                org_repo: super::prow::ORG_REPO.into(),
                pr,
                job: self.job.clone(),
                build,
            },
            (true, None) => RunPath::Batch {
                job: self.job.clone(),
                build,
            },
            (false, _) => RunPath::Periodic {
                job: self.job.clone(),
                build,
            },
        };
        let job = JobName::parse(&self.job);
        let status = match self.ending {
            Ending::Aborted => RunStatus::NotCounted,
            Ending::FailedWithoutJunit => RunStatus::FailedWithoutJunit,
            Ending::Finished if self.failing.is_empty() => RunStatus::Passed,
            Ending::Finished | Ending::CutShort => {
                let cut = self.ending == Ending::CutShort;
                RunStatus::Failed(TestResults::from_bytes(
                    junit(&self.failing, cut).as_bytes(),
                    job.sig().as_ref(),
                ))
            }
        };
        Run {
            job,
            origin: RunOrigin::Prow(path),
            started: Some(self.started),
            commit: self.commit.clone(),
            status,
        }
    }
}

/// A JUnit file in KubeVirt's shape with these failures and one passing test; `cut` breaks it
/// off after the failures.
fn junit(failing: &[String], cut: bool) -> String {
    let mut xml = String::from(r#"<testsuite name="KubeVirt Tests Suite">"#);
    for test in failing {
        xml.push_str(&format!(
            "<testcase name=\"{}\"><failure type=\"Failure\">tests/x.go:1\nTimed out after 360.001s.\ntests/x.go:2</failure></testcase>",
            escape(test)
        ));
    }
    if cut {
        xml.push_str("<testcase name=\"cut");
    } else {
        xml.push_str(r#"<testcase name="[sig-compute]passes"/></testsuite>"#);
    }
    xml
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

/// A small deterministic random source (xorshift64*), so generated sets are the same every run.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice(seed.max(1))
    }

    /// A number below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }
}

/// A 40-digit hex SHA made from a number.
pub fn sha(n: u64) -> String {
    format!("{:040x}", n.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// A week of runs in KubeVirt's volume: `lanes` jobs (a quarter periodic) with `runs` runs
/// spread evenly over seven days from `start`, and `tests` failing tests: every tenth broken on
/// its lane from mid-week, four in ten flaky (failing one run in ten, some retested at the same
/// commit), the rest failing once; every seventh quarantined. Every test fails in at least
/// one run with JUnit; one run in 25 is aborted or fails without JUnit.
pub fn week(start: DateTime<Utc>, lanes: usize, runs: usize, tests: usize) -> Vec<PlannedRun> {
    let mut dice = Dice::new(0x5eed);
    let per_lane = runs / lanes;
    let step = TimeDelta::days(7) / i32::try_from(per_lane.max(1)).unwrap_or(i32::MAX);
    let mut planned: Vec<PlannedRun> = Vec::with_capacity(runs);
    for lane in 0..lanes {
        let periodic = lane % 4 == 0;
        let job = if periodic {
            format!("periodic-kubevirt-e2e-k8s-1.34-sig-lane{lane}")
        } else {
            format!("pull-kubevirt-e2e-k8s-1.34-sig-lane{lane}")
        };
        for at in 0..per_lane {
            let started =
                start + step * i32::try_from(at).unwrap_or(0) + TimeDelta::seconds(lane as i64);
            // Every third presubmit run retests the previous run's PR at the same commit.
            let change = if periodic {
                at / 2
            } else {
                at - usize::from(at % 3 == 2)
            };
            let pr = (!periodic).then(|| 10_000 + u32::try_from(change).unwrap_or(0));
            let commit = sha((lane * 100_000 + change) as u64);
            let mut run = PlannedRun::new(&job, started, pr, Some(&commit));
            run.ending = match dice.below(50) {
                0 => Ending::Aborted,
                1 => Ending::FailedWithoutJunit,
                _ => Ending::Finished,
            };
            planned.push(run);
        }
    }
    for test in 0..tests {
        let lane = test % lanes;
        let name = if test % 7 == 0 {
            format!("[QUARANTINE][sig-compute]generated test {test}")
        } else {
            format!("[sig-compute]generated test {test}")
        };
        let runs = &mut planned[lane * per_lane..(lane + 1) * per_lane];
        let mut fails: Vec<usize> = match test % 10 {
            0 => (per_lane / 2..per_lane).collect(),
            1..=4 => (0..per_lane).filter(|_| dice.below(10) == 0).collect(),
            _ => Vec::new(),
        };
        // Only runs with JUnit can show a failure; each test fails in at least one.
        fails.retain(|at| runs[*at].ending == Ending::Finished);
        if fails.is_empty() {
            let from = dice.below(per_lane);
            let finished = (from..per_lane).chain(0..from);
            fails.extend(
                finished
                    .filter(|at| runs[*at].ending == Ending::Finished)
                    .take(1),
            );
        }
        for at in fails {
            runs[at].failing.push(name.clone());
        }
    }
    planned
}

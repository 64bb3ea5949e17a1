//! The stretch before the window, read after the window's runs to tell "new" failures from
//! recurring ones: only the lanes of tests that would read as new, the window's length back,
//! at most [`MAX_EARLIER_RUNS`] runs per lane. Its runs are kept apart from the
//! window's: they never enter counts, rates or cards.

use triage_core::order;
use triage_core::prow::BuildId;
use triage_core::run::Run;
use triage_core::verdict::{Earlier, QuarantineList, Unread, Verdicts, Window};

use super::bounds::MAX_EARLIER_RUNS;
use super::discover::{JobRoot, Task};

/// The lanes to read and the builds of the stretch.
#[derive(Clone, Debug, PartialEq)]
pub struct EarlierPlan {
    pub jobs: Vec<String>,
    pub since: BuildId,
    pub until: BuildId,
}

impl EarlierPlan {
    /// What the window's `runs` need: `None` when no failing test would read as new.
    pub fn of(runs: &[Run], list: Option<&QuarantineList>) -> Option<EarlierPlan> {
        let window = Window::spanned(runs)?;
        let verdicts = Verdicts::compute(runs, window, Earlier::NotLoaded, list);
        let jobs: Vec<String> = verdicts
            .unchecked_lanes()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let before = window.before();
        Some(EarlierPlan {
            since: BuildId::first_at(before.start())?,
            until: BuildId::first_at(before.end())?,
            jobs,
        })
        .filter(|plan| !plan.jobs.is_empty())
    }
}

/// The runs the window's job listings hold before the window (each listing starts a window's
/// length early: see [`super::discover::Builds`]), until the plan says which lanes to read;
/// and the job folders whose listing failed, with why.
#[derive(Debug, Default)]
pub struct ListedEarlier {
    runs: Vec<(BuildId, Task)>,
    failed: Vec<(JobRoot, String, String)>,
}

impl ListedEarlier {
    pub fn listed(&mut self, root: JobRoot, job: &str, runs: Vec<(BuildId, Task)>) {
        self.failed
            .retain(|(r, j, _)| (*r, j.as_str()) != (root, job));
        self.runs.extend(runs);
    }

    pub fn failed(&mut self, root: JobRoot, job: &str, why: String) {
        self.failed.push((root, job.to_owned(), why));
    }

    /// The steps reading the plan's lanes in its stretch: the newest [`MAX_EARLIER_RUNS`] runs
    /// of each; the lanes cut short, and those whose listing failed.
    pub fn steps(self, plan: &EarlierPlan) -> EarlierSteps {
        let mut lanes = vec![Vec::new(); plan.jobs.len()];
        for (build, step) in order::by_key(self.runs, |(build, _)| build.0) {
            let lane = job_of(&step).and_then(|job| plan.jobs.iter().position(|j| j == job));
            if let Some(lane) = lane.filter(|_| (plan.since..plan.until).contains(&build)) {
                lanes[lane].push(step);
            }
        }
        let mut read = EarlierSteps::default();
        for (job, steps) in plan.jobs.iter().zip(lanes) {
            let left = steps.len().saturating_sub(MAX_EARLIER_RUNS);
            read.steps.extend(steps.into_iter().skip(left));
            if left > 0 {
                read.cut.push((job.clone(), MAX_EARLIER_RUNS, left));
            }
        }
        read.unlisted = (self.failed.into_iter())
            .filter(|(_, job, _)| plan.jobs.contains(job))
            .map(|(_, job, why)| (job, why))
            .collect();
        read
    }
}

/// What reading the stretch takes, from [`ListedEarlier::steps`].
#[derive(Debug, Default, PartialEq)]
pub struct EarlierSteps {
    pub steps: Vec<Task>,
    /// Lanes with more runs than are read: the job, the runs kept and those left.
    pub cut: Vec<(String, usize, usize)>,
    /// Lanes whose listing failed, with why.
    pub unlisted: Vec<(String, String)>,
}

/// The job a step of the earlier stretch reads, to say which lane is unread when it fails.
pub fn job_of(step: &Task) -> Option<&str> {
    match step {
        // `pr-logs/directory/<job>/<build>.txt`
        Task::FollowPointer { object } => object.rsplit('/').nth(1),
        Task::LoadRun(path) => Some(path.job()),
        _ => None,
    }
}

/// What was read of the stretch: its runs, and the lanes not fully read with why.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EarlierRuns {
    pub runs: Vec<Run>,
    pub unread: Unread,
}

impl EarlierRuns {
    pub fn as_earlier(&self) -> Earlier<'_> {
        Earlier::Loaded {
            runs: &self.runs,
            unread: &self.unread,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone, Utc};
    use triage_core::planted::PlannedRun;
    use triage_core::prow::RunPath;

    const STORAGE: &str = "pull-kubevirt-e2e-k8s-1.34-sig-storage";
    const PERIODIC: &str = "periodic-kubevirt-e2e-k8s-1.34-sig-compute";

    #[test]
    fn only_lanes_of_tests_that_would_read_as_new_are_read_back_a_windows_length() {
        let start = Utc.with_ymd_and_hms(2026, 8, 15, 0, 0, 0).unwrap();
        let at = |hours: i64| start + TimeDelta::hours(hours);
        let mut planned = Vec::new();
        // A storage test failing once: new unless checked.
        for (i, hours) in [0, 24, 48].into_iter().enumerate() {
            let mut run = PlannedRun::new(STORAGE, at(hours), Some(100 + i as u32), None);
            if i == 2 {
                run.failing.push("[sig-storage]fstrim should trim".into());
            }
            planned.push(run);
        }
        // A periodic test broken from its second run on: not new, so its lane is not read.
        for (i, hours) in [1, 25, 49, 73, 168].into_iter().enumerate() {
            let mut run = PlannedRun::new(PERIODIC, at(hours), None, None);
            if i > 0 {
                run.failing.push("[sig-compute]VMI should start".into());
            }
            planned.push(run);
        }
        let runs: Vec<Run> = planned.iter().map(PlannedRun::build).collect();
        let plan = EarlierPlan::of(&runs, None).unwrap();
        assert_eq!(plan.jobs, [STORAGE]);
        assert_eq!(plan.since, BuildId::first_at(at(-168)).unwrap());
        assert_eq!(plan.until, BuildId::first_at(start).unwrap());
        let run = |build: u64| {
            let path = format!("pr-logs/pull/kubevirt_kubevirt/1/{STORAGE}/{build}");
            (
                BuildId(build),
                Task::LoadRun(RunPath::parse_gcs_path(&path).unwrap()),
            )
        };
        let mut listed = ListedEarlier::default();
        let (before, first, last) = (plan.since.0 - 1, plan.since.0, plan.until.0 - 1);
        listed.listed(JobRoot::Presubmits, STORAGE, vec![run(before), run(last)]);
        listed.listed(
            JobRoot::Batches,
            STORAGE,
            vec![run(first), run(plan.until.0)],
        );
        let periodic = RunPath::Periodic {
            job: PERIODIC.into(),
            build: plan.since,
        };
        listed.listed(
            JobRoot::Periodics,
            PERIODIC,
            vec![(plan.since, Task::LoadRun(periodic))],
        );
        listed.failed(JobRoot::Periodics, PERIODIC, "HTTP 503".into());
        assert_eq!(
            listed.steps(&plan),
            EarlierSteps {
                steps: vec![run(first).1, run(last).1],
                ..EarlierSteps::default()
            },
            "the plan's lanes in its stretch, oldest first"
        );
        // On the quarantine list, the storage test needs no check either.
        let list = QuarantineList::new(["[sig-storage]fstrim should trim"]);
        assert_eq!(EarlierPlan::of(&runs, Some(&list)), None);
        assert_eq!(EarlierPlan::of(&[], None), None);
    }

    #[test]
    fn a_lane_keeps_its_newest_runs_and_says_how_many_were_left_or_why_it_was_not_listed() {
        let plan = EarlierPlan {
            jobs: vec![STORAGE.into()],
            since: BuildId(0),
            until: BuildId(u64::MAX),
        };
        let pointer = |i: u64| {
            let object = format!("pr-logs/directory/{STORAGE}/{i}.txt");
            (BuildId(i), Task::FollowPointer { object })
        };
        let mut listed = ListedEarlier::default();
        let n = MAX_EARLIER_RUNS as u64 + 3;
        listed.listed(
            JobRoot::Presubmits,
            STORAGE,
            (0..n).rev().map(pointer).collect(),
        );
        listed.failed(JobRoot::Batches, STORAGE, "HTTP 503".into());
        let read = listed.steps(&plan);
        assert_eq!(read.steps.len(), MAX_EARLIER_RUNS);
        assert_eq!(read.steps[0], pointer(3).1, "the oldest left out");
        assert_eq!(read.cut, [(STORAGE.to_owned(), MAX_EARLIER_RUNS, 3)]);
        assert_eq!(read.unlisted, [(STORAGE.to_owned(), "HTTP 503".to_owned())]);
        assert_eq!(job_of(&read.steps[0]), Some(STORAGE));
        let mut retried = ListedEarlier::default();
        retried.failed(JobRoot::Batches, STORAGE, "HTTP 503".into());
        retried.listed(JobRoot::Batches, STORAGE, Vec::new());
        assert_eq!(
            retried.steps(&plan),
            EarlierSteps::default(),
            "listed on retry"
        );
    }
}

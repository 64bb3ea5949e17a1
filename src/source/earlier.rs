//! The stretch before the window, read after the window's runs to tell "new" failures from
//! recurring ones: only the lanes of tests that would read as new, the window's length back,
//! at most [`MAX_EARLIER_RUNS`] runs per job folder. Its runs are kept apart from the
//! window's: they never enter counts, rates or cards.

use triage_core::prow::BuildId;
use triage_core::run::Run;
use triage_core::verdict::{Earlier, QuarantineList, Unread, Verdicts, Window};

use chrono::{DateTime, TimeDelta, Utc};

use super::bounds::MAX_EARLIER_RUNS;
use super::discover::{JobRoot, Task};
use super::listing::{Item, Listing};

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

    /// The listings of each lane's job folders in the stretch (presubmit lanes have two: the
    /// pull requests' runs and the batch runs).
    pub fn tasks(&self) -> Vec<Task> {
        self.jobs
            .iter()
            .flat_map(|job| {
                let roots: &[JobRoot] = if job.starts_with("pull-") {
                    &[JobRoot::Presubmits, JobRoot::Batches]
                } else {
                    &[JobRoot::Periodics]
                };
                roots.iter().map(|root| Task::ListRuns {
                    root: *root,
                    job: job.clone(),
                    since: Some(self.since),
                    until: Some(self.until),
                })
            })
            .map(|step| Task::Earlier(Box::new(step)))
            .collect()
    }
}

/// The newest [`MAX_EARLIER_RUNS`] of a job folder's run steps (listed oldest first), and how
/// many older ones were left.
pub fn newest(mut steps: Vec<Task>) -> (Vec<Task>, usize) {
    let cut = steps.len().saturating_sub(MAX_EARLIER_RUNS);
    let kept = steps.split_off(cut);
    (kept, cut)
}

/// The job a step of the earlier stretch reads, to say which lane is unread when it fails.
pub fn job_of(step: &Task) -> Option<&str> {
    match step {
        Task::ListRuns { job, .. } => Some(job),
        // `pr-logs/directory/<job>/<build>.txt`
        Task::FollowPointer { object } => object.rsplit('/').nth(1),
        Task::LoadRun(path) => Some(path.job()),
        _ => None,
    }
}

/// Whether a stretch ending before build `until` can still change at `now`: a run is dated by
/// its build id when it is scheduled, and its folder (or pointer) is written when it starts,
/// so a day after `until` no run of the stretch can appear any more and its listing may be
/// cached.
pub fn is_settled(until: BuildId, now: DateTime<Utc>) -> bool {
    until.time() + TimeDelta::days(1) < now
}

/// A job folder's listing in the stretch, as text for the cache: one name a line, folders
/// ending with `/`, a pointer's link after a tab (so a reload reads no pointer either).
pub fn listing_to_text(listing: &Listing) -> String {
    let folders = listing.prefixes.iter().map(String::clone);
    let objects = listing.items.iter().map(|item| match item.link() {
        Some(link) => format!("{}\t{link}", item.name),
        None => item.name.clone(),
    });
    folders.chain(objects).collect::<Vec<_>>().join("\n")
}

/// The listing [`listing_to_text`] wrote.
pub fn listing_from_text(text: &str) -> Listing {
    let (prefixes, items): (Vec<&str>, Vec<&str>) =
        text.lines().partition(|name| name.ends_with('/'));
    Listing {
        prefixes: prefixes.into_iter().map(str::to_owned).collect(),
        items: items
            .into_iter()
            .map(|line| match line.split_once('\t') {
                Some((name, link)) => Item::linked(name, link),
                None => Item::named(line),
            })
            .collect(),
        next_page_token: None,
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
        let tasks = plan.tasks();
        assert_eq!(
            tasks,
            [JobRoot::Presubmits, JobRoot::Batches].map(|root| Task::Earlier(Box::new(
                Task::ListRuns {
                    root,
                    job: STORAGE.into(),
                    since: Some(plan.since),
                    until: Some(plan.until),
                }
            )))
        );
        assert!(tasks.iter().all(Task::is_listing));
        // On the quarantine list, the storage test needs no check either.
        let list = QuarantineList::new(["[sig-storage]fstrim should trim"]);
        assert_eq!(EarlierPlan::of(&runs, Some(&list)), None);
        assert_eq!(EarlierPlan::of(&[], None), None);
    }

    #[test]
    fn a_stretch_a_day_past_is_settled_and_its_listing_kept_as_text() {
        let now = Utc.with_ymd_and_hms(2026, 8, 22, 12, 0, 0).unwrap();
        let until = |hours: i64| BuildId::first_at(now - TimeDelta::hours(hours)).unwrap();
        assert!(is_settled(until(25), now));
        assert!(!is_settled(until(23), now));
        let listing = Listing {
            prefixes: vec![format!("logs/{PERIODIC}/5/")],
            items: vec![
                Item::linked(
                    format!("pr-logs/directory/{STORAGE}/7.txt"),
                    format!("gs://kubevirt-prow/pr-logs/pull/kubevirt_kubevirt/1/{STORAGE}/7"),
                ),
                Item::named(format!("logs/{PERIODIC}/latest-build.txt")),
            ],
            next_page_token: None,
        };
        assert_eq!(listing_from_text(&listing_to_text(&listing)), listing);
        assert_eq!(listing_from_text(""), Listing::default());
    }

    #[test]
    fn a_folder_keeps_its_newest_runs_and_says_how_many_were_left() {
        let steps = |n: usize| -> Vec<Task> {
            (0..n)
                .map(|i| Task::FollowPointer {
                    object: format!("pr-logs/directory/{STORAGE}/{i}.txt"),
                })
                .collect()
        };
        let (kept, cut) = newest(steps(MAX_EARLIER_RUNS + 3));
        assert_eq!((kept.len(), cut), (MAX_EARLIER_RUNS, 3));
        assert_eq!(kept[0], steps(4)[3], "the oldest left out");
        assert_eq!(newest(steps(2)), (steps(2), 0));
        assert_eq!(job_of(&kept[0]), Some(STORAGE));
    }
}

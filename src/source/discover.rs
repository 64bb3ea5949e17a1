//! How a load walks the bucket: the steps that list jobs and runs and find each run's folder.
//! Every step is self-contained, so a failed one can be retried on its own.

use chrono::{DateTime, Utc};

use triage_core::ci_health::Leaderboard;
use triage_core::owner::Owner;
use triage_core::prow::{self, BuildId, RunPath};
use triage_core::summary::{JobTotals, RunCounts};

use super::bounds::is_future;
use super::listing::{Item, ListQuery, Listing};
use super::request::{JobFilter, Scope, Window};

/// One step of a load. Listing steps yield further steps; `LoadRun` yields a run.
#[derive(Clone, Debug, PartialEq)]
pub enum Task {
    /// List the job folders under a root and keep those the filter matches; `window` is how
    /// far back from the bucket's "now" runs are read (all runs when `None`).
    ListJobs {
        root: JobRoot,
        window: Option<Window>,
        filter: JobFilter,
    },
    /// List one job's runs: those of `builds` (all of them when `None`).
    ListRuns {
        root: JobRoot,
        job: String,
        builds: Option<Builds>,
    },
    /// Read a `pr-logs/directory/<job>/<build>.txt` object, whose content is the run's folder:
    /// only for pointers listed without a readable link (older uploads, stand-ins of GCS).
    FollowPointer {
        object: String,
    },
    LoadRun(RunPath),
    /// Read a ci-health `results.json` and load the failed runs of the jobs the filter keeps.
    ReadLeaderboard {
        url: String,
        filter: JobFilter,
    },
    /// Read KubeVirt's quarantine list.
    ReadQuarantine,
    /// A step of reading the stretch before the window (see [`super::earlier`]): its runs
    /// are kept apart from the window's.
    Earlier(Box<Task>),
}

impl Task {
    /// Listing steps run before run loads, so the totals are known early.
    pub fn is_listing(&self) -> bool {
        match self {
            Task::ListJobs { .. } | Task::ListRuns { .. } => true,
            Task::Earlier(step) => step.is_listing(),
            _ => false,
        }
    }
}

/// The first steps of a load.
pub fn plan(scope: &Scope, filter: &JobFilter) -> Vec<Task> {
    let list = |root, window| Task::ListJobs {
        root,
        window,
        filter: filter.clone(),
    };
    match scope {
        Scope::Window(window) => vec![
            list(JobRoot::Presubmits, Some(*window)),
            list(JobRoot::Batches, Some(*window)),
            list(JobRoot::Periodics, Some(*window)),
        ],
        Scope::Pull(pr) => vec![list(JobRoot::Pull(*pr), None)],
        Scope::Run(path) => vec![Task::LoadRun(path.clone())],
        Scope::Leaderboard { url } => vec![Task::ReadLeaderboard {
            url: url.clone(),
            filter: filter.clone(),
        }],
    }
}

/// The builds a window's listing of a job reads: from `from` on, where the runs before
/// `window` are the stretch before the window (see [`super::earlier`]), so that one listing
/// serves the window and the check of "new" failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Builds {
    pub from: BuildId,
    pub window: BuildId,
}

impl Builds {
    /// The window's builds and as many before them as the window is long.
    pub fn of(window: Window, now: DateTime<Utc>) -> Option<Builds> {
        let since = window.since(now)?;
        let from = window.since(now - window.length()).unwrap_or(since);
        Some(Builds {
            from: from.min(since),
            window: since,
        })
    }
}

/// A folder whose sub-folders are jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobRoot {
    /// `pr-logs/directory/`: one `<build>.txt` pointer per presubmit run.
    Presubmits,
    /// `pr-logs/pull/batch/`: Tide's batch run folders, which get no pointer.
    Batches,
    /// `logs/`: periodic and postsubmit run folders.
    Periodics,
    /// `pr-logs/pull/kubevirt_kubevirt/<pr>/`: the run folders of one PR.
    Pull(u32),
}

impl JobRoot {
    pub fn prefix(self) -> String {
        match self {
            JobRoot::Presubmits => prow::PULL_POINTERS.into(),
            JobRoot::Batches => prow::BATCH_RUNS.into(),
            JobRoot::Periodics => prow::PERIODIC_RUNS.into(),
            JobRoot::Pull(pr) => prow::pull_folder(pr),
        }
    }

    fn job_prefix(self, job: &str) -> String {
        format!("{}{job}/", self.prefix())
    }

    /// The listing of one job's runs of `builds` (build ids sort as text).
    pub fn runs_query(self, job: &str, builds: Option<Builds>) -> ListQuery {
        let prefix = self.job_prefix(job);
        ListQuery {
            start_offset: builds.map(|builds| format!("{prefix}{}", builds.from)),
            prefix,
        }
    }

    /// The steps listing the runs of each job in a listing of [`JobRoot::prefix`] that
    /// `filter` keeps, of kubevirt/kubevirt's e2e lanes only: other repositories' jobs and
    /// project-infra's rehearsals share the bucket's folders. Also how many jobs were passed
    /// over for being another repository's or a rehearsal, so the page can say so.
    pub fn jobs(
        self,
        listing: &Listing,
        filter: &JobFilter,
        builds: Option<Builds>,
    ) -> (Vec<Task>, u32) {
        let prefix = self.prefix();
        let (kubevirt, other): (Vec<_>, Vec<_>) = listing
            .folder_names(&prefix)
            .partition(|job| Owner::of_job(job).is_kubevirt());
        let steps = kubevirt
            .into_iter()
            .filter(|job| filter.matches(job))
            .map(|job| Task::ListRuns {
                root: self,
                job: job.to_owned(),
                builds,
            })
            .collect();
        (steps, other.len() as u32)
    }

    /// The steps loading each run of `builds` in a listing of a job's folder. Entries that are
    /// not runs (`latest-build.txt`) are skipped; runs dated more than a day after `now` are
    /// set apart, not loaded. A presubmit pointer's run comes from its link metadata, so
    /// listing a job's pointers finds its runs' folders without reading any.
    pub fn runs(
        self,
        job: &str,
        listing: &Listing,
        builds: Option<Builds>,
        now: DateTime<Utc>,
    ) -> FoundRuns {
        let prefix = self.job_prefix(job);
        let mut found = FoundRuns::default();
        let mut sort = |name: String, build: BuildId, task: Option<Task>| {
            let window = builds.is_none_or(|builds| build >= builds.window);
            match task {
                None => found.skipped += u32::from(window),
                _ if is_future(build, now) => found.future.push((name, build)),
                Some(task) if window => found.steps.push(task),
                Some(task) => found.earlier.push((build, task)),
            }
        };
        let listed = |build: &BuildId| builds.is_none_or(|builds| *build >= builds.from);
        if self == JobRoot::Presubmits {
            for (name, item) in listing.items_in(&prefix) {
                let build = name.strip_suffix(".txt").and_then(|id| id.parse().ok());
                if let Some(build) = build.filter(listed) {
                    sort(item.name.clone(), build, pointer_step(item));
                }
            }
            return found;
        }
        for name in listing.folder_names(&prefix) {
            let Some(build) = name.parse().ok().filter(listed) else {
                continue;
            };
            let path = match self {
                JobRoot::Pull(pr) => RunPath::Presubmit {
                    org_repo: prow::ORG_REPO.into(),
                    pr,
                    job: job.to_owned(),
                    build,
                },
                JobRoot::Batches => RunPath::Batch {
                    job: job.to_owned(),
                    build,
                },
                _ => RunPath::Periodic {
                    job: job.to_owned(),
                    build,
                },
            };
            sort(format!("{prefix}{name}/"), build, Some(Task::LoadRun(path)));
        }
        found
    }
}

/// The runs a job's listing holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FoundRuns {
    pub steps: Vec<Task>,
    /// The steps of runs listed before the window, oldest first, with their build.
    pub earlier: Vec<(BuildId, Task)>,
    /// Objects or folders of builds dated too far ahead, with their build.
    pub future: Vec<(String, BuildId)>,
    /// Presubmit pointers in the window whose link names another repository's or a
    /// rehearsal's folder.
    pub skipped: u32,
}

/// What a ci-health leaderboard gives for the jobs a filter keeps.
#[derive(Clone, Debug, PartialEq)]
pub struct LeaderboardPlan {
    /// Failed, and failed plus succeeded runs: they stand for all the job's runs.
    pub totals: JobTotals,
    /// The steps loading the failed runs.
    pub steps: Vec<Task>,
    /// Failure URLs that name no run, to be reported rather than dropped.
    pub unparsed: Vec<String>,
}

impl LeaderboardPlan {
    pub fn new(board: &Leaderboard, filter: &JobFilter) -> LeaderboardPlan {
        let mut plan = LeaderboardPlan {
            totals: JobTotals::new(),
            steps: Vec::new(),
            unparsed: Vec::new(),
        };
        for job in board.jobs.iter().filter(|job| filter.matches(&job.job.raw)) {
            let counts = RunCounts {
                failed: job.failures,
                total: job.failures.saturating_add(job.successes),
            };
            plan.totals.insert(job.job.raw.clone(), counts);
            plan.steps
                .extend(job.failure_runs.iter().cloned().map(Task::LoadRun));
            plan.unparsed.extend(job.unparsed_urls.iter().cloned());
        }
        plan
    }
}

/// The run folder a `pr-logs/directory/<job>/<build>.txt` pointer names.
pub fn read_pointer(text: &str) -> Result<RunPath, String> {
    RunPath::parse_gcs_path(text).map_err(|e| e.to_string())
}

/// The step a listed presubmit pointer leads to. Its link metadata names the run's folder as
/// its content does, and passes the same checks ([`read_pointer`], [`pointed_run`]: `None` for
/// another repository's run); without a readable link the pointer is read.
fn pointer_step(item: &Item) -> Option<Task> {
    match item.link().map(read_pointer) {
        Some(Ok(path)) => pointed_run(path),
        Some(Err(_)) | None => Some(Task::FollowPointer {
            object: item.name.clone(),
        }),
    }
}

/// The step a followed pointer leads to: loading its run, unless the folder is another
/// repository's (a kubevirt-named job run for a fork or another project) or a rehearsal's.
pub fn pointed_run(path: RunPath) -> Option<Task> {
    Owner::of_run(&path)
        .is_kubevirt()
        .then_some(Task::LoadRun(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    const JOB: &str = "pull-kubevirt-e2e-k8s-1.34-sig-storage";
    /// A build dated years after [`now`].
    const FAR_AHEAD: u64 = 4_000_000_000_000_000_000;

    /// The bucket's "now" in these tests: a week after their newest build.
    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-08-22T15:00:00Z")
            .unwrap()
            .to_utc()
    }

    fn listing(prefixes: &[&str], items: &[&str]) -> Listing {
        Listing {
            prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
            items: items.iter().map(|name| Item::named(*name)).collect(),
            next_page_token: None,
        }
    }

    #[test]
    fn window_scope_lists_both_roots_and_filters_jobs() {
        let window: Window = "7d".parse().unwrap();
        let tasks = plan(&Scope::Window(window), &JobFilter::default());
        assert_eq!(tasks.len(), 3);
        assert!(tasks.iter().all(Task::is_listing));
        let root = listing(
            &[
                "pr-logs/directory/pull-kubevirt-unit-test/",
                &format!("pr-logs/directory/{JOB}/"),
                &format!("pr-logs/directory/rehearsal-{JOB}/"),
                "pr-logs/directory/pull-kubevirt-migration-controller-e2e/",
                "pr-logs/directory/pull-containerized-data-importer-e2e-ceph/",
                "pr-logs/directory//",
            ],
            &["pr-logs/directory/README"],
        );
        let builds = Builds::of(window, now());
        assert_eq!(
            builds.map(|b| (b.from.time(), b.window.time())),
            Some((now() - TimeDelta::days(14), now() - TimeDelta::days(7))),
            "listed from a window's length before the window"
        );
        let (jobs, skipped) = JobRoot::Presubmits.jobs(&root, &JobFilter::default(), builds);
        assert_eq!(skipped, 4, "unit test, rehearsal, two other repositories'");
        assert_eq!(
            jobs,
            [Task::ListRuns {
                root: JobRoot::Presubmits,
                job: JOB.into(),
                builds
            }]
        );
    }

    #[test]
    fn presubmit_runs_come_from_pointer_objects_in_the_window() {
        let builds = Some(Builds {
            from: BuildId(2089023992760373000),
            window: BuildId(2089023992760373248),
        });
        let query = JobRoot::Presubmits.runs_query(JOB, builds);
        assert_eq!(query.prefix, format!("pr-logs/directory/{JOB}/"));
        assert_eq!(
            query.start_offset,
            Some(format!("pr-logs/directory/{JOB}/2089023992760373000"))
        );
        let dir = format!("pr-logs/directory/{JOB}/");
        let found = listing(
            &[],
            &[
                &format!("{dir}2089023992760372999.txt"),
                &format!("{dir}2089023992760373000.txt"),
                &format!("{dir}2089023992760373248.txt"),
                &format!("{dir}2089023992760399999.txt"),
                &format!("{dir}latest-build.txt"),
                &format!("{dir}x.txt"),
            ],
        );
        let found = JobRoot::Presubmits.runs(JOB, &found, builds, now());
        assert!(found.future.is_empty());
        let pointer = |build: u64| Task::FollowPointer {
            object: format!("{dir}{build}.txt"),
        };
        assert_eq!(
            found.earlier,
            [(BuildId(2089023992760373000), pointer(2089023992760373000))],
            "listed before the window: kept for the stretch"
        );
        let objects: Vec<_> = found
            .steps
            .iter()
            .map(|task| match task {
                Task::FollowPointer { object } => object.strip_prefix(&dir).unwrap(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            objects,
            ["2089023992760373248.txt", "2089023992760399999.txt"]
        );
    }

    #[test]
    fn pointer_links_name_run_folders_without_reading_pointers() {
        let dir = format!("pr-logs/directory/{JOB}/");
        let run = |org_repo: &str, job: &str, build: u64| {
            format!("gs://kubevirt-prow/pr-logs/pull/{org_repo}/16536/{job}/{build}")
        };
        let item = |build: u64, key: &str, link: String| serde_json::json!({"name": format!("{dir}{build}.txt"), "metadata": {key: link}});
        let items = serde_json::json!({"items": [
            item(11, "x-goog-meta-link", run("kubevirt_kubevirt", JOB, 11)),
            item(12, "link", format!(" {} ", run("kubevirt_kubevirt", JOB, 12))),
            item(13, "x-goog-meta-link", run("someone_kubevirt", JOB, 13)),
            item(14, "x-goog-meta-link", run("kubevirt_project-infra", &format!("rehearsal-{JOB}"), 14)),
            item(15, "x-goog-meta-link", "gs://other-bucket/logs/j/15".into()),
            item(16, "other", "x".into()),
            item(FAR_AHEAD, "x-goog-meta-link", run("someone_kubevirt", JOB, FAR_AHEAD)),
        ]});
        let listing: Listing = serde_json::from_value(items).unwrap();
        let found = JobRoot::Presubmits.runs(JOB, &listing, None, now());
        let folder = |build: u64| RunPath::parse_gcs_path(&run("kubevirt_kubevirt", JOB, build));
        let follow = |build: u64| Task::FollowPointer {
            object: format!("{dir}{build}.txt"),
        };
        assert_eq!(
            found.steps,
            [
                Task::LoadRun(folder(11).unwrap()),
                Task::LoadRun(folder(12).unwrap()),
                follow(15),
                follow(16)
            ],
            "a link into another bucket is not trusted: the pointer itself is read"
        );
        assert_eq!(found.skipped, 3, "two forks' and a rehearsal's runs");
        assert!(
            found.future.is_empty(),
            "another repository's run is skipped, not reported, whatever its date"
        );
    }

    #[test]
    fn periodics_are_kubevirt_e2e_lanes_only() {
        let root = listing(
            &[
                "logs/periodic-kubevirt-e2e-k8s-1.36-sig-compute/",
                "logs/periodic-kubevirt-kind-e2e-test-ARM64/",
                "logs/periodic-kubevirt-e2e-test-S390X/",
                "logs/periodic-kubevirt-cloud-provider-kubevirt-e2e/",
                "logs/build-kubekins-e2e-image/",
                "logs/periodic-kubevirtci-e2e-bump/",
            ],
            &[],
        );
        let jobs: Vec<_> = JobRoot::Periodics
            .jobs(&root, &JobFilter::default(), None)
            .0
            .into_iter()
            .map(|task| match task {
                Task::ListRuns { job, .. } => job,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            jobs,
            [
                "periodic-kubevirt-e2e-k8s-1.36-sig-compute",
                "periodic-kubevirt-kind-e2e-test-ARM64",
                "periodic-kubevirt-e2e-test-S390X"
            ]
        );
    }

    #[test]
    fn periodic_and_pull_runs_come_from_folders() {
        let job = "periodic-kubevirt-e2e-k8s-1.34-sig-compute";
        let found = listing(
            &[&format!("logs/{job}/5/"), &format!("logs/{job}/junk/")],
            &[&format!("logs/{job}/latest-build.txt")],
        );
        assert_eq!(
            JobRoot::Periodics.runs(job, &found, None, now()).steps,
            [Task::LoadRun(RunPath::Periodic {
                job: job.into(),
                build: BuildId(5)
            })]
        );
        let builds = |from: u64, window: u64| {
            let (from, window) = (BuildId(from), BuildId(window));
            JobRoot::Periodics.runs(job, &found, Some(Builds { from, window }), now())
        };
        assert_eq!(builds(6, 6), FoundRuns::default());
        let five = Task::LoadRun(RunPath::Periodic {
            job: job.into(),
            build: BuildId(5),
        });
        assert_eq!(
            (builds(5, 5).steps, builds(5, 5).earlier),
            (vec![five.clone()], vec![])
        );
        assert_eq!(
            builds(4, 6).earlier,
            [(BuildId(5), five)],
            "before the window"
        );

        let job = "pull-kubevirt-e2e-k8s-1.35-sig-compute";
        assert_eq!(JobRoot::Batches.prefix(), "pr-logs/pull/batch/");
        let found = listing(&[&format!("pr-logs/pull/batch/{job}/7/")], &[]);
        let want = RunPath::parse_gcs_path(&format!("pr-logs/pull/batch/{job}/7")).unwrap();
        assert_eq!(want.kind(), triage_core::prow::RunKind::Batch);
        assert_eq!(
            JobRoot::Batches.runs(job, &found, None, now()).steps,
            [Task::LoadRun(want)]
        );

        let pull = JobRoot::Pull(16536);
        assert_eq!(pull.prefix(), "pr-logs/pull/kubevirt_kubevirt/16536/");
        let found = listing(
            &[&format!("pr-logs/pull/kubevirt_kubevirt/16536/{JOB}/42/")],
            &[],
        );
        let want =
            RunPath::parse_gcs_path(&format!("pr-logs/pull/kubevirt_kubevirt/16536/{JOB}/42"))
                .unwrap();
        assert_eq!(
            pull.runs(JOB, &found, None, now()).steps,
            [Task::LoadRun(want)]
        );
        assert_eq!(plan(&Scope::Pull(16536), &JobFilter::default()).len(), 1);
    }

    #[test]
    fn builds_dated_more_than_a_day_ahead_are_set_apart() {
        let at = |hours: i64| BuildId::first_at(now() + chrono::TimeDelta::hours(hours)).unwrap();
        let (soon, next_year) = (at(2), at(24 * 365));
        let dir = format!("pr-logs/directory/{JOB}/");
        let pointers = listing(
            &[],
            &[
                &format!("{dir}{soon}.txt"),
                &format!("{dir}{next_year}.txt"),
            ],
        );
        let found = JobRoot::Presubmits.runs(JOB, &pointers, None, now());
        assert_eq!(found.steps.len(), 1);
        assert_eq!(found.future, [(format!("{dir}{next_year}.txt"), next_year)]);

        let job = "periodic-kubevirt-e2e-k8s-1.34-sig-compute";
        let folders = listing(
            &[
                &format!("logs/{job}/{next_year}/"),
                &format!("logs/{job}/{soon}/"),
            ],
            &[],
        );
        let found = JobRoot::Periodics.runs(job, &folders, None, now());
        assert_eq!(
            found.future,
            [(format!("logs/{job}/{next_year}/"), next_year)]
        );
        assert_eq!(
            found.steps,
            [Task::LoadRun(RunPath::Periodic {
                job: job.into(),
                build: soon
            })]
        );
    }

    #[test]
    fn pointers_name_run_folders() {
        let path = "gs://kubevirt-prow/pr-logs/pull/kubevirt_kubevirt/16536/pull-kubevirt-e2e-k8s-1.33-sig-compute-1.6/2011366168115281920\n";
        let run = read_pointer(path).unwrap();
        assert_eq!(run.pr(), Some(16536));
        assert!(read_pointer("gs://other/logs/j/1")
            .unwrap_err()
            .contains("other"));
        assert!(read_pointer("").is_err());
    }

    #[test]
    fn pointers_into_other_repositories_are_not_followed() {
        let kubevirt = format!("gs://kubevirt-prow/pr-logs/pull/kubevirt_kubevirt/16536/{JOB}/5");
        let path = read_pointer(&kubevirt).unwrap();
        assert_eq!(pointed_run(path.clone()), Some(Task::LoadRun(path)));
        for folder in [
            format!("pr-logs/pull/someone_kubevirt/16536/{JOB}/5"),
            format!("pr-logs/pull/kubevirt_project-infra/4001/rehearsal-{JOB}/5"),
            "pr-logs/pull/kubevirt_containerized-data-importer/3001/pull-containerized-data-importer-e2e-ceph/5".into(),
        ] {
            let path = read_pointer(&format!("gs://kubevirt-prow/{folder}")).unwrap();
            assert_eq!(pointed_run(path), None, "{folder}");
        }
    }

    #[test]
    fn leaderboard_totals_and_failed_runs() {
        let json = triage_core::testdata::RESULTS_2026_08_22;
        let board = triage_core::ci_health::parse(json).unwrap();
        let plan = LeaderboardPlan::new(&board, &JobFilter::default());
        assert_eq!(plan.totals.len(), 44);
        let top = &plan.totals["pull-kubevirt-e2e-k8s-1.36-sig-compute-migrations"];
        assert_eq!((top.failed, top.total), (16, 36));
        assert_eq!(plan.steps.len(), 50);
        assert!(plan.unparsed.is_empty());
        assert!(plan
            .steps
            .iter()
            .all(|step| matches!(step, Task::LoadRun(RunPath::Presubmit { .. }))));
        let storage = LeaderboardPlan::new(&board, &JobFilter::parse("sig-storage"));
        assert!(!storage.totals.is_empty());
        assert!(storage.totals.keys().all(|job| job.contains("sig-storage")));
        let failed: u32 = storage.totals.values().map(|c| c.failed).sum();
        assert_eq!(storage.steps.len() as u32, failed);

        let odd = r#"{"Data": {"SIGRetests": {"FailedJobLeaderBoard": [{"JobName": "pull-kubevirt-e2e-x",
            "FailureCount": 1, "SuccessCount": 4294967295, "FailureURLs": ["nope"]}]}}}"#;
        let plan = LeaderboardPlan::new(
            &triage_core::ci_health::parse(odd).unwrap(),
            &JobFilter::default(),
        );
        assert_eq!(plan.unparsed, ["nope"]);
        assert_eq!(plan.totals["pull-kubevirt-e2e-x"].total, u32::MAX);
    }
}

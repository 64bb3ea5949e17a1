//! Verdicts on a generated window with planted truth: every verdict, onset and count exact.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use serde_json::Value;

use super::*;
use crate::dataset::Dataset;
use crate::filter::Filter;
use crate::history::{Outcome, STRIP_CELLS};
use crate::planted::{sha, Dice, Ending, PlannedRun};
use crate::prow::RunPath;
use crate::run::RunOrigin;
use crate::sig::Sig;
use crate::summary::{
    sort_tests, JobTotals, Report, RunCounts, Scope, SigReport, TestOrder, TestSummary,
};
use crate::{json, markdown};

const COMPUTE: &str = "pull-kubevirt-e2e-k8s-1.34-sig-compute";
const NETWORK: &str = "pull-kubevirt-e2e-k8s-1.34-sig-network";
const STORAGE_PERIODIC: &str = "periodic-kubevirt-e2e-k8s-1.34-sig-storage";
const COMPUTE_PERIODIC: &str = "periodic-kubevirt-e2e-k8s-1.34-sig-compute";

const BROKEN: &str = "[sig-compute]VMIlifecycle [test_id:1621]should start it";
const INTERMITTENT: &str = "[sig-compute]Hotplug should hotplug a CPU";
const NEW: &str = "[sig-compute]Softreboot should soft reboot";
const RECURRING: &str = "[sig-compute]Migration should migrate with persistent TPM";
const OLD_ENOUGH: &str = "[sig-compute]CPU pinning should pin";
const LISTED: &str = "[sig-compute]Guest agent should report";
const FLAKY: &str = "[sig-network]Masquerade should reach google.com";
const OWN_PR: &str = "[sig-network]IPv6 should get an address";
const QUARANTINED: &str = "[QUARANTINE][sig-storage]VM snapshot should be ready";
const BROKEN_PERIODIC: &str = "[sig-storage]fstrim should trim";
const SAME_COMMIT_PERIODIC: &str = "[sig-storage]Hotplug volumes should migrate";

fn window_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 8, 15, 0, 0, 0).unwrap()
}

fn window() -> Window {
    Window::new(window_start(), window_start() + TimeDelta::days(7)).unwrap()
}

/// Two runs a day on each lane, from `start`.
fn half_days(start: DateTime<Utc>, runs: usize) -> impl Iterator<Item = DateTime<Utc>> {
    (0..runs).map(move |at| start + TimeDelta::hours(12 * at as i64))
}

/// The planted window, by lane.
struct Planted {
    compute: Vec<PlannedRun>,
    network: Vec<PlannedRun>,
    storage: Vec<PlannedRun>,
    compute_periodic: Vec<PlannedRun>,
    /// The week before, on the compute lane.
    earlier: Vec<PlannedRun>,
}

impl Planted {
    fn new() -> Planted {
        // A presubmit lane: each run a new PR and commit.
        let mut compute: Vec<PlannedRun> = half_days(window_start(), 14)
            .zip(0..)
            .map(|(time, at)| {
                PlannedRun::new(COMPUTE, time, Some(1000 + at), Some(&sha(at.into())))
            })
            .collect();
        fail(&mut compute, BROKEN, 9..14);
        compute[11].ending = Ending::FailedWithoutJunit;
        fail(&mut compute, INTERMITTENT, [1, 4]);
        // Listed twice in one JUnit file: one failing run.
        fail(&mut compute, NEW, [12, 12]);
        fail(&mut compute, RECURRING, [3]);
        fail(&mut compute, OLD_ENOUGH, [2]);
        fail(&mut compute, LISTED, [5]);

        let mut earlier: Vec<PlannedRun> = half_days(window_start() - TimeDelta::days(7), 14)
            .zip(0..)
            .map(|(time, at)| {
                PlannedRun::new(
                    COMPUTE,
                    time,
                    Some(900 + at),
                    Some(&sha(900 + u64::from(at))),
                )
            })
            .collect();
        fail(&mut earlier, RECURRING, [13]);
        fail(&mut earlier, OLD_ENOUGH, [0]);

        // A presubmit lane with a retest at the same commit, a batch run, an aborted run and
        // one PR failing its own runs.
        let mut network: Vec<PlannedRun> = half_days(window_start(), 10)
            .zip(0..)
            .map(|(time, at)| {
                let (pr, commit) = match at {
                    4 => (Some(2003), sha(2003)),
                    5 => (None, sha(5555)),
                    7..=9 => (Some(2007), sha(2000 + u64::from(at))),
                    _ => (Some(2000 + at), sha(2000 + u64::from(at))),
                };
                PlannedRun::new(NETWORK, time, pr, Some(&commit))
            })
            .collect();
        network[6].ending = Ending::Aborted;
        fail(&mut network, FLAKY, [3]);
        fail(&mut network, OWN_PR, 7..10);

        // A periodic lane: main moves every second run; one run's commit is a branch name.
        let mut storage: Vec<PlannedRun> = half_days(window_start() + TimeDelta::hours(3), 14)
            .zip(0u64..)
            .map(|(time, at)| {
                let commit = if at == 12 {
                    "main".to_owned()
                } else {
                    sha(at / 2)
                };
                PlannedRun::new(STORAGE_PERIODIC, time, None, Some(&commit))
            })
            .collect();
        fail(&mut storage, QUARANTINED, 0..14);
        fail(&mut storage, BROKEN_PERIODIC, 8..13);
        fail(&mut storage, SAME_COMMIT_PERIODIC, [10]);
        storage[13].ending = Ending::CutShort;

        let mut compute_periodic: Vec<PlannedRun> =
            half_days(window_start() + TimeDelta::hours(5), 7)
                .zip(0u64..)
                .map(|(time, at)| {
                    PlannedRun::new(COMPUTE_PERIODIC, time, None, Some(&sha(100 + at)))
                })
                .collect();
        fail(&mut compute_periodic, QUARANTINED, 3..7);

        let mut planted = Planted {
            compute,
            network,
            storage,
            compute_periodic,
            earlier,
        };
        planted.add_noise();
        planted
    }

    /// Tests failing once each in random finished runs of the compute lane (every run there
    /// tests a different PR and commit, so each reads as a single failure).
    fn add_noise(&mut self) {
        let mut dice = Dice::new(7);
        for noise in 0..20 {
            let at = loop {
                let at = dice.below(self.compute.len());
                if self.compute[at].ending == Ending::Finished {
                    break at;
                }
            };
            self.compute[at].failing.push(noise_name(noise));
        }
    }

    fn runs(&self) -> Vec<Run> {
        let mut runs: Vec<Run> = [
            &self.network,
            &self.storage,
            &self.compute,
            &self.compute_periodic,
        ]
        .into_iter()
        .flatten()
        .map(PlannedRun::build)
        .collect();
        // A dropped JUnit file of the same job: no lane history, no verdict.
        let mut local = self.compute[0].build();
        local.origin = RunOrigin::Local {
            file_name: "junit.functest.xml".into(),
        };
        local.started = None;
        local.status = self.compute[13].build().status;
        runs.push(local);
        runs
    }

    fn earlier(&self) -> Vec<Run> {
        self.earlier.iter().map(PlannedRun::build).collect()
    }

    /// Passed runs of a lane: the runs where no planted test failed.
    fn passed_runs(lane: &[PlannedRun]) -> u32 {
        lane.iter().filter(|run| run.passes()).count() as u32
    }
}

fn noise_name(noise: u32) -> String {
    format!("[sig-compute]noise {noise}")
}

fn fail(lane: &mut [PlannedRun], test: &str, runs: impl IntoIterator<Item = usize>) {
    for at in runs {
        lane[at].failing.push(test.to_owned());
    }
}

fn compute_all(earlier: Earlier, list: Option<&QuarantineList>) -> Verdicts {
    Verdicts::compute(&Planted::new().runs(), window(), earlier, list)
}

fn checked() -> Verdicts {
    let planted = Planted::new();
    let earlier = planted.earlier();
    let list = QuarantineList::new([LISTED]);
    Verdicts::compute(
        &planted.runs(),
        window(),
        Earlier::Loaded {
            runs: &earlier,
            unread: &Unread::default(),
        },
        Some(&list),
    )
}

fn verdict<'a>(verdicts: &'a Verdicts, test: &str, job: &str) -> &'a TestVerdict {
    verdicts
        .get(test, job)
        .unwrap_or_else(|| panic!("no verdict for {test} on {job}"))
}

/// The planned run's reference as the verdicts should cite it.
fn cited(run: &PlannedRun) -> Arc<RunRef> {
    Arc::new(RunRef::of(&run.build()).unwrap())
}

#[test]
fn a_test_broken_on_one_lane_has_its_onset() {
    let planted = Planted::new();
    let verdicts = checked();
    let broken = verdict(&verdicts, BROKEN, COMPUTE);
    assert_eq!(
        broken.trend,
        Trend::BrokenSince(Onset {
            last_passing: cited(&planted.compute[8]),
            first_failing: cited(&planted.compute[9]),
            failing_runs: 4,
        })
    );
    assert_eq!(broken.headline(), Headline::Broken);
    let passed = Planted::passed_runs(&planted.compute);
    assert_eq!(
        broken.runs,
        TestRuns {
            failed: 4,
            passed_runs: passed,
            failed_runs_without_it: 13 - 4 - passed,
            without_result: 1,
        }
    );
    assert_eq!(broken.runs.total(), 13);
    // A presubmit lane: the two runs tested different PRs, so no compare link.
    let Trend::BrokenSince(onset) = &broken.trend else {
        unreachable!()
    };
    assert_eq!(onset.compare_url(), None);
    assert_eq!(
        broken.phrase(&window()),
        format!("consistently failing since 2026-08-19 on {COMPUTE}")
    );
    assert_eq!(
        verdicts.for_test(BROKEN).len(),
        1,
        "the local file adds no lane"
    );
}

#[test]
fn a_periodic_onset_links_the_commits_between() {
    let planted = Planted::new();
    let verdicts = checked();
    let broken = verdict(&verdicts, BROKEN_PERIODIC, STORAGE_PERIODIC);
    let Trend::BrokenSince(onset) = &broken.trend else {
        panic!("{:?}", broken.trend)
    };
    assert_eq!(onset.last_passing, cited(&planted.storage[7]));
    assert_eq!(onset.first_failing, cited(&planted.storage[8]));
    // Run 13 was cut short before this test: it says nothing.
    assert_eq!(onset.failing_runs, 5);
    assert_eq!(broken.runs.without_result, 1);
    assert_eq!(
        onset.compare_url(),
        Some(format!(
            "https://github.com/kubevirt/kubevirt/compare/{}...{}",
            sha(3),
            sha(4)
        ))
    );
    assert_eq!(
        onset.phrase(),
        format!(
            "last passed in run {} (2026-08-18, {}), failed in all 5 runs since run {} (2026-08-19, {})",
            onset.last_passing.path.build(),
            &sha(3)[..7],
            onset.first_failing.path.build(),
            &sha(4)[..7]
        )
    );
}

#[test]
fn a_test_retested_at_the_same_commit_is_flaky() {
    let planted = Planted::new();
    let verdicts = checked();
    let flaky = verdict(&verdicts, FLAKY, NETWORK);
    assert_eq!(
        flaky.trend,
        Trend::Flaky(FlakeEvidence::SameCommit {
            commit: Commit::parse(&sha(2003)).unwrap(),
            failed: cited(&planted.network[3]),
            passed: cited(&planted.network[4]),
        })
    );
    assert_eq!(flaky.headline(), Headline::Flaky);
    // 10 runs, one aborted.
    assert_eq!((flaky.runs.failed, flaky.runs.total()), (1, 9));
    assert_eq!(flaky.runs.without_result, 1);
    assert_eq!(
        flaky.phrase(&window()),
        format!("flaky: 1 of 9 runs on {NETWORK}")
    );

    let periodic = verdict(&verdicts, SAME_COMMIT_PERIODIC, STORAGE_PERIODIC);
    assert_eq!(
        periodic.trend,
        Trend::Flaky(FlakeEvidence::SameCommit {
            commit: Commit::parse(&sha(5)).unwrap(),
            failed: cited(&planted.storage[10]),
            passed: cited(&planted.storage[11]),
        })
    );
}

#[test]
fn a_test_failing_on_and_off_is_flaky() {
    let planted = Planted::new();
    let verdicts = checked();
    let flaky = verdict(&verdicts, INTERMITTENT, COMPUTE);
    assert_eq!(
        flaky.trend,
        Trend::Flaky(FlakeEvidence::Intermittent {
            failed: cited(&planted.compute[1]),
            passed: cited(&planted.compute[2]),
            failed_again: cited(&planted.compute[4]),
        })
    );
    assert_eq!(flaky.runs.phrase(), "2 of 13 runs");
}

#[test]
fn one_pull_requests_own_failures_are_not_a_broken_lane() {
    let verdicts = checked();
    let own = verdict(&verdicts, OWN_PR, NETWORK);
    assert_eq!(own.trend, Trend::Unclear);
    assert_eq!(own.runs.failed, 3);
    assert_eq!(
        own.headline(),
        Headline::Failing,
        "its lane has no earlier runs to check \"new\" against"
    );
}

#[test]
fn quarantined_tests_failing_on_periodics_are_flagged_not_regressions() {
    let planted = Planted::new();
    let verdicts = checked();
    let lanes: Vec<&str> = verdicts
        .for_test(QUARANTINED)
        .iter()
        .map(|v| v.job.raw.as_str())
        .collect();
    assert_eq!(lanes, [COMPUTE_PERIODIC, STORAGE_PERIODIC]);
    let storage = verdict(&verdicts, QUARANTINED, STORAGE_PERIODIC);
    assert_eq!(storage.quarantine, Some(Quarantine::Tagged));
    assert_eq!(storage.headline(), Headline::Quarantined);
    assert_eq!(
        storage.trend,
        Trend::FailingThroughout {
            first_failing: cited(&planted.storage[0]),
            failing_runs: 14,
        }
    );
    assert_eq!(
        storage.phrase(&window()),
        format!(
            "quarantined: failed 14 of 14 runs on {STORAGE_PERIODIC}, a periodic lane that runs quarantined tests"
        )
    );
    let both_lanes = verdicts.runs(QUARANTINED);
    assert_eq!((both_lanes.failed, both_lanes.total()), (14 + 4, 14 + 7));
    assert_eq!(verdicts.runs("never failed"), TestRuns::default());
    let compute = verdict(&verdicts, QUARANTINED, COMPUTE_PERIODIC);
    assert_eq!(compute.headline(), Headline::Quarantined);
    assert!(matches!(compute.trend, Trend::BrokenSince(_)));

    let listed = verdict(&verdicts, LISTED, COMPUTE);
    assert_eq!(listed.quarantine, Some(Quarantine::Listed));
    assert_eq!(
        listed.phrase(&window()),
        format!("quarantined (listed in quarantine.json): failed 1 of 13 runs on {COMPUTE}")
    );
    let unlisted = compute_all(Earlier::NotLoaded, None);
    assert_eq!(verdict(&unlisted, LISTED, COMPUTE).quarantine, None);
    assert_eq!(
        Quarantine::of(QUARANTINED, Some(&QuarantineList::new([QUARANTINED]))),
        Some(Quarantine::Both)
    );
}

/// The earlier runs of the planted compute lane with a result in the week before `first`.
fn earlier_runs_before(planted: &Planted, first: &PlannedRun) -> u32 {
    let since = first.started - TimeDelta::days(7);
    planted
        .earlier
        .iter()
        .filter(|run| run.started >= since && run.ending == Ending::Finished)
        .count() as u32
}

#[test]
fn new_failures_are_checked_against_the_weeks_length_before_them() {
    let planted = Planted::new();
    let verdicts = checked();
    let new = verdict(&verdicts, NEW, COMPUTE);
    // First failed 6 days into the window: the 2 earlier runs of the day before it count.
    assert_eq!(earlier_runs_before(&planted, &planted.compute[12]), 2);
    assert_eq!(
        new.novelty,
        Novelty::New {
            first_failing: cited(&planted.compute[12]),
            earlier: EarlierCheck::Checked {
                runs: NonZeroU32::new(2).unwrap(),
            },
        }
    );
    assert_eq!(new.trend, Trend::Unclear);
    assert_eq!(new.headline(), Headline::New);
    assert_eq!(new.runs.failed, 1);
    assert_eq!(new.phrase(&window()), format!("new this week on {COMPUTE}"));
    assert_eq!(
        new.evidence(&window()).unwrap(),
        "no failure in the 2 runs of the lane in the week before its first failure"
    );

    let recurring = verdict(&verdicts, RECURRING, COMPUTE);
    let earlier_runs = earlier_runs_before(&planted, &planted.compute[3]);
    assert_eq!(earlier_runs, 11);
    assert_eq!(
        recurring.novelty,
        Novelty::Recurring {
            earlier_failures: 1,
            earlier_runs,
            last_earlier: planted.earlier[13].started,
        }
    );
    assert_eq!(recurring.headline(), Headline::Failing);
    assert_eq!(
        recurring.phrase(&window()),
        format!("failed 1 of 13 runs on {COMPUTE}")
    );
    assert_eq!(
        recurring.evidence(&window()).unwrap(),
        format!(
            "also failed 1 of 11 runs the week before (last on {})",
            planted.earlier[13].started.date_naive()
        )
    );

    // Its earlier failure is more than a week before its first failure here.
    let old = verdict(&verdicts, OLD_ENOUGH, COMPUTE);
    assert_eq!(
        old.novelty,
        Novelty::New {
            first_failing: cited(&planted.compute[2]),
            earlier: EarlierCheck::Checked {
                runs: NonZeroU32::new(earlier_runs_before(&planted, &planted.compute[2])).unwrap(),
            },
        }
    );
    assert_eq!(earlier_runs_before(&planted, &planted.compute[2]), 12);

    // A lane without earlier runs loaded: its own-PR test is not checked, and not "new".
    let own = verdict(&verdicts, OWN_PR, NETWORK);
    assert_eq!(
        own.novelty,
        Novelty::New {
            first_failing: cited(&planted.network[7]),
            earlier: EarlierCheck::Unchecked(Unchecked::NoRuns),
        }
    );
    assert_eq!(own.headline(), Headline::Failing);
    assert_eq!(
        own.phrase(&window()),
        format!(
            "failed 3 of 9 runs on {NETWORK}, first this week (the week before not checked: no runs of the lane)"
        )
    );
}

#[test]
fn without_the_earlier_stretch_new_says_so() {
    let verdicts = compute_all(Earlier::NotLoaded, None);
    let new = verdict(&verdicts, RECURRING, COMPUTE);
    assert!(matches!(
        new.novelty,
        Novelty::New {
            earlier: EarlierCheck::Unchecked(Unchecked::NotLoaded),
            ..
        }
    ));
    assert_eq!(
        new.headline(),
        Headline::Failing,
        "\"new\" only when checked"
    );
    assert_eq!(
        new.phrase(&window()),
        format!(
            "failed 1 of 13 runs on {COMPUTE}, first this week (the week before not checked: not loaded)"
        )
    );
    assert_eq!(new.evidence(&window()), None);
    // The lanes to read before the window: those of tests that would read as new (the
    // compute lane's, the network lane's own-PR test), not those of broken, flaky or
    // quarantined tests.
    let mut lanes = verdicts.unchecked_lanes();
    lanes.sort_unstable();
    assert_eq!(lanes, [COMPUTE, NETWORK]);
    assert!(checked().unchecked_lanes().is_empty());
}

#[test]
fn an_unread_earlier_lane_is_unchecked_with_why_but_failures_found_count() {
    let planted = Planted::new();
    // The earlier stretch read only up to its second half, and the lane reported unread.
    let earlier: Vec<Run> = planted.earlier()[7..].to_vec();
    let mut unread = Unread::default();
    unread.insert(COMPUTE, "listing failed: HTTP 503");
    unread.insert(COMPUTE, "a later reason");
    let verdicts = Verdicts::compute(
        &planted.runs(),
        window(),
        Earlier::Loaded {
            runs: &earlier,
            unread: &unread,
        },
        None,
    );
    let new = verdict(&verdicts, NEW, COMPUTE);
    assert_eq!(
        new.novelty,
        Novelty::New {
            first_failing: cited(&planted.compute[12]),
            earlier: EarlierCheck::Unchecked(Unchecked::Unread("listing failed: HTTP 503".into())),
        }
    );
    assert_eq!(
        new.phrase(&window()),
        format!(
            "failed 1 of 13 runs on {COMPUTE}, first this week (the week before not checked: listing failed: HTTP 503)"
        )
    );
    let recurring = verdict(&verdicts, RECURRING, COMPUTE);
    assert!(matches!(
        recurring.novelty,
        Novelty::Recurring {
            earlier_failures: 1,
            ..
        }
    ));
}

#[test]
fn the_window_spans_the_loaded_runs_and_the_stretch_before_is_as_long() {
    let runs = Planted::new().runs();
    let spanned = Window::spanned(&runs).unwrap();
    let first = runs.iter().filter_map(|run| run.started).min().unwrap();
    let last = runs.iter().filter_map(|run| run.started).max().unwrap();
    assert_eq!((spanned.start(), spanned.end()), (first, last));
    let before = spanned.before();
    assert_eq!(
        (before.start(), before.end()),
        (first - (last - first), first)
    );
    assert_eq!(Window::spanned(&[]), None);
    let one = &runs[..1];
    assert_eq!(
        Window::spanned(one).unwrap().length(),
        TimeDelta::days(1),
        "a day at least"
    );
}

#[test]
fn quarantine_json_lists_specs_by_their_full_names() {
    let json = String::from_utf8(crate::testdata::read("quarantine/quarantine.json")).unwrap();
    let list = QuarantineList::parse(&json).unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list.cut, 0);
    let migration = "[rfe_id:393][crit:high][vendor:cnv-qe@redhat.com][level:system][sig-compute] VM Live Migration [Serial][QUARANTINE] with a dedicated migration network Should migrate over that network";
    assert_eq!(
        Quarantine::of(migration, Some(&list)),
        Some(Quarantine::Both)
    );
    let unnamed = "[sig-network] Port-forward VMI With masquerade binding performing port-forward from a local port to a VMI's declared port should reach the vmi IPv4";
    assert_eq!(
        Quarantine::of(unnamed, Some(&list)),
        Some(Quarantine::Listed)
    );
    assert_eq!(Quarantine::of(unnamed, None), None);
    for bad in ["", "{}", "[]", r#"{"files_stats": 3}"#, "not json"] {
        assert!(QuarantineList::parse(bad).is_err(), "{bad}");
    }
    let empty = QuarantineList::parse(r#"{"files_stats": [{"test_stats": {"specs_total": 2, "matching_spec_paths": null}, "path": "x"}]}"#).unwrap();
    assert!(empty.is_empty());
    let many: Vec<String> = (0..MAX_LISTED + 2)
        .map(|n| format!(r#"{{"path": [{{"text": "spec {n}"}}]}}"#))
        .collect();
    let long = format!(
        r#"{{"files_stats": [{{"test_stats": {{"matching_spec_paths": [{}]}}}}]}}"#,
        many.join(",")
    );
    let cut = QuarantineList::parse(&long).unwrap();
    assert_eq!((cut.len(), cut.cut), (MAX_LISTED, 2));
}

#[test]
fn noise_fails_once_and_reads_as_such() {
    let planted = Planted::new();
    let verdicts = checked();
    for noise in 0..20 {
        let name = noise_name(noise);
        let at = planted
            .compute
            .iter()
            .position(|run| run.failing.contains(&name))
            .unwrap();
        let verdict = verdict(&verdicts, &name, COMPUTE);
        assert_eq!(verdict.trend, Trend::Unclear, "{name}");
        assert_eq!(
            (verdict.runs.failed, verdict.runs.total()),
            (1, 13),
            "{name}"
        );
        let Novelty::New { first_failing, .. } = &verdict.novelty else {
            panic!("{name}: {:?}", verdict.novelty)
        };
        assert_eq!(*first_failing, cited(&planted.compute[at]));
    }
    // Planted: 6 compute tests, 2 network, 3 storage (one also on compute periodic), 20 noise.
    assert_eq!(verdicts.len(), 6 + 2 + 3 + 1 + 20);
    assert_eq!(verdicts.window(), Some(window()));
}

#[test]
fn the_history_strip_shows_every_run_newest_right() {
    let planted = Planted::new();
    let verdicts = checked();
    let history = &verdict(&verdicts, BROKEN, COMPUTE).history;
    assert_eq!(history.older, 0);
    let outcomes: Vec<Outcome> = history.cells.iter().map(|cell| cell.outcome).collect();
    let (p, f, n) = (Outcome::Pass, Outcome::Fail, Outcome::NoResult);
    assert_eq!(outcomes, [p, p, p, p, p, p, p, p, p, f, f, n, f, f]);
    let runs: Vec<Arc<RunRef>> = history
        .cells
        .iter()
        .map(|cell| Arc::clone(&cell.run))
        .collect();
    let want: Vec<Arc<RunRef>> = planted.compute.iter().map(cited).collect();
    assert_eq!(runs, want);
    assert!(history.cells[13].run.url().ends_with(&format!(
        "/pr-logs/pull/kubevirt_kubevirt/1013/{COMPUTE}/{}",
        history.cells[13].run.path.build()
    )));
}

#[test]
fn long_lanes_keep_the_newest_runs_in_the_strip() {
    let start = window_start();
    let mut lane: Vec<PlannedRun> = (0..STRIP_CELLS + 5)
        .map(|at| {
            let time = start + TimeDelta::hours(at as i64);
            PlannedRun::new(COMPUTE, time, Some(at as u32), Some(&sha(at as u64)))
        })
        .collect();
    fail(&mut lane, BROKEN, [0, STRIP_CELLS + 4]);
    let runs: Vec<Run> = lane.iter().map(PlannedRun::build).collect();
    let verdicts = Verdicts::compute(&runs, window(), Earlier::NotLoaded, None);
    let history = &verdict(&verdicts, BROKEN, COMPUTE).history;
    assert_eq!(history.older, 5);
    assert_eq!(history.cells.len(), STRIP_CELLS);
    assert_eq!(history.cells.last().map(|c| c.outcome), Some(Outcome::Fail));
    assert_eq!(history.cells[0].run, cited(&lane[5]));
}

#[test]
fn rate_basis_and_periods_in_words() {
    let runs = TestRuns {
        failed: 4,
        passed_runs: 50,
        failed_runs_without_it: 6,
        without_result: 3,
    };
    assert_eq!(runs.phrase(), "4 of 60 runs");
    assert_eq!(
        runs.basis(),
        "60 runs: 50 passed (their JUnit is not read), 6 failed on other tests, 4 failed on this one; 3 runs left out (aborted, unfinished, or no complete JUnit)"
    );
    assert!((runs.rate().unwrap() - 100.0 / 15.0).abs() < 1e-9);
    assert_eq!(TestRuns::default().rate(), None);
    assert_eq!(period(TimeDelta::days(7)), "week");
    assert_eq!(period(TimeDelta::hours(24)), "day");
    assert_eq!(period(TimeDelta::hours(49)), "3 days");
    let three_days = Window::new(window_start(), window_start() + TimeDelta::days(3)).unwrap();
    let verdicts = compute_all(Earlier::NotLoaded, None);
    assert_eq!(
        verdict(&verdicts, NEW, COMPUTE).phrase(&three_days),
        format!("failed 1 of 13 runs on {COMPUTE}, first in the last 3 days (the 3 days before not checked: not loaded)")
    );
    assert_eq!(Window::new(window_start(), window_start()), None);
}

#[test]
fn a_generated_week_has_a_verdict_per_failing_test_and_lane() {
    let start = window_start();
    let planned = crate::planted::week(start, 40, 4000, 600);
    let runs: Vec<Run> = planned.iter().map(PlannedRun::build).collect();
    assert_eq!(runs.len(), 4000);
    let verdicts = Verdicts::compute(&runs, window(), Earlier::NotLoaded, None);
    let failing: std::collections::BTreeSet<(&str, &str)> = planned
        .iter()
        .filter(|run| !matches!(run.ending, Ending::Aborted | Ending::FailedWithoutJunit))
        .flat_map(|run| {
            run.failing
                .iter()
                .map(|test| (test.as_str(), run.job.as_str()))
        })
        .collect();
    assert_eq!(verdicts.len(), failing.len());
    for (test, job) in failing {
        verdict(&verdicts, test, job);
    }
    let quarantined = verdicts.iter().filter(|v| v.quarantine.is_some()).count();
    assert!(quarantined > 0);
    assert!(verdicts
        .iter()
        .all(|v| v.quarantine.is_some() == v.test.contains(QUARANTINE_TAG)));
}

#[test]
fn json_carries_the_phrase_the_counts_and_every_run_behind_the_verdict() {
    let planted = Planted::new();
    let verdicts = checked();
    let broken = verdict(&verdicts, BROKEN_PERIODIC, STORAGE_PERIODIC);
    let value = to_json(broken, &window());
    assert_eq!(value["headline"], "broken");
    assert_eq!(
        value["phrase"],
        format!("consistently failing since 2026-08-19 on {STORAGE_PERIODIC}")
    );
    assert_eq!(value["runs"]["failed"], 5);
    assert_eq!(value["runs"]["total"], 13);
    assert_eq!(value["runs"]["without_result"], 1);
    let trend = &value["trend"];
    assert_eq!(trend["kind"], "broken_since");
    assert_eq!(
        trend["last_passing"]["url"],
        cited(&planted.storage[7]).url()
    );
    assert_eq!(trend["first_failing"]["commit"], sha(4));
    assert_eq!(
        trend["compare"],
        format!(
            "https://github.com/kubevirt/kubevirt/compare/{}...{}",
            sha(3),
            sha(4)
        )
    );
    let cells = value["history"]["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 14);
    assert_eq!(cells[13]["outcome"], "no_result");
    assert_eq!(cells[12]["outcome"], "fail");
    assert_eq!(cells[0]["outcome"], "pass");
    // The earlier stretch was loaded for the compute lane only.
    assert_eq!(value["novelty"]["kind"], "new");
    assert_eq!(value["novelty"]["earlier_runs_checked"], Value::Null);
    let new = to_json(verdict(&verdicts, NEW, COMPUTE), &window());
    assert_eq!(new["novelty"]["earlier_runs_checked"], 2);
    assert_eq!(new["phrase"], format!("new this week on {COMPUTE}"));

    let flaky = to_json(verdict(&verdicts, FLAKY, NETWORK), &window());
    assert_eq!(flaky["trend"]["kind"], "flaky_same_commit");
    assert_eq!(flaky["trend"]["commit"], sha(2003));
    assert_eq!(verdicts.headline(QUARANTINED), Some(Headline::Quarantined));
    assert_eq!(verdicts.headline("never failed"), None);
}

/// The planted window as the page loads it: verdicts once, next to the dataset, then the
/// report of `query`'s filter.
fn planted_report(query: &[(&str, &str)]) -> Report {
    let planted = Planted::new();
    let (runs, earlier) = (planted.runs(), planted.earlier());
    let list = QuarantineList::new([LISTED]);
    let verdicts = Verdicts::compute(
        &runs,
        window(),
        Earlier::Loaded {
            runs: &earlier,
            unread: &Unread::default(),
        },
        Some(&list),
    );
    let data = Arc::new(Dataset::new(&runs).with_verdicts(verdicts, Some(&list)));
    let (filter, notices) = Filter::from_query(query.iter().copied());
    assert!(notices.is_empty(), "{notices:?}");
    Report::build(&data, &JobTotals::new(), &filter, window().end())
}

fn sig_card<'r>(report: &'r Report, sig: &Sig) -> &'r SigReport {
    report.sigs.iter().find(|card| &card.sig == sig).unwrap()
}

fn listed(card: &SigReport, test: &str) -> Option<TestSummary> {
    card.tests.get().iter().find(|t| &*t.test == test).cloned()
}

const SHOW: (&str, &str) = ("quarantined", "show");
const SHOW_PR: (&str, &str) = ("pr-failures", "show");

#[test]
fn one_pull_requests_own_failures_are_apart_unless_shown() {
    let apart = planted_report(&[]);
    let shown = planted_report(&[SHOW_PR]);
    let network = |report: &Report| sig_card(report, &Sig::Network).clone();
    assert!(listed(&network(&apart), OWN_PR).is_none());
    assert_eq!(listed(&network(&shown), OWN_PR).unwrap().failures, 3);
    assert!(shown.pull_failures.is_empty());
    let [pull] = &apart.pull_failures[..] else {
        panic!("{:?}", apart.pull_failures);
    };
    assert_eq!(pull.tests, [Arc::from(OWN_PR)]);
    assert_eq!(pull.runs.len(), 3);
    assert!(pull.runs.iter().all(|run| run.pr() == Some(pull.pr)));
    // Its three runs failed on it alone: they are not failed runs of the lane by default.
    let (apart, shown) = (network(&apart), network(&shown));
    assert_eq!(apart.runs.total, shown.runs.total);
    assert_eq!(apart.runs.failed + 3, shown.runs.failed);
    assert_eq!(apart.failures + 3, shown.failures);
    let json: Value = serde_json::from_str(&json::render(
        &planted_report(&[]),
        &Scope::of(&planted_report(&[]), &Filter::default(), "planted runs"),
    ))
    .unwrap();
    assert_eq!(json["pr_failures"][0]["tests"][0], OWN_PR);
    assert_eq!(json["pr_failures"][0]["runs"].as_array().unwrap().len(), 3);
}

#[test]
fn quarantined_tests_stay_out_of_the_sigs_counts_unless_shown() {
    let report = planted_report(&[]);
    let storage = sig_card(&report, &Sig::Storage);
    assert!(listed(storage, QUARANTINED).is_none());
    assert_eq!(storage.quarantined_failures, 14 + 4);
    assert_eq!(
        storage.failures,
        5 + 1,
        "fstrim's 5 and the hotplug retest's 1"
    );
    assert!(storage
        .kinds
        .iter()
        .all(|k| k.examples.iter().all(|e| &*e.test != QUARANTINED)));
    let periodic_jobs: Vec<&str> = storage.jobs.iter().map(|j| j.job.raw.as_str()).collect();
    assert_eq!(periodic_jobs, [STORAGE_PERIODIC]);
    // Runs that failed on the quarantined test alone are not the SIG's failed runs, except
    // the one whose JUnit broke off: it may hide other failures. The job lists the runs with
    // failures it shows.
    assert_eq!(
        storage.runs,
        RunCounts {
            failed: 5 + 1,
            total: 14,
        }
    );
    assert_eq!(
        storage.jobs[0].runs,
        RunCounts {
            failed: 5,
            total: 14,
        }
    );
    let compute = sig_card(&report, &Sig::Compute);
    assert!(listed(compute, LISTED).is_none());
    assert_eq!(compute.quarantined_failures, 1);

    let shown = planted_report(&[SHOW]);
    let storage = sig_card(&shown, &Sig::Storage);
    assert_eq!(storage.quarantined_failures, 0);
    let quarantined = listed(storage, QUARANTINED).expect("shown with the flag");
    assert_eq!(quarantined.headline(), Some(Headline::Quarantined));
    assert!(quarantined.quarantined());
    let lanes: Vec<&str> = quarantined
        .verdicts
        .iter()
        .map(|v| v.job.raw.as_str())
        .collect();
    assert_eq!(lanes, [COMPUTE_PERIODIC, STORAGE_PERIODIC]);
    assert_eq!(
        (quarantined.runs().failed, quarantined.runs().total()),
        (18, 21)
    );
    assert_eq!(storage.failures, 6 + 18);
    assert_eq!(
        storage.runs,
        RunCounts {
            failed: 14,
            total: 14
        }
    );
}

#[test]
fn listed_tests_carry_their_lanes_verdicts_and_figures() {
    let verdicts = checked();
    let report = planted_report(&[SHOW]);
    for card in &report.sigs {
        for test in card.tests.get().iter() {
            let expected: Vec<&TestVerdict> =
                verdicts.for_test(&test.test).iter().map(|v| &**v).collect();
            let carried: Vec<&TestVerdict> = test.verdicts.iter().map(|v| &**v).collect();
            assert_eq!(carried, expected, "{}", test.test);
            let sum = expected
                .iter()
                .fold(TestRuns::default(), |s, v| s.plus(&v.runs));
            assert_eq!(test.runs(), sum);
        }
    }
    let compute = sig_card(&report, &Sig::Compute);
    let broken = listed(compute, BROKEN).unwrap();
    assert_eq!((broken.runs().failed, broken.runs().total()), (4, 13));
    assert_eq!(
        broken.failures, 5,
        "4 on the lane and 1 in the dropped file"
    );
    assert_eq!(broken.headline(), Some(Headline::Broken));
    // A job filter keeps the verdicts of the kept jobs only.
    let one_job = planted_report(&[("job", STORAGE_PERIODIC), SHOW]);
    let quarantined = listed(sig_card(&one_job, &Sig::Storage), QUARANTINED).unwrap();
    assert_eq!(quarantined.verdicts.len(), 1);
    assert_eq!(quarantined.verdicts[0].job.raw, STORAGE_PERIODIC);
}

#[test]
fn failing_tests_sort_by_rate_and_by_count() {
    let report = planted_report(&[SHOW]);
    let mut tests: Vec<TestSummary> = sig_card(&report, &Sig::Compute).tests.get().to_vec();
    sort_tests(&mut tests, TestOrder::Rate);
    let rates: Vec<f64> = tests.iter().map(|t| t.runs().rate().unwrap()).collect();
    assert!(rates.windows(2).all(|w| w[0] >= w[1]), "{rates:?}");
    assert_eq!(&*tests[0].test, BROKEN, "4 of 13");
    sort_tests(&mut tests, TestOrder::Count);
    let counts: Vec<u32> = tests.iter().map(|t| t.runs().failed).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert_eq!(counts[..2], [4, 2]);
    assert_eq!(&*tests[1].test, INTERMITTENT);
}

#[test]
fn the_markdown_says_every_verdict_with_its_evidence() {
    let verdicts = checked();
    let window = window();
    for verdict in verdicts.iter() {
        let report = planted_report(&[("q", &verdict.test), SHOW, SHOW_PR]);
        let text = markdown::render(
            &report,
            &Scope::of(&report, &Filter::default(), "planted runs"),
        );
        let phrase = verdict.phrase_with(&window, markdown::code);
        let line = match verdict.evidence(&window) {
            Some(evidence) => format!("  - {phrase}; {evidence}\n"),
            None => format!("  - {phrase}\n"),
        };
        assert!(text.contains(&line), "{line:?} not in\n{text}");
    }
    let text = {
        let report = planted_report(&[]);
        markdown::render(
            &report,
            &Scope::of(&report, &Filter::default(), "planted runs"),
        )
    };
    for expected in [
        format!("consistently failing since 2026-08-19 on `{COMPUTE}`; last passed in run"),
        format!("consistently failing since 2026-08-19 on `{STORAGE_PERIODIC}`"),
        format!(
            "flaky: 1 of 9 runs on `{NETWORK}`; at commit {}",
            &sha(2003)[..7]
        ),
        format!("new this week on `{COMPUTE}`"),
        "18 failures of quarantined tests left out".to_owned(),
        "- and 15 more (all in the JSON export)".to_owned(),
    ] {
        assert!(text.contains(&expected), "{expected:?} not in\n{text}");
    }
    assert!(
        !text.contains(QUARANTINED),
        "quarantined tests are left out by default"
    );
    for section in text.split("\n## ").skip(1) {
        let common = section.split("**Common Failures:**\n").nth(1).unwrap_or("");
        let bullets = common
            .lines()
            .take_while(|l| !l.is_empty())
            .filter(|l| l.starts_with("- "));
        assert!(bullets.count() <= 5, "{section}");
    }
}

#[test]
fn the_json_carries_every_verdict_with_figures_and_history() {
    let verdicts = checked();
    let report = planted_report(&[SHOW, SHOW_PR]);
    let value: Value = serde_json::from_str(&json::render(
        &report,
        &Scope::of(&report, &Filter::default(), "planted runs"),
    ))
    .unwrap();
    let tests: Vec<&Value> = value["sigs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|sig| sig["tests"].as_array().unwrap())
        .collect();
    for verdict in verdicts.iter() {
        let test = tests
            .iter()
            .find(|t| t["test"] == *verdict.test)
            .unwrap_or_else(|| panic!("{} not exported", verdict.test));
        let exported = test["verdicts"].as_array().unwrap();
        // Through the same text as the export, so that rates parse alike.
        let expected: Value =
            serde_json::from_str(&to_json(verdict, &window()).to_string()).unwrap();
        assert!(exported.contains(&expected), "{}", verdict.test);
        let runs = verdicts.runs(&verdict.test);
        assert_eq!(test["runs"]["failed"], runs.failed);
        assert_eq!(test["runs"]["total"], runs.total());
        assert_eq!(test["runs"]["basis"], runs.basis());
        let links = &test["links"];
        for (key, prefix) in [
            (
                "issue_search",
                "https://github.com/kubevirt/kubevirt/issues?q=",
            ),
            (
                "file_flake_issue",
                "https://github.com/kubevirt/kubevirt/issues/new?title=",
            ),
        ] {
            assert!(links[key].as_str().unwrap().starts_with(prefix), "{links}");
        }
    }
    let broken = tests.iter().find(|t| t["test"] == BROKEN).unwrap();
    assert_eq!(broken["headline"], "broken");
    assert_eq!(
        broken["verdicts"][0]["history"]["cells"]
            .as_array()
            .unwrap()
            .len(),
        14
    );
}

/// The runs a flake issue's prefilled body lists, decoded, for runs on Prow or read from
/// another endpoint.
fn flake_issue_runs(report: &Report, prow_links: bool) -> Vec<Vec<String>> {
    let mut scope = Scope::of(report, &Filter::default(), "planted runs");
    scope.prow_links = prow_links;
    let value: Value = serde_json::from_str(&json::render(report, &scope)).unwrap();
    let tests = value["sigs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|sig| sig["tests"].as_array().unwrap().clone());
    tests
        .map(|test| {
            let url = test["links"]["file_flake_issue"].as_str().unwrap();
            assert!(!url.contains("prow.ci.kubevirt.io") || prow_links, "{url}");
            let body = url.split("&body=").nth(1).unwrap();
            let body = percent_encoding::percent_decode_str(body)
                .decode_utf8()
                .unwrap();
            let runs = body.split("### Failed runs\n\n").nth(1).unwrap();
            runs.lines()
                .map_while(|line| line.strip_prefix("- "))
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

#[test]
fn flake_issues_name_run_folders_for_runs_read_from_another_endpoint() {
    let report = planted_report(&[SHOW, SHOW_PR]);
    let on_prow = flake_issue_runs(&report, true);
    let elsewhere = flake_issue_runs(&report, false);
    assert!(on_prow.iter().all(|runs| !runs.is_empty()));
    let root = crate::links::spyglass_root();
    let folders: Vec<Vec<String>> = on_prow
        .iter()
        .map(|runs| {
            let folder = |url: &String| url.strip_prefix(&root).unwrap().to_owned();
            runs.iter().map(folder).collect()
        })
        .collect();
    assert_eq!(elsewhere, folders);
    for folder in elsewhere.iter().flatten() {
        assert!(RunPath::parse_gcs_path(folder).is_ok(), "{folder}");
    }
}

//! A run from the files Prow wrote for it: `finished.json` says how it ended, `started.json`
//! what it tested, and `artifacts/junit.functest.xml` why a failed run failed.

use chrono::{DateTime, TimeDelta, Utc};

use triage_core::job::JobName;
use triage_core::prow::{Finished, RepoRefs, RunPath, RunResult, Started};
use triage_core::run::{Run, RunOrigin, RunStatus, TestResults};

/// Run files, relative to the run folder.
pub const FINISHED: &str = "finished.json";
pub const STARTED: &str = "started.json";
pub const JUNIT: &str = "artifacts/junit.functest.xml";
pub const PROWJOB: &str = "prowjob.json";
/// What a run killed before the JUnit was merged leaves instead: one
/// `artifacts/partial.junit.functest.<N>.xml` per parallel Ginkgo node.
pub const PARTIAL_JUNIT: &str = "artifacts/partial.junit.functest.";

/// The partial JUnit pieces among the names of a listing of `<run>/`[`PARTIAL_JUNIT`], in
/// listing order (their failures are merged, so the order of nodes does not matter).
pub fn partial_pieces<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    names
        .filter(|name| {
            let piece = name
                .rfind(PARTIAL_JUNIT)
                .map(|at| &name[at + PARTIAL_JUNIT.len()..]);
            let node = piece.and_then(|piece| piece.strip_suffix(".xml"));
            node.is_some_and(|node| node.parse::<u32>().is_ok())
        })
        .collect()
}

/// What is left to read once `finished.json` was looked up.
#[derive(Clone, Debug, PartialEq)]
pub enum Next {
    Done(RunStatus),
    /// The run failed: its JUnit says why. `commit_known`: `finished.json` names the commit it
    /// tested (`revision`: Prow writes the first PR's head, else the base, as `started.json`
    /// has them), so `started.json` has nothing more to give and is not read.
    ReadFailure {
        commit_known: bool,
    },
}

/// Only failed runs have more to read. Aborted and errored runs, and runs without
/// `finished.json` (still running), are left out of rates.
pub fn after_finished(finished: Option<&Finished>) -> Next {
    let Some(finished) = finished else {
        return Next::Done(RunStatus::NotCounted);
    };
    match finished.result {
        RunResult::Success => Next::Done(RunStatus::Passed),
        RunResult::Failure => Next::ReadFailure {
            commit_known: finished
                .revision
                .as_deref()
                .is_some_and(|sha| !sha.is_empty()),
        },
        _ => Next::Done(RunStatus::NotCounted),
    }
}

/// The JUnit of a failed run, as the fetch went.
#[derive(Clone, Debug, PartialEq)]
pub enum Junit {
    /// Read with the job's SIG for tests without a `[sig-*]` tag.
    Read(TestResults),
    /// There is none: the lane never got to run tests.
    Missing,
    /// It exists but could not be fetched.
    Unread(String),
}

/// The status of a failed run. `finished.json` said it failed, so it stays failed even when
/// its JUnit lists no failures.
pub fn failed_status(junit: Junit) -> RunStatus {
    match junit {
        Junit::Read(results) => RunStatus::Failed(results),
        Junit::Missing => RunStatus::FailedWithoutJunit,
        Junit::Unread(reason) => RunStatus::FailedUnread { reason },
    }
}

/// How long after `finished.json` a failed run's JUnit may still land: the sidecar uploads both
/// at about the same time, in either order.
pub const JUNIT_GRACE_MINUTES: i64 = 30;

/// Whether a run's answer can no longer change, so that it may be cached: the run finished,
/// nothing it needs failed to read (for a failed run, the commit it tested: from `finished.json`,
/// else from `started.json`), and a failure
/// without JUnit finished over [`JUNIT_GRACE_MINUTES`] before `now`.
pub fn is_settled(
    status: &RunStatus,
    finished: Option<&Finished>,
    commit_read: bool,
    now: DateTime<Utc>,
) -> bool {
    let Some(finished) = finished else {
        return false;
    };
    match status {
        RunStatus::Passed | RunStatus::NotCounted => true,
        RunStatus::Failed(_) => commit_read,
        RunStatus::FailedWithoutJunit => {
            let grace_over = |at| now - at >= TimeDelta::minutes(JUNIT_GRACE_MINUTES);
            commit_read && finished.time().is_some_and(grace_over)
        }
        RunStatus::FailedUnread { .. } => false,
    }
}

/// The run, with its start time (the build id's time when `started.json` was not read) and the
/// commit it tested (the PR head, else the branch head).
pub fn describe(
    path: RunPath,
    finished: Option<&Finished>,
    started: Option<&Started>,
    status: RunStatus,
) -> Run {
    let refs = started.and_then(Started::kubevirt_refs);
    let commit = refs
        .as_ref()
        .and_then(RepoRefs::tested_sha)
        .or(finished.and_then(|finished| finished.revision.as_deref()))
        .filter(|sha| !sha.is_empty())
        .map(str::to_owned);
    Run {
        job: JobName::parse(path.job()),
        started: started
            .and_then(Started::time)
            .or(Some(path.build().time())),
        commit,
        status,
        origin: RunOrigin::Prow(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use triage_core::prow::BuildId;
    use triage_core::testdata;

    fn shared<T: serde::de::DeserializeOwned>(name: &str) -> T {
        serde_json::from_slice(&testdata::read(&format!("prow/{name}"))).unwrap()
    }

    fn path() -> RunPath {
        RunPath::parse_gcs_path(
            "pr-logs/pull/kubevirt_kubevirt/16536/pull-kubevirt-e2e-k8s-1.34-sig-network/2011366168115281920",
        )
        .unwrap()
    }

    fn finished(result: &str) -> Finished {
        serde_json::from_str(&format!(r#"{{"result": "{result}", "revision": "rev"}}"#)).unwrap()
    }

    #[test]
    fn killed_runs_are_read_from_their_numbered_pieces_only() {
        let run = "logs/j/1/";
        let names = [
            format!("{run}{PARTIAL_JUNIT}10.xml"),
            format!("{run}{PARTIAL_JUNIT}2.xml"),
            format!("{run}{PARTIAL_JUNIT}x.xml"),
            format!("{run}{PARTIAL_JUNIT}3.xml.gz"),
            format!("{run}artifacts/junit.functest.xml"),
        ];
        assert_eq!(
            partial_pieces(names.iter().map(String::as_str)),
            [&names[0], &names[1]]
        );
    }

    #[test]
    fn finished_json_decides_what_else_to_read() {
        assert_eq!(
            after_finished(Some(&finished("SUCCESS"))),
            Next::Done(RunStatus::Passed)
        );
        assert_eq!(
            after_finished(Some(&finished("FAILURE"))),
            Next::ReadFailure { commit_known: true }
        );
        for no_revision in [
            r#"{"result": "FAILURE"}"#,
            r#"{"result": "FAILURE", "revision": ""}"#,
        ] {
            let finished: Finished = serde_json::from_str(no_revision).unwrap();
            assert_eq!(
                after_finished(Some(&finished)),
                Next::ReadFailure {
                    commit_known: false
                },
                "{no_revision}: started.json names the commit"
            );
        }
        for not_counted in ["ABORTED", "ERROR", "PENDING", "whatever"] {
            assert_eq!(
                after_finished(Some(&finished(not_counted))),
                Next::Done(RunStatus::NotCounted)
            );
        }
        assert_eq!(after_finished(None), Next::Done(RunStatus::NotCounted));
        assert_eq!(
            after_finished(Some(&shared("finished.json"))),
            Next::ReadFailure { commit_known: true }
        );
    }

    #[test]
    fn a_failed_run_stays_failed_whatever_its_junit_says() {
        let read = |xml: &[u8]| failed_status(Junit::Read(TestResults::from_bytes(xml, None)));
        let junit = testdata::junit("cnvqe-network-partial.junit.functest.2.xml");
        let RunStatus::Failed(real) = read(&junit) else {
            panic!("not failed");
        };
        assert_eq!(real.failures.len(), 3);
        let RunStatus::Failed(clean) = read(br#"<testsuite><testcase name="a"/></testsuite>"#)
        else {
            panic!("a failed run stays failed");
        };
        assert_eq!((clean.failures.len(), clean.passed), (0, 1));
        let RunStatus::Failed(cut) = read(b"<testsuite><testcase") else {
            panic!("not failed");
        };
        assert!(cut.parse_error.is_some());
        assert_eq!(failed_status(Junit::Missing), RunStatus::FailedWithoutJunit);
        assert_eq!(
            failed_status(Junit::Unread("HTTP 503".into())),
            RunStatus::FailedUnread {
                reason: "HTTP 503".into()
            }
        );
    }

    #[test]
    fn only_answers_that_cannot_change_are_settled() {
        let now = DateTime::parse_from_rfc3339("2026-08-22T15:00:00Z")
            .unwrap()
            .to_utc();
        let ended = |minutes_ago: i64| {
            let at = now - TimeDelta::minutes(minutes_ago);
            serde_json::from_str::<Finished>(&format!(
                r#"{{"timestamp": {}, "result": "FAILURE"}}"#,
                at.timestamp()
            ))
            .unwrap()
        };
        let failed = RunStatus::Failed(TestResults::from_bytes(b"<testsuite/>", None));
        let no_junit = RunStatus::FailedWithoutJunit;
        let old = ended(31);
        assert!(is_settled(&RunStatus::Passed, Some(&old), false, now));
        assert!(is_settled(&failed, Some(&old), true, now));
        assert!(is_settled(&no_junit, Some(&old), true, now));

        assert!(
            !is_settled(&RunStatus::NotCounted, None, true, now),
            "still running"
        );
        assert!(
            !is_settled(&failed, Some(&old), false, now),
            "no revision, started.json unread"
        );
        assert!(
            !is_settled(&no_junit, Some(&ended(29)), true, now),
            "JUnit may still land"
        );
        assert!(
            !is_settled(&no_junit, Some(&ended(-60)), true, now),
            "finished in the future"
        );
        let untimed: Finished = serde_json::from_str(r#"{"result": "FAILURE"}"#).unwrap();
        assert!(
            !is_settled(&no_junit, Some(&untimed), true, now),
            "no time to tell"
        );
        let unread = RunStatus::FailedUnread {
            reason: "HTTP 500".into(),
        };
        assert!(!is_settled(&unread, Some(&old), true, now));
    }

    #[test]
    fn started_json_gives_time_and_pr_head() {
        let started: Started = shared("started.json");
        let run = describe(
            path(),
            Some(&finished("FAILURE")),
            Some(&started),
            RunStatus::FailedWithoutJunit,
        );
        assert_eq!(
            run.commit.as_deref(),
            Some("76b47bcbff47cb934f17708d10f4ba978ce70285")
        );
        assert_eq!(run.started, started.time());
        assert_eq!(run.job.raw, "pull-kubevirt-e2e-k8s-1.34-sig-network");
        assert_eq!(run.prow_path(), Some(&path()));
    }

    #[test]
    fn without_started_json_the_build_id_and_revision_stand_in() {
        let run = describe(path(), Some(&finished("SUCCESS")), None, RunStatus::Passed);
        assert_eq!(run.commit.as_deref(), Some("rev"));
        assert_eq!(run.started, Some(BuildId(2011366168115281920).time()));
        let periodic: Started = serde_json::from_str(
            r#"{"timestamp": 1, "repos": {"kubevirt/kubevirt": "main:base"}}"#,
        )
        .unwrap();
        assert_eq!(
            describe(path(), None, Some(&periodic), RunStatus::NotCounted)
                .commit
                .as_deref(),
            Some("base")
        );
        let blank: Finished = serde_json::from_str(r#"{"revision": ""}"#).unwrap();
        assert_eq!(
            describe(path(), Some(&blank), None, RunStatus::NotCounted).commit,
            None
        );
    }
}

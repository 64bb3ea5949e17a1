//! The compact record a finished run is cached as. Finished runs never change, so a reload
//! rebuilds them from records instead of fetching their files again. A failed run keeps only its
//! failed test cases, written back as a small JUnit file, so a read goes through the same parser
//! and the current classification rules rather than a stale copy of their results. Runs whose
//! JUnit was malformed are not recorded: they are rare, and fetching them again keeps the record
//! format (and the page) small.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use triage_core::job::JobName;
use triage_core::junit::escape;
use triage_core::prow::RunPath;
use triage_core::run::{Run, RunOrigin, RunStatus, TestFailure, TestResults};

/// What a finished run is cached as; see the module docs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    #[serde(with = "chrono::serde::ts_milliseconds_option")]
    started: Option<DateTime<Utc>>,
    commit: Option<String>,
    /// Its job is optional (from its `prowjob.json`).
    #[serde(default)]
    optional: bool,
    status: StatusRecord,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum StatusRecord {
    Passed,
    NotCounted,
    FailedWithoutJunit,
    Failed {
        /// A JUnit file of the failed test cases only.
        failures: String,
        passed: u32,
        skipped: u32,
    },
}

impl RunRecord {
    /// The record of a run, only if it reads back to exactly this run (a message cut at the
    /// parser's size cap, say, would not). A run whose JUnit could not be fetched or read gets
    /// none, so that a later load tries again.
    pub fn of(run: &Run) -> Option<RunRecord> {
        let status = match &run.status {
            RunStatus::Passed => StatusRecord::Passed,
            RunStatus::NotCounted => StatusRecord::NotCounted,
            RunStatus::FailedWithoutJunit => StatusRecord::FailedWithoutJunit,
            RunStatus::FailedUnread { .. } => return None,
            RunStatus::Failed(results) if results.parse_error.is_some() => return None,
            RunStatus::Failed(results) => StatusRecord::Failed {
                failures: failures_junit(&results.failures),
                passed: results.passed,
                skipped: results.skipped,
            },
        };
        let record = RunRecord {
            started: run.started,
            commit: run.commit.clone(),
            optional: run.job.optional,
            status,
        };
        let path = run.prow_path()?.clone();
        (record.clone().into_run(path) == *run).then_some(record)
    }

    pub fn to_json(&self) -> String {
        // Plain structs and strings always serialize.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// `None` for anything that is not a record (an older format, a damaged entry).
    pub fn from_json(text: &str) -> Option<RunRecord> {
        serde_json::from_str(text).ok()
    }

    pub fn into_run(self, path: RunPath) -> Run {
        let mut job = JobName::parse(path.job());
        job.optional = self.optional;
        let status = match self.status {
            StatusRecord::Passed => RunStatus::Passed,
            StatusRecord::NotCounted => RunStatus::NotCounted,
            StatusRecord::FailedWithoutJunit => RunStatus::FailedWithoutJunit,
            StatusRecord::Failed {
                failures,
                passed,
                skipped,
            } => RunStatus::Failed(TestResults {
                passed,
                skipped,
                ..TestResults::from_bytes(failures.as_bytes(), job.sig().as_ref())
            }),
        };
        Run {
            job,
            origin: RunOrigin::Prow(path),
            started: self.started,
            commit: self.commit,
            status,
        }
    }
}

/// The failures as JUnit the parser reads back to the same test, type, message and location:
/// the message goes in the `message` attribute and the location alone in the text.
fn failures_junit(failures: &[TestFailure]) -> String {
    let mut xml = String::from("<testsuite>");
    for failure in failures {
        let location = failure
            .location
            .as_ref()
            .map(|at| format!("{}:{}", at.file, at.line))
            .unwrap_or_default();
        // Writing to a String cannot fail.
        let _ = write!(
            xml,
            r#"<testcase name="{}"><failure type="{}" message="{}">{}</failure></testcase>"#,
            escape(&failure.test),
            escape(&failure.failure_type),
            escape(&failure.message),
            escape(&location),
        );
    }
    xml.push_str("</testsuite>");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::assemble::{describe, failed_status, Junit};

    use triage_core::testdata::JUNIT_DIR as JUNIT;

    fn path() -> RunPath {
        RunPath::parse_gcs_path(
            "logs/periodic-kubevirt-e2e-k8s-1.34-sig-network/2089023992760373248",
        )
        .unwrap()
    }

    fn failed_run(junit: &[u8]) -> Run {
        let job = JobName::parse(path().job());
        let results = TestResults::from_bytes(junit, job.sig().as_ref());
        let status = failed_status(Junit::Read(results));
        describe(path(), None, None, status)
    }

    fn round_trip(run: &Run) -> Run {
        let json = RunRecord::of(run).expect("a record").to_json();
        RunRecord::from_json(&json)
            .expect("reads back")
            .into_run(path())
    }

    #[test]
    fn every_real_junit_file_round_trips() {
        let mut failures = 0;
        for entry in std::fs::read_dir(JUNIT).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let run = failed_run(&bytes);
            failures += run.failures().len();
            let json = RunRecord::of(&run).unwrap().to_json();
            assert!(
                json.len() < bytes.len() / 10,
                "{} of {}",
                json.len(),
                bytes.len()
            );
            assert_eq!(round_trip(&run), run);
        }
        assert!(failures >= 10, "{failures}");
    }

    #[test]
    fn awkward_messages_round_trip() {
        let xml = "<testsuite><testcase name=\"[sig-compute]a &amp; &quot;b&quot; &lt;c&gt;\">\
            <failure type=\"Panic\">tests/a.go:1\nline one\n\ttabbed \u{1b}[31mred\r\nlast ‹é›\ntests/b.go:2</failure></testcase>\
            <testcase name=\"no location\"><failure message=\"only &#10; attribute\"/></testcase>\
            <testcase name=\"[BeforeSuite]\"><failure>tests/x.go:3</failure></testcase>\
            <testcase name=\"p\"/><testcase name=\"s\"><skipped/></testcase></testsuite>";
        let run = failed_run(xml.as_bytes());
        let results = run.status.results().unwrap();
        assert_eq!(
            (results.failures.len(), results.passed, results.skipped),
            (3, 1, 1)
        );
        assert_eq!(round_trip(&run), run);
    }

    #[test]
    fn every_status_but_unread_is_recorded() {
        let plain = |status| describe(path(), None, None, status);
        for status in [
            RunStatus::Passed,
            RunStatus::NotCounted,
            RunStatus::FailedWithoutJunit,
        ] {
            let mut run = plain(status);
            assert_eq!(round_trip(&run), run);
            run.job.optional = true;
            assert!(
                round_trip(&run).job.optional,
                "optional lanes stay optional"
            );
        }
        assert_eq!(
            RunRecord::of(&plain(RunStatus::FailedUnread {
                reason: "HTTP 500".into()
            })),
            None
        );
    }

    #[test]
    fn runs_that_would_not_read_back_are_not_recorded() {
        let huge = "x".repeat(triage_core::junit::MAX_MESSAGE_BYTES + 10);
        let xml = format!(
            "<testsuite><testcase name=\"t\"><failure>{huge}</failure></testcase></testsuite>"
        );
        assert_eq!(RunRecord::of(&failed_run(xml.as_bytes())), None);
        let cut = b"<testsuite><testcase name=\"t\"><failure>boom</failure></testcase><testcase";
        assert_eq!(RunRecord::of(&failed_run(cut)), None);
        let local = Run {
            origin: RunOrigin::Local {
                file_name: "a.xml".into(),
            },
            ..describe(path(), None, None, RunStatus::Passed)
        };
        assert_eq!(RunRecord::of(&local), None);
    }

    #[test]
    fn damaged_records_are_ignored() {
        for bad in [
            "",
            "{}",
            "null",
            r#"{"started": null, "commit": null, "status": "Exploded"}"#,
        ] {
            assert_eq!(RunRecord::from_json(bad), None, "{bad}");
        }
    }
}

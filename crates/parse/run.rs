//! One job run as the report sees it, wherever it came from: a Prow run read from GCS, the bundled
//! sample, or a JUnit file dropped on the page. Only failures are kept; passing and skipped test
//! cases are counted and dropped while the JUnit streams by.

use std::io::BufRead;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::classify::{classify, Classification};
use super::job::{JobName, Trigger};
use super::junit::{JunitReader, Outcome, ParseError, SourceLocation, TestCase};
use super::normalize::{normalize, ClusterId};
use super::prow::{RunKind, RunPath};
use super::rules::FailureInput;
use super::sig::Sig;

/// Where a run's results came from.
#[derive(Clone, Debug, PartialEq)]
pub enum RunOrigin {
    /// A Prow run in the bucket (live data or the bundled sample).
    Prow(RunPath),
    /// A JUnit file the user dropped or picked.
    Local { file_name: String },
}

/// A finished run and what is known about why it failed.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub job: JobName,
    pub origin: RunOrigin,
    pub started: Option<DateTime<Utc>>,
    /// The kubevirt/kubevirt commit under test (PR head or branch head), for source links.
    pub commit: Option<String>,
    pub status: RunStatus,
}

/// The outcome of a run, with the evidence each outcome carries.
#[derive(Clone, Debug, PartialEq)]
pub enum RunStatus {
    Passed,
    /// Failed, with what its JUnit said.
    Failed(TestResults),
    /// Failed without writing any JUnit: the lane never got to run tests (infrastructure, "SIG CI").
    FailedWithoutJunit,
    /// Failed, but its JUnit could not be fetched: counted as failed, classified as nothing.
    FailedUnread {
        reason: String,
    },
    /// Aborted, errored before starting, or still running: left out of rates.
    NotCounted,
}

/// The failures of one JUnit file, plus counts of what else it held.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TestResults {
    pub failures: Vec<TestFailure>,
    pub passed: u32,
    pub skipped: u32,
    /// Set when the file was malformed or cut short: the failures before it are still here.
    pub parse_error: Option<ParseError>,
}

impl TestResults {
    /// Adds the results of another piece of the same run (a killed run's
    /// `partial.junit.functest.N.xml`, one per parallel Ginkgo node).
    pub fn merge(&mut self, piece: TestResults) {
        self.failures.extend(piece.failures);
        self.passed = self.passed.saturating_add(piece.passed);
        self.skipped = self.skipped.saturating_add(piece.skipped);
        self.parse_error = self.parse_error.take().or(piece.parse_error);
    }
}

/// One failed test case, attributed to a SIG, classified and given a cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct TestFailure {
    /// Shared with the report's examples, which never copy it.
    pub test: Arc<str>,
    pub sig: Sig,
    /// The JUnit `type` attribute: `Failure`, `Interrupted`, `Panic`, ...
    pub failure_type: String,
    /// Up to 64 KB, shared like `test`.
    pub message: Arc<str>,
    pub location: Option<SourceLocation>,
    pub classification: Classification,
    pub cluster: ClusterId,
}

impl Run {
    /// The run's failures; empty unless it failed with JUnit.
    pub fn failures(&self) -> &[TestFailure] {
        self.status
            .results()
            .map_or(&[], |results| &results.failures)
    }

    /// Whether the run counts as failed in rates.
    pub fn is_failed(&self) -> bool {
        matches!(
            self.status,
            RunStatus::Failed(_) | RunStatus::FailedWithoutJunit | RunStatus::FailedUnread { .. }
        )
    }

    /// Whether the run counts at all in rates.
    pub fn is_counted(&self) -> bool {
        !matches!(self.status, RunStatus::NotCounted)
    }

    /// The Prow run this came from, if any (for links).
    /// How it was started: by its folder, or for a dropped file by its job name's first word
    /// (`None` when that says neither `pull-` nor `periodic-`).
    pub fn kind(&self) -> Option<RunKind> {
        match (&self.origin, self.job.trigger) {
            (RunOrigin::Prow(path), _) => Some(path.kind()),
            (RunOrigin::Local { .. }, Trigger::Presubmit) => Some(RunKind::Presubmit),
            (RunOrigin::Local { .. }, Trigger::Periodic) => Some(RunKind::Periodic),
            (RunOrigin::Local { .. }, _) => None,
        }
    }

    pub fn prow_path(&self) -> Option<&RunPath> {
        match &self.origin {
            RunOrigin::Prow(path) => Some(path),
            RunOrigin::Local { .. } => None,
        }
    }

    /// A short human name: the Prow build id or the local file name.
    pub fn label(&self) -> String {
        match &self.origin {
            RunOrigin::Prow(path) => path.build().to_string(),
            RunOrigin::Local { file_name } => file_name.clone(),
        }
    }
}

impl RunStatus {
    /// Test results of a failed run with JUnit.
    pub fn results(&self) -> Option<&TestResults> {
        match self {
            RunStatus::Failed(results) => Some(results),
            _ => None,
        }
    }
}

impl TestResults {
    /// Streams a JUnit file, keeping only failures. `job_sig` attributes tests without a
    /// `[sig-*]` tag.
    pub fn read<R: BufRead>(junit: JunitReader<R>, job_sig: Option<&Sig>) -> TestResults {
        let mut reader = ResultsReader::new(junit, job_sig.cloned());
        while reader.step(usize::MAX) {}
        reader.finish()
    }

    /// Reads a JUnit file held in memory.
    pub fn from_bytes(bytes: &[u8], job_sig: Option<&Sig>) -> TestResults {
        Self::read(JunitReader::new(bytes), job_sig)
    }

    /// Passed or failed as the file says: a file with a parse error or a failure failed.
    pub fn into_status(self) -> RunStatus {
        if self.failures.is_empty() && self.parse_error.is_none() {
            RunStatus::Passed
        } else {
            RunStatus::Failed(self)
        }
    }

    fn add(&mut self, case: TestCase, job_sig: Option<&Sig>) {
        match case.outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Skipped { .. } => self.skipped += 1,
            Outcome::Failed(failure) => {
                let sig = attribute_sig(&case.name, job_sig);
                let input = FailureInput {
                    test_name: &case.name,
                    failure_type: &failure.kind,
                    message: &failure.message,
                };
                let classification = classify(&input);
                let cluster = ClusterId::of(&normalize(&failure.message));
                self.failures.push(TestFailure {
                    test: case.name.into(),
                    sig,
                    failure_type: failure.kind,
                    message: failure.message.into(),
                    location: failure.location,
                    classification,
                    cluster,
                });
            }
        }
    }
}

/// Reads a JUnit file a slice of test cases at a time, so the page can yield to the browser
/// between slices instead of blocking on a 100 MB file.
pub struct ResultsReader<R: BufRead> {
    junit: JunitReader<R>,
    job_sig: Option<Sig>,
    results: TestResults,
}

impl<R: BufRead> ResultsReader<R> {
    pub fn new(junit: JunitReader<R>, job_sig: Option<Sig>) -> Self {
        Self {
            junit,
            job_sig,
            results: TestResults::default(),
        }
    }

    /// Reads up to `cases` more test cases; false once the file is done (or broke off).
    pub fn step(&mut self, cases: usize) -> bool {
        for _ in 0..cases {
            match self.junit.next() {
                Some(Ok(case)) => self.results.add(case, self.job_sig.as_ref()),
                Some(Err(error)) => self.results.parse_error = Some(error),
                None => return false,
            }
        }
        true
    }

    pub fn finish(self) -> TestResults {
        self.results
    }
}

/// The SIG a failed test belongs to: suite setup failures are infrastructure, then the test's
/// `[sig-*]` tag, then the job's SIG.
pub fn attribute_sig(test_name: &str, job_sig: Option<&Sig>) -> Sig {
    if is_suite_setup(test_name) {
        return Sig::Ci;
    }
    Sig::from_test_name(test_name)
        .or_else(|| job_sig.cloned())
        .unwrap_or_else(|| Sig::Other("unattributed".into()))
}

/// Ginkgo reports a failed suite setup or teardown as a test case with this name; it says the
/// cluster or harness broke, not a test.
fn is_suite_setup(test_name: &str) -> bool {
    let name = test_name.trim();
    [
        "BeforeSuite",
        "AfterSuite",
        "SynchronizedBeforeSuite",
        "SynchronizedAfterSuite",
    ]
    .iter()
    .any(|hook| {
        name == *hook || name == format!("[{hook}]") || name.starts_with(&format!("[{hook}] "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testdata;

    fn read_shared(name: &str) -> TestResults {
        TestResults::from_bytes(&testdata::junit(name), Some(&Sig::Network))
    }

    #[test]
    fn pieces_of_a_killed_run_add_up() {
        let piece = |junit: testdata::JunitXml| TestResults::from_bytes(&junit.bytes(), None);
        let mut results = piece(
            testdata::JunitXml::new()
                .failed("[sig-compute]VM starts", "Timed out after 360.001s.")
                .passed("[sig-compute]a"),
        );
        results.merge(piece(
            testdata::JunitXml::new()
                .passed("[sig-compute]b")
                .skipped("[sig-compute]c"),
        ));
        results.merge(piece(
            testdata::JunitXml::new().failed("[sig-storage]disk", "EOF"),
        ));
        let tests: Vec<_> = results.failures.iter().map(|f| &*f.test).collect();
        assert_eq!(tests, ["[sig-compute]VM starts", "[sig-storage]disk"]);
        assert_eq!((results.passed, results.skipped), (2, 1));
        assert!(results.parse_error.is_none());
    }

    #[test]
    fn keeps_only_failures_and_counts_the_rest() {
        let results = read_shared("cnvqe-network-partial.junit.functest.2.xml");
        assert_eq!(results.failures.len(), 3);
        assert_eq!(results.skipped, 718);
        assert_eq!(results.passed, 745 - 718 - 3);
        assert!(results.parse_error.is_none());
        assert!(results.failures.iter().all(|f| f.sig == Sig::Network));
    }

    #[test]
    fn tag_beats_job_sig_and_suite_hooks_are_infrastructure() {
        assert_eq!(
            attribute_sig("[sig-storage]Snapshot should work", Some(&Sig::Compute)),
            Sig::Storage
        );
        assert_eq!(
            attribute_sig("untagged test", Some(&Sig::Compute)),
            Sig::Compute
        );
        assert_eq!(
            attribute_sig("untagged test", None),
            Sig::Other("unattributed".into())
        );
        for hook in [
            "BeforeSuite",
            "[BeforeSuite]",
            "[SynchronizedAfterSuite] ",
            "[AfterSuite] cleanup",
        ] {
            assert_eq!(attribute_sig(hook, Some(&Sig::Compute)), Sig::Ci, "{hook}");
        }
        assert_eq!(
            attribute_sig("[sig-compute]BeforeSuiteLike test", None),
            Sig::Compute
        );
    }

    #[test]
    fn truncated_file_keeps_failures_read_so_far_and_fails_the_run() {
        let xml = br#"<testsuite name="s"><testcase name="[sig-compute]a"><failure type="Failure">tests/a.go:1
Timed out after 360.001s. Timed out waiting for VMI testvmi-pw4cx to enter [Running] phase(s)
tests/a.go:2</failure></testcase><testcase name="b"#;
        let results = TestResults::from_bytes(xml, None);
        assert_eq!(results.failures.len(), 1);
        assert!(results.parse_error.is_some());
        let failure = &results.failures[0];
        assert_eq!(failure.sig, Sig::Compute);
        assert_eq!(failure.location.as_ref().map(|l| l.line), Some(1));
        assert!(matches!(results.into_status(), RunStatus::Failed(_)));
    }

    #[test]
    fn same_failure_in_two_runs_shares_a_cluster() {
        let run = |vmi: &str, secs: &str| {
            let message = format!("Timed out after {secs}s. Timed out waiting for VMI {vmi} to enter [Running] phase(s)");
            let xml = testdata::JunitXml::new()
                .failed("[sig-compute]x", &message)
                .bytes();
            TestResults::from_bytes(&xml, None).failures[0].cluster
        };
        assert_eq!(
            run("testvmi-pw4cx", "360.001"),
            run("testvmi-abc12", "300.002")
        );
    }

    #[test]
    fn reading_in_slices_equals_reading_whole() {
        let bytes = testdata::junit("cnvqe-network-junit.functest.xml");
        let mut reader = ResultsReader::new(JunitReader::new(&bytes[..]), Some(Sig::Network));
        let mut slices = 1;
        while reader.step(100) {
            slices += 1;
        }
        assert_eq!(slices, 11, "1065 cases in slices of 100");
        assert_eq!(
            reader.finish(),
            TestResults::from_bytes(&bytes, Some(&Sig::Network))
        );
    }

    #[test]
    fn clean_file_is_a_passed_run() {
        let xml = br#"<testsuite><testcase name="a"/><testcase name="b"><skipped/></testcase></testsuite>"#;
        assert_eq!(
            TestResults::from_bytes(xml, None).into_status(),
            RunStatus::Passed
        );
    }
}

//! JUnit files from the user's disk: they become runs like any other, with a job name taken
//! from the file name when it holds one (the user can edit it).

use super::job::JobName;
use super::junit::ParseError;
use super::run::{Run, RunOrigin, TestResults};

/// Job name given to files whose name does not say which job produced them.
pub const UNKNOWN_JOB: &str = "local";

/// A dropped file read as a run, or why it could not be.
#[derive(Clone, Debug, PartialEq)]
pub enum LocalFile {
    /// Read whole, or cut short after some test cases (then `warning` says where).
    Read {
        run: Box<Run>,
        warning: Option<ParseError>,
    },
    /// Nothing usable: the file is not JUnit XML.
    Rejected {
        file_name: String,
        error: ParseError,
    },
}

impl LocalFile {
    /// The run read from the file, unless it was rejected.
    pub fn run(&self) -> Option<&Run> {
        match self {
            LocalFile::Read { run, .. } => Some(run),
            LocalFile::Rejected { .. } => None,
        }
    }
}

/// Reads a dropped file; `job` overrides the name inferred from the file name.
pub fn read_file(file_name: &str, bytes: &[u8], job: Option<&str>) -> LocalFile {
    let job = JobName::parse(job.unwrap_or_else(|| job_from_file_name(file_name)));
    let results = TestResults::from_bytes(bytes, job.sig().as_ref());
    local_file(file_name, job, results)
}

/// What a dropped file's test results amount to: a run, or a rejection when nothing was read.
pub fn local_file(file_name: &str, job: JobName, results: TestResults) -> LocalFile {
    let read_nothing = results.failures.is_empty() && results.passed == 0 && results.skipped == 0;
    match results.parse_error.clone() {
        Some(error) if read_nothing => LocalFile::Rejected {
            file_name: file_name.to_owned(),
            error,
        },
        warning => LocalFile::Read {
            run: Box::new(Run {
                job,
                origin: RunOrigin::Local {
                    file_name: file_name.to_owned(),
                },
                started: None,
                commit: None,
                status: results.into_status(),
            }),
            warning,
        },
    }
}

/// The Prow job name inside a file name such as
/// `pull-kubevirt-e2e-k8s-1.34-sig-network_1234_junit.functest.xml`, else [`UNKNOWN_JOB`].
pub fn job_from_file_name(file_name: &str) -> &str {
    ["pull-", "periodic-", "post-"]
        .iter()
        .filter_map(|prefix| file_name.find(&format!("{prefix}kubevirt-")))
        .min()
        .map(|start| {
            let rest = &file_name[start..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
                .unwrap_or(rest.len());
            rest[..end]
                .trim_end_matches(".xml")
                .trim_end_matches(['.', '-'])
        })
        .unwrap_or(UNKNOWN_JOB)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sig::Sig;

    use crate::testdata;

    #[test]
    fn job_name_comes_from_the_file_name() {
        assert_eq!(
            job_from_file_name("pull-kubevirt-e2e-k8s-1.34-sig-network-1.7_junit.functest.xml"),
            "pull-kubevirt-e2e-k8s-1.34-sig-network-1.7"
        );
        assert_eq!(
            job_from_file_name("periodic-kubevirt-e2e-k8s-1.33-sig-storage.xml"),
            "periodic-kubevirt-e2e-k8s-1.33-sig-storage"
        );
        assert_eq!(job_from_file_name("junit.functest.xml"), UNKNOWN_JOB);
    }

    #[test]
    fn real_file_reads_as_a_failed_run_classified_like_fetched_ones() {
        let bytes = testdata::junit("cnvqe-network-partial.junit.functest.1.xml");
        let LocalFile::Read { run, warning } = read_file("partial.xml", &bytes, None) else {
            panic!("a real file must read");
        };
        assert!(warning.is_none());
        assert_eq!(run.job.raw, UNKNOWN_JOB);
        assert_eq!(run.failures().len(), 3);
        assert!(run.failures().iter().all(|f| f.sig == Sig::Network));
    }

    #[test]
    fn broken_files_are_rejected_with_the_file_name_and_truncated_ones_warn() {
        match read_file("notes.txt", b"hello, not xml", None) {
            LocalFile::Rejected { file_name, error } => {
                assert_eq!(file_name, "notes.txt");
                assert!(!error.to_string().is_empty());
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
        let cut = br#"<testsuite><testcase name="[sig-storage]x"><failure>boom</failure></testcase><testcase"#;
        match read_file(
            "cut.xml",
            cut,
            Some("pull-kubevirt-e2e-k8s-1.34-sig-storage"),
        ) {
            LocalFile::Read { run, warning } => {
                assert!(warning.is_some());
                assert_eq!(run.job.sig(), Some(Sig::Storage));
                assert_eq!(run.failures().len(), 1);
            }
            other => panic!("expected a partial read, got {other:?}"),
        }
    }
}

//! ci-health's weekly `results.json`: which required e2e jobs failed on merged PRs, with their
//! failed runs and success counts (its leaderboard). The file's other figures (per-SIG counts,
//! its window) are not read: the page counts what it loads.
//!
//! Older files list only failed jobs and leave out newer fields, so everything beyond the
//! leaderboard itself is optional.

use serde::Deserialize;

use super::job::JobName;
use super::prow::RunPath;

/// The useful part of a results file.
#[derive(Clone, Debug, PartialEq)]
pub struct Leaderboard {
    /// Jobs as ci-health ranks them: most failures first.
    pub jobs: Vec<JobRuns>,
}

/// One job's runs in the window.
#[derive(Clone, Debug, PartialEq)]
pub struct JobRuns {
    pub job: JobName,
    pub failures: u32,
    pub successes: u32,
    /// The failed runs, newest first.
    pub failure_runs: Vec<RunPath>,
    /// Failure URLs that are not Spyglass run URLs, kept so nothing is dropped silently.
    pub unparsed_urls: Vec<String>,
}

/// Reads a ci-health `results.json`. Fails on malformed JSON or a file without
/// `Data.SIGRetests`; unparseable failure URLs are kept in [`JobRuns::unparsed_urls`].
pub fn parse(json: &str) -> Result<Leaderboard, serde_json::Error> {
    let results: Results = serde_json::from_str(json)?;
    Ok(Leaderboard {
        jobs: results
            .data
            .sig_retests
            .failed_job_leader_board
            .unwrap_or_default()
            .into_iter()
            .map(JobRuns::from)
            .collect(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Results {
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    #[serde(rename = "SIGRetests")]
    sig_retests: SigRetests,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SigRetests {
    #[serde(default)]
    failed_job_leader_board: Option<Vec<FailedJob>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct FailedJob {
    job_name: String,
    #[serde(default)]
    failure_count: u32,
    #[serde(default)]
    success_count: u32,
    /// `null` for jobs that only succeeded.
    #[serde(default, rename = "FailureURLs")]
    failure_urls: Option<Vec<String>>,
}

impl From<FailedJob> for JobRuns {
    fn from(raw: FailedJob) -> JobRuns {
        let mut failure_runs = Vec::new();
        let mut unparsed_urls = Vec::new();
        for url in raw.failure_urls.unwrap_or_default() {
            match RunPath::parse_spyglass_url(&url) {
                Ok(run) => failure_runs.push(run),
                Err(_) => unparsed_urls.push(url),
            }
        }
        JobRuns {
            job: JobName::parse(&raw.job_name),
            failures: raw.failure_count,
            successes: raw.success_count,
            failure_runs,
            unparsed_urls,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::Branch;
    use crate::sig::Sig;
    use crate::testdata::{RESULTS_2026_02_08, RESULTS_2026_08_22};

    fn url_count(board: &Leaderboard) -> usize {
        board
            .jobs
            .iter()
            .map(|job| job.failure_runs.len() + job.unparsed_urls.len())
            .sum()
    }

    #[test]
    fn reads_the_2026_08_22_file() {
        let board = parse(RESULTS_2026_08_22).unwrap();
        assert_eq!(board.jobs.len(), 44);
        assert_eq!(board.jobs.iter().filter(|job| job.failures > 0).count(), 18);
        assert_eq!(url_count(&board), 50);
        assert!(board.jobs.iter().all(|job| job.unparsed_urls.is_empty()));
        assert!(board
            .jobs
            .iter()
            .all(|job| job.failure_runs.len() == job.failures as usize));

        let top = &board.jobs[0];
        assert_eq!(
            top.job.raw,
            "pull-kubevirt-e2e-k8s-1.36-sig-compute-migrations"
        );
        assert_eq!((top.failures, top.successes), (16, 20));
        assert_eq!(top.job.sig(), Some(Sig::Compute));
        assert!(top.failure_runs.iter().all(|run| run.job() == top.job.raw));
        assert!(top
            .failure_runs
            .windows(2)
            .all(|pair| pair[0].build() > pair[1].build()));

        let success_only = board
            .jobs
            .iter()
            .find(|job| job.job.raw == "pull-kubevirt-e2e-k8s-1.34-sig-compute-1.9")
            .unwrap();
        assert_eq!(success_only.failures, 0);
        assert!(success_only.successes > 0);
        assert!(success_only.failure_runs.is_empty());
    }

    #[test]
    fn reads_the_older_2026_02_08_file() {
        let board = parse(RESULTS_2026_02_08).unwrap();
        assert_eq!(board.jobs.len(), 27);
        assert!(board.jobs.iter().all(|job| job.failures > 0));
        assert_eq!(url_count(&board), 81);
        assert!(board.jobs.iter().all(|job| job.unparsed_urls.is_empty()));
        let release_1_6 = board
            .jobs
            .iter()
            .find(|job| job.job.raw == "pull-kubevirt-e2e-k8s-1.32-sig-compute-migrations-1.6")
            .unwrap();
        assert_eq!(release_1_6.job.branch.to_string(), "release-1.6");
        assert_ne!(release_1_6.job.branch, Branch::Main);
    }

    #[test]
    fn keeps_urls_it_cannot_read() {
        let json = r#"{"Data": {"SIGRetests": {"FailedJobLeaderBoard": [{
            "JobName": "pull-kubevirt-e2e-k8s-1.34-sig-storage",
            "FailureCount": 3,
            "SuccessCount": 1,
            "FailureURLs": [
                "https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/pr-logs/pull/kubevirt_kubevirt/1/pull-kubevirt-e2e-k8s-1.34-sig-storage/2089023992760373248",
                "https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/pr-logs/pull/kubevirt_kubevirt/1/pull-kubevirt-e2e-k8s-1.34-sig-storage/99999999999999999999",
                "not a url"
            ]
        }]}}}"#;
        let board = parse(json).unwrap();
        let job = &board.jobs[0];
        assert_eq!(job.failure_runs.len(), 1);
        assert_eq!(job.unparsed_urls.len(), 2);
        assert_eq!(job.unparsed_urls[1], "not a url");
    }

    #[test]
    fn minimal_and_partial_files() {
        let empty = parse(r#"{"Data": {"SIGRetests": {}}}"#).unwrap();
        assert!(empty.jobs.is_empty());
        let partial = parse(
            r#"{"Data": {"SIGRetests": {"SIGComputeRetest": 2, "SIGComputeTotal": 10.0,
                "SIGStorageRetest": 1, "FailedJobLeaderBoard": null}}}"#,
        )
        .unwrap();
        assert!(partial.jobs.is_empty());
        let bare_job =
            parse(r#"{"Data": {"SIGRetests": {"FailedJobLeaderBoard": [{"JobName": "x"}]}}}"#)
                .unwrap();
        assert_eq!(
            (bare_job.jobs[0].failures, bare_job.jobs[0].successes),
            (0, 0)
        );
        assert_eq!(bare_job.jobs[0].job.raw, "x");
    }

    #[test]
    fn rejects_bad_input() {
        for bad in [
            "",
            "garbage",
            "{\"Data\": ",
            "[]",
            "{}",
            r#"{"Data": {}}"#,
            r#"{"Data": {"SIGRetests": {"FailedJobLeaderBoard": [{"FailureCount": 1}]}}}"#,
            r#"{"Data": {"SIGRetests": {"FailedJobLeaderBoard": [{"JobName": "x", "FailureCount": -1}]}}}"#,
            r#"{"Data": {"SIGRetests": {"FailedJobLeaderBoard": [{"JobName": "x", "FailureURLs": "u"}]}}}"#,
            r#"{"Data": {"SIGRetests": {"FailedJobLeaderBoard": {}}}}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}

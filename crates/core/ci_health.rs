//! ci-health's weekly `results.json`: which required e2e jobs failed on merged PRs, and the
//! per-SIG failure counts the official SIG report starts from.
//!
//! Older files list only failed jobs and leave out newer fields, so everything beyond the
//! leaderboard itself is optional.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::job::JobName;
use super::prow::RunPath;
use super::sig::Sig;
use super::summary::RunCounts;

/// The useful part of a results file.
#[derive(Clone, Debug, PartialEq)]
pub struct Leaderboard {
    /// When the data window ends (`EndDate`).
    pub window_end: Option<DateTime<Utc>>,
    /// How many days before `window_end` it starts (`DataDays`).
    pub window_days: Option<u32>,
    /// Failed and total runs of required e2e jobs per SIG, in display order. For SIG CI,
    /// `total` is all runs of every SIG, so `failed / total` is the share lost to infrastructure.
    pub sig_runs: BTreeMap<Sig, RunCounts>,
    /// Of the SIG CI failures, how many ci-health traced to causes outside the project
    /// (missing in older files).
    pub ci_external_failures: Option<u32>,
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
    let retests = results.data.sig_retests;
    Ok(Leaderboard {
        window_end: results.end_date,
        window_days: results.data_days,
        sig_runs: retests.sig_runs(),
        ci_external_failures: retests.ci_external_retest.map(count),
        jobs: retests
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
    #[serde(default)]
    end_date: Option<DateTime<Utc>>,
    #[serde(default)]
    data_days: Option<u32>,
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    #[serde(rename = "SIGRetests")]
    sig_retests: SigRetests,
}

/// ci-health writes every count as a Go float64.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SigRetests {
    #[serde(default, rename = "SIGComputeRetest")]
    compute_retest: Option<f64>,
    #[serde(default, rename = "SIGComputeTotal")]
    compute_total: Option<f64>,
    #[serde(default, rename = "SIGStorageRetest")]
    storage_retest: Option<f64>,
    #[serde(default, rename = "SIGStorageTotal")]
    storage_total: Option<f64>,
    #[serde(default, rename = "SIGNetworkRetest")]
    network_retest: Option<f64>,
    #[serde(default, rename = "SIGNetworkTotal")]
    network_total: Option<f64>,
    #[serde(default, rename = "SIGOperatorRetest")]
    operator_retest: Option<f64>,
    #[serde(default, rename = "SIGOperatorTotal")]
    operator_total: Option<f64>,
    #[serde(default, rename = "SIGMonitoringRetest")]
    monitoring_retest: Option<f64>,
    #[serde(default, rename = "SIGMonitoringTotal")]
    monitoring_total: Option<f64>,
    #[serde(default, rename = "SIGCIRetest")]
    ci_retest: Option<f64>,
    #[serde(default, rename = "SIGCITotal")]
    ci_total: Option<f64>,
    #[serde(default, rename = "SIGCIExternalRetest")]
    ci_external_retest: Option<f64>,
    #[serde(default)]
    failed_job_leader_board: Option<Vec<FailedJob>>,
}

impl SigRetests {
    /// The SIGs whose failed and total counts are both present.
    fn sig_runs(&self) -> BTreeMap<Sig, RunCounts> {
        [
            (Sig::Compute, self.compute_retest, self.compute_total),
            (Sig::Storage, self.storage_retest, self.storage_total),
            (Sig::Network, self.network_retest, self.network_total),
            (Sig::Operator, self.operator_retest, self.operator_total),
            (
                Sig::Monitoring,
                self.monitoring_retest,
                self.monitoring_total,
            ),
            (Sig::Ci, self.ci_retest, self.ci_total),
        ]
        .into_iter()
        .filter_map(|(sig, failed, total)| {
            let counts = RunCounts {
                failed: count(failed?),
                total: count(total?),
            };
            Some((sig, counts))
        })
        .collect()
    }
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

/// A count written as a float; negative or fractional values cannot occur and are clamped.
fn count(value: f64) -> u32 {
    value.round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::Branch;
    use chrono::TimeZone;

    use crate::testdata::{RESULTS_2026_02_08, RESULTS_2026_08_22};

    fn runs(failed: u32, total: u32) -> RunCounts {
        RunCounts { failed, total }
    }

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
        assert_eq!(
            board.window_end,
            Some(Utc.with_ymd_and_hms(2026, 8, 22, 15, 2, 56).unwrap())
        );
        assert_eq!(board.window_days, Some(7));
        let expected = BTreeMap::from([
            (Sig::Compute, runs(29, 206)),
            (Sig::Storage, runs(0, 65)),
            (Sig::Network, runs(2, 172)),
            (Sig::Operator, runs(10, 69)),
            (Sig::Monitoring, runs(0, 3)),
            (Sig::Ci, runs(9, 524)),
        ]);
        assert_eq!(board.sig_runs, expected);
        assert_eq!(board.ci_external_failures, Some(9));

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
        assert_eq!(
            board.window_end,
            Some(Utc.with_ymd_and_hms(2026, 2, 8, 9, 38, 45).unwrap())
        );
        assert_eq!(board.sig_runs[&Sig::Compute], runs(47, 338));
        assert_eq!(board.sig_runs[&Sig::Storage], runs(15, 140));
        assert_eq!(board.sig_runs[&Sig::Network], runs(1, 199));
        assert_eq!(board.sig_runs[&Sig::Operator], runs(1, 120));
        assert_eq!(board.sig_runs[&Sig::Monitoring], runs(0, 2));
        assert_eq!(board.sig_runs[&Sig::Ci], runs(14, 813));
        assert_eq!(board.ci_external_failures, None);

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
        assert_eq!(board.window_end, None);
        assert!(board.sig_runs.is_empty());
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
        assert_eq!(
            partial.sig_runs,
            BTreeMap::from([(Sig::Compute, runs(2, 10))])
        );
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
            r#"{"EndDate": "last week", "Data": {"SIGRetests": {}}}"#,
            r#"{"Data": {"SIGRetests": {"SIGComputeRetest": "many"}}}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn counts_are_clamped_not_wrapped() {
        assert_eq!(count(29.0), 29);
        assert_eq!(count(-3.0), 0);
        assert_eq!(count(1e12), u32::MAX);
    }
}

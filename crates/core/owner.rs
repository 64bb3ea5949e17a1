//! Whose runs the bucket holds. `kubevirt-prow` serves every repository Prow tests (CDI, CNAO,
//! HCO, ...), and kubevirt/project-infra rehearses job changes in it as `rehearsal-<job>`: only
//! kubevirt/kubevirt's own e2e runs say anything about KubeVirt's health, so only they are read.

use super::job::JobName;
use super::prow::{RunPath, ORG_REPO as KUBEVIRT_ORG_REPO};

/// Whose run (or job) something in the bucket is, and so whether it is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Owner {
    /// A kubevirt/kubevirt e2e lane: read and counted.
    Kubevirt,
    /// `rehearsal-<job>`: kubevirt/project-infra trying a job configuration change.
    Rehearsal,
    /// Another repository's run, or (judged by a job name alone) no kubevirt e2e lane.
    OtherRepository,
}

impl Owner {
    /// Whose run a run folder holds. A presubmit's folder (the content of its
    /// `pr-logs/directory/<job>/<build>.txt` pointer) names its repository, which decides;
    /// batch and periodic folders name none, so their job name decides.
    pub fn of_run(path: &RunPath) -> Owner {
        match path {
            RunPath::Presubmit { org_repo, job, .. } => match Owner::of_job(job) {
                Owner::Kubevirt if org_repo != KUBEVIRT_ORG_REPO => Owner::OtherRepository,
                owner => owner,
            },
            RunPath::Batch { job, .. } | RunPath::Periodic { job, .. } => Owner::of_job(job),
        }
    }

    /// Whose runs a job folder (`logs/<job>/`, `pr-logs/pull/batch/<job>/`,
    /// `pr-logs/directory/<job>/`) holds, by the job name alone: rehearsals by their prefix,
    /// kubevirt's lanes by the shape of their name (`periodic-kubevirt-e2e-...`,
    /// `pull-kubevirt-e2e-...`, `periodic-kubevirt-kind-e2e-...`).
    pub fn of_job(job: &str) -> Owner {
        if job.starts_with("rehearsal-") {
            Owner::Rehearsal
        } else if JobName::parse(job).kubevirt_e2e {
            Owner::Kubevirt
        } else {
            Owner::OtherRepository
        }
    }

    pub fn is_kubevirt(self) -> bool {
        self == Owner::Kubevirt
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prow::BuildId;
    use crate::testdata::text;

    /// kubevirt/kubevirt's e2e jobs as configured on 2026-08-22 (the TSV's `name` column).
    fn kubevirt_jobs() -> Vec<String> {
        text("prow/kubevirt-e2e-jobs-2026-08-22.tsv")
            .lines()
            .skip(1)
            .map(|line| line.split('\t').nth(1).unwrap().to_owned())
            .collect()
    }

    /// Other repositories' e2e presubmits configured the same day.
    fn other_jobs() -> Vec<String> {
        text("prow/other-repo-e2e-jobs-2026-08-22.txt")
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn presubmit(org_repo: &str, job: &str) -> RunPath {
        RunPath::Presubmit {
            org_repo: org_repo.into(),
            pr: 17913,
            job: job.into(),
            build: BuildId(2066045650159538176),
        }
    }

    #[test]
    fn every_configured_kubevirt_job_is_kubevirt() {
        let jobs = kubevirt_jobs();
        assert_eq!(jobs.len(), 154);
        for job in &jobs {
            assert_eq!(Owner::of_job(job), Owner::Kubevirt, "{job}");
            let run = match job.starts_with("periodic-") {
                true => RunPath::Periodic {
                    job: job.clone(),
                    build: BuildId(1),
                },
                false => presubmit(KUBEVIRT_ORG_REPO, job),
            };
            assert!(Owner::of_run(&run).is_kubevirt(), "{job}");
            let batch = RunPath::Batch {
                job: job.clone(),
                build: BuildId(1),
            };
            assert!(Owner::of_run(&batch).is_kubevirt(), "{job}");
        }
    }

    /// Other repositories' e2e jobs write beside kubevirt's, several with `kubevirt` and `-e2e-`
    /// in their names; were they periodics or batch runs, their names would still tell.
    #[test]
    fn other_repositories_jobs_are_not_kubevirt() {
        let jobs = other_jobs();
        assert_eq!(jobs.len(), 45);
        assert!(jobs.iter().any(|job| job.starts_with("pull-kubevirt-")));
        for job in &jobs {
            assert_eq!(Owner::of_job(job), Owner::OtherRepository, "{job}");
            let periodic = format!("periodic-{}", job.strip_prefix("pull-").unwrap_or(job));
            assert_eq!(
                Owner::of_job(&periodic),
                Owner::OtherRepository,
                "{periodic}"
            );
            let batch = RunPath::Batch {
                job: job.clone(),
                build: BuildId(1),
            };
            assert_eq!(Owner::of_run(&batch), Owner::OtherRepository, "{job}");
            let run = presubmit("kubevirt_containerized-data-importer", job);
            assert_eq!(Owner::of_run(&run), Owner::OtherRepository, "{job}");
        }
        for job in [
            "periodic-kubevirtci-bump-kubevirt",
            "periodic-kubevirt-push-nightly-build-main",
            "pull-kubevirt-unit-test",
            "periodic-kubevirt",
            "",
        ] {
            assert_eq!(Owner::of_job(job), Owner::OtherRepository, "{job}");
        }
    }

    /// A pointer names the repository: a kubevirt-named job run for another repository is
    /// not kubevirt's, and a rehearsal is one wherever it ran.
    #[test]
    fn the_pointer_path_decides_for_presubmits() {
        for job in kubevirt_jobs()
            .iter()
            .filter(|job| job.starts_with("pull-"))
        {
            let elsewhere = presubmit("kubevirt_project-infra", job);
            assert_eq!(Owner::of_run(&elsewhere), Owner::OtherRepository, "{job}");
            let rehearsal = format!("rehearsal-{job}");
            assert_eq!(Owner::of_job(&rehearsal), Owner::Rehearsal);
            for org_repo in ["kubevirt_project-infra", KUBEVIRT_ORG_REPO] {
                let run = presubmit(org_repo, &rehearsal);
                assert_eq!(Owner::of_run(&run), Owner::Rehearsal, "{org_repo}");
            }
        }
        let pointer = "gs://kubevirt-prow/pr-logs/pull/kubevirt_project-infra/4321/rehearsal-pull-kubevirt-e2e-k8s-1.36-sig-compute/2066045650159538176";
        let path = RunPath::parse_gcs_path(pointer).unwrap();
        assert_eq!(Owner::of_run(&path), Owner::Rehearsal);
        let path = RunPath::parse_gcs_path(
            "pr-logs/pull/kubevirt_kubevirt/1/pull-kubevirt-e2e-k8s-1.36-sig-compute/5",
        )
        .unwrap();
        assert!(Owner::of_run(&path).is_kubevirt());
    }
}

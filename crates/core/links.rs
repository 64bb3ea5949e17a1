//! Links from a report to where a human digs further: Prow, the raw logs, GitHub.

use super::prow::{RunPath, BUCKET, DECK_URL};

const KUBEVIRT_GITHUB: &str = "https://github.com/kubevirt/kubevirt";

/// Marks the repository root in the absolute paths Go prints (`/go/src/kubevirt.io/kubevirt/`).
const REPO_ROOT_MARKER: &str = "kubevirt.io/kubevirt/";

/// The run's Prow page, with the JUnit and build-log lenses.
pub fn spyglass_url(run: &RunPath) -> String {
    let prefix = run.prefix();
    let folder = prefix.strip_suffix('/').unwrap_or(&prefix);
    format!("{DECK_URL}/view/gs/{BUCKET}/{folder}")
}

/// The run's whole `build-log.txt` as plain text, straight from the public bucket.
///
/// Chosen over the Spyglass build-log lens because it always loads (also when Deck is down
/// or the log is too long for the lens) and can be searched with the browser.
pub fn build_log_url(run: &RunPath) -> String {
    format!(
        "https://storage.googleapis.com/{BUCKET}/{}build-log.txt",
        run.prefix()
    )
}

/// The GitHub view of a failure location in the kubevirt repository, at `commit` (else main).
///
/// Accepts repository-relative paths (`tests/x.go`, `vendor/...`) and absolute paths inside a
/// kubevirt checkout (`/go/src/kubevirt.io/kubevirt/tests/x.go`). `None` for paths that cannot
/// be in the repository: empty, absolute elsewhere, or climbing out with `..`.
pub fn source_url(location_file: &str, line: u32, commit: Option<&str>) -> Option<String> {
    let file = location_file.trim();
    let in_repo = match file.split_once(REPO_ROOT_MARKER) {
        Some((_, in_repo)) => in_repo,
        None if file.starts_with('/') => return None,
        None => file.strip_prefix("./").unwrap_or(file),
    };
    let is_repo_path = !in_repo.is_empty()
        && !in_repo.starts_with('/')
        && !in_repo.contains(char::is_whitespace)
        && !in_repo
            .split('/')
            .any(|part| part.is_empty() || part == "..");
    if !is_repo_path {
        return None;
    }
    let commit = commit.map(str::trim).filter(|commit| !commit.is_empty());
    let commit = commit.unwrap_or("main");
    Some(format!("{KUBEVIRT_GITHUB}/blob/{commit}/{in_repo}#L{line}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prow::BuildId;

    fn presubmit() -> RunPath {
        RunPath::Presubmit {
            org_repo: "kubevirt_kubevirt".into(),
            pr: 18869,
            job: "pull-kubevirt-e2e-k8s-1.34-sig-monitoring-1.9".into(),
            build: BuildId(2090412217697570816),
        }
    }

    #[test]
    fn spyglass_url_round_trips() {
        let url = spyglass_url(&presubmit());
        assert_eq!(
            url,
            "https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/pr-logs/pull/kubevirt_kubevirt/18869/pull-kubevirt-e2e-k8s-1.34-sig-monitoring-1.9/2090412217697570816"
        );
        assert_eq!(RunPath::parse_spyglass_url(&url), Ok(presubmit()));
        let periodic = RunPath::Periodic {
            job: "periodic-kubevirt-e2e-k8s-1.36-sig-storage".into(),
            build: BuildId(1),
        };
        assert_eq!(
            RunPath::parse_spyglass_url(&spyglass_url(&periodic)),
            Ok(periodic)
        );
    }

    #[test]
    fn build_log_links() {
        assert_eq!(
            build_log_url(&presubmit()),
            "https://storage.googleapis.com/kubevirt-prow/pr-logs/pull/kubevirt_kubevirt/18869/pull-kubevirt-e2e-k8s-1.34-sig-monitoring-1.9/2090412217697570816/build-log.txt"
        );
    }

    #[test]
    fn source_links() {
        let sha = "b3aa2d135cca04ca416cdf4d9da2b65816532c68";
        let cases = [
            ("tests/migration/migration.go", None, Some("https://github.com/kubevirt/kubevirt/blob/main/tests/migration/migration.go#L123")),
            ("tests/migration/migration.go", Some(sha), Some("https://github.com/kubevirt/kubevirt/blob/b3aa2d135cca04ca416cdf4d9da2b65816532c68/tests/migration/migration.go#L123")),
            ("/go/src/kubevirt.io/kubevirt/tests/x.go", Some(""), Some("https://github.com/kubevirt/kubevirt/blob/main/tests/x.go#L123")),
            ("/root/go/src/kubevirt.io/kubevirt/tests/x.go", Some("release-1.6"), Some("https://github.com/kubevirt/kubevirt/blob/release-1.6/tests/x.go#L123")),
            ("vendor/github.com/onsi/gomega/internal/assertion.go", None, Some("https://github.com/kubevirt/kubevirt/blob/main/vendor/github.com/onsi/gomega/internal/assertion.go#L123")),
            ("./tests/x.go", None, Some("https://github.com/kubevirt/kubevirt/blob/main/tests/x.go#L123")),
            ("", None, None),
            ("   ", None, None),
            ("/usr/local/go/src/runtime/panic.go", None, None),
            ("/go/pkg/mod/github.com/onsi/ginkgo/v2/core_dsl.go", None, None),
            ("/go/src/kubevirt.io/kubevirt/", None, None),
            ("../outside.go", None, None),
            ("tests/../../etc/passwd", None, None),
            ("tests//x.go", None, None),
            ("tests/x y.go", None, None),
        ];
        for (file, commit, want) in cases {
            assert_eq!(source_url(file, 123, commit).as_deref(), want, "{file:?}");
        }
    }
}

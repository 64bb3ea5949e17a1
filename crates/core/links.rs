//! Links from a report to where a human digs further: Prow, the raw logs, GitHub.

use super::prow::{RunPath, BUCKET, DECK_URL, GCS_URL, GITHUB_URL};

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
    format!("{GCS_URL}/{BUCKET}/{}build-log.txt", run.prefix())
}

/// The GitHub view of a failure location in the kubevirt repository, at `commit` (else main).
///
/// Accepts repository-relative paths (`tests/x.go`, `vendor/...`) and absolute paths inside a
/// kubevirt checkout (`/go/src/kubevirt.io/kubevirt/tests/x.go`). Both come from test output,
/// so anything that could lead the link elsewhere gives no link: a path outside the repository
/// or with a character URLs read specially (`%`, `?`, `#`, `\`, `:`, spaces, controls,
/// non-ASCII) or a `.`/`..` segment, and a commit that is neither a hex SHA nor a plain ref.
pub fn source_url(location_file: &str, line: u32, commit: Option<&str>) -> Option<String> {
    let file = location_file.trim();
    let in_repo = match file.split_once(REPO_ROOT_MARKER) {
        Some((_, in_repo)) => in_repo,
        None if file.starts_with('/') => return None,
        None => file.strip_prefix("./").unwrap_or(file),
    };
    if !is_repo_path(in_repo) {
        return None;
    }
    let commit = match commit.map(str::trim).filter(|commit| !commit.is_empty()) {
        Some(commit) if is_hex_sha(commit) || is_plain_ref(commit) => commit,
        Some(_) => return None,
        None => "main",
    };
    Some(format!("{GITHUB_URL}/blob/{commit}/{in_repo}#L{line}"))
}

/// A relative path of plain segments: ASCII letters, digits and `_-.+@`, none empty, `.` or `..`.
fn is_repo_path(path: &str) -> bool {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+' | '@');
    !path.is_empty()
        && path
            .split('/')
            .all(|part| !matches!(part, "" | "." | "..") && part.chars().all(plain))
}

/// An abbreviated or full commit id (SHA-1 or SHA-256).
fn is_hex_sha(commit: &str) -> bool {
    (7..=64).contains(&commit.len()) && commit.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A branch or tag name such as `main`, `release-1.6` or `v1.6.0`: `/`-separated parts of ASCII
/// letters, digits and `_-.`, none empty, starting with `.` or `-`, or ending in `.` or
/// `.lock` (git's own rules, narrowed to what needs no escaping in a URL).
fn is_plain_ref(name: &str) -> bool {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    name.len() <= 255
        && !name.contains("..")
        && name.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with(['.', '-'])
                && !part.ends_with('.')
                && !part.ends_with(".lock")
                && part.chars().all(plain)
        })
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
            (".github/workflows/x.yaml", Some("v1.6.0"), Some("https://github.com/kubevirt/kubevirt/blob/v1.6.0/.github/workflows/x.yaml#L123")),
            ("tests/x.go", Some("5e0fe39"), Some("https://github.com/kubevirt/kubevirt/blob/5e0fe39/tests/x.go#L123")),
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

    /// Locations and commits from a hostile JUnit or started.json: no link, whatever the
    /// spelling of the way out.
    #[test]
    fn hostile_locations_and_commits_give_no_link() {
        let locations = [
            "tests/%2e%2e/%2e%2e/x.go",
            "tests/%2E%2E%2Fx.go",
            "tests/.%2e/x.go",
            "tests/%252e%252e/x.go",
            "tests/..%2fx.go",
            "tests\\..\\..\\x.go",
            "tests/..\\x.go",
            "tests\\x.go",
            "tests/./x.go",
            "tests/.",
            "tests/..",
            "..",
            "tests/x.go?raw=true",
            "tests/x.go#L1",
            "tests/x.go%23L1",
            "tests/x.go%3Fa",
            "tests/.\t./x.go",
            "tests/\n../x.go",
            "tests/\r/x.go",
            "tests/x\u{2025}/y.go",
            "tests/\u{FF0E}\u{FF0E}/x.go",
            "https://evil.example/x.go",
            "//evil.example/x.go",
            "javascript:alert(1)",
            "/go/src/kubevirt.io/kubevirt/../../evil/x.go",
            "/go/src/kubevirt.io/kubevirt/tests/%2e%2e/x.go",
            "/go/src/kubevirt.io/kubevirt//evil.example/x.go",
        ];
        for location in locations {
            assert_eq!(source_url(location, 1, None), None, "{location:?}");
        }
        let commits = [
            "../../evil",
            "main/../../..",
            "..",
            "main?x=1",
            "main#x",
            "a%2fb",
            "%2e%2e",
            "main\\x",
            "/main",
            "main/",
            "a//b",
            "-x",
            ".hidden",
            "x.lock",
            "x.",
            "x@{1}",
            "a b",
            "ma\nin",
            "main\tx",
            "https://evil.example",
            "ma\u{0131}n",
        ];
        for commit in commits {
            assert_eq!(
                source_url("tests/x.go", 1, Some(commit)),
                None,
                "{commit:?}"
            );
        }
    }

    /// Every link made from plain parts stays in the repository's blob view, with the line as
    /// its only fragment.
    #[test]
    fn links_stay_in_the_repository() {
        let locations = [
            "tests/x.go",
            "/go/src/kubevirt.io/kubevirt/pkg/a_b-c+d@e.go",
            "...",
        ];
        let commits = [
            None,
            Some("main"),
            Some("release/1.6"),
            Some("0123abcDEF4567"),
        ];
        for (location, commit) in locations.iter().flat_map(|l| commits.map(|c| (l, c))) {
            let url = source_url(location, 7, commit).expect("a plain location and commit");
            let rest = url
                .strip_prefix("https://github.com/kubevirt/kubevirt/blob/")
                .expect("the repository's blob view");
            let (path, line) = rest.split_once('#').expect("a line anchor");
            assert_eq!(line, "L7");
            assert!(
                !path.contains(['?', '#', '%', '\\', ':'])
                    && !path.split('/').any(|part| part == ".." || part == "."),
                "{url}"
            );
        }
    }
}

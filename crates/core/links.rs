//! Links from a report to where a human digs further or acts: Prow, the raw logs, GitHub's
//! source, issue search and new-issue form.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::prow::{RunPath, BUCKET, DECK_URL, GCS_URL, GITHUB_URL};

/// Longest issue link made: GitHub answers longer URLs with an error page (414 or 400) instead
/// of the form; about 8 KB is the most that works.
pub const MAX_ISSUE_URL: usize = 8_000;

/// Longest test name searched for: GitHub's search takes at most 256 characters.
const MAX_SEARCH_CHARS: usize = 200;

/// Everything but ASCII letters, digits and `-._~` is escaped in query values.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Marks the repository root in the absolute paths Go prints (`/go/src/kubevirt.io/kubevirt/`).
const REPO_ROOT_MARKER: &str = "kubevirt.io/kubevirt/";

/// The run's Prow page, with the JUnit and build-log lenses.
pub fn spyglass_url(run: &RunPath) -> String {
    format!("{}{}", spyglass_root(), run_folder(run))
}

/// Where a report names a run: its Prow page, or, for a run read from another endpoint than the
/// public bucket (`on_prow` false; Prow shows none of those), its folder on that endpoint, as
/// the JSON export writes it.
pub fn run_address(run: &RunPath, on_prow: bool) -> String {
    match on_prow {
        true => spyglass_url(run),
        false => run_folder(run),
    }
}

/// The run's folder in the bucket, without the trailing `/`.
fn run_folder(run: &RunPath) -> String {
    let mut folder = run.prefix();
    if folder.ends_with('/') {
        folder.pop();
    }
    folder
}

/// What every run's Prow page starts with; the run's folder follows.
pub fn spyglass_root() -> String {
    format!("{DECK_URL}/view/gs/{BUCKET}/")
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

/// kubevirt/kubevirt's issues (open and closed) that mention the test, by the first
/// [`MAX_SEARCH_CHARS`] characters of its name as a phrase.
pub fn issue_search_url(test: &str) -> String {
    let phrase: String = test
        .chars()
        .map(|c| if c == '"' || c.is_control() { ' ' } else { c })
        .take(MAX_SEARCH_CHARS)
        .collect();
    let query = format!("is:issue \"{}\"", phrase.trim());
    format!("{GITHUB_URL}/issues?q={}", encode(&query))
}

/// What a flake issue says about a test.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlakeIssue<'a> {
    pub test: &'a str,
    /// The SIG's slug, for the `/sig` line (`compute`, `storage`).
    pub sig: &'a str,
    /// One line per lane: its verdict in words ("flaky: 4 of 60 runs on pull-...").
    pub lanes: Vec<String>,
    /// Links to failed runs, newest first.
    pub runs: Vec<String>,
    /// The failure kind's label.
    pub kind: &'a str,
    pub message: &'a str,
}

/// Lines of the message quoted in a flake issue, at most.
const MESSAGE_LINES: usize = 12;

/// GitHub's new-issue form on kubevirt/kubevirt, filled in with the flake's title and body
/// (test, lanes, runs, kind, the message's first lines, `/kind flake` and `/sig` lines for the
/// bot). The link stays under [`MAX_ISSUE_URL`]: the message, then runs and lanes, then the
/// test name are shortened until it does.
pub fn flake_issue_url(issue: &FlakeIssue) -> String {
    let shapes = [
        (MESSAGE_LINES, 10, 10, 1_000),
        (5, 5, 5, 500),
        (2, 2, 3, 300),
        (0, 1, 1, 200),
        (0, 0, 0, 100),
    ];
    let mut url = String::new();
    for (message_lines, runs, lanes, test_chars) in shapes {
        let test: String = one_line(issue.test).chars().take(test_chars).collect();
        let title = format!("[flaky test] {test}");
        let body = flake_body(issue, &test, message_lines, runs, lanes);
        url = format!(
            "{GITHUB_URL}/issues/new?title={}&body={}",
            encode(&title),
            encode(&body)
        );
        if url.len() <= MAX_ISSUE_URL {
            break;
        }
    }
    url
}

fn flake_body(
    issue: &FlakeIssue,
    test: &str,
    message_lines: usize,
    runs: usize,
    lanes: usize,
) -> String {
    let mut body = format!("### Which test is flaky?\n\n{}\n\n", fenced(test));
    body.push_str("### Lanes\n\n");
    for lane in issue.lanes.iter().take(lanes) {
        body.push_str(&format!("- {}\n", one_line(lane)));
    }
    body.push_str("\n### Failed runs\n\n");
    for run in issue.runs.iter().take(runs) {
        body.push_str(&format!("- {run}\n"));
    }
    body.push_str(&format!("\n### Kind\n\n{}\n\n", one_line(issue.kind)));
    if message_lines > 0 {
        let lines: Vec<&str> = issue.message.lines().take(message_lines).collect();
        let message: String = lines.join("\n").chars().take(2_000).collect();
        body.push_str(&format!("### Message\n\n{}\n\n", fenced(&message)));
    }
    body.push_str(&format!("/kind flake\n/sig {}\n", one_line(issue.sig)));
    body
}

/// Text in a fenced code block, the fence longer than any backtick run inside.
fn fenced(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}\n{text}\n{fence}")
}

/// Control characters and line breaks as spaces.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn encode(value: &str) -> String {
    utf8_percent_encode(value, QUERY_VALUE).to_string()
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

    /// Reads a query parameter back, as GitHub would.
    fn param(url: &str, key: &str) -> String {
        let query = url.split_once('?').unwrap().1;
        let value = query
            .split('&')
            .find_map(|pair| pair.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("no {key} in {url}"));
        percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .unwrap()
            .into_owned()
    }

    const HOSTILE_TESTS: &[&str] = &[
        "[sig-compute]VMIlifecycle should start",
        "a&title=pwned&body=x#frag",
        "../../../evil?x=1",
        "\"quoted\" \r\n/close #1 @kubevirt/sig-compute",
        "https://evil.example/x",
        "ünïcödé 🦀 % %25 + =",
        "```\n# heading\n```",
    ];

    #[test]
    fn issue_search_stays_on_kubevirt_issues() {
        for test in HOSTILE_TESTS {
            let url = issue_search_url(test);
            assert!(
                url.starts_with("https://github.com/kubevirt/kubevirt/issues?q="),
                "{url}"
            );
            assert!(!url.contains(['#', ' ', '"', '\n']) && url.matches('?').count() == 1);
            let query = param(&url, "q");
            assert!(
                query.starts_with("is:issue \"") && query.ends_with('"'),
                "{query}"
            );
            assert_eq!(query.matches('"').count(), 2, "{query}");
        }
        let long = "x".repeat(5_000);
        assert!(param(&issue_search_url(&long), "q").len() < 256);
    }

    fn flake(test: &str, message: &str) -> FlakeIssue<'static> {
        FlakeIssue {
            test: Box::leak(test.to_owned().into_boxed_str()),
            sig: "compute",
            lanes: vec!["flaky: 4 of 60 runs on pull-kubevirt-e2e-k8s-1.34-sig-compute".into()],
            runs: vec!["https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/logs/x/1".into()],
            kind: "Timeout",
            message: Box::leak(message.to_owned().into_boxed_str()),
        }
    }

    #[test]
    fn flake_issue_form_is_prefilled_and_bounded() {
        let message = "tests/x.go:1\nTimed out after 30s.\nTimed out waiting for VMI\n".repeat(3);
        for test in HOSTILE_TESTS {
            let url = flake_issue_url(&flake(test, &message));
            assert!(
                url.starts_with("https://github.com/kubevirt/kubevirt/issues/new?title="),
                "{url}"
            );
            assert!(!url.contains(['#', ' ', '"', '\n', '\r']) && url.matches('?').count() == 1);
            assert_eq!(url.matches('&').count(), 1, "only title and body: {url}");
            assert!(param(&url, "title").contains(&one_line(test)));
            let body = param(&url, "body");
            for line in [
                "/kind flake",
                "/sig compute",
                "flaky: 4 of 60 runs on pull-kubevirt-e2e-k8s-1.34-sig-compute",
                "### Kind\n\nTimeout",
                "Timed out waiting for VMI",
            ] {
                assert!(body.contains(line), "{line:?} not in {body}");
            }
            assert!(body.lines().any(|l| l == "/kind flake"));
        }
    }

    #[test]
    fn huge_flake_issues_are_cut_to_fit() {
        let huge_test = "[sig-compute] ".to_owned() + &"ü&#".repeat(20_000);
        let huge_message = "line with `ticks` and ü\n".repeat(5_000);
        let mut issue = flake(&huge_test, &huge_message);
        issue.lanes = vec!["lane".repeat(1_000); 50];
        issue.runs = vec!["https://prow.ci.kubevirt.io/x".repeat(50); 50];
        let url = flake_issue_url(&issue);
        assert!(url.len() <= MAX_ISSUE_URL, "{}", url.len());
        let body = param(&url, "body");
        assert!(body.ends_with("/kind flake\n/sig compute\n"), "{body}");
        assert!(param(&url, "title").starts_with("[flaky test] [sig-compute] ü&#"));
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

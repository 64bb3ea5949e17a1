//! The real KubeVirt CI files the tests read, kept in the project under `tests/fixtures/`
//! (`tests/fixtures/SOURCES.md` says where each one comes from). The one way tests reach them:
//! the core's own tests, and the app's through the `testdata` feature. Tests that need a file
//! of their own build it with [`JunitXml`].

use crate::junit::escape;

/// The project's `tests/fixtures/` folder, with a trailing slash.
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");

/// Folder of the real `junit.functest.xml` files, with a trailing slash.
pub const JUNIT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/junit/");

/// ci-health's `results.json` of 2026-02-08 (failed jobs only, `//view` URLs).
pub const RESULTS_2026_02_08: &str =
    include_str!("../../tests/fixtures/ci-health/results-2026-02-08T09-38Z.json");

/// ci-health's `results.json` of 2026-08-22 (every job, with success counts).
pub const RESULTS_2026_08_22: &str =
    include_str!("../../tests/fixtures/ci-health/results-2026-08-22T15-02Z.json");

/// Both ci-health results files, oldest first.
pub const RESULTS: [&str; 2] = [RESULTS_2026_02_08, RESULTS_2026_08_22];

/// Every entry of the `FailedJobLeaderBoard` of both ci-health results files, as raw JSON.
pub fn leaderboard_jobs() -> Vec<serde_json::Value> {
    RESULTS
        .iter()
        .flat_map(|json| {
            let mut value: serde_json::Value = serde_json::from_str(json).expect("real JSON");
            match value["Data"]["SIGRetests"]["FailedJobLeaderBoard"].take() {
                serde_json::Value::Array(jobs) => jobs,
                other => panic!("no leaderboard: {other}"),
            }
        })
        .collect()
}

/// Reads a fixture by its path below `tests/fixtures/`.
pub fn read(path: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}{path}")).unwrap_or_else(|e| panic!("{FIXTURES}{path}: {e}"))
}

/// Reads a fixture as text.
pub fn text(path: &str) -> String {
    String::from_utf8(read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Reads one of the real JUnit files by name.
pub fn junit(name: &str) -> Vec<u8> {
    read(&format!("junit/{name}"))
}

/// One failed test case of the real JUnit files: test name, JUnit failure type, message.
pub type JunitFailure = (String, String, String);

/// Every failed test case of the real JUnit files, in file-name order, found by plain string
/// search: enough for these files, whose failures are `<failure type="...">text</failure>`
/// inside `<testcase>`.
pub fn junit_failures() -> Vec<JunitFailure> {
    junit_paths()
        .iter()
        .flat_map(|path| failures_in(&std::fs::read_to_string(path).expect("junit file")))
        .collect()
}

/// The paths of the real JUnit files, sorted.
pub fn junit_paths() -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = std::fs::read_dir(JUNIT_DIR)
        .expect("real junit dir")
        .map(|entry| entry.expect("dir entry").path())
        .collect();
    paths.sort();
    paths
}

fn failures_in(xml: &str) -> Vec<JunitFailure> {
    xml.split("<testcase ")
        .skip(1)
        .filter_map(|case| {
            let name = between(case, "name=\"", "\"")?;
            let failure = case.split_once("<failure")?.1;
            let failure_type = between(failure, "type=\"", "\"")?;
            let text = between(failure, ">", "</failure>")?;
            Some((unescape(name), unescape(failure_type), unescape(text)))
        })
        .collect()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = text.split_once(start)?.1;
    Some(rest.split_once(end)?.0)
}

fn unescape(text: &str) -> String {
    [
        ("&#xA;", "\n"),
        ("&#34;", "\""),
        ("&#39;", "'"),
        ("&quot;", "\""),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(text.to_owned(), |text, (entity, char)| {
        text.replace(entity, char)
    })
}

/// One failure of KubeVirt's Prow e2e lanes quoted in a kubevirt/kubevirt issue, with the symptom
/// and area a person gave it from the text (`tests/fixtures/real-failures/SOURCES.md`).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RealFailure {
    /// The test name as the issue gives it; empty when the issue names no test.
    pub test: String,
    pub message: String,
    /// The issue or pull request that quotes the failure.
    pub source: String,
    /// The expected symptom rule id.
    pub symptom: String,
    /// The expected area rule id, if the failure has one.
    pub area: Option<String>,
}

/// A real failing test that an issue or pull request names without quoting its message, with
/// the area a person read from its name.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedFailure {
    pub test: String,
    pub source: String,
    /// The expected area rule id, if the name shows one.
    pub area: Option<String>,
}

/// The hand-labelled real failures of `tests/fixtures/real-failures/failures.toml`. Natively
/// only: the TOML parser is not part of the page.
#[cfg(not(target_arch = "wasm32"))]
pub fn real_failures() -> Vec<RealFailure> {
    failures_in_file("real-failures/failures.toml")
}

/// The held-out real failures of `tests/fixtures/real-failures`, batch by batch in the order they
/// were gathered, each with its file: labelled like [`real_failures`] but never used to tune the
/// rules, only to measure them.
#[cfg(not(target_arch = "wasm32"))]
pub fn held_out_batches() -> Vec<(&'static str, Vec<RealFailure>)> {
    [
        "real-failures/held-out.toml",
        "real-failures/held-out-2.toml",
    ]
    .into_iter()
    .map(|path| (path, failures_in_file(path)))
    .collect()
}

/// Every held-out real failure, all batches of [`held_out_batches`] together.
#[cfg(not(target_arch = "wasm32"))]
pub fn held_out_failures() -> Vec<RealFailure> {
    held_out_batches()
        .into_iter()
        .flat_map(|(_, failures)| failures)
        .collect()
}

#[cfg(not(target_arch = "wasm32"))]
fn failures_in_file(path: &str) -> Vec<RealFailure> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        failure: Vec<RealFailure>,
    }
    read_toml::<File>(path).failure
}

/// The real failing tests of `tests/fixtures/real-failures/named-failures.toml`.
#[cfg(not(target_arch = "wasm32"))]
pub fn named_failures() -> Vec<NamedFailure> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        named: Vec<NamedFailure>,
    }
    read_toml::<File>("real-failures/named-failures.toml").named
}

#[cfg(not(target_arch = "wasm32"))]
fn read_toml<T: serde::de::DeserializeOwned>(path: &str) -> T {
    toml::from_str(&text(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// JUnit XML for a test that needs a file of its own, built case by case in the shape Ginkgo
/// writes (`<testsuite name="KubeVirt Tests Suite">`, `<failure type="Failure">`). Names and
/// failure texts are escaped, control characters as character references, so any text reaches
/// the parser as given.
#[derive(Clone, Debug, Default)]
pub struct JunitXml {
    cases: String,
}

impl JunitXml {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn passed(self, test: &str) -> Self {
        self.raw(&format!(r#"<testcase name="{}"/>"#, escape(test)))
    }

    pub fn skipped(self, test: &str) -> Self {
        let test = escape(test);
        self.raw(&format!(r#"<testcase name="{test}"><skipped/></testcase>"#))
    }

    /// A failed test; `text` is the failure's whole text, location lines included.
    pub fn failed(self, test: &str, text: &str) -> Self {
        self.raw(&format!(
            r#"<testcase name="{}"><failure type="Failure">{}</failure></testcase>"#,
            escape(test),
            escape(text)
        ))
    }

    /// XML as given, for cases the other builders do not write (malformed, unusual, cut).
    pub fn raw(mut self, xml: &str) -> Self {
        self.cases.push_str(xml);
        self
    }

    pub fn build(&self) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><testsuite name="KubeVirt Tests Suite">{}</testsuite>"#,
            self.cases
        )
    }

    pub fn bytes(&self) -> Vec<u8> {
        self.build().into_bytes()
    }
}

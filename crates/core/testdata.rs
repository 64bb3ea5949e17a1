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

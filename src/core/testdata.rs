//! The real KubeVirt CI files in the shared `kubevirt-data` folder that tests read in place (they
//! are never copied into the project). the build script finds the folder and sets
//! `KUBEVIRT_SHARED`; its SOURCES.md says where each file comes from.

/// Folder of the real `junit.functest.xml` files, with a trailing slash.
pub const JUNIT_DIR: &str = concat!(env!("KUBEVIRT_SHARED"), "/kubevirt-data/junit/");

/// ci-health's `results.json` of 2026-02-08 (failed jobs only, `//view` URLs).
pub const RESULTS_2026_02_08: &str = include_str!(concat!(
    env!("KUBEVIRT_SHARED"),
    "/kubevirt-data/ci-health/results-2026-02-08T09-38Z.json"
));

/// ci-health's `results.json` of 2026-08-22 (every job, with success counts).
pub const RESULTS_2026_08_22: &str = include_str!(concat!(
    env!("KUBEVIRT_SHARED"),
    "/kubevirt-data/ci-health/results-2026-08-22T15-02Z.json"
));

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

/// Reads one of the real JUnit files by name.
pub fn junit(name: &str) -> Vec<u8> {
    std::fs::read(format!("{JUNIT_DIR}{name}")).unwrap_or_else(|e| panic!("{JUNIT_DIR}{name}: {e}"))
}

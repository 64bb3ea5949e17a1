//! Which tests are quarantined: `[QUARANTINE]` in the name, or on the list KubeVirt publishes
//! daily as `reports/quarantined-tests/kubevirt/kubevirt/quarantine.json` (project-infra's
//! `test-label-analyzer stats --config-name=quarantine` output).

use rustc_hash::FxHashSet;
use serde::Deserialize;

/// Name tag of a quarantined test; presubmits skip such tests, periodic lanes run them.
pub const QUARANTINE_TAG: &str = "[QUARANTINE]";

/// Most names read from a list; a longer list is cut, and says so.
pub const MAX_LISTED: usize = 5_000;

/// Test names on KubeVirt's published quarantine list (`quarantine.json`), if it was read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuarantineList {
    names: FxHashSet<String>,
    /// Names past [`MAX_LISTED`] left out.
    pub cut: usize,
}

/// `quarantine.json`: per test file, the specs matching the quarantine rules, each as its
/// path of Ginkgo nodes (`Describe`, `Context`, ..., `It`). Everything else is left unread.
#[derive(Deserialize)]
struct Stats {
    files_stats: Vec<FileStats>,
}

#[derive(Deserialize)]
struct FileStats {
    test_stats: TestStats,
}

#[derive(Deserialize)]
struct TestStats {
    matching_spec_paths: Option<Vec<SpecPath>>,
}

#[derive(Deserialize)]
struct SpecPath {
    path: Vec<Node>,
}

#[derive(Deserialize)]
struct Node {
    text: String,
}

impl QuarantineList {
    pub fn new<S: Into<String>>(names: impl IntoIterator<Item = S>) -> QuarantineList {
        QuarantineList {
            names: names.into_iter().map(Into::into).collect(),
            cut: 0,
        }
    }

    /// The list in `quarantine.json`. A spec's name is its nodes' texts joined by spaces, as
    /// Ginkgo names it in JUnit files.
    pub fn parse(json: &str) -> Result<QuarantineList, String> {
        let stats: Stats = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let names: Vec<String> = stats
            .files_stats
            .into_iter()
            .filter_map(|file| file.test_stats.matching_spec_paths)
            .flatten()
            .map(|spec| {
                let texts: Vec<&str> = spec.path.iter().map(|node| node.text.trim()).collect();
                texts.join(" ").trim().to_owned()
            })
            .filter(|name| !name.is_empty())
            .collect();
        let cut = names.len().saturating_sub(MAX_LISTED);
        let mut list = QuarantineList::new(names.into_iter().take(MAX_LISTED));
        list.cut = cut;
        Ok(list)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    fn contains(&self, test: &str) -> bool {
        self.names.contains(test)
    }
}

/// Why a test counts as quarantined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quarantine {
    /// `[QUARANTINE]` in its name.
    Tagged,
    /// On the quarantine list only.
    Listed,
    Both,
}

impl Quarantine {
    /// Whether `test` is quarantined, by its name or the list. Common Failures can call this on
    /// any test name without verdicts.
    pub fn of(test: &str, list: Option<&QuarantineList>) -> Option<Quarantine> {
        let tagged = test.contains(QUARANTINE_TAG);
        let listed = list.is_some_and(|list| list.contains(test));
        match (tagged, listed) {
            (true, true) => Some(Quarantine::Both),
            (true, false) => Some(Quarantine::Tagged),
            (false, true) => Some(Quarantine::Listed),
            (false, false) => None,
        }
    }

    /// Whether the list says so (the name may too).
    pub fn is_listed(self) -> bool {
        self != Quarantine::Tagged
    }
}

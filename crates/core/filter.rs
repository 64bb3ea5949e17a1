//! The report filters and their URL query form. Every view is a query string, so a link
//! reproduces it; values that do not parse are dropped with a notice, never an error.

use chrono::{DateTime, Duration, Utc};

use super::classify::Classification;
use super::job::{Arch, Branch, JobName, Version};
use super::prow::RunKind;
use super::sig::Sig;

/// A query key this module owns: the name of one view filter in a link. The one place each
/// name is spelled; the app's table of URL parameters (`src/params.rs`) takes them from here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Sig,
    Kind,
    Job,
    K8s,
    Branch,
    Lane,
    Arch,
    Trigger,
    Days,
    Text,
    Quarantined,
    Optional,
    PrFailures,
}

impl Key {
    /// Every key, in the order links are written.
    pub const ALL: [Key; 13] = [
        Key::Sig,
        Key::Kind,
        Key::Job,
        Key::K8s,
        Key::Branch,
        Key::Lane,
        Key::Arch,
        Key::Trigger,
        Key::Days,
        Key::Text,
        Key::Quarantined,
        Key::Optional,
        Key::PrFailures,
    ];

    /// Its name in a query string.
    pub const fn name(self) -> &'static str {
        match self {
            Key::Sig => "sig",
            Key::Kind => "kind",
            Key::Job => "job",
            Key::K8s => "k8s",
            Key::Branch => "branch",
            Key::Lane => "lane",
            Key::Arch => "arch",
            Key::Trigger => "trigger",
            Key::Days => "days",
            Key::Text => "q",
            Key::Quarantined => "quarantined",
            Key::Optional => "optional",
            Key::PrFailures => "pr-failures",
        }
    }

    fn parse(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|key| key.name() == name)
    }
}

/// The one value of `quarantined`, `optional` and `pr-failures`: what they name is counted like
/// anything else.
pub const SHOW: &str = "show";

/// What the user narrowed the report to. Empty lists mean "all".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub sigs: Vec<Sig>,
    /// Failure kind rule ids (area or symptom).
    pub kinds: Vec<String>,
    pub jobs: Vec<String>,
    pub k8s: Vec<Version>,
    pub branches: Vec<Branch>,
    /// Lanes (`sig-compute`, `sriov`) or modifiers (`serial`, `migrations`).
    pub lanes: Vec<String>,
    pub arches: Vec<Arch>,
    /// How the runs counted were started (presubmit, batch, periodic).
    pub run_kinds: Vec<RunKind>,
    /// Only runs started within this many days before now.
    pub days: Option<u32>,
    /// Case-insensitive text searched in test names, messages and job names.
    pub text: String,
    /// Count quarantined tests' failures too. Off by default: quarantined tests fail where they
    /// run (periodic lanes) by design, and would read as the SIG's regression.
    pub quarantined: bool,
    /// Count optional lanes too. Off by default, as in ci-health's SIG report: an optional
    /// lane's failures do not block a merge.
    pub optional: bool,
    /// Count one PR's own failures (see [`crate::pull_failures`]) in the SIGs' counts too.
    pub pr_failures: bool,
}

/// A query parameter that was ignored, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub key: String,
    pub value: String,
    pub reason: &'static str,
}

impl Filter {
    /// Reads the filter keys of a query; other keys are left to their owners.
    pub fn from_query<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (Filter, Vec<Notice>) {
        let mut filter = Filter::default();
        let mut notices = Vec::new();
        for (key, value) in pairs {
            for item in value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                if let Err(reason) = filter.set(key, item) {
                    notices.push(Notice {
                        key: key.to_owned(),
                        value: item.to_owned(),
                        reason,
                    });
                }
            }
        }
        (filter, notices)
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), &'static str> {
        let Some(key) = Key::parse(key) else {
            return Ok(());
        };
        match key {
            Key::Sig => push(&mut self.sigs, Sig::parse_slug(value).ok_or("unknown SIG")?),
            Key::Kind => push(&mut self.kinds, value.to_owned()),
            Key::Job => push(&mut self.jobs, value.to_owned()),
            Key::K8s => push(
                &mut self.k8s,
                Version::parse(value).ok_or("not a version like 1.34")?,
            ),
            Key::Branch => push(
                &mut self.branches,
                parse_branch(value).ok_or("not main or release-X.Y")?,
            ),
            Key::Lane => push(&mut self.lanes, value.to_owned()),
            Key::Arch => push(
                &mut self.arches,
                parse_arch(value).ok_or("not amd64, arm64 or s390x")?,
            ),
            Key::Trigger => push(
                &mut self.run_kinds,
                RunKind::parse(value).ok_or("not presubmit, batch or periodic")?,
            ),
            Key::Days => {
                let days = value
                    .trim_end_matches('d')
                    .parse()
                    .map_err(|_| "not a number of days")?;
                self.days = (days > 0).then_some(days);
            }
            Key::Text => self.text = value.to_owned(),
            Key::Quarantined => self.quarantined = shown_value(value)?,
            Key::Optional => self.optional = shown_value(value)?,
            Key::PrFailures => self.pr_failures = shown_value(value)?,
        }
        Ok(())
    }

    /// The filter as query pairs, in [`Key::ALL`] order, without empty filters.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        Key::ALL
            .into_iter()
            .map(|key| (key.name(), self.value(key)))
            .filter(|(_, value)| !value.is_empty())
            .collect()
    }

    /// The value of one key in a link; empty when that filter is off.
    fn value(&self, key: Key) -> String {
        let join = |items: Vec<String>| items.join(",");
        match key {
            Key::Sig => join(self.sigs.iter().map(|s| s.slug().to_owned()).collect()),
            Key::Kind => self.kinds.join(","),
            Key::Job => self.jobs.join(","),
            Key::K8s => join(self.k8s.iter().map(ToString::to_string).collect()),
            Key::Branch => join(self.branches.iter().map(ToString::to_string).collect()),
            Key::Lane => self.lanes.join(","),
            Key::Arch => join(
                self.arches
                    .iter()
                    .map(|a| arch_slug(*a).to_owned())
                    .collect(),
            ),
            Key::Trigger => join(self.run_kinds.iter().map(|k| k.slug().to_owned()).collect()),
            Key::Days => self.days.map(|d| d.to_string()).unwrap_or_default(),
            Key::Text => self.text.clone(),
            Key::Quarantined => shown(self.quarantined),
            Key::Optional => shown(self.optional),
            Key::PrFailures => shown(self.pr_failures),
        }
    }

    /// Whether nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self == &Filter::default()
    }

    /// The time window: runs without a start time (local files) are never outside it.
    pub fn in_window(&self, started: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        self.days.is_none_or(|days| {
            started.is_none_or(|start| start >= now - Duration::days(i64::from(days)))
        })
    }

    /// Job filters: job, k8s version, branch, lane, arch, and optional lanes.
    pub fn matches_job(&self, job: &JobName) -> bool {
        any_or_empty(&self.jobs, |j| j == &job.raw)
            && any_or_empty(&self.k8s, |v| Some(v) == job.k8s_version.as_ref())
            && any_or_empty(&self.branches, |b| b == &job.branch)
            && any_or_empty(&self.lanes, |lane| {
                lane == &job.lane || job.modifiers.iter().any(|m| m.as_str() == lane)
            })
            && any_or_empty(&self.arches, |a| *a == job.arch())
            && (self.optional || !job.optional)
    }

    /// Whether runs started this way are counted; runs of unknown start only when all are.
    pub fn keeps_kind(&self, kind: Option<RunKind>) -> bool {
        any_or_empty(&self.run_kinds, |k| Some(*k) == kind)
    }

    /// Whether a failure of a quarantined (`true`) or other test is counted.
    pub fn keeps_test(&self, quarantined: bool) -> bool {
        self.quarantined || !quarantined
    }

    /// The SIG and kind filters, for a failure attributed to `sig` and classified as `class`.
    pub fn matches_kind(&self, sig: &Sig, class: &Classification) -> bool {
        any_or_empty(&self.sigs, |s| s == sig)
            && any_or_empty(&self.kinds, |k| {
                k == &class.symptom.id || class.area.is_some_and(|a| &a.id == k)
            })
    }

    /// The free-text filter, ready to search test names, messages and job names with.
    pub fn text_query(&self) -> Option<TextQuery> {
        (!self.text.is_empty()).then(|| TextQuery::new(&self.text))
    }

    /// Whether a SIG's card is shown.
    pub fn shows_sig(&self, sig: &Sig) -> bool {
        any_or_empty(&self.sigs, |s| s == sig)
    }
}

/// A case-insensitive search for one text. ASCII text (the usual case: test names, pod names)
/// is found without lowercasing each haystack, which would copy every message on each keystroke.
pub struct TextQuery {
    lower: String,
}

impl TextQuery {
    fn new(text: &str) -> Self {
        TextQuery {
            lower: text.to_lowercase(),
        }
    }

    pub fn found_in(&self, haystack: &str) -> bool {
        let needle = self.lower.as_bytes();
        if !self.lower.is_ascii() {
            return haystack.to_lowercase().contains(&self.lower);
        }
        let (first, rest) = match needle.split_first() {
            Some(split) => split,
            None => return true,
        };
        let hay = haystack.as_bytes();
        memchr::memchr2_iter(*first, first.to_ascii_uppercase(), hay).any(|at| {
            hay.get(at + 1..at + needle.len())
                .is_some_and(|tail| tail.eq_ignore_ascii_case(rest))
        })
    }
}

fn push<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn any_or_empty<T>(wanted: &[T], pred: impl Fn(&T) -> bool) -> bool {
    wanted.is_empty() || wanted.iter().any(pred)
}

fn parse_branch(value: &str) -> Option<Branch> {
    match value {
        "main" => Some(Branch::Main),
        _ => value
            .strip_prefix("release-")
            .and_then(Version::parse)
            .map(Branch::Release),
    }
}

fn parse_arch(value: &str) -> Option<Arch> {
    match value {
        "amd64" => Some(Arch::Amd64),
        "arm64" => Some(Arch::Arm64),
        "s390x" => Some(Arch::S390x),
        _ => None,
    }
}

/// `show` when on, else nothing (the parameter is left out).
/// Reads the one value of `quarantined`, `optional` and `pr-failures`.
fn shown_value(value: &str) -> Result<bool, &'static str> {
    (value == SHOW).then_some(true).ok_or("not show")
}

fn shown(on: bool) -> String {
    match on {
        true => SHOW.to_owned(),
        false => String::new(),
    }
}

/// The query form of an architecture.
pub fn arch_slug(arch: Arch) -> &'static str {
    match arch {
        Arch::Amd64 => "amd64",
        Arch::Arm64 => "arm64",
        Arch::S390x => "s390x",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(q: &str) -> (Filter, Vec<Notice>) {
        let pairs: Vec<(&str, &str)> = q
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .collect();
        Filter::from_query(pairs)
    }

    #[test]
    fn round_trips_through_the_query() {
        let (filter, notices) = query(
            "sig=compute,storage&kind=live-migration&job=pull-kubevirt-e2e-k8s-1.34-sig-storage&k8s=1.34\
             &branch=release-1.7,main&lane=serial&arch=arm64&trigger=batch,periodic&days=3&q=testvmi&quarantined=show&optional=show",
        );
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(filter.sigs, vec![Sig::Compute, Sig::Storage]);
        assert_eq!(filter.days, Some(3));
        assert_eq!(filter.run_kinds, [RunKind::Batch, RunKind::Periodic]);
        assert!(filter.keeps_kind(Some(RunKind::Batch)));
        assert!(!filter.keeps_kind(Some(RunKind::Presubmit)) && !filter.keeps_kind(None));
        assert!(Filter::default().keeps_kind(None));
        let mut optional = JobName::parse("pull-kubevirt-e2e-k8s-1.35-sig-compute-serial");
        optional.optional = true;
        assert!(filter.matches_job(&optional) || !filter.arches.is_empty());
        assert!(!Filter::default().matches_job(&optional));
        assert!(Filter::from_query([("optional", "show")])
            .0
            .matches_job(&optional));
        assert!(filter.quarantined && filter.optional);
        let written = filter.to_query();
        let again = Filter::from_query(written.iter().map(|(k, v)| (*k, v.as_str()))).0;
        assert_eq!(again, filter);
        assert_eq!(written[0], ("sig", "compute,storage".to_owned()));
    }

    /// Every key is written, once, in `Key::ALL` order, and read back by its name.
    #[test]
    fn every_key_is_written_once_in_order() {
        let (filter, notices) = query(
            "pr-failures=show&optional=show&quarantined=show&q=vmi&days=2&trigger=batch&arch=arm64\
             &lane=serial&branch=main&k8s=1.34&job=j&kind=network&sig=network",
        );
        assert!(notices.is_empty(), "{notices:?}");
        let keys: Vec<&str> = filter.to_query().iter().map(|(key, _)| *key).collect();
        let all: Vec<&str> = Key::ALL.iter().map(|key| key.name()).collect();
        assert_eq!(keys, all);
        assert_eq!(
            query("unknown=1&pr-failures=no").1,
            [Notice {
                key: "pr-failures".into(),
                value: "no".into(),
                reason: "not show"
            }]
        );
    }

    #[test]
    fn bad_values_become_notices_and_the_rest_applies() {
        let (filter, notices) =
            query("sig=compute,Not_A_SIG&k8s=abc&days=x&arch=sparc&branch=dev&quarantined=yes&trigger=push");
        assert_eq!(filter.sigs, vec![Sig::Compute]);
        assert!(filter.k8s.is_empty() && filter.days.is_none() && !filter.quarantined);
        let keys: Vec<_> = notices.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "sig",
                "k8s",
                "days",
                "arch",
                "branch",
                "quarantined",
                "trigger"
            ]
        );
    }

    #[test]
    fn time_window_keeps_recent_and_undated_runs() {
        let now = DateTime::parse_from_rfc3339("2026-08-22T12:00:00Z")
            .unwrap()
            .to_utc();
        let (filter, _) = query("days=3");
        let hours_ago = |h: i64| Some(now - Duration::hours(h));
        assert!(filter.in_window(hours_ago(71), now));
        assert!(!filter.in_window(hours_ago(73), now));
        assert!(filter.in_window(None, now));
        assert!(Filter::default().in_window(hours_ago(10_000), now));
    }

    #[test]
    fn text_is_found_whatever_its_case() {
        let found = |q: &str, hay: &str| {
            query(&format!("q={q}"))
                .0
                .text_query()
                .unwrap()
                .found_in(hay)
        };
        assert!(found("TestVMI", "Timed out waiting for testvmi-abcde"));
        assert!(found("testvmi-ABC", "waiting for TESTVMI-abcde"));
        assert!(!found("testvmi-x", "waiting for testvmi-abcde"));
        assert!(
            !found("abcdef", "abcde"),
            "a match must not run past the end"
        );
        assert!(
            found("Ärger", "kein ÄRGER"),
            "non-ASCII text falls back to lowercasing"
        );
        assert!(Filter::default().text_query().is_none());
    }

    #[test]
    fn job_filters_use_the_parsed_name() {
        let job = JobName::parse("pull-kubevirt-e2e-k8s-1.34-sig-compute-serial-1.7");
        let accepts = |q: &str| query(q).0.matches_job(&job);
        assert!(accepts("k8s=1.34&branch=release-1.7&lane=serial"));
        assert!(accepts("lane=sig-compute&arch=amd64"));
        assert!(!accepts("branch=main"));
        assert!(!accepts("k8s=1.33"));
        assert!(!accepts("arch=arm64"));
        assert!(Filter::default().is_empty() && Filter::default().matches_job(&job));
    }
}

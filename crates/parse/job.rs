//! Prow job names, split into the parts reports group and filter by.
//!
//! KubeVirt e2e jobs are named
//! `{pull|periodic|post}-kubevirt-e2e-{k8s|kind}-<k8s version>[-ipv6]-<lane>[-<modifier>...][-<release>]`,
//! e.g. `pull-kubevirt-e2e-k8s-1.34-sig-compute-migrations-1.7`. A few real names bend the
//! pattern: the provider before `e2e` (`periodic-kubevirt-kind-e2e-test-ARM64`), a `test` word
//! after it, no cluster at all (`pull-kubevirt-e2e-windows2016-1.6`), an upper-case
//! architecture (`...-S390X`). Parsing never fails: a name of any other shape keeps its raw text
//! with the parts it lacks left empty.

use std::fmt;

use super::prow::parse_decimal;
use super::sig::Sig;

/// A parsed Prow job name. Every field is derived from `raw`; build one with [`JobName::parse`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobName {
    pub raw: String,
    pub trigger: Trigger,
    /// The name has the shape of a kubevirt/kubevirt e2e lane (`<trigger>-kubevirt-e2e-...` or
    /// `<trigger>-kubevirt-kind-e2e-...`). Other repositories' jobs
    /// (`pull-kubevirt-migration-controller-e2e`) and kubevirt's own non-e2e jobs do not.
    pub kubevirt_e2e: bool,
    pub provider: Option<Provider>,
    /// Kubernetes version of the test cluster: `1.34` in `...-k8s-1.34-...`.
    pub k8s_version: Option<Version>,
    /// What the job tests, without modifiers: `sig-compute`, `sriov`, `vgpu`, `windows2016`,
    /// `single-node`. Empty when the name has no such part (`pull-kubevirt-e2e-arm64`, the whole
    /// suite on another architecture) or an unknown shape.
    pub lane: String,
    /// Variations of the lane, in name order: `ipv6`, `serial`, `migrations`, `arm64`, ...
    pub modifiers: Vec<Modifier>,
    /// The KubeVirt branch under test, only ever from a trailing `-<major>.<minor>`.
    pub branch: Branch,
    /// Prow reports it as optional (`prow.k8s.io/is-optional` in a run's `prowjob.json`); not
    /// in the name, so set by whoever read that file. Optional lanes are left out of counts and
    /// rates unless asked for, as ci-health's SIG report leaves them out.
    pub optional: bool,
}

/// How Prow starts the job, from the name's first word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Trigger {
    /// `pull-`: runs on a pull request.
    Presubmit,
    /// `periodic-`: runs on a schedule.
    Periodic,
    /// `post-`: runs after a merge.
    Postsubmit,
    Other,
}

/// The kubevirtci cluster provider the lane runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Provider {
    K8s,
    Kind,
}

/// A `major.minor` version (Kubernetes or KubeVirt release), ordered numerically so that
/// 1.9 < 1.10.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
}

/// The KubeVirt branch a job tests. Main sorts first, then releases from oldest to newest.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Branch {
    Main,
    Release(Version),
}

/// A known variation of a lane, or a run of unknown name words kept together
/// (`sriov-emulated`, `kwok-100`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Modifier {
    Serial,
    Migrations,
    Root,
    Realtime,
    Arm64,
    S390x,
    Ipv6,
    Smoke,
    Other(String),
}

/// CPU architecture of the test cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Arch {
    Amd64,
    Arm64,
    S390x,
}

impl JobName {
    pub fn parse(raw: &str) -> JobName {
        let words: Vec<&str> = raw.split('-').collect();
        let (trigger, rest) = split_trigger(&words);
        let suite = split_suite(rest);
        let kubevirt_e2e = suite.is_some();
        let (provider, k8s_version, body, branch) = match suite {
            Some((lead, body)) => {
                let (provider, k8s_version, body) = match lead {
                    Some(provider) => (Some(provider), None, body),
                    None => split_cluster(body),
                };
                let (body, branch) = split_branch(body);
                (provider, k8s_version, body, branch)
            }
            // Of an unknown shape, only the release suffix convention is worth reading.
            None => (None, None, &[][..], split_branch(rest).1),
        };
        let (lane, modifiers) = split_lane(body);
        JobName {
            raw: raw.to_owned(),
            trigger,
            kubevirt_e2e,
            provider,
            k8s_version,
            lane,
            modifiers,
            branch,
            optional: false,
        }
    }

    /// The SIG ci-health assigns the job to, if any. Lanes outside its mapping (windows2016,
    /// sysprep, single-node, swap-enabled, sig-performance, the whole suite on arm64 or s390x)
    /// have none: their runs count towards no SIG card, only towards SIG CI.
    pub fn sig(&self) -> Option<Sig> {
        Sig::from_job_lane(&self.lane)
    }

    pub fn arch(&self) -> Arch {
        self.modifiers
            .iter()
            .find_map(|modifier| match modifier {
                Modifier::Arm64 => Some(Arch::Arm64),
                Modifier::S390x => Some(Arch::S390x),
                _ => None,
            })
            .unwrap_or(Arch::Amd64)
    }
}

impl fmt::Display for JobName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

fn split_trigger<'a>(words: &'a [&'a str]) -> (Trigger, &'a [&'a str]) {
    let trigger = match words {
        ["pull", ..] => Trigger::Presubmit,
        ["periodic", ..] => Trigger::Periodic,
        ["post", ..] => Trigger::Postsubmit,
        _ => return (Trigger::Other, words),
    };
    (trigger, &words[1..])
}

/// Splits off `kubevirt-e2e-` or `kubevirt-<provider>-e2e-` (the provider first, as in
/// `periodic-kubevirt-kind-e2e-test-ARM64`), and the word `test` some names put after it.
fn split_suite<'a>(words: &'a [&'a str]) -> Option<(Option<Provider>, &'a [&'a str])> {
    let (provider, body) = match words {
        ["kubevirt", "e2e", body @ ..] => (None, body),
        ["kubevirt", word, "e2e", body @ ..] => (Some(Provider::parse(word)?), body),
        _ => return None,
    };
    Some((provider, body.strip_prefix(&["test"][..]).unwrap_or(body)))
}

/// Splits off `k8s-<version>` or `kind-<version>`; the version may be missing (`kind-sriov`).
fn split_cluster<'a>(words: &'a [&'a str]) -> (Option<Provider>, Option<Version>, &'a [&'a str]) {
    let Some((provider, rest)) = words
        .split_first()
        .and_then(|(word, rest)| Some((Provider::parse(word)?, rest)))
    else {
        return (None, None, words);
    };
    match rest.first().and_then(|word| Version::parse(word)) {
        Some(version) => (Some(provider), Some(version), &rest[1..]),
        None => (Some(provider), None, rest),
    }
}

/// Splits off a trailing release version. Only `<digits>.<digits>` counts, so `kwok-100` stays.
fn split_branch<'a>(words: &'a [&'a str]) -> (&'a [&'a str], Branch) {
    match words {
        [rest @ .., last] => match Version::parse(last) {
            Some(version) => (rest, Branch::Release(version)),
            None => (words, Branch::Main),
        },
        [] => (words, Branch::Main),
    }
}

/// Finds the lane (`sig-<name>`, else the first run of words that are no known modifier, such
/// as `single-node`) and reads the words before and after it as modifiers.
fn split_lane(words: &[&str]) -> (String, Vec<Modifier>) {
    let sig_lane = words
        .windows(2)
        .position(|pair| pair[0] == "sig" && !pair[1].is_empty())
        .map(|start| start..start + 2);
    let lane = sig_lane.unwrap_or_else(|| {
        let unknown = |word: &str| !word.is_empty() && Modifier::known(word).is_none();
        let start = words.iter().position(|w| unknown(w)).unwrap_or(words.len());
        start..start + words[start..].iter().take_while(|w| unknown(w)).count()
    });
    let mut modifiers = read_modifiers(&words[..lane.start]);
    modifiers.extend(read_modifiers(&words[lane.end..]));
    (words[lane].join("-"), modifiers)
}

/// Reads words as modifiers, joining each run of unknown words into one [`Modifier::Other`].
fn read_modifiers(words: &[&str]) -> Vec<Modifier> {
    let mut out: Vec<Modifier> = Vec::new();
    for word in words.iter().filter(|word| !word.is_empty()) {
        match (Modifier::known(word), out.last_mut()) {
            (Some(known), _) => out.push(known),
            (None, Some(Modifier::Other(run))) => {
                run.push('-');
                run.push_str(word);
            }
            (None, _) => out.push(Modifier::Other((*word).to_owned())),
        }
    }
    out
}

impl Modifier {
    const KNOWN: [Modifier; 8] = [
        Modifier::Serial,
        Modifier::Migrations,
        Modifier::Root,
        Modifier::Realtime,
        Modifier::Arm64,
        Modifier::S390x,
        Modifier::Ipv6,
        Modifier::Smoke,
    ];

    /// The modifier a name word stands for, in any case (`ARM64`, `S390X`).
    fn known(word: &str) -> Option<Modifier> {
        Self::KNOWN
            .into_iter()
            .find(|known| known.as_str().eq_ignore_ascii_case(word))
    }

    /// The modifier's words, lower case.
    pub fn as_str(&self) -> &str {
        match self {
            Modifier::Serial => "serial",
            Modifier::Migrations => "migrations",
            Modifier::Root => "root",
            Modifier::Realtime => "realtime",
            Modifier::Arm64 => "arm64",
            Modifier::S390x => "s390x",
            Modifier::Ipv6 => "ipv6",
            Modifier::Smoke => "smoke",
            Modifier::Other(words) => words,
        }
    }
}

impl fmt::Display for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Provider {
    fn parse(word: &str) -> Option<Provider> {
        match word {
            "k8s" => Some(Provider::K8s),
            "kind" => Some(Provider::Kind),
            _ => None,
        }
    }
}

impl Version {
    /// Parses `<digits>.<digits>`; anything else (signs, spaces, overflow, more parts) is `None`.
    pub fn parse(text: &str) -> Option<Version> {
        let (major, minor) = text.split_once('.')?;
        Some(Version {
            major: parse_decimal(major)?,
            minor: parse_decimal(minor)?,
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl fmt::Display for Branch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Branch::Main => f.write_str("main"),
            Branch::Release(version) => write!(f, "release-{version}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Modifier::*;

    use crate::testdata::{leaderboard_jobs, text};

    fn v(major: u32, minor: u32) -> Version {
        Version { major, minor }
    }

    fn release(major: u32, minor: u32) -> Branch {
        Branch::Release(v(major, minor))
    }

    /// Every `JobName` in the ci-health leaderboards, deduplicated.
    fn real_job_names() -> Vec<String> {
        let mut names: Vec<String> = leaderboard_jobs()
            .iter()
            .map(|job| job["JobName"].as_str().unwrap().to_owned())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    #[test]
    fn parses_a_full_name() {
        let job = JobName::parse("pull-kubevirt-e2e-k8s-1.34-sig-compute-migrations-1.7");
        assert_eq!(
            job.raw,
            "pull-kubevirt-e2e-k8s-1.34-sig-compute-migrations-1.7"
        );
        assert_eq!(job.trigger, Trigger::Presubmit);
        assert_eq!(job.provider, Some(Provider::K8s));
        assert_eq!(job.k8s_version, Some(v(1, 34)));
        assert_eq!(job.lane, "sig-compute");
        assert_eq!(job.modifiers, [Migrations]);
        assert_eq!(job.branch, release(1, 7));
        assert_eq!(job.sig(), Some(Sig::Compute));
        assert_eq!(job.arch(), Arch::Amd64);
        assert_eq!(job.branch.to_string(), "release-1.7");
        assert_eq!(job.to_string(), job.raw);
    }

    #[test]
    fn parses_known_shapes() {
        use Provider::*;
        type Case = (
            &'static str,
            Trigger,
            Option<Provider>,
            Option<Version>,
            &'static str,
            Vec<Modifier>,
            Branch,
            Option<Sig>,
        );
        #[rustfmt::skip]
        let cases: [Case; 14] = [
            ("periodic-kubevirt-e2e-k8s-1.33-sig-storage", Trigger::Periodic, Some(K8s), Some(v(1, 33)), "sig-storage", vec![], Branch::Main, Some(Sig::Storage)),
            ("pull-kubevirt-e2e-kind-1.36-sig-compute-arm64", Trigger::Presubmit, Some(Kind), Some(v(1, 36)), "sig-compute", vec![Arm64], Branch::Main, Some(Sig::Compute)),
            ("pull-kubevirt-e2e-k8s-1.34-ipv6-sig-network", Trigger::Presubmit, Some(K8s), Some(v(1, 34)), "sig-network", vec![Ipv6], Branch::Main, Some(Sig::Network)),
            ("pull-kubevirt-e2e-k8s-1.32-sig-compute-serial-1.6", Trigger::Presubmit, Some(K8s), Some(v(1, 32)), "sig-compute", vec![Serial], release(1, 6), Some(Sig::Compute)),
            ("pull-kubevirt-e2e-k8s-1.33-sig-compute-realtime", Trigger::Presubmit, Some(K8s), Some(v(1, 33)), "sig-compute", vec![Realtime], Branch::Main, Some(Sig::Compute)),
            ("pull-kubevirt-e2e-kind-1.34-sriov", Trigger::Presubmit, Some(Kind), Some(v(1, 34)), "sriov", vec![], Branch::Main, Some(Sig::Network)),
            ("pull-kubevirt-e2e-kind-1.34-vgpu", Trigger::Presubmit, Some(Kind), Some(v(1, 34)), "vgpu", vec![], Branch::Main, Some(Sig::Compute)),
            ("pull-kubevirt-e2e-kind-1.34-sev-1.8", Trigger::Presubmit, Some(Kind), Some(v(1, 34)), "sev", vec![], release(1, 8), Some(Sig::Compute)),
            ("pull-kubevirt-e2e-k8s-1.34-sig-performance-kwok-100", Trigger::Presubmit, Some(K8s), Some(v(1, 34)), "sig-performance", vec![Other("kwok-100".into())], Branch::Main, None),
            ("pull-kubevirt-e2e-arm64", Trigger::Presubmit, None, None, "", vec![Arm64], Branch::Main, None),
            ("pull-kubevirt-e2e-kind-sriov-1.8", Trigger::Presubmit, Some(Kind), None, "sriov", vec![], release(1, 8), Some(Sig::Network)),
            ("pull-kubevirt-e2e-k8s-1.36-sig-network-sriov-emulated-1.9", Trigger::Presubmit, Some(K8s), Some(v(1, 36)), "sig-network", vec![Other("sriov-emulated".into())], release(1, 9), Some(Sig::Network)),
            ("pull-kubevirt-e2e-k8s-1.36-sig-network-smoke", Trigger::Presubmit, Some(K8s), Some(v(1, 36)), "sig-network", vec![Smoke], Branch::Main, Some(Sig::Network)),
            ("post-kubevirt-e2e-k8s-1.34-windows2016-1.10", Trigger::Postsubmit, Some(K8s), Some(v(1, 34)), "windows2016", vec![], release(1, 10), None),
        ];
        for (raw, trigger, provider, k8s, lane, modifiers, branch, sig) in cases {
            let job = JobName::parse(raw);
            assert_eq!(job.trigger, trigger, "{raw}");
            assert_eq!(job.provider, provider, "{raw}");
            assert_eq!(job.k8s_version, k8s, "{raw}");
            assert_eq!(job.lane, lane, "{raw}");
            assert_eq!(job.modifiers, modifiers, "{raw}");
            assert_eq!(job.branch, branch, "{raw}");
            assert_eq!(job.sig(), sig, "{raw}");
        }
    }

    #[test]
    fn arch_follows_the_arch_modifier() {
        let arch = |raw| JobName::parse(raw).arch();
        assert_eq!(arch("pull-kubevirt-e2e-arm64-1.6"), Arch::Arm64);
        assert_eq!(
            arch("pull-kubevirt-e2e-k8s-1.34-sig-compute-s390x"),
            Arch::S390x
        );
        assert_eq!(arch("pull-kubevirt-e2e-k8s-1.34-sig-compute"), Arch::Amd64);
    }

    #[test]
    fn modifiers_read_back_from_their_text() {
        for modifier in Modifier::KNOWN {
            assert_eq!(Modifier::known(modifier.as_str()), Some(modifier.clone()));
        }
        assert_eq!(Modifier::known("ARM64"), Some(Arm64));
        assert_eq!(Modifier::known("S390X"), Some(S390x));
        assert_eq!(Modifier::known("arm"), None);
        assert_eq!(Other("kwok-100".into()).to_string(), "kwok-100");
    }

    #[test]
    fn unknown_shapes_keep_the_raw_name() {
        for raw in [
            "",
            "-",
            "---",
            "pull",
            "pull-kubevirt-check-tests-for-flakes",
            "kubevirt-e2e-k8s-1.34-sig-compute",
            "pull-kubevirt-e2e-k8s-x.y-sig-compute",
            "pull-kubevirt-e2e-k8s-1.34--sig--compute-",
            "pull-kubevirt-e2e-k8s-1.34-sig",
            "pull-kubevirt-e2e-k8s-99999999999.1-sig-compute-1.99999999999",
            "pull-kubevirt-e2e-ü-✓",
        ] {
            let job = JobName::parse(raw);
            assert_eq!(job.raw, raw);
            assert!(
                job.modifiers.iter().all(|m| !m.as_str().is_empty()),
                "{raw}"
            );
        }
        let flakes = JobName::parse("pull-kubevirt-check-tests-for-flakes");
        assert_eq!(flakes.trigger, Trigger::Presubmit);
        assert_eq!((flakes.provider, flakes.k8s_version), (None, None));
        assert_eq!(flakes.lane, "");
        assert!(flakes.modifiers.is_empty());
        assert_eq!(flakes.sig(), None);

        let no_trigger = JobName::parse("kubevirt-e2e-k8s-1.34-sig-compute");
        assert_eq!(no_trigger.trigger, Trigger::Other);
        assert_eq!(no_trigger.lane, "sig-compute");

        let bad_version = JobName::parse("pull-kubevirt-e2e-k8s-x.y-sig-compute");
        assert_eq!(bad_version.k8s_version, None);
        assert_eq!(bad_version.lane, "sig-compute");

        let overflow =
            JobName::parse("pull-kubevirt-e2e-k8s-99999999999.1-sig-compute-1.99999999999");
        assert_eq!(
            (overflow.k8s_version, overflow.branch),
            (None, Branch::Main)
        );

        let gaps = JobName::parse("pull-kubevirt-e2e-k8s-1.34--sig-compute--serial-");
        assert_eq!(
            (gaps.lane.as_str(), gaps.modifiers),
            ("sig-compute", vec![Serial])
        );
    }

    #[test]
    fn k8s_version_is_never_read_as_a_release() {
        let job = JobName::parse("pull-kubevirt-e2e-k8s-1.34");
        assert_eq!(job.k8s_version, Some(v(1, 34)));
        assert_eq!(job.branch, Branch::Main);
    }

    #[test]
    fn versions_and_branches_order_numerically() {
        assert!(v(1, 9) < v(1, 10));
        assert!(Branch::Main < release(1, 5));
        assert!(release(1, 9) < release(1, 10));
        assert_eq!(Branch::Main.to_string(), "main");
        for bad in ["", "1", "1.", ".1", "1.2.3", "+1.2", "1.-2", " 1.2", "a.b"] {
            assert_eq!(Version::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn parses_every_real_job_name() {
        let names = real_job_names();
        assert_eq!(names.len(), 71);
        let release_suffix = regex_lite::Regex::new(r"-(\d+\.\d+)$").unwrap();
        for raw in &names {
            let job = JobName::parse(raw);
            assert_eq!(job.trigger, Trigger::Presubmit, "{raw}");
            assert!(
                job.provider.is_some() || raw == "pull-kubevirt-e2e-arm64-1.6",
                "{raw}"
            );
            let suffix = release_suffix.captures(raw).map(|c| c[1].to_owned());
            let branch = match &job.branch {
                Branch::Main => None,
                Branch::Release(version) => Some(version.to_string()),
            };
            assert_eq!(branch, suffix, "{raw}");
            let expected_sig = [
                ("sig-compute", Sig::Compute),
                ("vgpu", Sig::Compute),
                ("sev", Sig::Compute),
                ("sig-network", Sig::Network),
                ("sriov", Sig::Network),
                ("sig-storage", Sig::Storage),
                ("sig-operator", Sig::Operator),
                ("sig-monitoring", Sig::Monitoring),
            ]
            .into_iter()
            .find(|(word, _)| raw.contains(word))
            .map(|(_, sig)| sig);
            assert_eq!(job.sig(), expected_sig, "{raw}");
        }
        let unmapped: Vec<&str> = names
            .iter()
            .filter(|raw| JobName::parse(raw).sig().is_none())
            .map(String::as_str)
            .collect();
        assert_eq!(unmapped.len(), 8, "{unmapped:?}");
    }

    /// A job's parts as the columns of `kubevirt-e2e-jobs-2026-08-22.expected.tsv`.
    fn columns(job: &JobName) -> [String; 8] {
        let trigger = match job.trigger {
            Trigger::Presubmit => "presubmit",
            Trigger::Periodic => "periodic",
            Trigger::Postsubmit => "postsubmit",
            Trigger::Other => "other",
        };
        let cluster = match (job.provider, job.k8s_version) {
            (Some(Provider::K8s), Some(v)) => format!("k8s-{v}"),
            (Some(Provider::Kind), Some(v)) => format!("kind-{v}"),
            (Some(Provider::K8s), None) => "k8s".into(),
            (Some(Provider::Kind), None) => "kind".into(),
            (None, _) => "-".into(),
        };
        let or_dash = |text: &str| {
            if text.is_empty() {
                "-".to_owned()
            } else {
                text.to_owned()
            }
        };
        let arch = match job.arch() {
            Arch::Amd64 => "amd64",
            Arch::Arm64 => "arm64",
            Arch::S390x => "s390x",
        };
        let ipv6 = if job.modifiers.contains(&Ipv6) {
            "yes"
        } else {
            "no"
        };
        [
            job.raw.clone(),
            trigger.into(),
            cluster,
            or_dash(&job.lane),
            or_dash(job.sig().as_ref().map_or("", Sig::slug)),
            arch.into(),
            ipv6.into(),
            job.branch.to_string(),
        ]
    }

    /// Every e2e job kubevirt/kubevirt had configured, against the parts written down by hand
    /// from reading each name (not from this parser).
    #[test]
    fn parses_every_configured_job_name() {
        let configured = text("prow/kubevirt-e2e-jobs-2026-08-22.tsv");
        let names: Vec<&str> = configured
            .lines()
            .skip(1)
            .map(|line| line.split('\t').nth(1).unwrap())
            .collect();
        let expected = text("prow/kubevirt-e2e-jobs-2026-08-22.expected.tsv");
        let mut lines = expected.lines();
        assert_eq!(
            lines.next(),
            Some("name\ttrigger\tcluster\tlane\tsig\tarch\tipv6\tbranch")
        );
        let rows: Vec<Vec<&str>> = lines.map(|line| line.split('\t').collect()).collect();
        let listed: Vec<&str> = rows.iter().map(|row| row[0]).collect();
        assert_eq!(listed, names);
        assert_eq!(rows.len(), 154);
        let wrong: Vec<String> = rows
            .iter()
            .filter_map(|row| {
                let got = columns(&JobName::parse(row[0]));
                (got.as_slice() != row.as_slice()).then(|| format!("want {row:?}\n got {got:?}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

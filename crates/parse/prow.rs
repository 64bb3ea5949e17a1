//! What Prow writes to the `kubevirt-prow` bucket: run metadata files, build ids and the
//! layout of run folders. The one place that knows the bucket, its folders and the sites that
//! show its runs (Prow's Deck, GitHub).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// The public GCS bucket Prow uploads every KubeVirt run to.
pub const BUCKET: &str = "kubevirt-prow";

/// Google Cloud Storage: public object downloads (`<GCS_URL>/<bucket>/<object>`) and the JSON
/// API (`<GCS_URL>/storage/v1/b/<bucket>/o`).
pub const GCS_URL: &str = "https://storage.googleapis.com";

/// Prow's web UI; Spyglass run pages live under `/view/gs/<bucket>/`.
pub const DECK_URL: &str = "https://prow.ci.kubevirt.io";

/// The repository whose runs we triage, on GitHub: pull requests and source views.
pub const GITHUB_URL: &str = "https://github.com/kubevirt/kubevirt";

/// The repository whose runs we triage, as keyed in `started.json` `repos`.
const KUBEVIRT_REPO: &str = "kubevirt/kubevirt";

/// The repository as Prow names it in presubmit folders: org and repo joined by `_`.
pub const ORG_REPO: &str = "kubevirt_kubevirt";

/// Presubmit run folders: `pr-logs/pull/<org_repo>/<pr>/<job>/<build>/`.
pub const PULL_RUNS: &str = "pr-logs/pull/";

/// Batch run folders (one presubmit run on several PRs): `pr-logs/pull/batch/<job>/<build>/`.
pub const BATCH_RUNS: &str = "pr-logs/pull/batch/";

/// Presubmit pointers by job: `pr-logs/directory/<job>/<build>.txt`, each holding the
/// `gs://` path of its run folder.
pub const PULL_POINTERS: &str = "pr-logs/directory/";

/// Periodic and postsubmit run folders: `logs/<job>/<build>/`.
pub const PERIODIC_RUNS: &str = "logs/";

/// KubeVirt's list of quarantined tests, rewritten daily by project-infra's
/// `periodic-kubevirt-quarantined-tests-daily-report-json` job.
pub const QUARANTINE_LIST: &str = "reports/quarantined-tests/kubevirt/kubevirt/quarantine.json";

/// The folder of one kubevirt/kubevirt pull request's runs, `pr-logs/pull/kubevirt_kubevirt/<pr>/`.
pub fn pull_folder(pr: u32) -> String {
    format!("{PULL_RUNS}{ORG_REPO}/{pr}/")
}

/// Why a build id, bucket path or Spyglass URL was rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseError {
    /// Not a decimal number that fits in 64 bits.
    BuildId(String),
    /// The pull request segment of a presubmit path is not a number.
    PullNumber(String),
    /// A `gs://` path or Spyglass URL names a bucket other than [`BUCKET`].
    Bucket(String),
    /// Not a `https://prow.ci.kubevirt.io/view/gs/...` URL.
    NotSpyglass(String),
    /// A bucket path that is none of the three run folder layouts.
    Layout(String),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::BuildId(text) => write!(f, "not a Prow build id: {text:?}"),
            ParseError::PullNumber(text) => write!(f, "not a pull request number: {text:?}"),
            ParseError::Bucket(bucket) => write!(f, "bucket {bucket:?} is not {BUCKET:?}"),
            ParseError::NotSpyglass(url) => write!(f, "not a Prow Spyglass URL: {url:?}"),
            ParseError::Layout(path) => write!(f, "not a Prow run folder: {path:?}"),
        }
    }
}

impl std::error::Error for ParseError {}

/// `started.json`, written when a run starts.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Started {
    /// Unix seconds.
    pub timestamp: i64,
    /// Repository (`org/repo`) to refs string, e.g. `release-1.6:<base sha>,16536:<head sha>`.
    #[serde(default)]
    pub repos: BTreeMap<String, String>,
}

impl Started {
    pub fn time(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(self.timestamp, 0)
    }

    /// What was checked out of kubevirt/kubevirt, if the run cloned it.
    pub fn kubevirt_refs(&self) -> Option<RepoRefs> {
        self.repos
            .get(KUBEVIRT_REPO)
            .and_then(|refs| RepoRefs::parse(refs))
    }
}

/// A repository checkout as Prow records it in `started.json`:
/// `<base ref>[:<base sha>][,<pr>[:<head sha>]]...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoRefs {
    pub base_ref: String,
    pub base_sha: Option<String>,
    /// Pull requests merged onto the base, with their head commits; empty for periodics.
    pub pulls: Vec<PullHead>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullHead {
    pub number: u32,
    pub sha: Option<String>,
}

impl RepoRefs {
    /// `None` if the base ref is empty or a pull entry has no numeric PR.
    pub fn parse(text: &str) -> Option<RepoRefs> {
        let mut entries = text.split(',').map(split_ref);
        let (base_ref, base_sha) = entries.next()?;
        if base_ref.is_empty() {
            return None;
        }
        let pulls = entries
            .map(|(number, sha)| {
                Some(PullHead {
                    number: parse_decimal(number)?,
                    sha: sha.map(str::to_owned),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(RepoRefs {
            base_ref: base_ref.to_owned(),
            base_sha: base_sha.map(str::to_owned),
            pulls,
        })
    }

    /// The head commit of the (first) pull request under test.
    pub fn head_sha(&self) -> Option<&str> {
        self.pulls.first()?.sha.as_deref()
    }

    /// The commit the run tested, as Prow's `revision` names it: the first pull request's
    /// head, else the base.
    pub fn tested_sha(&self) -> Option<&str> {
        self.head_sha().or(self.base_sha.as_deref())
    }
}

/// `name[:sha]`, with an empty sha read as absent.
fn split_ref(entry: &str) -> (&str, Option<&str>) {
    match entry.trim().split_once(':') {
        Some((name, sha)) => (name, Some(sha).filter(|sha| !sha.is_empty())),
        None => (entry.trim(), None),
    }
}

/// `prowjob.json`, the ProwJob resource of a run: whether its job is optional, and once it has
/// ended how and when, and what it tested.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProwJob {
    optional: bool,
    state: RunResult,
    completion_time: Option<String>,
    base_sha: Option<String>,
    head_sha: Option<String>,
}

impl ProwJob {
    /// Whether Prow treats the job as optional (`prow.k8s.io/is-optional: "true"`): its failure
    /// does not block a merge, and ci-health leaves it out of the SIG report. Periodics carry no
    /// such label, and count as required.
    pub fn is_optional(&self) -> bool {
        self.optional
    }

    /// How the run ended, as its `finished.json` would say: `None` until its state is final
    /// and it has a completion time.
    pub fn finished(&self) -> Option<Finished> {
        if self.state == RunResult::Unknown {
            return None;
        }
        let ended = DateTime::parse_from_rfc3339(self.completion_time.as_deref()?).ok()?;
        Some(Finished {
            timestamp: Some(ended.timestamp()),
            result: self.state,
            // Prow's revision: the first pull request's head, else the base.
            revision: self.head_sha.clone().or_else(|| self.base_sha.clone()),
        })
    }

    fn set(&mut self, field: Field, text: &str) {
        match field {
            Field::Optional => self.optional = text == "true",
            Field::State => self.state = RunResult::from_text(text),
            Field::CompletionTime => self.completion_time = Some(text.to_owned()),
            Field::BaseSha => self.base_sha = Some(text.to_owned()),
            Field::HeadSha => self.head_sha = Some(text.to_owned()),
        }
    }
}

/// Read in one walk over the JSON that keeps the few strings it needs: a serde derive per
/// nested object (metadata, labels, spec, refs, pulls, status) cost the page 2 KB of gzipped
/// WASM.
impl<'de> Deserialize<'de> for ProwJob {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut job = ProwJob::default();
        Walk {
            at: At::Root,
            job: &mut job,
        }
        .deserialize(deserializer)?;
        Ok(job)
    }
}

/// Where in a ProwJob a value is, as far as [`ProwJob`] reads it.
#[derive(Clone, Copy)]
enum At {
    Root,
    Metadata,
    Labels,
    Spec,
    /// `spec.refs`: presubmit and batch runs (periodics, whose `extra_refs` say what they
    /// tested, never have their `prowjob.json` read).
    Refs,
    Pulls,
    FirstPull,
    Status,
    Field(Field),
    Elsewhere,
}

/// A string [`ProwJob`] keeps.
#[derive(Clone, Copy)]
enum Field {
    /// `metadata.labels["prow.k8s.io/is-optional"]`
    Optional,
    /// `status.state`: `success`, `failure`, `aborted` or `error` once ended.
    State,
    /// `status.completionTime`, RFC 3339; kept as text so that an odd one costs the ending,
    /// not the label.
    CompletionTime,
    /// `spec.refs.base_sha`
    BaseSha,
    /// `spec.refs.pulls[0].sha`
    HeadSha,
}

impl At {
    fn key(self, key: &str) -> At {
        match (self, key) {
            (At::Root, "metadata") => At::Metadata,
            (At::Metadata, "labels") => At::Labels,
            (At::Labels, "prow.k8s.io/is-optional") => At::Field(Field::Optional),
            (At::Root, "spec") => At::Spec,
            (At::Spec, "refs") => At::Refs,
            (At::Refs, "base_sha") => At::Field(Field::BaseSha),
            (At::Refs, "pulls") => At::Pulls,
            (At::FirstPull, "sha") => At::Field(Field::HeadSha),
            (At::Root, "status") => At::Status,
            (At::Status, "state") => At::Field(Field::State),
            (At::Status, "completionTime") => At::Field(Field::CompletionTime),
            _ => At::Elsewhere,
        }
    }
}

/// One value of a ProwJob being read, at `at`.
struct Walk<'a> {
    at: At,
    job: &'a mut ProwJob,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.at {
            At::Elsewhere => IgnoredAny::deserialize(deserializer).map(drop),
            _ => deserializer.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a ProwJob")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let at = self.at.key(&key);
            map.next_value_seed(Walk { at, job: self.job })?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut at = match self.at {
            At::Pulls => At::FirstPull,
            _ => At::Elsewhere,
        };
        while seq.next_element_seed(Walk { at, job: self.job })?.is_some() {
            at = At::Elsewhere;
        }
        Ok(())
    }

    fn visit_str<E>(self, text: &str) -> Result<(), E> {
        if let At::Field(field) = self.at {
            self.job.set(field, text);
        }
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// `finished.json`, written when a run ends.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Finished {
    /// Unix seconds.
    #[serde(default)]
    pub timestamp: Option<i64>,
    #[serde(default)]
    pub result: RunResult,
    #[serde(default)]
    pub revision: Option<String>,
}

impl Finished {
    pub fn time(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(self.timestamp?, 0)
    }
}

/// Outcome of a run: `finished.json` `result`. Read case-insensitively; a value Prow may add
/// later reads as `Unknown` instead of failing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RunResult {
    Success,
    Failure,
    Aborted,
    Error,
    #[default]
    Unknown,
}

impl RunResult {
    fn from_text(text: &str) -> RunResult {
        match text.to_ascii_lowercase().as_str() {
            "success" => RunResult::Success,
            "failure" => RunResult::Failure,
            "aborted" => RunResult::Aborted,
            "error" => RunResult::Error,
            _ => RunResult::Unknown,
        }
    }
}

impl<'de> Deserialize<'de> for RunResult {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Option::<String>::deserialize(deserializer)?;
        Ok(text.map_or(RunResult::Unknown, |text| RunResult::from_text(&text)))
    }
}

/// A Prow build id: a Twitter-style snowflake whose top 42 bits are milliseconds since
/// [`BuildId::EPOCH_MS`], so ids sort by start time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BuildId(pub u64);

impl BuildId {
    /// Unix milliseconds of snowflake time zero (2010-11-04).
    pub const EPOCH_MS: i64 = 1_288_834_974_657;
    const TIME_SHIFT: u32 = 22;

    /// When the run was scheduled.
    pub fn time(self) -> DateTime<Utc> {
        // At most 2^42 ms after the epoch (year 2150), far inside chrono's range, so the
        // fallback is never taken.
        let unix_ms = (self.0 >> Self::TIME_SHIFT) as i64 + Self::EPOCH_MS;
        DateTime::from_timestamp_millis(unix_ms).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// The smallest id at or after `time`, to start a bucket listing there (GCS `startOffset`),
    /// or `None` past the last representable time.
    ///
    /// GCS compares names as strings, which orders ids correctly only when they have the same
    /// number of digits. Every id from mid-2018 to 2086 has 19 digits, so for any window in
    /// that span `<dir>/<first_at(t)>` is a valid start offset.
    pub fn first_at(time: DateTime<Utc>) -> Option<BuildId> {
        let since_epoch = time.timestamp_millis().saturating_sub(Self::EPOCH_MS);
        let ms = u64::try_from(since_epoch).unwrap_or(0);
        ms.checked_mul(1 << Self::TIME_SHIFT).map(BuildId)
    }
}

impl FromStr for BuildId {
    type Err = ParseError;

    /// Decimal digits only: no sign, spaces or more than `u64::MAX`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_decimal(text)
            .map(BuildId)
            .ok_or_else(|| ParseError::BuildId(text.to_owned()))
    }
}

impl fmt::Display for BuildId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where one run's files live in the bucket.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RunPath {
    /// `pr-logs/pull/<org_repo>/<pr>/<job>/<build>/`
    Presubmit {
        /// `kubevirt_kubevirt`: org and repo joined by an underscore.
        org_repo: String,
        pr: u32,
        job: String,
        build: BuildId,
    },
    /// `pr-logs/pull/batch/<job>/<build>/`: a presubmit run on several PRs at once.
    Batch { job: String, build: BuildId },
    /// `logs/<job>/<build>/`: a periodic or postsubmit run.
    Periodic { job: String, build: BuildId },
}

/// How a run was started, by the folder Prow wrote it to: a pull request's presubmit, a Tide
/// batch (several PRs about to merge together) or a scheduled periodic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RunKind {
    Presubmit,
    Batch,
    Periodic,
}

impl RunKind {
    pub const ALL: [RunKind; 3] = [RunKind::Presubmit, RunKind::Batch, RunKind::Periodic];

    /// Its name in links and exports.
    pub fn slug(self) -> &'static str {
        match self {
            RunKind::Presubmit => "presubmit",
            RunKind::Batch => "batch",
            RunKind::Periodic => "periodic",
        }
    }

    pub fn parse(slug: &str) -> Option<RunKind> {
        RunKind::ALL.into_iter().find(|kind| kind.slug() == slug)
    }
}

impl RunPath {
    /// How the run was started.
    pub fn kind(&self) -> RunKind {
        match self {
            RunPath::Presubmit { .. } => RunKind::Presubmit,
            RunPath::Batch { .. } => RunKind::Batch,
            RunPath::Periodic { .. } => RunKind::Periodic,
        }
    }

    /// Reads a run folder path, with or without a trailing `/`, optionally as a
    /// `gs://kubevirt-prow/...` URL (the content of a `pr-logs/directory/<job>/<build>.txt`).
    pub fn parse_gcs_path(path: &str) -> Result<RunPath, ParseError> {
        let path = path.trim();
        let path = match path.strip_prefix("gs://") {
            Some(url) => strip_bucket(url)?,
            None => path,
        };
        let trimmed = path.strip_suffix('/').unwrap_or(path);
        let layout_error = || ParseError::Layout(path.to_owned());
        if trimmed.split('/').any(str::is_empty) {
            return Err(layout_error());
        }
        let segments = |prefix: &str| -> Vec<&str> {
            trimmed
                .strip_prefix(prefix)
                .map_or_else(Vec::new, |rest| rest.split('/').collect())
        };
        let (batch, pull) = (segments(BATCH_RUNS), segments(PULL_RUNS));
        match (&batch[..], &pull[..], &segments(PERIODIC_RUNS)[..]) {
            (&[job, build], _, _) => Ok(RunPath::Batch {
                job: job.to_owned(),
                build: build.parse()?,
            }),
            ([], &[org_repo, pr, job, build], _) => Ok(RunPath::Presubmit {
                org_repo: org_repo.to_owned(),
                pr: parse_pull_number(pr)?,
                job: job.to_owned(),
                build: build.parse()?,
            }),
            (_, _, &[job, build]) => Ok(RunPath::Periodic {
                job: job.to_owned(),
                build: build.parse()?,
            }),
            _ => Err(layout_error()),
        }
    }

    /// Reads a Spyglass run URL, `https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/<path>`,
    /// also in the `//view` form ci-health writes and with a `#...` lens anchor.
    pub fn parse_spyglass_url(url: &str) -> Result<RunPath, ParseError> {
        let not_spyglass = || ParseError::NotSpyglass(url.to_owned());
        let trimmed = url.trim();
        let without_anchor = trimmed.split(['#', '?']).next().unwrap_or(trimmed);
        let after_host = without_anchor
            .strip_prefix(DECK_URL)
            .ok_or_else(not_spyglass)?;
        let view = after_host
            .trim_start_matches('/')
            .strip_prefix("view/gs/")
            .ok_or_else(not_spyglass)?;
        RunPath::parse_gcs_path(strip_bucket(view)?)
    }

    /// The object name prefix of the run's folder in [`BUCKET`], ending with `/`.
    pub fn prefix(&self) -> String {
        match self {
            RunPath::Presubmit {
                org_repo,
                pr,
                job,
                build,
            } => format!("{PULL_RUNS}{org_repo}/{pr}/{job}/{build}/"),
            RunPath::Batch { job, build } => format!("{BATCH_RUNS}{job}/{build}/"),
            RunPath::Periodic { job, build } => format!("{PERIODIC_RUNS}{job}/{build}/"),
        }
    }

    pub fn job(&self) -> &str {
        match self {
            RunPath::Presubmit { job, .. }
            | RunPath::Batch { job, .. }
            | RunPath::Periodic { job, .. } => job,
        }
    }

    pub fn build(&self) -> BuildId {
        match self {
            RunPath::Presubmit { build, .. }
            | RunPath::Batch { build, .. }
            | RunPath::Periodic { build, .. } => *build,
        }
    }

    /// The pull request a presubmit run tested.
    pub fn pr(&self) -> Option<u32> {
        match self {
            RunPath::Presubmit { pr, .. } => Some(*pr),
            RunPath::Batch { .. } | RunPath::Periodic { .. } => None,
        }
    }
}

/// `kubevirt-prow/<rest>` to `<rest>`; any other bucket is an error.
fn strip_bucket(bucket_and_path: &str) -> Result<&str, ParseError> {
    let (bucket, path) = bucket_and_path
        .split_once('/')
        .unwrap_or((bucket_and_path, ""));
    if bucket == BUCKET {
        Ok(path)
    } else {
        Err(ParseError::Bucket(bucket.to_owned()))
    }
}

fn parse_pull_number(text: &str) -> Result<u32, ParseError> {
    parse_decimal(text).ok_or_else(|| ParseError::PullNumber(text.to_owned()))
}

/// Parses plain decimal digits, which `str::parse` alone does not ensure (it takes a `+`).
pub fn parse_decimal<T: FromStr>(text: &str) -> Option<T> {
    let digits_only = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    digits_only.then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const STARTED: &str = include_str!("../../tests/fixtures/prow/started.json");
    const FINISHED: &str = include_str!("../../tests/fixtures/prow/finished.json");
    use crate::testdata::leaderboard_jobs;
    const DECK_PAGE: &str = include_str!("../../tests/fixtures/prow/deck-pr-history-16831.html");

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    /// Every Spyglass URL in the ci-health leaderboards.
    fn real_failure_urls() -> Vec<String> {
        leaderboard_jobs()
            .iter()
            .flat_map(|job| job["FailureURLs"].as_array().cloned().unwrap_or_default())
            .map(|url| url.as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn reads_real_started_json() {
        let started: Started = serde_json::from_str(STARTED).unwrap();
        assert_eq!(started.timestamp, 1_768_382_039);
        assert_eq!(started.time(), Some(utc(2026, 1, 14, 9, 13, 59)));
        let refs = started.kubevirt_refs().unwrap();
        assert_eq!(refs.base_ref, "release-1.6");
        assert_eq!(
            refs.base_sha.as_deref(),
            Some("5e0fe39aa9316cf82e33724a368f2d726723499c")
        );
        assert_eq!(refs.pulls.len(), 1);
        assert_eq!(refs.pulls[0].number, 16536);
        assert_eq!(
            refs.head_sha(),
            Some("76b47bcbff47cb934f17708d10f4ba978ce70285")
        );
    }

    #[test]
    fn started_json_of_a_periodic() {
        let started: Started = serde_json::from_str(
            r#"{"timestamp": 1768382039, "repos": {"kubevirt/kubevirt": "main:abc"}}"#,
        )
        .unwrap();
        let refs = started.kubevirt_refs().unwrap();
        assert_eq!(
            (refs.base_ref.as_str(), refs.base_sha.as_deref()),
            ("main", Some("abc"))
        );
        assert!(refs.pulls.is_empty());
        assert_eq!(refs.head_sha(), None);

        let bare: Started = serde_json::from_str(r#"{"timestamp": 0}"#).unwrap();
        assert_eq!(bare.kubevirt_refs(), None);
    }

    #[test]
    fn repo_refs_edge_cases() {
        let refs = RepoRefs::parse("main,16536:head,16537").unwrap();
        assert_eq!(refs.base_sha, None);
        let pulls: Vec<(u32, Option<&str>)> = refs
            .pulls
            .iter()
            .map(|pull| (pull.number, pull.sha.as_deref()))
            .collect();
        assert_eq!(pulls, [(16536, Some("head")), (16537, None)]);
        for bad in [
            "",
            ":sha",
            "main,abc:sha",
            "main,-1:sha",
            "main,+1:sha",
            "main,99999999999:x",
        ] {
            assert_eq!(RepoRefs::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn rejects_bad_started_json() {
        assert!(serde_json::from_str::<Started>("{}").is_err());
        assert!(serde_json::from_str::<Started>(r#"{"timestamp": "soon"}"#).is_err());
        assert!(serde_json::from_str::<Started>("not json").is_err());
        let far: Started = serde_json::from_str(r#"{"timestamp": 9223372036854775807}"#).unwrap();
        assert_eq!(far.time(), None);
    }

    #[test]
    fn reads_real_finished_json() {
        let finished: Finished = serde_json::from_str(FINISHED).unwrap();
        assert_eq!(finished.result, RunResult::Failure);
        assert_eq!(finished.time(), Some(utc(2025, 12, 24, 11, 54, 28)));
        assert_eq!(
            finished.revision.as_deref(),
            Some("b3aa2d135cca04ca416cdf4d9da2b65816532c68")
        );
    }

    #[test]
    fn run_result_is_case_insensitive_and_total() {
        let read = |json: &str| serde_json::from_str::<Finished>(json).unwrap().result;
        assert_eq!(read(r#"{"result": "SUCCESS"}"#), RunResult::Success);
        assert_eq!(read(r#"{"result": "failure"}"#), RunResult::Failure);
        assert_eq!(read(r#"{"result": "Aborted"}"#), RunResult::Aborted);
        assert_eq!(read(r#"{"result": "ERROR"}"#), RunResult::Error);
        assert_eq!(read(r#"{"result": "pending"}"#), RunResult::Unknown);
        assert_eq!(read(r#"{"result": "EXPLODED"}"#), RunResult::Unknown);
        assert_eq!(read(r#"{"result": ""}"#), RunResult::Unknown);
        assert_eq!(read(r#"{"result": null}"#), RunResult::Unknown);
        assert_eq!(read("{}"), RunResult::Unknown);
        assert!(serde_json::from_str::<Finished>(r#"{"result": 1}"#).is_err());
    }

    #[test]
    fn build_id_time_matches_real_runs() {
        // ci-failures-summary-2026-08-22.md: this run started 2026-08-20 12:15:23 UTC; its id
        // was minted when Prow scheduled it, 36 s before the pod ran.
        let id: BuildId = "2090412226979565568".parse().unwrap();
        assert_eq!(id.time().to_rfc3339(), "2026-08-20T12:14:47.550+00:00");
        let lag = utc(2026, 8, 20, 12, 15, 23) - id.time();
        assert!(lag > chrono::TimeDelta::zero() && lag < chrono::TimeDelta::minutes(1));
        assert_eq!(BuildId(0).time().timestamp_millis(), BuildId::EPOCH_MS);
        assert!(BuildId(u64::MAX).time() > utc(2150, 1, 1, 0, 0, 0));
    }

    #[test]
    fn first_at_is_the_smallest_id_at_or_after() {
        let time = utc(2026, 8, 15, 15, 2, 56);
        let first = BuildId::first_at(time).unwrap();
        assert_eq!(first.time(), time);
        assert!(BuildId(first.0 - 1).time() < time);
        assert_eq!(first.to_string().len(), 19);
        assert_eq!(
            BuildId::first_at(utc(2000, 1, 1, 0, 0, 0)),
            Some(BuildId(0))
        );
        assert_eq!(BuildId::first_at(utc(2200, 1, 1, 0, 0, 0)), None);
        // Real ids from the ci-health window sort like their text.
        let window = BuildId::first_at(utc(2026, 8, 15, 15, 2, 56))
            .unwrap()
            .to_string();
        assert!("2089023992760373248" > window.as_str());
    }

    #[test]
    fn build_id_from_str() {
        assert_eq!(
            "2089023992760373248".parse(),
            Ok(BuildId(2089023992760373248))
        );
        assert_eq!(BuildId(42).to_string(), "42");
        for bad in [
            "",
            "+1",
            "-1",
            " 1",
            "1 ",
            "0x1f",
            "1.0",
            "18446744073709551616",
        ] {
            assert_eq!(
                bad.parse::<BuildId>(),
                Err(ParseError::BuildId(bad.to_owned())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn parses_gcs_paths() {
        let presubmit = RunPath::Presubmit {
            org_repo: "kubevirt_kubevirt".into(),
            pr: 16536,
            job: "pull-kubevirt-e2e-k8s-1.33-sig-compute-1.6".into(),
            build: BuildId(2011366168115281920),
        };
        for path in [
            "pr-logs/pull/kubevirt_kubevirt/16536/pull-kubevirt-e2e-k8s-1.33-sig-compute-1.6/2011366168115281920/",
            "pr-logs/pull/kubevirt_kubevirt/16536/pull-kubevirt-e2e-k8s-1.33-sig-compute-1.6/2011366168115281920",
            "gs://kubevirt-prow/pr-logs/pull/kubevirt_kubevirt/16536/pull-kubevirt-e2e-k8s-1.33-sig-compute-1.6/2011366168115281920\n",
        ] {
            assert_eq!(RunPath::parse_gcs_path(path), Ok(presubmit.clone()), "{path}");
        }
        assert_eq!(presubmit.pr(), Some(16536));
        assert_eq!(
            presubmit.prefix(),
            "pr-logs/pull/kubevirt_kubevirt/16536/pull-kubevirt-e2e-k8s-1.33-sig-compute-1.6/2011366168115281920/"
        );

        let periodic = RunPath::parse_gcs_path(
            "logs/periodic-kubevirt-e2e-k8s-1.34-sig-storage/2089023992760373248",
        )
        .unwrap();
        assert_eq!(periodic.job(), "periodic-kubevirt-e2e-k8s-1.34-sig-storage");
        assert_eq!(periodic.build(), BuildId(2089023992760373248));
        assert_eq!(periodic.pr(), None);
        assert_eq!(
            periodic.prefix(),
            "logs/periodic-kubevirt-e2e-k8s-1.34-sig-storage/2089023992760373248/"
        );

        let batch = RunPath::parse_gcs_path(
            "pr-logs/pull/batch/pull-kubevirt-unit-test/2089023992760373248/",
        )
        .unwrap();
        assert!(matches!(batch, RunPath::Batch { .. }));
        assert_eq!(
            batch.prefix(),
            "pr-logs/pull/batch/pull-kubevirt-unit-test/2089023992760373248/"
        );
    }

    #[test]
    fn a_pull_folder_holds_its_runs() {
        let folder = pull_folder(16536);
        assert_eq!(folder, "pr-logs/pull/kubevirt_kubevirt/16536/");
        let run =
            RunPath::parse_gcs_path(&format!("{folder}pull-kubevirt-e2e-k8s-1.34-sig-network/1"));
        assert_eq!(run.map(|run| run.prefix().starts_with(&folder)), Ok(true));
    }

    #[test]
    fn rejects_bad_gcs_paths() {
        let layout = |path: &str| ParseError::Layout(path.to_owned());
        let cases = [
            ("", layout("")),
            ("/", layout("/")),
            ("logs/job", layout("logs/job")),
            ("logs/job/1/extra", layout("logs/job/1/extra")),
            ("logs//1", layout("logs//1")),
            ("/logs/job/1", layout("/logs/job/1")),
            ("logs/job/1//", layout("logs/job/1//")),
            (
                "pr-logs/directory/job/1.txt",
                layout("pr-logs/directory/job/1.txt"),
            ),
            (
                "logs/job/latest-build.txt",
                ParseError::BuildId("latest-build.txt".into()),
            ),
            (
                "logs/job/99999999999999999999",
                ParseError::BuildId("99999999999999999999".into()),
            ),
            (
                "pr-logs/pull/kubevirt_kubevirt/x/job/1",
                ParseError::PullNumber("x".into()),
            ),
            (
                "pr-logs/pull/kubevirt_kubevirt/-1/job/1",
                ParseError::PullNumber("-1".into()),
            ),
            (
                "pr-logs/pull/kubevirt_kubevirt/4294967296/job/1",
                ParseError::PullNumber("4294967296".into()),
            ),
            (
                "gs://other-bucket/logs/job/1",
                ParseError::Bucket("other-bucket".into()),
            ),
            ("gs://kubevirt-prow", layout("")),
            // A batch folder is never read as another repository's presubmit.
            (
                "pr-logs/pull/batch/1/job/2",
                layout("pr-logs/pull/batch/1/job/2"),
            ),
            ("pr-logs/pull/batch", layout("pr-logs/pull/batch")),
            ("pr-logs/pull/batch/job", layout("pr-logs/pull/batch/job")),
        ];
        for (path, want) in cases {
            assert_eq!(RunPath::parse_gcs_path(path), Err(want), "{path:?}");
        }
    }

    #[test]
    fn parses_every_real_failure_url() {
        let urls = real_failure_urls();
        assert_eq!(urls.len(), 81 + 50);
        for url in &urls {
            let run = RunPath::parse_spyglass_url(url).unwrap_or_else(|e| panic!("{e}"));
            assert!(matches!(run, RunPath::Presubmit { .. }), "{url}");
            assert!(
                url.ends_with(&format!("/{}/{}", run.job(), run.build())),
                "{url}"
            );
            assert!(run.build().time() > utc(2025, 12, 1, 0, 0, 0), "{url}");
        }
    }

    #[test]
    fn parses_spyglass_links_in_a_deck_page() {
        let links: Vec<&str> = DECK_PAGE
            .split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|href| href.starts_with("/view/gs/"))
            .collect();
        assert_eq!(links.len(), 46);
        for link in links {
            let url = format!("{DECK_URL}{link}");
            let run = RunPath::parse_spyglass_url(&url).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(run.pr(), Some(16831));
        }
    }

    #[test]
    fn spyglass_url_variants() {
        let want = RunPath::Periodic {
            job: "periodic-kubevirt-e2e-k8s-1.34-sig-compute".into(),
            build: BuildId(2091004683941318656),
        };
        for url in [
            "https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/logs/periodic-kubevirt-e2e-k8s-1.34-sig-compute/2091004683941318656",
            "https://prow.ci.kubevirt.io//view/gs/kubevirt-prow/logs/periodic-kubevirt-e2e-k8s-1.34-sig-compute/2091004683941318656/",
            "https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/logs/periodic-kubevirt-e2e-k8s-1.34-sig-compute/2091004683941318656#1:build-log.txt%3A1376",
            " https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/logs/periodic-kubevirt-e2e-k8s-1.34-sig-compute/2091004683941318656?x=1 ",
        ] {
            assert_eq!(RunPath::parse_spyglass_url(url), Ok(want.clone()), "{url}");
        }
    }

    #[test]
    fn rejects_bad_spyglass_urls() {
        let not_spyglass = |url: &str| ParseError::NotSpyglass(url.to_owned());
        let cases = [
            ("", not_spyglass("")),
            (
                "prow.ci.kubevirt.io/view/gs/kubevirt-prow/logs/j/1",
                not_spyglass("prow.ci.kubevirt.io/view/gs/kubevirt-prow/logs/j/1"),
            ),
            (
                "https://prow.k8s.io/view/gs/kubevirt-prow/logs/j/1",
                not_spyglass("https://prow.k8s.io/view/gs/kubevirt-prow/logs/j/1"),
            ),
            (
                "https://prow.ci.kubevirt.io/pr-history/?pr=1",
                not_spyglass("https://prow.ci.kubevirt.io/pr-history/?pr=1"),
            ),
            (
                "https://prow.ci.kubevirt.io/view/gs/other/logs/j/1",
                ParseError::Bucket("other".into()),
            ),
            (
                "https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/logs/j",
                ParseError::Layout("logs/j".into()),
            ),
            (
                "https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/logs/j/abc",
                ParseError::BuildId("abc".into()),
            ),
        ];
        for (url, want) in cases {
            assert_eq!(RunPath::parse_spyglass_url(url), Err(want), "{url:?}");
        }
    }

    #[test]
    fn errors_display_the_offending_text() {
        assert_eq!(
            ParseError::BuildId("x1".into()).to_string(),
            "not a Prow build id: \"x1\""
        );
        assert_eq!(
            ParseError::Bucket("b".into()).to_string(),
            "bucket \"b\" is not \"kubevirt-prow\""
        );
    }

    #[test]
    fn prowjob_says_whether_the_job_is_optional() {
        let job = |labels: &str| -> ProwJob {
            serde_json::from_str(&format!(
                r#"{{"kind": "ProwJob", "metadata": {{"labels": {{{labels}}}}}}}"#
            ))
            .unwrap()
        };
        assert!(
            job(r#""prow.k8s.io/is-optional": "true", "prow.k8s.io/type": "presubmit""#)
                .is_optional()
        );
        assert!(!job(r#""prow.k8s.io/is-optional": "false""#).is_optional());
        assert!(!job("").is_optional());
        assert!(!serde_json::from_str::<ProwJob>("{}").unwrap().is_optional());
    }

    /// A presubmit's `prowjob.json` in the shape Prow uploads it (no real kubevirt one is
    /// stored in a public repository: tests/fixtures/SOURCES.md), here of a failed run.
    const PROWJOB: &str = r#"{
      "kind": "ProwJob",
      "apiVersion": "prow.k8s.io/v1",
      "metadata": {
        "name": "3c1f6b0e-9d1c-11f0-8a0e-0a580a3c0e52",
        "namespace": "default",
        "labels": {
          "created-by-prow": "true",
          "prow.k8s.io/build-id": "2011366168115281920",
          "prow.k8s.io/context": "pull-kubevirt-e2e-k8s-1.34-sig-network",
          "prow.k8s.io/is-optional": "false",
          "prow.k8s.io/job": "pull-kubevirt-e2e-k8s-1.34-sig-network",
          "prow.k8s.io/refs.base_ref": "main",
          "prow.k8s.io/refs.org": "kubevirt",
          "prow.k8s.io/refs.pull": "16536",
          "prow.k8s.io/refs.repo": "kubevirt",
          "prow.k8s.io/type": "presubmit"
        }
      },
      "spec": {
        "type": "presubmit",
        "agent": "kubernetes",
        "cluster": "prow-workloads",
        "namespace": "kubevirt-prow-jobs",
        "job": "pull-kubevirt-e2e-k8s-1.34-sig-network",
        "refs": {
          "org": "kubevirt",
          "repo": "kubevirt",
          "repo_link": "https://github.com/kubevirt/kubevirt",
          "base_ref": "main",
          "base_sha": "5e0fe39aa9316cf82e33724a368f2d726723499c",
          "base_link": "https://github.com/kubevirt/kubevirt/commit/5e0fe39aa9316cf82e33724a368f2d726723499c",
          "pulls": [
            {
              "number": 16536,
              "author": "alicefr",
              "sha": "76b47bcbff47cb934f17708d10f4ba978ce70285",
              "title": "network: retry the migration network setup",
              "link": "https://github.com/kubevirt/kubevirt/pull/16536"
            }
          ]
        },
        "report": true,
        "context": "pull-kubevirt-e2e-k8s-1.34-sig-network",
        "rerun_command": "/test pull-kubevirt-e2e-k8s-1.34-sig-network"
      },
      "status": {
        "startTime": "2026-01-14T09:13:59Z",
        "pendingTime": "2026-01-14T09:14:02Z",
        "completionTime": "2026-01-14T11:02:41Z",
        "state": "failure",
        "description": "Job failed.",
        "url": "https://prow.ci.kubevirt.io/view/gs/kubevirt-prow/pr-logs/pull/kubevirt_kubevirt/16536/pull-kubevirt-e2e-k8s-1.34-sig-network/2011366168115281920",
        "pod_name": "3c1f6b0e-9d1c-11f0-8a0e-0a580a3c0e52",
        "build_id": "2011366168115281920",
        "prev_report_states": {"github-reporter": "failure"}
      }
    }"#;

    /// [`PROWJOB`] with `change` made to it.
    fn prowjob(change: impl FnOnce(&mut serde_json::Value)) -> ProwJob {
        let mut value: serde_json::Value = serde_json::from_str(PROWJOB).unwrap();
        change(&mut value);
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_failed_runs_prowjob_says_what_its_finished_json_would() {
        let job = prowjob(|_| ());
        assert!(!job.is_optional());
        let finished = job.finished().unwrap();
        assert_eq!(finished.result, RunResult::Failure);
        assert_eq!(finished.time(), Some(utc(2026, 1, 14, 11, 2, 41)));
        assert_eq!(
            finished.revision.as_deref(),
            Some("76b47bcbff47cb934f17708d10f4ba978ce70285"),
            "the PR head, not the base"
        );
    }

    #[test]
    fn every_final_state_ends_the_run() {
        for (state, result) in [
            ("success", RunResult::Success),
            ("failure", RunResult::Failure),
            ("aborted", RunResult::Aborted),
            ("error", RunResult::Error),
        ] {
            let job = prowjob(|v| v["status"]["state"] = state.into());
            assert_eq!(job.finished().map(|f| f.result), Some(result), "{state}");
        }
    }

    #[test]
    fn a_batch_run_tested_its_first_pull_requests_head() {
        let job = prowjob(|v| {
            let pulls = &mut v["spec"]["refs"]["pulls"];
            pulls[0]["sha"] = "first-head".into();
            let second =
                serde_json::json!({"number": 16540, "author": "vladikr", "sha": "second-head"});
            pulls.as_array_mut().unwrap().push(second);
            v["spec"]["type"] = "batch".into();
            v["status"]["state"] = "success".into();
        });
        let finished = job.finished().unwrap();
        assert_eq!(finished.result, RunResult::Success);
        assert_eq!(finished.revision.as_deref(), Some("first-head"));
    }

    #[test]
    fn refs_without_pulls_tested_their_base() {
        let job = prowjob(|v| _ = v["spec"]["refs"].as_object_mut().unwrap().remove("pulls"));
        assert_eq!(
            job.finished().unwrap().revision.as_deref(),
            Some("5e0fe39aa9316cf82e33724a368f2d726723499c")
        );
        let no_refs = prowjob(|v| _ = v["spec"].as_object_mut().unwrap().remove("refs"));
        assert_eq!(no_refs.finished().unwrap().revision, None);
    }

    #[test]
    fn only_the_strings_at_their_places_are_kept() {
        let job = prowjob(|v| {
            v["metadata"]["labels"]["prow.k8s.io/is-optional"] = true.into();
            v["metadata"]["annotations"] = serde_json::json!({"prow.k8s.io/is-optional": "true"});
            let other =
                serde_json::json!({"base_sha": "other-base", "pulls": [{"sha": "other-head"}]});
            v["spec"]["extra_refs"] = serde_json::json!([other]);
            v["spec"]["refs"]["sha"] = "not-a-pull".into();
            v["status"]["prev_report_states"] = serde_json::json!({"state": "success"});
        });
        assert!(
            !job.is_optional(),
            "the label is the string \"true\" in metadata.labels"
        );
        let finished = job.finished().unwrap();
        assert_eq!(finished.result, RunResult::Failure);
        assert_eq!(
            finished.revision.as_deref(),
            Some("76b47bcbff47cb934f17708d10f4ba978ce70285")
        );
        let odd_state = prowjob(|v| v["status"]["state"] = serde_json::json!(["failure"]));
        assert_eq!(odd_state.finished(), None, "a state that is not a string");
        assert!(serde_json::from_str::<ProwJob>(r#"{"status": {"state": "#).is_err());
    }

    #[test]
    fn a_run_not_ended_has_no_finished() {
        let pending = prowjob(|v| {
            v["status"]["state"] = "pending".into();
            v["status"]
                .as_object_mut()
                .unwrap()
                .remove("completionTime");
        });
        assert_eq!(pending.finished(), None);
        let pending_with_time = prowjob(|v| v["status"]["state"] = "pending".into());
        assert_eq!(pending_with_time.finished(), None, "the state decides");
        let untimed = prowjob(|v| {
            _ = v["status"]
                .as_object_mut()
                .unwrap()
                .remove("completionTime")
        });
        assert_eq!(untimed.finished(), None, "final, but no completion time");
        let odd_time = prowjob(|v| v["status"]["completionTime"] = "yesterday".into());
        assert_eq!(odd_time.finished(), None);
        let optional = prowjob(|v| {
            v["metadata"]["labels"]["prow.k8s.io/is-optional"] = "true".into();
            v["status"]["completionTime"] = "yesterday".into();
        });
        assert!(
            optional.is_optional(),
            "an odd ending leaves the labels readable"
        );
        assert_eq!(
            serde_json::from_str::<ProwJob>("{}").unwrap().finished(),
            None
        );
    }
}

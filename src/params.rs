//! Every URL parameter of the page, defined once, as ripgrep defines its flags: one table that
//! reading ([`LoadRequest::from_query`](crate::source::request::LoadRequest::from_query) and the
//! core's `Filter::from_query`), writing (the page's controls), the notices about a link and the
//! README's table all go through.
//!
//! Two groups, named so a link reads plainly: `load-*` parameters choose what is fetched (a
//! change starts a new load), the others narrow what the report shows of it (a change only
//! re-counts).

use triage_core::filter::Key;

/// Which part of the page a parameter steers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// What is fetched, and from where.
    Load,
    /// Which of the loaded runs the report counts.
    View,
}

/// One URL parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    pub group: Group,
    /// The name older links carry: read as this parameter, with a notice.
    pub old_name: Option<&'static str>,
    /// What its value looks like.
    pub value: &'static str,
    pub doc: &'static str,
}

impl Param {
    const fn load(name: &'static str, value: &'static str, doc: &'static str) -> Param {
        Param {
            name,
            group: Group::Load,
            old_name: None,
            value,
            doc,
        }
    }

    const fn renamed_from(self, old_name: &'static str) -> Param {
        Param {
            old_name: Some(old_name),
            ..self
        }
    }
}

pub const SOURCE: Param = Param::load(
    "source",
    "live, ci-health or sample",
    "Which runs: every e2e run of the window from GCS (default), the failed runs ci-health's leaderboard lists, or the bundled sample.",
);
pub const LOAD_WINDOW: Param = Param::load(
    "load-window",
    "24h, 7d (1h to 31d)",
    "How far back runs are fetched (live source; default 7d).",
)
.renamed_from("window");
pub const LOAD_JOBS: Param = Param::load(
    "load-jobs",
    "patterns, comma-separated, * as wildcard",
    "Which jobs are fetched: names containing one of the patterns (default -e2e-).",
)
.renamed_from("jobs");
pub const RUN: Param = Param::load("run", "a Prow run URL", "Fetch this one run only.");
pub const PR: Param = Param::load(
    "pr",
    "a pull request number",
    "Fetch the runs of this kubevirt/kubevirt pull request only.",
);
pub const RESULTS: Param = Param::load(
    "results",
    "https URL, relative path or http://127.0.0.1 or localhost",
    "The ci-health leaderboard to read (ci-health source); another than ci-health's own shows a banner.",
);
pub const GCS: Param = Param::load(
    "gcs",
    "https URL or http://127.0.0.1 or localhost",
    "The GCS JSON API endpoint; another than Google's public one shows a banner and its runs get no Prow links.",
);
pub const BUCKET: Param = Param::load(
    "bucket",
    "a GCS bucket name",
    "The bucket to read (default: KubeVirt's Prow bucket); another shows a banner.",
);
pub const CONCURRENCY: Param = Param::load(
    "concurrency",
    "1 to 32",
    "Requests in flight at once (default 8).",
);
/// The parameter of a view filter: its name is the core's [`Key::name`], the one place it is
/// spelled; its value and doc are here, with the other parameters'.
pub const fn view(key: Key) -> Param {
    let (value, doc) = match key {
        Key::Sig => (
            "SIG slugs, comma-separated",
            "Show only these SIGs' cards.",
        ),
        Key::Kind => (
            "failure kind ids",
            "Count only failures of these kinds.",
        ),
        Key::Job => (
            "job names",
            "Count only runs of these jobs.",
        ),
        Key::K8s => (
            "versions like 1.34",
            "Count only jobs on these Kubernetes versions.",
        ),
        Key::Branch => (
            "main or release-X.Y",
            "Count only jobs of these branches.",
        ),
        Key::Lane => (
            "lanes or modifiers",
            "Count only jobs of these lanes (sig-compute, serial…).",
        ),
        Key::Arch => (
            "amd64, arm64, s390x",
            "Count only jobs on these architectures.",
        ),
        Key::Trigger => (
            "presubmit, batch, periodic",
            "Count only runs started this way: a pull request's presubmit, a Tide batch of PRs about to merge, or a periodic (default: all).",
        ),
        Key::Days => (
            "a number of days",
            "Count only runs started within these last days.",
        ),
        Key::Text => (
            "text",
            "Count only failures whose test, message or job holds this text.",
        ),
        Key::Quarantined => (
            "show",
            "Count quarantined tests' failures too (left out by default: periodic lanes run them and fail).",
        ),
        Key::Optional => (
            "show",
            "Count optional lanes too (left out by default, as in ci-health's SIG report: their failures do not block a merge).",
        ),
        Key::PrFailures => (
            "show",
            "Count one PR's own failures in the SIGs' counts and rates too (tests failing only in two or more runs of one PR while passing elsewhere; listed apart by default).",
        ),
    };
    Param {
        name: key.name(),
        group: Group::View,
        old_name: None,
        value,
        doc,
    }
}

pub const SIG: Param = view(Key::Sig);
pub const KIND: Param = view(Key::Kind);
pub const JOB: Param = view(Key::Job);
pub const K8S: Param = view(Key::K8s);
pub const BRANCH: Param = view(Key::Branch);
pub const LANE: Param = view(Key::Lane);
pub const ARCH: Param = view(Key::Arch);
pub const DAYS: Param = view(Key::Days);
pub const TEXT: Param = view(Key::Text);
pub const QUARANTINED: Param = view(Key::Quarantined);
pub const TRIGGER: Param = view(Key::Trigger);
pub const OPTIONAL: Param = view(Key::Optional);
pub const PR_FAILURES: Param = view(Key::PrFailures);

/// The loading parameters, in the order links are written.
const LOAD: [Param; 9] = [
    SOURCE,
    LOAD_WINDOW,
    LOAD_JOBS,
    RUN,
    PR,
    RESULTS,
    GCS,
    BUCKET,
    CONCURRENCY,
];

/// Every parameter, loading ones first, then one per view filter key in [`Key::ALL`] order.
pub const ALL: [Param; LOAD.len() + Key::ALL.len()] = {
    let mut all = [SOURCE; LOAD.len() + Key::ALL.len()];
    let mut at = 0;
    while at < all.len() {
        all[at] = match at.checked_sub(LOAD.len()) {
            None => LOAD[at],
            Some(view_at) => view(Key::ALL[view_at]),
        };
        at += 1;
    }
    all
};

/// What a link's parameter named `key` is: a current parameter, an old name of one, or unknown.
pub fn lookup(key: &str) -> Option<&'static Param> {
    ALL.iter()
        .find(|param| param.name == key || param.old_name == Some(key))
}

/// A page query string, decoded: the state of the page, since every view is a link. Read and
/// written as `application/x-www-form-urlencoded`, as browsers' `URLSearchParams` do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Reads `location.search`, with or without its `?`.
    pub fn parse(search: &str) -> Query {
        let pairs = form_urlencoded::parse(search.strip_prefix('?').unwrap_or(search).as_bytes());
        Query(
            pairs
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The value of `key`; the last one when a link repeats it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Each key once, with its last value, in the order keys first appear.
    pub fn latest(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .enumerate()
            .filter(|(at, (key, _))| !self.0[..*at].iter().any(|(k, _)| k == key))
            .filter_map(|(_, (key, _))| Some((key.as_str(), self.get(key)?)))
    }

    /// Sets (`Some`, unless empty) or removes (`None`) a parameter, with any old name of it.
    pub fn set(&mut self, key: &str, value: Option<String>) {
        let old = lookup(key).and_then(|param| param.old_name);
        self.0.retain(|(k, _)| k != key && Some(k.as_str()) != old);
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            self.0.push((key.to_owned(), value));
        }
    }

    /// `?a=1&b=x+y`, or nothing when empty.
    pub fn to_search(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let mut search = form_urlencoded::Serializer::for_suffix(String::from("?"), 1);
        search.extend_pairs(&self.0).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_say_their_group() {
        let mut names: Vec<&str> = ALL
            .iter()
            .flat_map(|p| [Some(p.name), p.old_name])
            .flatten()
            .collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "a name or old name is used twice");
        for param in ALL.iter().filter(|p| p.name.starts_with("load-")) {
            assert_eq!(param.group, Group::Load, "{}", param.name);
        }
        assert_eq!(lookup("window"), Some(&LOAD_WINDOW));
        assert_eq!(lookup("jobs"), Some(&LOAD_JOBS));
        assert_eq!(lookup("job"), Some(&JOB));
        assert_eq!(lookup("colour"), None);
    }

    #[test]
    fn queries_read_and_write_like_browsers() {
        let query = Query::parse("?sig=compute,storage&q=agent+of%20testvmi&sig=network&x&results=http%3A%2F%2F127.0.0.1%3A9%2Fo%2Fa%252Fb&bad=%zz%");
        assert_eq!(query.get("sig"), Some("network"));
        assert_eq!(query.get("q"), Some("agent of testvmi"));
        assert_eq!(query.get("x"), Some(""));
        assert_eq!(query.get("results"), Some("http://127.0.0.1:9/o/a%2Fb"));
        assert_eq!(query.get("bad"), Some("%zz%"));
        let keys: Vec<(&str, &str)> = query.latest().collect();
        assert_eq!(
            keys,
            [
                ("sig", "network"),
                ("q", "agent of testvmi"),
                ("x", ""),
                ("results", "http://127.0.0.1:9/o/a%2Fb"),
                ("bad", "%zz%")
            ]
        );
        let mut written = Query::parse("window=3d&sig=compute");
        written.set("load-window", Some("1d".into()));
        written.set("sig", None);
        written.set("q", Some("a&b=c #1+é".into()));
        assert_eq!(
            written.to_search(),
            "?load-window=1d&q=a%26b%3Dc+%231%2B%C3%A9"
        );
        assert_eq!(Query::parse(&written.to_search()), written);
        assert_eq!(Query::default().to_search(), "");
    }

    /// The README's table of parameters (`cargo test -p kubevirt-ci-triage params -- --nocapture`).
    #[test]
    fn readme_table() {
        let mut table = String::from("| Parameter | Value | What it does |\n|---|---|---|\n");
        for param in ALL {
            let old = param
                .old_name
                .map(|old| format!(" (was `{old}`)"))
                .unwrap_or_default();
            table.push_str(&format!(
                "| `{}`{old} | {} | {} |\n",
                param.name, param.value, param.doc
            ));
        }
        assert_eq!(table.lines().count(), ALL.len() + 2);
        println!("{table}");
    }
}

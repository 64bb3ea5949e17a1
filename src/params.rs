//! Every URL parameter of the page, defined once, as ripgrep defines its flags: one table that
//! reading ([`LoadRequest::from_query`](crate::source::request::LoadRequest::from_query) and the
//! core's `Filter::from_query`), writing (the page's controls), the notices about a link and the
//! README's table all go through.
//!
//! Two groups, named so a link reads plainly: `load-*` parameters choose what is fetched (a
//! change starts a new load), the others narrow what the report shows of it (a change only
//! re-counts).

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

    const fn view(name: &'static str, value: &'static str, doc: &'static str) -> Param {
        Param {
            name,
            group: Group::View,
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
pub const SIG: Param = Param::view(
    "sig",
    "SIG slugs, comma-separated",
    "Show only these SIGs' cards.",
);
pub const KIND: Param = Param::view(
    "kind",
    "failure kind ids",
    "Count only failures of these kinds.",
);
pub const JOB: Param = Param::view("job", "job names", "Count only runs of these jobs.");
pub const K8S: Param = Param::view(
    "k8s",
    "versions like 1.34",
    "Count only jobs on these Kubernetes versions.",
);
pub const BRANCH: Param = Param::view(
    "branch",
    "main or release-X.Y",
    "Count only jobs of these branches.",
);
pub const LANE: Param = Param::view(
    "lane",
    "lanes or modifiers",
    "Count only jobs of these lanes (sig-compute, serial…).",
);
pub const ARCH: Param = Param::view(
    "arch",
    "amd64, arm64, s390x",
    "Count only jobs on these architectures.",
);
pub const TRIGGER: Param = Param::view(
    "trigger",
    "presubmit, batch, periodic",
    "Count only runs started this way: a pull request's presubmit, a Tide batch of PRs about to merge, or a periodic (default: all).",
);
pub const DAYS: Param = Param::view(
    "days",
    "a number of days",
    "Count only runs started within these last days.",
);
pub const TEXT: Param = Param::view(
    "q",
    "text",
    "Count only failures whose test, message or job holds this text.",
);
pub const QUARANTINED: Param = Param::view(
    "quarantined",
    "show",
    "Count quarantined tests' failures too (left out by default: periodic lanes run them and fail).",
);

pub const OPTIONAL: Param = Param::view(
    "optional",
    "show",
    "Count optional lanes too (left out by default, as in ci-health's SIG report: their failures do not block a merge).",
);

pub const PR_FAILURES: Param = Param::view(
    "pr-failures",
    "show",
    "Count one PR's own failures in the SIGs' counts and rates too (tests failing only in two or more runs of one PR while passing elsewhere; listed apart by default).",
);

/// Every parameter, loading ones first, each group in the order links are written.
pub const ALL: [Param; 22] = [
    SOURCE,
    LOAD_WINDOW,
    LOAD_JOBS,
    RUN,
    PR,
    RESULTS,
    GCS,
    BUCKET,
    CONCURRENCY,
    SIG,
    KIND,
    JOB,
    K8S,
    BRANCH,
    LANE,
    ARCH,
    TRIGGER,
    DAYS,
    TEXT,
    QUARANTINED,
    OPTIONAL,
    PR_FAILURES,
];

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
    use triage_core::filter::KEYS;

    #[test]
    fn view_parameters_are_the_core_filters_keys() {
        let view: Vec<&str> = ALL
            .iter()
            .filter(|p| p.group == Group::View)
            .map(|p| p.name)
            .collect();
        assert_eq!(view, KEYS);
    }

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

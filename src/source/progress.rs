//! How a load is going, and where it says so: its counts, phase and problems, handed to an
//! [`Outlet`] the page implements. The load itself holds no page state.

use std::collections::HashSet;

use triage_core::prow::RunPath;
use triage_core::run::Run;
use triage_core::summary::JobTotals;
use triage_core::verdict::QuarantineList;

use super::discover::Task;
use super::earlier::{EarlierPlan, EarlierRuns};
use super::error::LoadError;

/// Running totals of a load.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Jobs found that the filter keeps, and how many of them have had their runs listed.
    pub jobs: u32,
    pub jobs_listed: u32,
    /// Runs found, and how many of them are loaded (from the network or the cache).
    pub runs: u32,
    pub runs_loaded: u32,
    pub runs_failed: u32,
    pub runs_cached: u32,
    /// Runs still going (no `finished.json` yet): neither passed nor failed.
    pub runs_running: u32,
    /// Presubmit runs whose pointer named another repository's or a rehearsal's folder, and
    /// job folders passed over for the same reason: neither is read.
    pub runs_skipped: u32,
    pub jobs_skipped: u32,
    /// Objects downloaded and bytes received (listings included).
    pub files: u32,
    pub bytes: u64,
}

/// How a delivered run counts: failed, still running, or neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    Failed,
    Running,
    Other,
}

impl Counts {
    /// Counts a delivered run. A run delivered again (a retry of one of its reads) takes the
    /// place of its `earlier` delivery, so it is never counted twice.
    pub fn deliver(&mut self, standing: Standing, earlier: Option<Standing>) {
        match earlier {
            None => self.runs_loaded += 1,
            Some(Standing::Failed) => self.runs_failed -= 1,
            Some(Standing::Running) => self.runs_running -= 1,
            Some(Standing::Other) => {}
        }
        match standing {
            Standing::Failed => self.runs_failed += 1,
            Standing::Running => self.runs_running += 1,
            Standing::Other => {}
        }
    }
}

/// Whether a load is still under way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Phase {
    #[default]
    Idle,
    Loading,
    Done,
}

impl Phase {
    /// Lowercase name, for a `data-phase` attribute that tests and styles can key on.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Loading => "loading",
            Phase::Done => "done",
        }
    }
}

/// Something that went wrong without stopping the rest of the load.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Unique within a page, so a retry button finds its problem.
    pub id: u32,
    pub error: LoadError,
    /// The step to run again; `None` when retrying cannot help (a cut-off file, a broken bound).
    pub retry: Option<Task>,
}

/// Where a load reports. Called only while the load is current: a cancelled load says nothing.
pub trait Outlet {
    /// A new load begins: what an earlier one delivered is gone.
    fn started(&self);
    fn counts(&self, counts: Counts);
    fn phase(&self, phase: Phase);
    /// Every problem so far, in the order they happened.
    fn problems(&self, problems: &[Problem]);
    /// Loaded runs to add; earlier versions of runs in `replacing` (retried runs) go.
    fn runs(&self, batch: Vec<Run>, replacing: HashSet<RunPath>);
    /// Run totals per job known from elsewhere (a ci-health leaderboard).
    fn job_totals(&self, totals: JobTotals);
    /// The lanes to read before the window, judged on the runs delivered (the window's).
    fn earlier_plan(&self) -> Option<EarlierPlan>;
    /// What was read of the stretch before the window.
    fn earlier(&self, runs: EarlierRuns);
    /// KubeVirt's quarantine list, or why it was not read.
    fn quarantine(&self, list: Result<QuarantineList, String>);
}

/// The scheme, host and port of a URL (all of it when it has no path).
pub fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    match url[after_scheme..].find(['/', '?', '#']) {
        Some(at) => &url[..after_scheme + at],
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_delivered_again_counts_once() {
        let mut counts = Counts::default();
        counts.deliver(Standing::Running, None);
        counts.deliver(Standing::Running, Some(Standing::Running));
        assert_eq!((counts.runs_loaded, counts.runs_running), (1, 1));
        counts.deliver(Standing::Failed, Some(Standing::Running));
        assert_eq!((counts.runs_running, counts.runs_failed), (0, 1));
        counts.deliver(Standing::Failed, Some(Standing::Failed));
        counts.deliver(Standing::Other, None);
        assert_eq!(
            (counts.runs_loaded, counts.runs_failed, counts.runs_running),
            (2, 1, 0)
        );
        counts.deliver(Standing::Other, Some(Standing::Failed));
        assert_eq!((counts.runs_loaded, counts.runs_failed), (2, 0));
    }

    #[test]
    fn origins() {
        assert_eq!(
            origin("http://127.0.0.1:9/storage/v1/b/x/o?prefix=a"),
            "http://127.0.0.1:9"
        );
        assert_eq!(origin("https://kubevirt.io?x=1"), "https://kubevirt.io");
        assert_eq!(origin("https://kubevirt.io"), "https://kubevirt.io");
        assert_eq!(origin("./sample/manifest.json"), ".");
        assert_eq!(origin("not a url"), "not a url");
    }
}

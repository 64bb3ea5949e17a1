//! The page's shared state, provided as context: loaded runs, dropped files, known totals, and
//! how the current load goes. Loads report into it through [`Outlet`]; only the UI holds signals.

use std::collections::HashSet;

use leptos::prelude::*;

use crate::source::earlier::{EarlierPlan, EarlierRuns};
use crate::source::progress::{Counts, Outlet, Phase, Problem};
use triage_core::local::LocalFile;
use triage_core::prow::RunPath;
use triage_core::run::Run;
use triage_core::summary::JobTotals;
use triage_core::verdict::QuarantineList;

/// Everything loaded so far, from every source. Sources only ever add runs (or replace the
/// runs of their own origin); the report is derived from this and the URL filters.
#[derive(Clone, Copy)]
pub struct AppState {
    /// Runs read from GCS or the bundled sample.
    pub runs: RwSignal<Vec<Run>>,
    /// JUnit files the user dropped or picked, in the order they came.
    pub local: RwSignal<Vec<LocalEntry>>,
    /// Job totals known from elsewhere (ci-health's leaderboard), overriding counted runs.
    pub job_totals: RwSignal<JobTotals>,
    /// The runs read before the window, once they are all in (`None` before, and for loads
    /// that are not a window).
    pub earlier: RwSignal<Option<EarlierRuns>>,
    /// KubeVirt's quarantine list, or why it was not read (`None` until then).
    pub quarantine: RwSignal<Option<Result<QuarantineList, String>>>,
    /// Progress and problems of the current load from GCS or the sample.
    pub load: LoadStatus,
}

/// What the page shows about the current load.
#[derive(Clone, Copy)]
pub struct LoadStatus {
    pub counts: RwSignal<Counts>,
    pub problems: RwSignal<Vec<Problem>>,
    pub phase: RwSignal<Phase>,
}

/// A dropped file: kept with its bytes so that editing its job name re-reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalEntry {
    pub id: u32,
    pub file_name: String,
    pub bytes: std::sync::Arc<[u8]>,
    pub file: LocalFile,
}

impl AppState {
    pub fn provide() -> AppState {
        let state = AppState {
            runs: RwSignal::new(Vec::new()),
            local: RwSignal::new(Vec::new()),
            job_totals: RwSignal::new(JobTotals::new()),
            earlier: RwSignal::new(None),
            quarantine: RwSignal::new(None),
            load: LoadStatus {
                counts: RwSignal::new(Counts::default()),
                problems: RwSignal::new(Vec::new()),
                phase: RwSignal::new(Phase::Idle),
            },
        };
        provide_context(state);
        state
    }

    /// The state provided by [`App`](super::App); components are only ever mounted under it.
    pub fn get() -> AppState {
        expect_context::<AppState>()
    }

    /// Whether any source has produced anything yet.
    pub fn is_empty(&self) -> bool {
        self.runs.with(Vec::is_empty) && self.local.with(Vec::is_empty)
    }
}

impl Outlet for AppState {
    fn started(&self) {
        self.runs.set(Vec::new());
        self.job_totals.set(JobTotals::new());
        self.earlier.set(None);
        self.quarantine.set(None);
    }

    fn counts(&self, counts: Counts) {
        self.load.counts.set(counts);
    }

    fn phase(&self, phase: Phase) {
        self.load.phase.set(phase);
    }

    fn problems(&self, problems: &[Problem]) {
        self.load.problems.set(problems.to_vec());
    }

    fn runs(&self, batch: Vec<Run>, replacing: HashSet<RunPath>) {
        self.runs.update(|runs| {
            if !replacing.is_empty() {
                runs.retain(|run| run.prow_path().is_none_or(|path| !replacing.contains(path)));
            }
            runs.extend(batch);
        });
    }

    fn job_totals(&self, totals: JobTotals) {
        self.job_totals.set(totals);
    }

    fn earlier_plan(&self) -> Option<EarlierPlan> {
        self.with_quarantine_list_untracked(|list| {
            self.runs.with_untracked(|runs| EarlierPlan::of(runs, list))
        })
    }

    fn earlier(&self, runs: EarlierRuns) {
        self.earlier.set(Some(runs));
    }

    fn quarantine(&self, list: Result<QuarantineList, String>) {
        self.quarantine.set(Some(list));
    }
}

impl AppState {
    /// Calls `f` with the quarantine list, if it was read, tracking it (a flush borrows the list
    /// of up to 5,000 names rather than copying it).
    pub fn with_quarantine_list<T>(&self, f: impl FnOnce(Option<&QuarantineList>) -> T) -> T {
        self.quarantine.with(|read| f(read_list(read)))
    }

    fn with_quarantine_list_untracked<T>(&self, f: impl FnOnce(Option<&QuarantineList>) -> T) -> T {
        self.quarantine.with_untracked(|read| f(read_list(read)))
    }
}

/// The list of a quarantine read that succeeded.
fn read_list(read: &Option<Result<QuarantineList, String>>) -> Option<&QuarantineList> {
    read.as_ref().and_then(|list| list.as_ref().ok())
}

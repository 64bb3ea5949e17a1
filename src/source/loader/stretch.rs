//! Reading the stretch before the window (see [`crate::source::earlier`]) once the window's
//! runs are in: its runs go to [`EarlierRuns`], never to the window's counts, and a step that
//! fails marks its lane unread (the card says why) instead of becoming a problem to retry.

use triage_core::prow::RunPath;
use triage_core::run::RunStatus;

use super::{EarlierStage, Session};

use crate::source::discover::{pointed_run, FoundRuns, JobRoot, Task};
use crate::source::earlier::{job_of, EarlierRuns};
use crate::source::error::{FetchError, LoadError};

impl Session {
    /// Keeps the runs a window's job listing holds before the window for the stretch while
    /// it is still to be planned, or why the listing failed.
    pub(super) fn keep_earlier(
        &self,
        root: JobRoot,
        job: &str,
        found: Result<FoundRuns, FetchError>,
    ) -> Result<FoundRuns, FetchError> {
        let EarlierStage::Wanted(listed) = &mut *self.earlier.borrow_mut() else {
            return found;
        };
        match found {
            Ok(mut found) => {
                listed.listed(root, job, std::mem::take(&mut found.earlier));
                Ok(found)
            }
            Err(error) => {
                listed.failed(root, job, error.to_string());
                Err(error)
            }
        }
    }

    /// Called when every step so far is done: plans the stretch before the window the first
    /// time, hands what was read of it to the page the second.
    pub(super) fn next_earlier_stage(&self) {
        let stage = std::mem::replace(&mut *self.earlier.borrow_mut(), EarlierStage::Over);
        if self.cancelled.get() {
            return;
        }
        match stage {
            EarlierStage::Wanted(listed) => {
                let Some(plan) = self.outlet.earlier_plan() else {
                    return;
                };
                let read = listed.steps(&plan);
                let mut runs = EarlierRuns::default();
                for (job, why) in &read.unlisted {
                    runs.unread.insert(job, why);
                }
                for (job, kept, left) in read.cut {
                    self.report(LoadError::EarlierCut { job, kept, left }, None);
                }
                *self.earlier.borrow_mut() = EarlierStage::Reading {
                    runs,
                    until: plan.until,
                };
                let steps = read
                    .steps
                    .into_iter()
                    .map(|step| Task::Earlier(Box::new(step)));
                self.spawn(steps.collect());
            }
            EarlierStage::Reading { runs, .. } => self.outlet.earlier(runs),
            EarlierStage::Over => {}
        }
    }

    /// Runs a step of the stretch; the steps it yields belong to the stretch too.
    pub(super) async fn execute_earlier(&self, step: &Task) -> Vec<Task> {
        match self.read_earlier(step).await {
            Ok(next) => next
                .into_iter()
                .map(|next| Task::Earlier(Box::new(next)))
                .collect(),
            Err(error) => {
                if let Some(job) = job_of(step) {
                    self.earlier_unread(job, &error.to_string());
                }
                Vec::new()
            }
        }
    }

    async fn read_earlier(&self, step: &Task) -> Result<Vec<Task>, FetchError> {
        match step {
            Task::FollowPointer { object } => Ok(pointed_run(self.follow(object).await?)
                .into_iter()
                .collect()),
            Task::LoadRun(path) => {
                if let Some(read) = self.read_run(path).await? {
                    if let RunStatus::FailedUnread { reason } = &read.run.status {
                        self.earlier_unread(path.job(), reason);
                    }
                    if let EarlierStage::Reading { runs, .. } = &mut *self.earlier.borrow_mut() {
                        runs.runs.push(read.run);
                    }
                }
                Ok(Vec::new())
            }
            _ => Ok(Vec::new()),
        }
    }

    /// Notes a lane of the stretch as not fully read, with why.
    fn earlier_unread(&self, job: &str, why: &str) {
        if let EarlierStage::Reading { runs, .. } = &mut *self.earlier.borrow_mut() {
            runs.unread.insert(job, why);
        }
    }

    /// The step that reads a run again after a problem: none for a run of the stretch before
    /// the window (what was read of it is handed over once, when the stretch is done).
    pub(super) fn retry_run(&self, path: &RunPath) -> Option<Task> {
        match &*self.earlier.borrow() {
            EarlierStage::Reading { until, .. } if path.build() < *until => None,
            _ => Some(Task::LoadRun(path.clone())),
        }
    }
}

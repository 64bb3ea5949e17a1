//! Reading the stretch before the window (see [`crate::source::earlier`]) once the window's
//! runs are in: its runs go to [`EarlierRuns`], never to the window's counts, and a step that
//! fails marks its lane unread (the card says why) instead of becoming a problem to retry.

use triage_core::prow::{Finished, RunPath};
use triage_core::run::Run;

use super::{EarlierStage, Session};
use crate::source::assemble::{after_finished, describe, failed_status, Next, FINISHED};
use crate::source::discover::{pointed_run, Task};
use crate::source::earlier::{job_of, newest, EarlierRuns};
use crate::source::error::{FetchError, LoadError};

impl Session {
    /// Called when every step so far is done: plans the stretch before the window the first
    /// time, hands what was read of it to the page the second.
    pub(super) fn next_earlier_stage(&self) {
        let stage = std::mem::replace(&mut *self.earlier.borrow_mut(), EarlierStage::Over);
        if self.cancelled.get() {
            return;
        }
        match stage {
            EarlierStage::Wanted => {
                if let Some(plan) = self.outlet.earlier_plan() {
                    *self.earlier.borrow_mut() = EarlierStage::Reading(EarlierRuns::default());
                    self.spawn(plan.tasks());
                }
            }
            EarlierStage::Reading(runs) => self.outlet.earlier(runs),
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
                if let (Some(job), EarlierStage::Reading(earlier)) =
                    (job_of(step), &mut *self.earlier.borrow_mut())
                {
                    earlier.unread.insert(job, &error.to_string());
                }
                Vec::new()
            }
        }
    }

    async fn read_earlier(&self, step: &Task) -> Result<Vec<Task>, FetchError> {
        match step {
            Task::ListRuns {
                root,
                job,
                since,
                until,
            } => {
                let found = self.list_runs(*root, job, (*since, *until)).await?;
                let (steps, left) = newest(found.steps);
                if left > 0 {
                    let (job, kept) = (job.clone(), steps.len());
                    self.report(LoadError::EarlierCut { job, kept, left }, None);
                }
                Ok(steps)
            }
            Task::FollowPointer { object } => Ok(pointed_run(self.follow(object).await?)
                .into_iter()
                .collect()),
            Task::LoadRun(path) => {
                let run = self.read_earlier_run(path).await?;
                if let EarlierStage::Reading(earlier) = &mut *self.earlier.borrow_mut() {
                    earlier.runs.push(run);
                }
                Ok(Vec::new())
            }
            _ => Ok(Vec::new()),
        }
    }

    /// A run of the stretch: its `finished.json`, and a failed run's JUnit.
    async fn read_earlier_run(&self, path: &RunPath) -> Result<Run, FetchError> {
        let finished: Option<Finished> = self.read_json(path, FINISHED).await?;
        let status = match after_finished(finished.as_ref()) {
            Next::Done(status) => status,
            Next::ReadFailure => failed_status(self.try_read_junit(path).await?),
        };
        Ok(describe(path.clone(), finished.as_ref(), None, status))
    }
}

//! Reading the stretch before the window (see [`crate::source::earlier`]) once the window's
//! runs are in: its runs go to [`EarlierRuns`], never to the window's counts, and a step that
//! fails marks its lane unread (the card says why) instead of becoming a problem to retry.

use triage_core::prow::{BuildId, RunPath};
use triage_core::run::RunStatus;

use super::{EarlierStage, Session};
use chrono::{DateTime, Utc};

use crate::source::discover::{pointed_run, Task};
use crate::source::earlier::{
    is_settled, job_of, listing_from_text, listing_to_text, newest, EarlierRuns,
};
use crate::source::error::{FetchError, LoadError};
use crate::source::listing::{ListQuery, Listed, Listing};

/// Cache key of a job folder's listing in a stretch: a made-up object under its `until`
/// build, named for its `since` build.
const STRETCH_LISTING: &str = "triage-stretch-since-";

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
                    *self.earlier.borrow_mut() = EarlierStage::Reading {
                        runs: EarlierRuns::default(),
                        until: plan.until,
                    };
                    self.spawn(plan.tasks());
                }
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

    /// A listing of a job folder from build `since` on; one of a settled stretch (builds
    /// before an `until` a day past, see [`is_settled`]) is cached whole, so a reload lists it
    /// no more.
    pub(super) async fn runs_listing(
        &self,
        query: &ListQuery,
        (since, until): (Option<BuildId>, Option<BuildId>),
        now: DateTime<Utc>,
    ) -> Result<Listing, FetchError> {
        let Some(until) = until.filter(|until| is_settled(*until, now)) else {
            return self.list(query).await;
        };
        // Named for its last build, as the cache's pruning reads keys.
        let since = since.map_or(0, |build| build.0);
        let key = format!("{}{until}/{STRETCH_LISTING}{since}", query.prefix);
        let key = self.bucket.object_url(&key);
        if let Some(text) = self.cache.get(&key).await {
            return Ok(listing_from_text(&text));
        }
        let Listed { listing, cut } = self.bucket.list(&self.http, query).await?;
        match cut {
            Some(cut) => self.report(cut.into(), None),
            None => self.cache.put(&key, &listing_to_text(&listing)).await,
        }
        Ok(listing)
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

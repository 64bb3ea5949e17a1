//! Reading the stretch before the window (see [`crate::source::earlier`]) once the window's
//! runs are in: its runs go to [`EarlierRuns`], never to the window's counts, and a step that
//! fails marks its lane unread (the card says why) instead of becoming a problem to retry.

use triage_core::prow::{BuildId, RunPath};
use triage_core::run::RunStatus;

use super::{EarlierStage, Session};
use crate::source::discover::{pointed_run, FoundRuns, JobRoot, Task};
use crate::source::earlier::{
    is_settled, job_of, listing_from_text, listing_to_text, newest, EarlierRuns,
};
use crate::source::error::{FetchError, LoadError};
use crate::source::listing::Listed;

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
                let found = self.stretch_runs(*root, job, (*since, *until)).await?;
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

    /// The runs of a job folder in the stretch. Once the stretch is settled (see
    /// [`is_settled`]), a whole listing of it is cached, so a reload lists it no more.
    async fn stretch_runs(
        &self,
        root: JobRoot,
        job: &str,
        builds: (Option<BuildId>, Option<BuildId>),
    ) -> Result<FoundRuns, FetchError> {
        let now = self.bucket.now(&self.http).await?;
        let query = root.runs_query(job, builds.0);
        let settled = builds.1.is_some_and(|until| is_settled(until, now));
        let id = |build: Option<BuildId>| build.map_or(0, |build| build.0);
        // Named for its last build, as the cache's pruning reads keys.
        let key = format!(
            "{}{}/{STRETCH_LISTING}{}",
            query.prefix,
            id(builds.1),
            id(builds.0)
        );
        let key = self.bucket.object_url(&key);
        let cached = match settled {
            true => self.cache.get(&key).await,
            false => None,
        };
        let listing = match cached {
            Some(text) => listing_from_text(&text),
            None => {
                let Listed { listing, cut } = self.bucket.list(&self.http, &query).await?;
                match cut {
                    Some(cut) => self.report(cut.into(), None),
                    None if settled => self.cache.put(&key, &listing_to_text(&listing)).await,
                    None => {}
                }
                listing
            }
        };
        // A settled stretch has no builds dated ahead of now.
        Ok(root.runs(job, &listing, builds, now))
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

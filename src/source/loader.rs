//! A load: runs the steps of a [`LoadRequest`] with bounded concurrency, pushes runs into the
//! page state as they complete, and keeps what failed with a way to retry it. Every step stands
//! alone, so nothing fetched is lost by a later failure.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

use futures::future::{AbortHandle, Abortable};
use futures::stream::{FuturesUnordered, StreamExt};
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use triage_core::ci_health;
use triage_core::job::JobName;
use triage_core::prow::{Finished, RunPath, Started};
use triage_core::run::Run;
use triage_core::summary::JobTotals;

use super::assemble::{
    after_finished, describe, failed_status, Junit, Next, FINISHED, JUNIT, STARTED,
};
use super::cache::RunCache;
use super::discover::{plan, read_pointer, JobFilter, LeaderboardPlan, Task};
use super::http::{Http, RetryPolicy};
use super::listing::ListQuery;
use super::local::read_results;
use super::record::RunRecord;
use super::request::LoadRequest;
use super::status::{Counts, FailKind, FetchError, Phase, Problem};
use super::store::{json, text, Store};

/// Runs reach the page in batches at most this often, so the report is not rebuilt per run.
const FLUSH_MS: f64 = 250.0;
/// Cache key of a run's record: a made-up object in the run's folder.
const RECORD: &str = "triage-record.json";

/// Where loaded runs go: the page state.
#[derive(Clone, Copy)]
pub struct Outlet {
    pub runs: RwSignal<Vec<Run>>,
    pub job_totals: RwSignal<JobTotals>,
}

/// What the page shows about the current load.
#[derive(Clone, Copy)]
pub struct LoadStatus {
    pub counts: RwSignal<Counts>,
    pub problems: RwSignal<Vec<Problem>>,
    pub phase: RwSignal<Phase>,
}

impl Default for LoadStatus {
    fn default() -> LoadStatus {
        LoadStatus {
            counts: RwSignal::new(Counts::default()),
            problems: RwSignal::new(Vec::new()),
            phase: RwSignal::new(Phase::Idle),
        }
    }
}

/// One load of one request. Dropping the page's handle does not stop it; [`Session::cancel`] does.
pub struct Session {
    store: Store,
    http: Http,
    cache: RunCache,
    concurrency: usize,
    status: LoadStatus,
    outlet: Outlet,
    cancelled: Cell<bool>,
    aborts: RefCell<Vec<AbortHandle>>,
    /// Steps being driven: the load is done when this drops to zero.
    drivers: Cell<u32>,
    next_problem: Cell<u32>,
    /// Every run delivered, and whether it failed, so a retried run replaces its first try.
    delivered: RefCell<HashMap<RunPath, bool>>,
    pending: RefCell<Vec<Run>>,
    replacing: RefCell<HashSet<RunPath>>,
    flushed_at: Cell<f64>,
}

impl Session {
    /// Starts loading `request`, replacing whatever an earlier load put in the page.
    pub fn start(request: &LoadRequest, status: LoadStatus, outlet: Outlet) -> Rc<Session> {
        let steps = plan(&request.scope, &request.jobs);
        let runs = steps
            .iter()
            .filter(|step| matches!(step, Task::LoadRun(_)))
            .count();
        status.counts.set(Counts {
            runs: runs as u32,
            ..Counts::default()
        });
        status.problems.set(Vec::new());
        outlet.runs.set(Vec::new());
        outlet.job_totals.set(JobTotals::new());
        let session = Rc::new(Session {
            store: Store::new(&request.bucket),
            http: Http {
                policy: RetryPolicy::default(),
                counts: status.counts,
            },
            cache: RunCache::default(),
            concurrency: request.concurrency,
            status,
            outlet,
            cancelled: Cell::new(false),
            aborts: RefCell::default(),
            drivers: Cell::new(0),
            next_problem: Cell::new(0),
            delivered: RefCell::default(),
            pending: RefCell::default(),
            replacing: RefCell::default(),
            flushed_at: Cell::new(0.0),
        });
        session.spawn(steps);
        session
    }

    /// Stops the load at once; requests in flight are aborted and nothing more reaches the page.
    pub fn cancel(&self) {
        self.cancelled.set(true);
        self.aborts.borrow().iter().for_each(AbortHandle::abort);
    }

    /// Runs the step of a problem again, and drops the problem (it comes back if it fails again).
    pub fn retry(self: &Rc<Self>, problem_id: u32) {
        if self.cancelled.get() {
            return;
        }
        let mut problems = self.status.problems.get_untracked();
        let Some(at) = problems.iter().position(|p| p.id == problem_id) else {
            return;
        };
        let retry = problems.remove(at).retry;
        self.status.problems.set(problems);
        if let Some(step) = retry {
            self.spawn(vec![step]);
        }
    }

    fn spawn(self: &Rc<Self>, steps: Vec<Task>) {
        let (abort, registration) = AbortHandle::new_pair();
        self.aborts.borrow_mut().push(abort);
        let session = self.clone();
        leptos::task::spawn_local(async move {
            let _ = Abortable::new(session.drive(steps), registration).await;
        });
    }

    /// Runs steps and the steps they yield, at most `concurrency` at once; listing steps first.
    async fn drive(&self, steps: Vec<Task>) {
        self.drivers.set(self.drivers.get() + 1);
        self.status.phase.set(Phase::Loading);
        let mut queue = VecDeque::from(steps);
        let mut running = FuturesUnordered::new();
        loop {
            while running.len() < self.concurrency {
                let Some(step) = queue.pop_front() else {
                    break;
                };
                running.push(async move {
                    let outcome = self.execute(&step).await;
                    (step, outcome)
                });
            }
            let Some((step, outcome)) = running.next().await else {
                break;
            };
            match outcome {
                Ok(next) => {
                    for step in next {
                        if step.is_listing() {
                            queue.push_front(step);
                        } else {
                            queue.push_back(step);
                        }
                    }
                }
                Err(error) => self.report(error.url.clone(), error.reason(), Some(step)),
            }
            if js_sys::Date::now() - self.flushed_at.get() >= FLUSH_MS {
                self.flush();
            }
        }
        self.flush();
        self.drivers.set(self.drivers.get() - 1);
        if self.drivers.get() == 0 {
            self.status.phase.set(Phase::Done);
        }
    }

    async fn execute(&self, step: &Task) -> Result<Vec<Task>, FetchError> {
        match step {
            Task::ListJobs {
                root,
                window,
                filter,
            } => {
                let since = match window {
                    Some(window) => window.since(self.store.now(&self.http).await?),
                    None => None,
                };
                let listing = self
                    .store
                    .list(&self.http, &ListQuery::folder(root.prefix()))
                    .await?;
                let next = root.jobs(&listing, filter, since);
                self.count(|c| c.jobs += next.len() as u32);
                Ok(next)
            }
            Task::ListRuns { root, job, since } => {
                let listing = self
                    .store
                    .list(&self.http, &root.runs_query(job, *since))
                    .await?;
                let next = root.runs(job, &listing, *since);
                self.count(|c| {
                    c.jobs_listed += 1;
                    c.runs += next.len() as u32;
                });
                Ok(next)
            }
            Task::FollowPointer { object } => Ok(vec![Task::LoadRun(self.follow(object).await?)]),
            Task::LoadRun(path) => self.load_run(path).await.map(|()| Vec::new()),
            Task::ReadLeaderboard { url, filter } => self.read_leaderboard(url, filter).await,
        }
    }

    /// The run folder a presubmit pointer names; pointers never change, so they are cached.
    async fn follow(&self, object: &str) -> Result<RunPath, FetchError> {
        let url = self.store.object_url(object);
        if let Some(path) = self
            .cache
            .get(&url)
            .await
            .and_then(|text| read_pointer(text.as_bytes()).ok())
        {
            return Ok(path);
        }
        let bytes = self.fetch(object).await?.ok_or_else(|| FetchError {
            url: url.clone(),
            kind: FailKind::NotFound,
            attempts: 1,
        })?;
        let path = read_pointer(&bytes).map_err(|reason| FetchError::invalid(&url, reason))?;
        self.cache.put(&url, &String::from_utf8_lossy(&bytes)).await;
        Ok(path)
    }

    /// Loads a run from its cached record, else from its files (and caches it once finished).
    async fn load_run(&self, path: &RunPath) -> Result<(), FetchError> {
        let record_key = self.store.object_url(&format!("{}{RECORD}", path.prefix()));
        if let Some(record) = self
            .cache
            .get(&record_key)
            .await
            .and_then(|text| RunRecord::from_json(&text))
        {
            self.count(|c| c.runs_cached += 1);
            self.deliver(record.into_run(path.clone()));
            return Ok(());
        }
        let finished: Option<Finished> = self.read_json(path, FINISHED).await?;
        let (status, started, complete) = match after_finished(finished.as_ref()) {
            Next::Done(status) => (status, None, finished.is_some()),
            Next::ReadFailure => {
                // Metadata only: without it the run still counts, but is not cached.
                let started = self
                    .read_json::<Started>(path, STARTED)
                    .await
                    .unwrap_or_else(|error| {
                        self.report(
                            error.url.clone(),
                            error.reason(),
                            Some(Task::LoadRun(path.clone())),
                        );
                        None
                    });
                let junit = self.read_junit(path).await;
                let complete = started.is_some() && !matches!(junit, Junit::Unread(_));
                (failed_status(junit), started, complete)
            }
        };
        let run = describe(path.clone(), finished.as_ref(), started.as_ref(), status);
        if complete {
            if let Some(record) = RunRecord::of(&run) {
                self.cache.put(&record_key, &record.to_json()).await;
            }
        }
        self.deliver(run);
        Ok(())
    }

    async fn read_junit(&self, path: &RunPath) -> Junit {
        match self.fetch(&format!("{}{JUNIT}", path.prefix())).await {
            Ok(Some(bytes)) => {
                let job_sig = JobName::parse(path.job()).sig();
                Junit::Read(read_results(&bytes, job_sig).await)
            }
            Ok(None) => Junit::Missing,
            Err(error) => {
                self.report(
                    error.url.clone(),
                    error.reason(),
                    Some(Task::LoadRun(path.clone())),
                );
                Junit::Unread(error.to_string())
            }
        }
    }

    async fn read_json<T: DeserializeOwned>(
        &self,
        path: &RunPath,
        file: &str,
    ) -> Result<Option<T>, FetchError> {
        let name = format!("{}{file}", path.prefix());
        match self.fetch(&name).await? {
            Some(bytes) => json(&self.store.object_url(&name), &bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Downloads an object, counting it.
    async fn fetch(&self, name: &str) -> Result<Option<Vec<u8>>, FetchError> {
        let found = self.store.get(&self.http, name).await?;
        if found.is_some() {
            self.count(|c| c.files += 1);
        }
        Ok(found)
    }

    async fn read_leaderboard(
        &self,
        url: &str,
        filter: &JobFilter,
    ) -> Result<Vec<Task>, FetchError> {
        let bytes = self.http.get(url).await?;
        let board = ci_health::parse(text(url, &bytes)?)
            .map_err(|e| FetchError::invalid(url, e.to_string()))?;
        let plan = LeaderboardPlan::new(&board, filter);
        for unparsed in &plan.unparsed {
            self.report(unparsed.clone(), "not a Prow run URL".into(), None);
        }
        self.count(|c| {
            c.jobs += plan.totals.len() as u32;
            c.jobs_listed += plan.totals.len() as u32;
            c.runs += plan.steps.len() as u32;
        });
        self.outlet.job_totals.set(plan.totals);
        Ok(plan.steps)
    }

    /// Queues a loaded run for the page, noting a cut-off JUnit file.
    fn deliver(&self, run: Run) {
        if self.cancelled.get() {
            return;
        }
        let Some(path) = run.prow_path().cloned() else {
            return;
        };
        if let Some(error) = run
            .status
            .results()
            .and_then(|results| results.parse_error.as_ref())
        {
            let url = self.store.object_url(&format!("{}{JUNIT}", path.prefix()));
            let reason = format!("JUnit file cut short or malformed ({error}); the failures before that point are kept");
            self.report(url, reason, None);
        }
        let failed = run.is_failed();
        let earlier = self.delivered.borrow_mut().insert(path.clone(), failed);
        self.count(|c| {
            match earlier {
                None => c.runs_loaded += 1,
                Some(was_failed) => c.runs_failed -= u32::from(was_failed),
            }
            c.runs_failed += u32::from(failed);
        });
        if earlier.is_some() {
            self.replacing.borrow_mut().insert(path);
        }
        self.pending.borrow_mut().push(run);
    }

    /// Hands queued runs to the page; a retried run replaces its earlier version.
    fn flush(&self) {
        self.flushed_at.set(js_sys::Date::now());
        let batch = std::mem::take(&mut *self.pending.borrow_mut());
        if batch.is_empty() || self.cancelled.get() {
            return;
        }
        let replacing = std::mem::take(&mut *self.replacing.borrow_mut());
        self.outlet.runs.update(|runs| {
            if !replacing.is_empty() {
                runs.retain(|run| run.prow_path().is_none_or(|path| !replacing.contains(path)));
            }
            runs.extend(batch);
        });
    }

    fn report(&self, target: String, reason: String, retry: Option<Task>) {
        if self.cancelled.get() {
            return;
        }
        let id = self.next_problem.get();
        self.next_problem.set(id + 1);
        let problem = Problem {
            id,
            target,
            reason,
            retry,
        };
        self.status
            .problems
            .update(|problems| problems.push(problem));
    }

    fn count(&self, change: impl FnOnce(&mut Counts)) {
        if !self.cancelled.get() {
            self.status.counts.update(change);
        }
    }
}

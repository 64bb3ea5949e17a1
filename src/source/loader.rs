//! A load: runs the steps of a [`LoadRequest`] with bounded concurrency, hands runs to an
//! [`Outlet`] as they complete, and keeps what failed with a way to retry it. Every step stands
//! alone, so nothing fetched is lost by a later failure.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::{Rc, Weak};

use futures::future::{AbortHandle, Abortable};
use futures::lock::Mutex;
use futures::stream::{FuturesUnordered, StreamExt};
use serde::de::DeserializeOwned;

use triage_core::ci_health;
use triage_core::job::JobName;
use triage_core::prow::{BuildId, Finished, ProwJob, RunKind, RunPath, Started};
use triage_core::run::{Run, TestResults};

use super::assemble::{
    after_finished, describe, failed_status, is_settled, partial_pieces, Junit, Next, FINISHED,
    JUNIT, PARTIAL_JUNIT, PROWJOB, STARTED,
};
use super::bounds::{is_future, RunBudget, MAX_JSON_BYTES, MAX_JUNIT_BYTES, MAX_RUNS};
use super::bucket::{json, text, Bucket};
use super::cache::RunCache;
use super::discover::{
    plan, pointed_run, read_pointer, Builds, FoundRuns, JobRoot, LeaderboardPlan, Task,
};
use super::earlier::{EarlierRuns, ListedEarlier};
use super::error::{FailKind, FetchError, LoadError};
use super::http::Http;
use super::listing::{ListQuery, Listed, Listing};
use super::local::{read_results, Budget};
use super::progress::{Counts, Outlet, Phase, Problem, Standing};
use super::queue::Queue;
use super::record::RunRecord;
use super::request::{JobFilter, LoadRequest, Scope};
use super::timer::sleep;

mod quarantine;
mod stretch;

/// Runs reach the page in batches, at most this long after the first of a batch was loaded, so
/// the report is not rebuilt per run.
const FLUSH_MS: u32 = 250;
/// Cache key of a run's record: a made-up object in the run's folder.
const RECORD: &str = "triage-record.json";

/// One load of one request. Dropping the page's handle does not stop it; [`Session::cancel`] does.
pub struct Session {
    bucket: Bucket,
    http: Http,
    cache: RunCache,
    concurrency: usize,
    outlet: Rc<dyn Outlet>,
    /// The session itself, for the flush timer.
    me: Weak<Session>,
    cancelled: Cell<bool>,
    aborts: RefCell<Vec<AbortHandle>>,
    /// Steps being driven: the load is done when this drops to zero.
    drivers: Cell<u32>,
    counts: Cell<Counts>,
    problems: RefCell<Vec<Problem>>,
    next_problem: Cell<u32>,
    budget: RefCell<RunBudget>,
    /// Every run delivered, and how it counted, so a retried run replaces its first try.
    delivered: RefCell<HashMap<RunPath, Standing>>,
    pending: RefCell<Vec<Run>>,
    replacing: RefCell<HashSet<RunPath>>,
    /// A flush is scheduled for what is pending.
    flush_due: Cell<bool>,
    /// Whether each presubmit job is optional, read from the `prowjob.json` of its first run
    /// loaded (see [`Session::read_end`]), or taken from a cached run's record (the label is the
    /// job's configuration, so one read per job and load suffices). The job's other runs wait on
    /// its lock meanwhile, so runs loading at once read it once.
    optional_jobs: RefCell<HashMap<String, Rc<Mutex<Option<bool>>>>>,
    /// The stretch before the window, read once the window's runs are in.
    earlier: RefCell<EarlierStage>,
}

/// A run as read, and how.
struct ReadRun {
    run: Run,
    /// From its cached record.
    cached: bool,
    /// No `finished.json` yet.
    running: bool,
}

/// Where the reading of the stretch before the window is.
enum EarlierStage {
    /// To be planned when the window's runs are in (window loads only), from the runs its
    /// listings hold before the window.
    Wanted(ListedEarlier),
    /// Its runs so far; its builds are those before `until`.
    Reading { runs: EarlierRuns, until: BuildId },
    /// Handed to the page, or not wanted.
    Over,
}

impl Session {
    /// Starts loading `request`, replacing whatever an earlier load gave `outlet`.
    pub fn start(request: &LoadRequest, outlet: Rc<dyn Outlet>) -> Rc<Session> {
        let mut steps = plan(&request.scope, &request.jobs);
        // The bundled sample is a snapshot of runs only.
        if matches!(request.bucket, Bucket::Gcs(_)) {
            steps.push(Task::ReadQuarantine);
        }
        let earlier = match request.scope {
            Scope::Window(_) => EarlierStage::Wanted(ListedEarlier::default()),
            _ => EarlierStage::Over,
        };
        let runs = steps
            .iter()
            .filter(|step| matches!(step, Task::LoadRun(_)))
            .count();
        outlet.started();
        let session = Rc::new_cyclic(|me| Session {
            bucket: request.bucket.clone(),
            http: Http::default(),
            cache: RunCache::default(),
            concurrency: request.concurrency,
            outlet,
            me: me.clone(),
            cancelled: Cell::new(false),
            aborts: RefCell::default(),
            drivers: Cell::new(0),
            counts: Cell::default(),
            problems: RefCell::default(),
            next_problem: Cell::new(0),
            budget: RefCell::default(),
            delivered: RefCell::default(),
            pending: RefCell::default(),
            replacing: RefCell::default(),
            flush_due: Cell::new(false),
            optional_jobs: RefCell::default(),
            earlier: RefCell::new(earlier),
        });
        session.count(|c| c.runs = runs as u32);
        session.outlet.problems(&[]);
        session.spawn(steps);
        session
    }

    /// Stops the load at once; requests in flight are aborted and nothing more is reported.
    pub fn cancel(&self) {
        self.cancelled.set(true);
        self.aborts.borrow().iter().for_each(AbortHandle::abort);
    }

    /// Runs the step of a problem again, and drops the problem (it comes back if it fails again).
    pub fn retry(&self, problem_id: u32) {
        if self.cancelled.get() {
            return;
        }
        let retry = {
            let mut problems = self.problems.borrow_mut();
            let Some(at) = problems.iter().position(|p| p.id == problem_id) else {
                return;
            };
            problems.remove(at).retry
        };
        self.outlet.problems(&self.problems.borrow());
        if let Some(step) = retry {
            self.spawn(vec![step]);
        }
    }

    fn spawn(&self, steps: Vec<Task>) {
        let Some(session) = self.me.upgrade() else {
            return;
        };
        let (abort, registration) = AbortHandle::new_pair();
        self.aborts.borrow_mut().push(abort);
        // Counted and said now, so that a load spawned at the end of another keeps the phase
        // "loading", and a new one never shows the last one's "done".
        self.drivers.set(self.drivers.get() + 1);
        self.set_phase(Phase::Loading);
        wasm_bindgen_futures::spawn_local(async move {
            // Driven from a task of its own, not from the one that started it (the page's
            // mount, a click): their work and the first requests' setup added up.
            sleep(0).await;
            let _ = Abortable::new(session.drive(steps), registration).await;
        });
    }

    /// Runs steps and the steps they yield, at most `concurrency` at once. Listing steps go
    /// first, so the totals are known early, but leave run loads a few slots (see [`Queue`]):
    /// the first cards then fill while a week's hundreds of listings are still being read.
    async fn drive(&self, steps: Vec<Task>) {
        let mut queue = Queue::default();
        queue.extend(steps);
        let mut running = FuturesUnordered::new();
        // Many requests finish at once at volume; resuming them all in one task held the page
        // for up to hundreds of ms, so the loop yields between them once it has run a slice.
        let mut budget = Budget::start();
        loop {
            while running.len() < self.concurrency {
                let Some(step) = queue.next(self.concurrency) else {
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
            queue.done(&step);
            budget.spend().await;
            match outcome {
                Ok(next) => queue.extend(next),
                Err(error) => {
                    let retry = error.kind.can_retry().then_some(step);
                    self.report(error.into(), retry);
                }
            }
        }
        self.flush();
        if self.drivers.get() == 1 {
            self.next_earlier_stage();
        }
        self.drivers.set(self.drivers.get() - 1);
        if self.drivers.get() == 0 {
            self.set_phase(Phase::Done);
        }
    }

    async fn execute(&self, step: &Task) -> Result<Vec<Task>, FetchError> {
        match step {
            Task::ListJobs {
                root,
                window,
                filter,
            } => {
                let builds = match window {
                    Some(window) => Builds::of(*window, self.bucket.now(&self.http).await?),
                    None => None,
                };
                let listing = self.list(&ListQuery::folder(root.prefix())).await?;
                let (next, skipped) = root.jobs(&listing, filter, builds);
                self.count(|c| {
                    c.jobs += next.len() as u32;
                    c.jobs_skipped += skipped;
                });
                Ok(next)
            }
            Task::ListRuns { root, job, builds } => {
                let found = self.list_runs(*root, job, *builds).await;
                let found = self.keep_earlier(*root, job, found)?;
                let next = self.admit(found.steps);
                self.count(|c| {
                    c.jobs_listed += 1;
                    c.runs += next.len() as u32;
                    c.runs_skipped += found.skipped;
                });
                Ok(next)
            }
            Task::FollowPointer { object } => {
                let next = pointed_run(self.follow(object).await?);
                if next.is_none() {
                    self.count(|c| {
                        c.runs -= 1;
                        c.runs_skipped += 1;
                    });
                }
                Ok(next.into_iter().collect())
            }
            Task::LoadRun(path) => self.load_run(path).await.map(|()| Vec::new()),
            Task::ReadLeaderboard { url, filter } => self.read_leaderboard(url, filter).await,
            Task::ReadQuarantine => {
                self.read_quarantine().await;
                Ok(Vec::new())
            }
            Task::Earlier(step) => Ok(self.execute_earlier(step).await),
        }
    }

    /// The runs in a listing of `job`'s folder under `root` of `builds`; builds dated too far
    /// ahead are reported.
    async fn list_runs(
        &self,
        root: JobRoot,
        job: &str,
        builds: Option<Builds>,
    ) -> Result<FoundRuns, FetchError> {
        let now = self.bucket.now(&self.http).await?;
        let listing = self.list(&root.runs_query(job, builds)).await?;
        let mut found = root.runs(job, &listing, builds, now);
        for (name, build) in std::mem::take(&mut found.future) {
            let url = self.bucket.object_url(&name);
            self.report(LoadError::FutureBuild { url, build }, None);
        }
        Ok(found)
    }

    /// A listing; one cut at a bound is used as far as it was read, and reported.
    async fn list(&self, query: &ListQuery) -> Result<Listing, FetchError> {
        let Listed { listing, cut } = self.bucket.list(&self.http, query).await?;
        if let Some(cut) = cut {
            self.report(cut.into(), None);
        }
        Ok(listing)
    }

    /// The run steps the load still has room for; the first refused one is reported.
    fn admit(&self, steps: Vec<Task>) -> Vec<Task> {
        let mut budget = self.budget.borrow_mut();
        let was_full = budget.skipped > 0;
        let admitted: Vec<Task> = steps.into_iter().filter(|_| budget.take()).collect();
        let now_full = budget.skipped > 0;
        drop(budget);
        if now_full && !was_full {
            self.report(LoadError::TooManyRuns { limit: MAX_RUNS }, None);
        }
        admitted
    }

    /// The run folder a presubmit pointer names; pointers never change, so they are cached.
    async fn follow(&self, object: &str) -> Result<RunPath, FetchError> {
        let url = self.bucket.object_url(object);
        if let Some(path) = self
            .cache
            .get(&url)
            .await
            .and_then(|text| read_pointer(&text).ok())
        {
            return Ok(path);
        }
        let bytes = self
            .fetch(object, MAX_JSON_BYTES)
            .await?
            .ok_or_else(|| FetchError::new(&url, FailKind::NotFound))?;
        let content = text(&url, &bytes)?;
        let path = read_pointer(content).map_err(|reason| FetchError::invalid(&url, reason))?;
        self.cache.put(&url, content).await;
        Ok(path)
    }

    /// Loads a run for the window and counts how it was read.
    async fn load_run(&self, path: &RunPath) -> Result<(), FetchError> {
        if let Some(read) = self.read_run(path).await? {
            self.count(|c| c.runs_cached += u32::from(read.cached));
            self.deliver(read.run, read.running);
        }
        Ok(())
    }

    /// Reads a run from its cached record, else from its files (and caches it once settled).
    /// A run dated too far ahead is reported instead.
    async fn read_run(&self, path: &RunPath) -> Result<Option<ReadRun>, FetchError> {
        let now = self.bucket.now(&self.http).await?;
        if is_future(path.build(), now) {
            let url = self.bucket.object_url(&path.prefix());
            let build = path.build();
            self.report(LoadError::FutureBuild { url, build }, None);
            return Ok(None);
        }
        let record_key = self
            .bucket
            .object_url(&format!("{}{RECORD}", path.prefix()));
        if let Some(record) = self
            .cache
            .get(&record_key)
            .await
            .and_then(|text| RunRecord::from_json(&text))
        {
            let run = record.into_run(path.clone());
            // The record says what the job's prowjob.json said: its runs need not read it.
            if let Some(mut known) = self.job_label(path.job()).try_lock() {
                known.get_or_insert(run.job.optional);
            }
            return Ok(Some(ReadRun {
                run,
                cached: true,
                running: false,
            }));
        }
        let (finished, optional) = self.read_end(path).await?;
        let (status, started, commit_read) = match after_finished(finished.as_ref()) {
            Next::Done(status) => (status, None, true),
            Next::ReadFailure { commit_known } => {
                let started = match commit_known {
                    true => None,
                    false => self.read_started(path).await,
                };
                let commit_read = commit_known || started.is_some();
                let junit = match self.read_junit(path).await {
                    Ok(junit) => junit,
                    Err(error) => self.unread(path, error),
                };
                (failed_status(junit), started, commit_read)
            }
        };
        let settled =
            is_settled(&status, finished.as_ref(), commit_read, now) && optional.is_some();
        let mut run = describe(path.clone(), finished.as_ref(), started.as_ref(), status);
        run.job.optional = optional.unwrap_or(false);
        if settled {
            if let Some(record) = RunRecord::of(&run) {
                self.cache.put(&record_key, &record.to_json()).await;
            }
        }
        Ok(Some(ReadRun {
            run,
            cached: false,
            running: finished.is_none(),
        }))
    }

    /// A failed run's `started.json`, for the commit it tested when `finished.json` names none.
    /// Without it the run still counts, but is not cached.
    async fn read_started(&self, path: &RunPath) -> Option<Started> {
        self.read_json(path, STARTED).await.unwrap_or_else(|error| {
            self.report(error.into(), self.retry_run(path));
            None
        })
    }

    /// How the run ended (`None`: still running) and whether its job is optional (see
    /// [`Session::is_optional`]). The presubmit or batch run that first takes its job's lock
    /// while the label is unknown reads `prowjob.json` first: once the run has ended that file
    /// says how, so its `finished.json` is not read, one request fewer per job. Other runs read
    /// `finished.json` as they come, then wait for the label.
    async fn read_end(
        &self,
        path: &RunPath,
    ) -> Result<(Option<Finished>, Option<bool>), FetchError> {
        let job = self.job_label(path.job());
        let first = match path.kind() {
            RunKind::Periodic => None,
            _ => job.try_lock().filter(|known| known.is_none()),
        };
        // This run's prowjob.json and the label it gave, if it was the first.
        let (prowjob, label) = match first {
            Some(mut known) => (self.read_label(path, &mut known).await, Some(*known)),
            None => (None, None),
        };
        let finished = match prowjob.as_ref().and_then(ProwJob::finished) {
            Some(finished) => Some(finished),
            None => self.read_json(path, FINISHED).await?,
        };
        let optional = match label {
            Some(optional) => optional,
            None => self.is_optional(path).await,
        };
        Ok((finished, optional))
    }

    /// Whether the run's job is optional: periodics never are; presubmit and batch runs learn
    /// it from the first of their job's runs to read it. `None` when it could not be read
    /// (reported; the run is counted as required and not cached, and the job's next run tries).
    async fn is_optional(&self, path: &RunPath) -> Option<bool> {
        if path.kind() == RunKind::Periodic {
            return Some(false);
        }
        let job = self.job_label(path.job());
        let mut known = job.lock().await;
        if known.is_none() {
            self.read_label(path, &mut known).await;
        }
        *known
    }

    /// Reads the run's `prowjob.json` into its job's label (none: required) and returns it; a
    /// failed read is reported and leaves the label unknown, for the job's next run to read.
    async fn read_label(&self, path: &RunPath, known: &mut Option<bool>) -> Option<ProwJob> {
        match self.read_json::<ProwJob>(path, PROWJOB).await {
            Ok(prowjob) => {
                *known = Some(prowjob.as_ref().is_some_and(ProwJob::is_optional));
                prowjob
            }
            Err(error) => {
                self.report(error.into(), self.retry_run(path));
                None
            }
        }
    }

    /// Whether `job` is optional, once known, behind the lock its runs take to learn it.
    fn job_label(&self, job: &str) -> Rc<Mutex<Option<bool>>> {
        self.optional_jobs
            .borrow_mut()
            .entry(job.to_owned())
            .or_default()
            .clone()
    }

    /// The run's JUnit, else the pieces a killed run left (listed only when the JUnit is missing).
    async fn read_junit(&self, path: &RunPath) -> Result<Junit, FetchError> {
        let folder = path.prefix();
        let pieces = match self
            .fetch(&format!("{folder}{JUNIT}"), MAX_JUNIT_BYTES)
            .await?
        {
            Some(bytes) => vec![bytes],
            None => match self.read_pieces(&folder).await? {
                pieces if pieces.is_empty() => return Ok(Junit::Missing),
                pieces => pieces,
            },
        };
        let job_sig = JobName::parse(path.job()).sig();
        let mut results = TestResults::default();
        for bytes in pieces {
            results.merge(read_results(&bytes, job_sig.clone()).await);
        }
        Ok(Junit::Read(results))
    }

    async fn read_pieces(&self, folder: &str) -> Result<Vec<Vec<u8>>, FetchError> {
        let listing = self
            .list(&ListQuery::folder(format!("{folder}{PARTIAL_JUNIT}")))
            .await?;
        let mut pieces = Vec::new();
        for name in partial_pieces(listing.items.iter().map(|item| item.name.as_str())) {
            pieces.extend(self.fetch(name, MAX_JUNIT_BYTES).await?);
        }
        Ok(pieces)
    }

    fn unread(&self, path: &RunPath, error: FetchError) -> Junit {
        let reason = error.to_string();
        let retry = error
            .kind
            .can_retry()
            .then(|| self.retry_run(path))
            .flatten();
        self.report(error.into(), retry);
        Junit::Unread(reason)
    }

    async fn read_json<T: DeserializeOwned>(
        &self,
        path: &RunPath,
        file: &str,
    ) -> Result<Option<T>, FetchError> {
        let name = format!("{}{file}", path.prefix());
        match self.fetch(&name, MAX_JSON_BYTES).await? {
            Some(bytes) => json(&self.bucket.object_url(&name), &bytes).map(Some),
            None => Ok(None),
        }
    }

    /// Downloads an object of at most `limit` bytes, counting it.
    async fn fetch(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, FetchError> {
        let found = self.bucket.get(&self.http, name, limit).await?;
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
        let bytes = self.http.get(url, MAX_JSON_BYTES).await?;
        let board = ci_health::parse(text(url, &bytes)?)
            .map_err(|e| FetchError::invalid(url, e.to_string()))?;
        let plan = LeaderboardPlan::new(&board, filter);
        for entry in plan.unparsed {
            self.report(LoadError::NotARun { entry }, None);
        }
        let steps = self.admit(plan.steps);
        self.count(|c| {
            c.jobs += plan.totals.len() as u32;
            c.jobs_listed += plan.totals.len() as u32;
            c.runs += steps.len() as u32;
        });
        if !self.cancelled.get() {
            self.outlet.job_totals(plan.totals);
        }
        Ok(steps)
    }

    /// Queues a loaded run (`running`: it has no `finished.json` yet) for the page, noting a
    /// cut-off JUnit file, and makes sure a flush follows within [`FLUSH_MS`] whatever else the
    /// load is waiting for.
    fn deliver(&self, run: Run, running: bool) {
        if self.cancelled.get() {
            return;
        }
        let Some(path) = run.prow_path().cloned() else {
            return;
        };
        if let Some(error) = run
            .status
            .results()
            .and_then(|results| results.parse_error.clone())
        {
            let url = self.bucket.object_url(&format!("{}{JUNIT}", path.prefix()));
            self.report(LoadError::BrokenJunit { url, error }, None);
        }
        let standing = match (run.is_failed(), running) {
            (true, _) => Standing::Failed,
            (false, true) => Standing::Running,
            (false, false) => Standing::Other,
        };
        let earlier = self.delivered.borrow_mut().insert(path.clone(), standing);
        self.count(|c| c.deliver(standing, earlier));
        if earlier.is_some() {
            self.replacing.borrow_mut().insert(path);
        }
        self.pending.borrow_mut().push(run);
        self.schedule_flush();
    }

    fn schedule_flush(&self) {
        if self.flush_due.replace(true) {
            return;
        }
        let me = self.me.clone();
        wasm_bindgen_futures::spawn_local(async move {
            sleep(FLUSH_MS).await;
            if let Some(session) = me.upgrade() {
                session.flush();
            }
        });
    }

    /// Hands queued runs to the page; a retried run replaces its earlier version.
    fn flush(&self) {
        self.flush_due.set(false);
        let batch = std::mem::take(&mut *self.pending.borrow_mut());
        if batch.is_empty() || self.cancelled.get() {
            return;
        }
        let replacing = std::mem::take(&mut *self.replacing.borrow_mut());
        self.outlet.runs(batch, replacing);
    }

    fn report(&self, error: LoadError, retry: Option<Task>) {
        if self.cancelled.get() {
            return;
        }
        let id = self.next_problem.get();
        self.next_problem.set(id + 1);
        self.problems
            .borrow_mut()
            .push(Problem { id, error, retry });
        self.outlet.problems(&self.problems.borrow());
    }

    fn count(&self, change: impl FnOnce(&mut Counts)) {
        if self.cancelled.get() {
            return;
        }
        let mut counts = self.counts.get();
        change(&mut counts);
        counts.bytes = self.http.received();
        self.counts.set(counts);
        self.outlet.counts(counts);
    }

    fn set_phase(&self, phase: Phase) {
        if !self.cancelled.get() {
            self.outlet.phase(phase);
        }
    }
}

//! The runs of the window's length before the window, which tell "new" from "recurring", and
//! which of them a load needs: only the lanes of tests that would otherwise read as new.

use std::num::NonZeroU32;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rustc_hash::FxHashMap;

use super::{EarlierCheck, Novelty, Unchecked, Window};
use crate::history::{has_result, RunRef};
use crate::job::JobName;
use crate::run::Run;

/// What is known of the stretch before the window.
#[derive(Clone, Copy, Debug)]
pub enum Earlier<'a> {
    /// Not loaded: no first failure is checked.
    NotLoaded,
    /// Runs from the stretch before the window, of the lanes the loader chose to check (runs
    /// from inside the window are ignored here), and the lanes it could not read. A lane
    /// without runs in the stretch before a test's first failure reads as not checked.
    Loaded { runs: &'a [Run], unread: &'a Unread },
}

/// Lanes (by job name) whose runs before the window could not be read, with why.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Unread(FxHashMap<String, Arc<str>>);

impl Unread {
    /// Notes why `job`'s earlier runs are not all read; the first reason stays.
    pub fn insert(&mut self, job: &str, why: &str) {
        self.0.entry(job.to_owned()).or_insert_with(|| why.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The earlier stretch's failures and runs per lane, if it was loaded.
pub(super) struct EarlierFailures<'a> {
    window: Window,
    /// `None` when not loaded.
    loaded: Option<EarlierIndex<'a>>,
}

struct EarlierIndex<'a> {
    /// Start times of each test's failing runs per job.
    failures: FxHashMap<(&'a str, &'a str), Vec<DateTime<Utc>>>,
    /// Start times of each job's runs with a result.
    runs: FxHashMap<&'a str, Vec<DateTime<Utc>>>,
    unread: &'a Unread,
}

impl<'a> EarlierFailures<'a> {
    pub(super) fn of(earlier: Earlier<'a>, window: Window) -> EarlierFailures<'a> {
        let loaded = match earlier {
            Earlier::NotLoaded => None,
            Earlier::Loaded { runs, unread } => Some(EarlierIndex::of(runs, unread, window.start)),
        };
        EarlierFailures { window, loaded }
    }

    /// Whether the test failed on the lane in the window's length before `first_failing`.
    pub(super) fn novelty(
        &self,
        test: &str,
        job: &JobName,
        first_failing: &Arc<RunRef>,
    ) -> Novelty {
        let new = |earlier| Novelty::New {
            first_failing: Arc::clone(first_failing),
            earlier,
        };
        let Some(index) = &self.loaded else {
            return new(EarlierCheck::Unchecked(Unchecked::NotLoaded));
        };
        let job = job.raw.as_str();
        let since = first_failing.started - self.window.length();
        let failures = times_since(index.failures.get(&(test, job)), since);
        let (count, last) = failures.fold((0u32, None), |(count, last), time| {
            (count + 1, last.max(Some(time)))
        });
        let runs = times_since(index.runs.get(job), since).count();
        let runs = u32::try_from(runs).unwrap_or(u32::MAX);
        if let Some(last_earlier) = last {
            return Novelty::Recurring {
                earlier_failures: count,
                earlier_runs: runs.max(count),
                last_earlier,
            };
        }
        new(match (index.unread.0.get(job), NonZeroU32::new(runs)) {
            (Some(why), _) => EarlierCheck::Unchecked(Unchecked::Unread(Arc::clone(why))),
            (None, Some(runs)) => EarlierCheck::Checked { runs },
            (None, None) => EarlierCheck::Unchecked(Unchecked::NoRuns),
        })
    }
}

fn times_since(
    times: Option<&Vec<DateTime<Utc>>>,
    since: DateTime<Utc>,
) -> impl Iterator<Item = DateTime<Utc>> + '_ {
    times
        .into_iter()
        .flatten()
        .copied()
        .filter(move |time| *time >= since)
}

impl<'a> EarlierIndex<'a> {
    fn of(runs: &'a [Run], unread: &'a Unread, window_start: DateTime<Utc>) -> EarlierIndex<'a> {
        let mut index = EarlierIndex {
            failures: FxHashMap::default(),
            runs: FxHashMap::default(),
            unread,
        };
        let before = runs
            .iter()
            .filter_map(|run| Some((run, run.prow_path().and(run.started)?)))
            .filter(|(_, started)| *started < window_start);
        for (run, started) in before {
            let job = run.job.raw.as_str();
            if has_result(&run.status) {
                index.runs.entry(job).or_default().push(started);
            }
            for failure in run.failures() {
                let times = index.failures.entry((&failure.test, job)).or_default();
                if times.last() != Some(&started) {
                    times.push(started);
                }
            }
        }
        index
    }
}

//! A verdict as plain JSON values for the JSON export: the phrase a reader sees plus every run
//! behind it, with Prow links.

use serde_json::{json, Value};

use super::{EarlierCheck, FlakeEvidence, Novelty, TestVerdict, Trend, Window};
use crate::history::{Outcome, RunRef};

/// `verdict` with its evidence, counts and history strip.
pub fn to_json(verdict: &TestVerdict, window: &Window) -> Value {
    let runs = &verdict.runs;
    json!({
        "test": &*verdict.test,
        "job": verdict.job.raw,
        "headline": verdict.headline().slug(),
        "phrase": verdict.phrase(window),
        "evidence": verdict.evidence(window),
        "quarantined": verdict.quarantine.is_some(),
        "quarantine_listed": verdict.quarantine.is_some_and(|q| q.is_listed()),
        "runs": {
            "failed": runs.failed,
            "total": runs.total(),
            "rate_percent": runs.rate(),
            "passed_runs": runs.passed_runs,
            "failed_runs_without_it": runs.failed_runs_without_it,
            "without_result": runs.without_result,
            "basis": runs.basis(),
        },
        "trend": trend(&verdict.trend),
        "novelty": novelty(&verdict.novelty),
        "history": {
            "older_runs": verdict.history.older,
            "cells": verdict.history.cells.iter().map(|cell| json!({
                "outcome": outcome(cell.outcome),
                "run": cell.run.url(),
            })).collect::<Vec<_>>(),
        },
    })
}

fn trend(trend: &Trend) -> Value {
    match trend {
        Trend::BrokenSince(onset) => json!({
            "kind": "broken_since",
            "last_passing": run(&onset.last_passing),
            "first_failing": run(&onset.first_failing),
            "failing_runs": onset.failing_runs,
            "compare": onset.compare_url(),
        }),
        Trend::FailingThroughout {
            first_failing,
            failing_runs,
        } => json!({
            "kind": "failing_throughout",
            "first_failing": run(first_failing),
            "failing_runs": failing_runs,
        }),
        Trend::Flaky(FlakeEvidence::SameCommit {
            commit,
            failed,
            passed,
        }) => json!({
            "kind": "flaky_same_commit",
            "commit": commit.as_str(),
            "failed": run(failed),
            "passed": run(passed),
        }),
        Trend::Flaky(FlakeEvidence::Intermittent {
            failed,
            passed,
            failed_again,
        }) => json!({
            "kind": "flaky_intermittent",
            "failed": run(failed),
            "passed": run(passed),
            "failed_again": run(failed_again),
        }),
        Trend::Unclear => json!({ "kind": "unclear" }),
    }
}

fn novelty(novelty: &Novelty) -> Value {
    match novelty {
        Novelty::New {
            first_failing,
            earlier,
        } => json!({
            "kind": "new",
            "first_failing": run(first_failing),
            "earlier_runs_checked": match earlier {
                EarlierCheck::Checked { runs } => Some(runs.get()),
                EarlierCheck::Unchecked(_) => None,
            },
            "unchecked": match earlier {
                EarlierCheck::Checked { .. } => None,
                EarlierCheck::Unchecked(why) => Some(why.phrase()),
            },
        }),
        Novelty::Recurring {
            earlier_failures,
            earlier_runs,
            last_earlier,
        } => json!({
            "kind": "recurring",
            "earlier_failures": earlier_failures,
            "earlier_runs": earlier_runs,
            "last_earlier": last_earlier.to_rfc3339(),
        }),
    }
}

fn run(run: &RunRef) -> Value {
    json!({
        "url": run.url(),
        "started": run.started.to_rfc3339(),
        "commit": run.commit.as_ref().map(|commit| commit.as_str()),
    })
}

fn outcome(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Fail => "fail",
        Outcome::Pass => "pass",
        Outcome::NoResult => "no_result",
    }
}

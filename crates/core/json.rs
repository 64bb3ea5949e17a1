//! JSON export of the report, for scripts: the same content as the cards, flattened to plain
//! values (rule ids, job names, Spyglass URLs).

use std::sync::Arc;

use serde_json::{json, Value};

use super::excerpt::telling_line;
use super::links::{spyglass_root, spyglass_url};
use super::prow::RunPath;
use super::report::themes;
use super::summary::{Example, Report, RunCounts, Scope, SigReport, TestSummary};
use super::verdict::{to_json, Window};

/// The report of `scope` as pretty-printed JSON.
pub fn render(report: &Report, scope: &Scope) -> String {
    // Inserted, not collected: collecting a map sorts it with one more sort routine.
    let mut filters = serde_json::Map::new();
    for (key, value) in &scope.filters {
        filters.insert((*key).to_owned(), Value::from(value.as_str()));
    }
    let value = json!({
        "scope": scope.to_string(),
        "filters": filters,
        "source": scope.source,
        "runs": counts(report.runs),
        "days": report.days.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "window": report.window.map(|w| json!({
            "start": w.start().to_rfc3339(), "end": w.end().to_rfc3339(),
        })),
        "sigs": report.sigs.iter().map(|s| sig(s, report.window.as_ref(), scope.prow_links)).collect::<Vec<_>>(),
        "pr_failures": report.pull_failures.iter().map(|p| json!({
            "pr": p.pr, "tests": names(&p.tests),
            "runs": p.runs.iter().map(RunPath::prefix).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let mut value = value;
    if !scope.prow_links {
        unlink_prow(&mut value);
    }
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// Runs read from another endpoint than the public bucket are not Prow's: every Prow link in the
/// export, wherever it sits, becomes the run's folder in the bucket that was read.
fn unlink_prow(value: &mut Value) {
    match value {
        Value::String(text) => {
            if let Some(folder) = text.strip_prefix(&spyglass_root()) {
                *text = folder.to_owned();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unlink_prow),
        Value::Object(fields) => fields.values_mut().for_each(unlink_prow),
        _ => {}
    }
}

fn counts(runs: RunCounts) -> Value {
    json!({ "failed": runs.failed, "total": runs.total, "rate_percent": runs.rate() })
}

fn sig(sig: &SigReport, window: Option<&Window>, on_prow: bool) -> Value {
    json!({
        "sig": sig.sig.slug(),
        "label": sig.sig.label(),
        "runs": counts(sig.runs),
        "failures": sig.failures,
        "quarantined_failures_left_out": sig.quarantined_failures,
        "themes": themes(&sig.kinds).iter().map(|t| json!({
            "theme": t.theme, "failures": t.failures,
            "kinds": t.kinds.iter().map(|k| k.rule.id.as_str()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "daily_failures": sig.daily,
        "kinds": sig.kinds.iter().map(|k| json!({
            "id": k.rule.id, "label": k.rule.label, "hint": k.rule.hint, "theme": k.rule.theme,
            "failures": k.failures, "tests": k.tests,
            "examples": k.examples.iter().map(|e| example(e)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "jobs": sig.jobs.iter().map(|j| json!({
            "job": j.job.raw, "runs": counts(j.runs), "failures": j.failures,
            "failed_runs": j.failed_runs.iter().map(spyglass_url).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "tests": sig.tests.get().iter().map(|t| test(t, sig, window, on_prow)).collect::<Vec<_>>(),
        "clusters": sig.clusters.get().iter().map(|c| json!({
            "id": c.id.to_string(), "kind": c.kind.id, "failures": c.failures,
            "tests": names(&c.tests), "jobs": names(&c.jobs),
            "examples": c.examples.iter().map(|e| example(e)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// A failing test with its figures over its lanes, its verdict per lane (with evidence and
/// history strip) and its GitHub links (the flake issue's runs as folders unless `on_prow`).
fn test(test: &TestSummary, sig: &SigReport, window: Option<&Window>, on_prow: bool) -> Value {
    let runs = test.runs();
    json!({
        "test": &*test.test, "failures": test.failures, "jobs": names(&test.jobs),
        "kind": test.kind.id,
        "headline": test.headline().map(|h| h.slug()),
        "runs": {
            "failed": runs.failed, "total": runs.total(), "rate_percent": runs.rate(),
            "basis": runs.basis(),
        },
        "verdicts": window.map_or_else(Vec::new, |window| {
            test.verdicts.iter().map(|v| to_json(v, window)).collect()
        }),
        "latest": example(&test.latest),
        "links": {
            "issue_search": test.issue_search_url(),
            "file_flake_issue": test.flake_issue_url(&sig.sig, window, on_prow),
        },
    })
}

fn example(example: &Example) -> Value {
    json!({
        "test": &*example.test,
        "message": &*example.message,
        "telling_line": telling_line(&example.message),
        "job": &*example.run.job,
        "run": example.run.path.as_ref().map(spyglass_url),
        "rule": example.rule_id,
        "symptom": example.symptom_id,
        "location": example.location.as_ref().map(|l| format!("{}:{}", l.file, l.line)),
    })
}

/// Shared names as plain strings (serde serialises `Arc` only with its `rc` feature).
fn names(list: &[Arc<str>]) -> Vec<&str> {
    list.iter().map(|name| &**name).collect()
}

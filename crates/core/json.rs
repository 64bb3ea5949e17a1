//! JSON export of the report, for scripts: the same content as the cards, flattened to plain
//! values (rule ids, job names, Spyglass URLs).

use std::sync::Arc;

use serde_json::{json, Value};

use super::links::spyglass_url;
use super::summary::{Example, Report, RunCounts, Scope, SigReport};

/// The report of `scope` as pretty-printed JSON.
pub fn render(report: &Report, scope: &Scope) -> String {
    let filters: serde_json::Map<String, Value> = scope
        .filters
        .iter()
        .map(|(key, value)| ((*key).to_owned(), Value::from(value.as_str())))
        .collect();
    let value = json!({
        "scope": scope.to_string(),
        "filters": filters,
        "source": scope.source,
        "runs": counts(report.runs),
        "days": report.days.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "sigs": report.sigs.iter().map(sig).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

fn counts(runs: RunCounts) -> Value {
    json!({ "failed": runs.failed, "total": runs.total, "rate_percent": runs.rate() })
}

fn sig(sig: &SigReport) -> Value {
    json!({
        "sig": sig.sig.slug(),
        "label": sig.sig.label(),
        "runs": counts(sig.runs),
        "failures": sig.failures,
        "daily_failures": sig.daily,
        "kinds": sig.kinds.iter().map(|k| json!({
            "id": k.rule.id, "label": k.rule.label, "hint": k.rule.hint,
            "failures": k.failures, "tests": k.tests,
            "examples": k.examples.iter().map(|e| example(e)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "jobs": sig.jobs.iter().map(|j| json!({
            "job": j.job.raw, "runs": counts(j.runs), "failures": j.failures,
            "failed_runs": j.failed_runs.iter().map(spyglass_url).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "tests": sig.tests.get().iter().map(|t| json!({
            "test": &*t.test, "failures": t.failures, "jobs": names(&t.jobs), "kind": t.kind.id,
            "latest": example(&t.latest),
        })).collect::<Vec<_>>(),
        "clusters": sig.clusters.get().iter().map(|c| json!({
            "id": c.id.to_string(), "kind": c.kind.id, "failures": c.failures,
            "tests": names(&c.tests), "jobs": names(&c.jobs),
            "examples": c.examples.iter().map(|e| example(e)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

fn example(example: &Example) -> Value {
    json!({
        "test": &*example.test,
        "message": &*example.message,
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

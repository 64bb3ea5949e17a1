use std::sync::Arc;

use leptos::prelude::*;

use super::link::Link;
use super::runs_on_prow::RunsOnProw;
use triage_core::links::{build_log_url, source_url, spyglass_url};
use triage_core::summary::Example;

/// One failure: the test, its message (as text), the rule that classified it, and links to the
/// Prow run, its build log and the test source at the run's commit.
#[component]
pub fn FailureDetail(example: Arc<Example>) -> impl IntoView {
    let source = example.location.as_ref().and_then(|loc| {
        source_url(&loc.file, loc.line, example.run.commit.as_deref())
            .map(|url| (url, format!("{}:{}", loc.file, loc.line)))
    });
    let run = example.run.path.clone();
    let run_links = move || {
        let run = run.as_ref()?;
        Some(if RunsOnProw::get() {
            view! {
                <Link url=spyglass_url(run) new_tab=true>"Prow run"</Link>
                <Link url=build_log_url(run) new_tab=true>"build log"</Link>
            }
            .into_any()
        } else {
            view! { <span class="off-prow">"not on Prow: read from another endpoint"</span> }
                .into_any()
        })
    };
    view! {
        <div class="failure">
            <p class="failure-test">{example.test.clone()}</p>
            <pre class="message">{example.message.clone()}</pre>
            <p class="failure-meta">
                <span class="job-tag">{example.run.job.clone()}</span>
                <span class="rule" title="The rule in failure-kinds.toml that classified this failure">
                    {format!("rule: {} · symptom: {}", example.rule_id, example.symptom_id)}
                </span>
                {run_links}
                {source.map(|(url, text)| view! { <Link url=url new_tab=true>{text}</Link> })}
            </p>
        </div>
    }
}

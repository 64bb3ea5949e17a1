use leptos::prelude::*;

use triage_core::summary::PullFailures;

/// One PR's own failures, kept out of the SIGs' counts: listed per PR so its author sees them.
#[component]
pub fn PullFailuresList(pulls: Vec<PullFailures>) -> impl IntoView {
    (!pulls.is_empty()).then(|| {
        view! {
            <section class="pull-failures" aria-label="This PR's failures">
                <h2>"This PR's failures"</h2>
                <p class="muted">"Tests failing only in runs of one PR; not counted on the SIG cards (pr-failures=show counts them)."</p>
                <ul>
                    {pulls.into_iter().map(|pull| view! {
                        <li data-pr=pull.pr>
                            {format!("PR #{} ({} runs): {}", pull.pr, pull.runs.len(), pull.tests.join(", "))}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

use std::sync::Arc;

use leptos::prelude::*;

use super::failure_detail::FailureDetail;
use super::query::use_query_writer;
use crate::core::report::KindSummary;
use crate::core::words::count;

/// The common kinds of failure of a SIG, each with its hint and examples; a kind's name filters
/// the report to it.
#[component]
pub fn KindList(kinds: Arc<[KindSummary]>) -> impl IntoView {
    let write = use_query_writer();
    view! {
        <section class="kinds">
            <h3>"Common failures"</h3>
            <ul>
                {kinds.iter().map(|kind| {
                    let write = write.clone();
                    let id = kind.rule.id.clone();
                    view! {
                        <li class="kind" data-kind=kind.rule.id.clone()>
                            <div class="kind-head">
                                <button type="button" class="kind-name" title="Show only this kind of failure"
                                    on:click=move |_| write(vec![("kind", Some(id.clone()))])>
                                    {kind.rule.label.clone()}
                                </button>
                                <span class="count">{format!("{} · {}", count(kind.failures, "failure"), count(kind.tests, "test"))}</span>
                            </div>
                            <p class="hint">{kind.rule.hint.clone()}</p>
                            <details>
                                <summary>"Examples"</summary>
                                {kind.examples.iter().cloned().map(|example| view! { <FailureDetail example=example/> }).collect_view()}
                            </details>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

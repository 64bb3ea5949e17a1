use std::sync::Arc;

use leptos::prelude::*;

use super::failure_detail::FailureDetail;
use super::lazy_details::LazyDetails;
use super::query::use_query_writer;
use super::show_more::ShowMore;
use crate::params::KIND;
use triage_core::summary::KindSummary;
use triage_core::words::count;

/// How many kinds a card lists before "Show more": the common ones are what a card is for.
const KINDS_SHOWN: usize = 6;

/// The common kinds of failure of a SIG, each with its hint and examples; a kind's name filters
/// the report to it.
#[component]
pub fn KindList(kinds: Arc<[KindSummary]>) -> impl IntoView {
    view! {
        <section class="kinds">
            <h3>"Common failures"</h3>
            <ShowMore items=kinds render=kind_row page=KINDS_SHOWN/>
        </section>
    }
}

fn kind_row(kind: &KindSummary) -> AnyView {
    let write = use_query_writer();
    let id = kind.rule.id.clone();
    let examples = kind.examples.clone();
    view! {
        <li class="kind" data-kind=kind.rule.id.clone()>
            <div class="kind-head">
                <button type="button" class="kind-name" title="Show only this kind of failure"
                    on:click=move |_| write(vec![(KIND.name, Some(id.clone()))])>
                    {kind.rule.label.clone()}
                </button>
                <span class="count">{format!("{} · {}", count(kind.failures, "failure"), count(kind.tests, "test"))}</span>
            </div>
            <p class="hint">{kind.rule.hint.clone()}</p>
            <LazyDetails summary="Examples".to_owned()>
                {examples.iter().cloned().map(|example| view! { <FailureDetail example=example/> }).collect_view()}
            </LazyDetails>
        </li>
    }
    .into_any()
}

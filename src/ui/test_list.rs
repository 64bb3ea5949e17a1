use std::sync::Arc;

use leptos::prelude::*;

use super::failure_detail::FailureDetail;
use super::show_more::ShowMore;
use triage_core::summary::TestSummary;

/// Failing tests of a SIG, most failures first, paginated.
#[component]
pub fn TestList(tests: Arc<[TestSummary]>) -> impl IntoView {
    let row = |test: &TestSummary| {
        let lanes = test
            .jobs
            .iter()
            .map(|job| &**job)
            .collect::<Vec<_>>()
            .join(", ");
        view! {
            <li class="test" data-kind=test.kind.id.clone()>
                <p class="test-head">
                    <span class="count">{format!("{}×", test.failures)}</span>
                    <span class="kind-tag">{test.kind.label.clone()}</span>
                </p>
                <p class="lanes">{lanes}</p>
                <FailureDetail example=test.latest.clone()/>
            </li>
        }
        .into_any()
    };
    view! { <ShowMore items=tests render=row/> }
}

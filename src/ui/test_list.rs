use std::sync::Arc;

use leptos::prelude::*;

use super::show_more::ShowMore;
use super::test_row::{test_row, TestScope};
use triage_core::sig::Sig;
use triage_core::summary::{sort_tests, TestOrder, TestSummary};
use triage_core::verdict::Window;

/// Failing tests of a SIG, most failed runs first or highest rate first (a choice of this card
/// alone), paginated.
#[component]
pub fn TestList(tests: Arc<[TestSummary]>, sig: Sig, window: Option<Window>) -> impl IntoView {
    provide_context(TestScope { sig, window });
    let by_rate = RwSignal::new(false);
    let sorted = move || {
        let order = if by_rate.get() {
            TestOrder::Rate
        } else {
            TestOrder::Count
        };
        let mut tests = tests.to_vec();
        sort_tests(&mut tests, order);
        view! { <ShowMore items=Arc::from(tests) render=test_row/> }
    };
    view! {
        <div class="test-order" role="group" aria-label="Sort tests">
            "Sort by "
            <button type="button" class="button subtle" aria-pressed=move || (!by_rate.get()).to_string()
                on:click=move |_| by_rate.set(false)>"failed runs"</button>
            <button type="button" class="button subtle" aria-pressed=move || by_rate.get().to_string()
                on:click=move |_| by_rate.set(true)>"rate"</button>
        </div>
        {sorted}
    }
}

use leptos::prelude::*;

use super::pull_failures::PullFailuresList;
use super::sig_card::SigCard;
use super::skeleton_cards::SkeletonCards;
use super::state::AppState;
use crate::source::progress::Phase;
use triage_core::summary::Report;

/// The per-SIG cards, or what to do when nothing is loaded.
#[component]
pub fn ReportArea(report: Memo<Report>) -> impl IntoView {
    let state = AppState::get();
    view! {
        <section class="report" aria-label="Report" aria-live="polite">
            {move || {
                let loading = state.load.phase.get() == Phase::Loading;
                if state.is_empty() && loading {
                    view! { <SkeletonCards/> }.into_any()
                } else if state.is_empty() {
                    view! {
                        <p class="empty-message" role="status">
                            "No results loaded yet. Load live results or the sample above, or drop JUnit XML files anywhere on this page."
                        </p>
                    }.into_any()
                } else if report.with(|r| r.sigs.is_empty()) {
                    view! { <p class="empty-message" role="status">"No SIG matches these filters."</p> }.into_any()
                } else {
                    view! {
                        <div class="cards">
                            {report.with(|r| r.sigs.iter().cloned().map(|sig| view! { <SigCard sig=sig window=r.window/> }).collect_view())}
                        </div>
                        <PullFailuresList pulls=report.with(|r| r.pull_failures.clone())/>
                    }.into_any()
                }
            }}
        </section>
    }
}

use std::sync::Arc;

use leptos::prelude::*;

use super::history_strip::HistoryStrip;
use super::link::Link;
use super::run_link::RunLink;
use triage_core::verdict::{TestVerdict, Trend, Window};

/// A test's verdict on one lane: the phrase, its evidence (for a broken test the onset, with
/// its runs, commits and, on periodics, the commits between them), and its history strip.
#[component]
pub fn LaneVerdict(verdict: Arc<TestVerdict>, window: Window) -> impl IntoView {
    let onset = match &verdict.trend {
        Trend::BrokenSince(onset) => Some(onset.clone()),
        _ => None,
    };
    let evidence = onset.is_none().then(|| verdict.evidence(&window)).flatten();
    let commit = |run: &triage_core::history::RunRef| {
        run.commit
            .as_ref()
            .map(|c| format!(" ({})", c.short()))
            .unwrap_or_default()
    };
    view! {
        <li class="lane" data-headline=verdict.headline().slug()>
            <p class="lane-phrase">{verdict.phrase(&window)}</p>
            {onset.map(|onset| {
                let compare = onset.compare_url().map(|url| view! {
                    " · " <Link url=url new_tab=true class="compare">"commits between"</Link>
                });
                view! {
                    <p class="evidence onset">
                        "Last passed " <RunLink run=onset.last_passing.path.clone() class="run-ref"/>
                        {commit(&onset.last_passing)}
                        ", first failed " <RunLink run=onset.first_failing.path.clone() class="run-ref"/>
                        {commit(&onset.first_failing)}
                        {compare}
                    </p>
                }
            })}
            {evidence.map(|text| view! { <p class="evidence">{text}</p> })}
            <HistoryStrip history=verdict.history.clone()/>
        </li>
    }
}

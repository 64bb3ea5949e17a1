use leptos::prelude::*;

use triage_core::decimal::one_decimal;
use triage_core::summary::RunCounts;

/// "3 / 40 runs failed · 7.5 %", coloured by the official report's bands.
#[component]
pub fn RunRate(runs: RunCounts) -> impl IntoView {
    let text = match runs.rate() {
        Some(rate) => format!(
            "{} / {} runs failed · {} %",
            runs.failed,
            runs.total,
            one_decimal(rate)
        ),
        None => "rate unknown: no runs of its jobs".to_owned(),
    };
    view! { <p class="run-rate">{text}</p> }
}

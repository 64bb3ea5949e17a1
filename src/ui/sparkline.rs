use leptos::prelude::*;

use triage_core::decimal::one_decimal;

const WIDTH: f64 = 120.0;
const HEIGHT: f64 = 28.0;
// The size as text too: formatting the `f64`s would link float printing (see `one_decimal`).
const WIDTH_TEXT: &str = "120";
const HEIGHT_TEXT: &str = "28";
const SIZE: &str = "0 0 120 28";

/// Failures per day as a small bar chart (inline SVG), with the numbers in its label.
#[component]
pub fn Sparkline(daily: Vec<u32>) -> impl IntoView {
    let max = daily.iter().copied().max().unwrap_or(0).max(1);
    let step = WIDTH / daily.len().max(1) as f64;
    let label = format!(
        "Failures per day: {}",
        daily
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let title = label.clone();
    let bars =
        daily
            .iter()
            .enumerate()
            .map(|(i, &count)| {
                let height = (f64::from(count) / f64::from(max) * (HEIGHT - 2.0))
                    .max(if count > 0 { 2.0 } else { 0.5 });
                view! {
                    <rect x=one_decimal(i as f64 * step + 1.0) y=one_decimal(HEIGHT - height)
                        width=one_decimal((step - 2.0).max(1.0)) height=one_decimal(height)
                        class={if count > 0 { "bar" } else { "bar zero" }}/>
                }
            })
            .collect_view();
    view! {
        <svg class="sparkline" viewBox=SIZE width=WIDTH_TEXT height=HEIGHT_TEXT role="img" aria-label=label>
            <title>{title}</title>
            {bars}
        </svg>
    }
}

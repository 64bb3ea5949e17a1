use leptos::prelude::*;

const WIDTH: f64 = 120.0;
const HEIGHT: f64 = 28.0;

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
    let bars = daily
        .iter()
        .enumerate()
        .map(|(i, &count)| {
            let height = (f64::from(count) / f64::from(max) * (HEIGHT - 2.0)).max(if count > 0 {
                2.0
            } else {
                0.5
            });
            view! {
                <rect x=format!("{:.1}", i as f64 * step + 1.0) y=format!("{:.1}", HEIGHT - height)
                    width=format!("{:.1}", (step - 2.0).max(1.0)) height=format!("{height:.1}")
                    class={if count > 0 { "bar" } else { "bar zero" }}/>
            }
        })
        .collect_view();
    view! {
        <svg class="sparkline" viewBox=format!("0 0 {WIDTH} {HEIGHT}") width=WIDTH height=HEIGHT role="img" aria-label=label>
            <title>{title}</title>
            {bars}
        </svg>
    }
}

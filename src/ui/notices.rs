use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use triage_core::filter::{Notice, KEYS};

/// Query keys read elsewhere on the page (source selection), so not "unknown".
const SOURCE_KEYS: [&str; 9] = [
    "source",
    "gcs",
    "bucket",
    "window",
    "run",
    "pr",
    "jobs",
    "results",
    "concurrency",
];

/// Says which URL parameters were ignored and why: a shared link never fails silently.
#[component]
pub fn Notices(query: Memo<ParamsMap>, filter_notices: Signal<Vec<Notice>>) -> impl IntoView {
    let unknown = move || {
        query.with(|q| {
            q.latest_values()
                .filter(|(key, _)| {
                    !KEYS.contains(&key.as_ref()) && !SOURCE_KEYS.contains(&key.as_ref())
                })
                .map(|(key, value)| Notice {
                    key: key.to_string(),
                    value: value.to_owned(),
                    reason: "unknown parameter",
                })
                .collect::<Vec<_>>()
        })
    };
    let all = move || {
        let mut notices = filter_notices.get();
        notices.extend(unknown());
        notices
    };
    view! {
        <Show when=move || !all().is_empty()>
            <div class="notice" role="status">
                <strong>"Ignored in the link: "</strong>
                {move || all().into_iter().map(|n| view! {
                    <span class="notice-item"><code>{format!("{}={}", n.key, n.value)}</code>" ("{n.reason}") "</span>
                }).collect_view()}
            </div>
        </Show>
    }
}

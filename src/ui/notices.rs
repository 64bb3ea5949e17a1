use leptos::prelude::*;

use crate::params::{self, Query};
use crate::source::request::{LoadRequest, QueryError};
use triage_core::filter::Notice;

/// Says which URL parameters were ignored or read under a new name, and why: a shared link never
/// fails silently.
#[component]
pub fn Notices(
    query: RwSignal<Query>,
    filter_notices: Signal<Vec<Notice>>,
    load: Memo<(LoadRequest, Vec<QueryError>)>,
) -> impl IntoView {
    let all = move || {
        let mut notices: Vec<(String, String, String)> = load.with(|(_, refused)| {
            refused
                .iter()
                .map(|n| (n.param.to_owned(), n.value.clone(), n.reason.clone()))
                .collect()
        });
        notices.extend(
            filter_notices
                .get()
                .into_iter()
                .map(|n| (n.key, n.value, n.reason.to_owned())),
        );
        query.with(|q| {
            notices.extend(
                q.latest()
                    .filter(|(key, _)| params::lookup(key).is_none())
                    .map(|(key, value)| {
                        (
                            key.to_string(),
                            value.to_owned(),
                            "unknown parameter".to_owned(),
                        )
                    }),
            )
        });
        notices
    };
    view! {
        <Show when=move || !all().is_empty()>
            <div class="notice" role="status">
                <strong>"In the link: "</strong>
                {move || all().into_iter().map(|(key, value, reason)| view! {
                    <span class="notice-item"><code>{format!("{key}={value}")}</code>" ("{reason}") "</span>
                }).collect_view()}
            </div>
        </Show>
    }
}

use leptos::prelude::*;

use crate::source::config::StorageConfig;

/// Where the per-SIG cards go; empty until a source is loaded.
#[component]
pub fn ReportArea(storage: Memo<StorageConfig>) -> impl IntoView {
    view! {
        <section class="report" aria-label="Report">
            <p class="empty-message" role="status">
                "No results loaded yet. Results will be read from "
                <code>{move || storage.with(|s| format!("{}/{}", s.base_url, s.bucket))}</code>
                "."
            </p>
        </section>
    }
}

use leptos::prelude::*;

use super::query::use_query_writer;
use crate::params::QUARANTINED;
use triage_core::filter::{Filter, SHOW_QUARANTINED};

/// Whether quarantined tests' failures count: writes `quarantined=show`, or removes it.
#[component]
pub fn QuarantineToggle(filter: Memo<Filter>) -> impl IntoView {
    let write = use_query_writer();
    let on_change = move |ev| {
        let shown = event_target_checked(&ev).then(|| SHOW_QUARANTINED.to_owned());
        write(vec![(QUARANTINED.name, shown)]);
    };
    view! {
        <label class="filter toggle" title=QUARANTINED.doc>
            <input type="checkbox" name=QUARANTINED.name prop:checked=move || filter.with(|f| f.quarantined) on:change=on_change/>
            <span>"Show quarantined tests"</span>
        </label>
    }
}

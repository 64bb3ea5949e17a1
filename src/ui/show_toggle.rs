use leptos::prelude::*;

use super::query::use_query_writer;
use crate::params::Param;
use triage_core::filter::{Filter, SHOW};

/// A view parameter whose one value is `show` (quarantined tests, optional lanes, one PR's own
/// failures): checking writes `param=show`, unchecking removes it. `hint` says on the page what
/// the default leaves out.
#[component]
pub fn ShowToggle(
    filter: Memo<Filter>,
    param: Param,
    shown: fn(&Filter) -> bool,
    label: &'static str,
    hint: &'static str,
) -> impl IntoView {
    let write = use_query_writer();
    let on_change = move |ev| {
        let shown = event_target_checked(&ev).then(|| SHOW.to_owned());
        write(vec![(param.name, shown)]);
    };
    view! {
        <label class="filter toggle" title=param.doc>
            <input type="checkbox" name=param.name prop:checked=move || filter.with(shown) on:change=on_change/>
            <span>{label}<small>{hint}</small></span>
        </label>
    }
}

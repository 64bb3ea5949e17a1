use leptos::prelude::*;

use super::request::RequestMemo;
use crate::params::LOAD_JOBS;
use crate::source::request::JobFilter;
use crate::ui::query::use_query_writer;

/// Which jobs to load, as name patterns.
#[component]
pub fn JobsPicker(request: RequestMemo) -> impl IntoView {
    let write = use_query_writer();
    let jobs = move || request.with(|r| r.jobs.text());
    let pick = move |text: String| {
        let value = Some(JobFilter::parse(&text))
            .filter(|f| *f != JobFilter::default())
            .map(|f| f.text());
        write(vec![(LOAD_JOBS.name, value)]);
    };
    view! {
        <label class="filter" title="Job names containing any of these comma-separated patterns; * matches anything">"Jobs matching"
            <input type="text" class="load-jobs" prop:value=jobs
                on:change=move |ev| pick(event_target_value(&ev))/>
        </label>
    }
}

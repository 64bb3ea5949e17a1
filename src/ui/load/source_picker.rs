use leptos::prelude::*;

use super::jobs_picker::JobsPicker;
use super::request::RequestMemo;
use super::window_picker::WindowPicker;
use crate::params::{PR, RUN, SOURCE};
use crate::source::request::SourceKind;
use crate::ui::query::use_query_writer;

/// Picks the source, then its time window and jobs; each choice is a URL parameter, left out
/// when it is the default so links stay short.
#[component]
pub fn SourcePicker(request: RequestMemo) -> impl IntoView {
    let write = use_query_writer();
    let source = move || request.with(|r| r.source);
    let pick_source = move |kind: SourceKind| {
        let value = (kind != SourceKind::default()).then(|| kind.param().to_owned());
        write(vec![
            (SOURCE.name, value),
            (RUN.name, None),
            (PR.name, None),
        ]);
    };
    view! {
        <fieldset class="load-source">
            <legend>"Source"</legend>
            {SourceKind::ALL.map(|kind| {
                let pick_source = pick_source.clone();
                view! {
                    <label class="load-choice">
                        <input type="radio" name="load-source" value=kind.param()
                            prop:checked=move || source() == kind
                            on:change=move |_| pick_source(kind)/>
                        {kind.label()}
                    </label>
                }
            })}
        </fieldset>
        <WindowPicker request=request/>
        <JobsPicker request=request/>
    }
}

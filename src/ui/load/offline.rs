use leptos::prelude::*;

use super::request::RequestMemo;
use super::target::Target;
use crate::params::{PR, RUN, SOURCE};
use crate::source::loader::LoadStatus;
use crate::source::request::SourceKind;
use crate::source::status::{origin, Phase};
use crate::ui::query::use_query_writer;

/// When a load from GCS ends with nothing loaded: says what could not be reached and offers
/// the bundled sample.
#[component]
pub fn OfflineNotice(status: LoadStatus, request: RequestMemo) -> impl IntoView {
    let write = use_query_writer();
    let failure = move || {
        let live = request.with(|r| r.source != SourceKind::Sample);
        let nothing =
            status.phase.get() == Phase::Done && status.counts.with(|c| c.runs_loaded == 0);
        (live && nothing)
            .then(|| status.problems.with(|p| p.first().cloned()))
            .flatten()
    };
    let use_sample = move |_| {
        let sample = Some(SourceKind::Sample.param().to_owned());
        write(vec![
            (SOURCE.name, sample),
            (RUN.name, None),
            (PR.name, None),
        ]);
    };
    move || {
        failure().map(|problem| {
            view! {
                <div class="load-offline" role="alert">
                    <p>
                        <strong>"Could not load results from " {origin(&problem.target).to_owned()}</strong>
                        ": " {problem.reason}
                    </p>
                    <p class="muted">"First failed request: " <Target url=problem.target/></p>
                    <p>
                        "GCS may be unreachable from here (offline, or blocked by a proxy or an extension). "
                        <button type="button" class="button" on:click=use_sample.clone()>"Use the bundled sample"</button>
                    </p>
                </div>
            }
        })
    }
}

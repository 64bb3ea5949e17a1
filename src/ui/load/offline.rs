use leptos::prelude::*;

use super::request::RequestMemo;
use super::target::Target;
use crate::params::{PR, RUN, SOURCE};
use crate::source::progress::{origin, Phase};
use crate::source::request::SourceKind;
use crate::ui::query::use_query_writer;
use crate::ui::state::LoadStatus;

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
            .then(|| {
                status.problems.with(|problems| {
                    problems.iter().find_map(|problem| {
                        let target = problem.error.target()?.to_owned();
                        Some((target, problem.error.to_string()))
                    })
                })
            })
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
        failure().map(|(target, reason)| {
            view! {
                <div class="load-offline" role="alert">
                    <p>
                        <strong>"Could not load results from " {origin(&target).to_owned()}</strong>
                        ": " {reason}
                    </p>
                    <p class="muted">"First failed request: " <Target url=target/></p>
                    <p>
                        "GCS may be unreachable from here (offline, or blocked by a proxy or an extension). "
                        <button type="button" class="button" on:click=use_sample.clone()>"Use the bundled sample"</button>
                    </p>
                </div>
            }
        })
    }
}

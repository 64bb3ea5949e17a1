use leptos::prelude::*;

use super::request::RequestMemo;
use crate::source::error::human_bytes;
use crate::source::progress::Phase;
use crate::source::request::LoadRequest;
use crate::ui::state::LoadStatus;

/// A progress bar over the runs found, and the counts of what was read so far.
#[component]
pub fn LoadProgress(status: LoadStatus, request: RequestMemo) -> impl IntoView {
    move || {
        let c = status.counts.get();
        let phase = status.phase.get();
        let of_found = |loaded: u32, found: u32| match phase {
            Phase::Loading => format!("{loaded} of {found}"),
            Phase::Idle | Phase::Done => loaded.to_string(),
        };
        let state = match phase {
            Phase::Idle => "Not loading.",
            Phase::Loading => "Loading…",
            Phase::Done => "Loaded",
        };
        view! {
            <div class="load-progress">
                <progress max=c.runs.max(1) value=(c.runs > 0 || phase != Phase::Loading).then_some(c.runs_loaded) aria-label="Runs loaded"></progress>
                <p class="load-counts">
                    {state} " "
                    <b data-count="jobs">{of_found(c.jobs_listed, c.jobs)}</b> " jobs · "
                    <b data-count="runs">{of_found(c.runs_loaded, c.runs)}</b> " runs, "
                    <b data-count="failed">{c.runs_failed}</b> " failed · "
                    <b data-count="files">{c.files}</b> " files, "
                    <b data-count="bytes">{human_bytes(c.bytes)}</b> " · "
                    <b data-count="cached">{c.runs_cached}</b> " runs from the browser cache · "
                    <b data-count="running">{c.runs_running}</b> " running · skipped "
                    <b data-count="skipped">{c.runs_skipped}</b> " runs of other repositories ("
                    <b data-count="skipped-jobs">{c.jobs_skipped}</b> " of their jobs not listed)"
                </p>
                <p class="load-from muted">{request.with(LoadRequest::describe)}</p>
            </div>
        }
    }
}

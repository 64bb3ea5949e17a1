use leptos::prelude::*;

use super::load_panel::RequestMemo;
use super::state::LoadStatus;
use crate::source::bucket::Bucket;
use crate::source::error::human_bytes;
use crate::source::progress::Phase;
use crate::source::request::{LoadRequest, Scope};

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
                    <b data-count="cached">{c.runs_cached}</b> " runs from the browser cache"
                </p>
                <p class="load-from muted">{request.with(|r| r.as_ref().ok().map(describe))}</p>
            </div>
        }
    }
}

/// Where the runs come from, in words.
fn describe(request: &LoadRequest) -> String {
    let bucket = match &request.bucket {
        Bucket::Gcs(config) => format!("{}/{}", config.base_url, config.bucket),
        Bucket::Sample => "the bundled sample".to_owned(),
    };
    let jobs = request.jobs.text();
    match &request.scope {
        Scope::Window(window) => {
            format!("Runs of jobs matching {jobs} in the last {window}, from {bucket}")
        }
        Scope::Leaderboard { url } => format!("Failed runs listed in {url}, from {bucket}"),
        Scope::Pull(pr) => format!("Runs of jobs matching {jobs} on PR #{pr}, from {bucket}"),
        Scope::Run(run) => format!("Run {} of {}, from {bucket}", run.build(), run.job()),
    }
}

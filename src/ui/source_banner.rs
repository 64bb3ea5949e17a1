use leptos::prelude::*;

use super::load::request::RequestMemo;
use super::query::use_query_writer;
use crate::params::{BUCKET, GCS, RESULTS};
use crate::source::bucket::Bucket;
use crate::source::request::{Scope, DEFAULT_RESULTS_URL};

/// Says, above everything, when the runs shown are not the public KubeVirt results: a link can
/// point the page at any endpoint, and the cards must not pass for KubeVirt's.
#[component]
pub fn SourceBanner(request: RequestMemo) -> impl IntoView {
    let write = use_query_writer();
    let parts = move || {
        request.with(|request| {
            let mut parts = Vec::new();
            if let Bucket::Gcs(config) = &request.bucket {
                if !config.is_default() {
                    parts.push(format!("runs are read from {}", config.describe()));
                }
            }
            if let Scope::Leaderboard { url } = &request.scope {
                if url != DEFAULT_RESULTS_URL {
                    parts.push(format!("the leaderboard is {url}"));
                }
            }
            parts
        })
    };
    let reset = move |_| {
        write(vec![
            (GCS.name, None),
            (BUCKET.name, None),
            (RESULTS.name, None),
        ])
    };
    move || {
        request.with(|r| r.is_elsewhere()).then(|| {
            let runs_on_prow = request.with(|r| r.runs_on_prow());
            view! {
                <div class="source-banner" role="note" aria-label="Data source warning">
                    <p>
                        <strong>"Not the public KubeVirt results: "</strong>
                        {parts().join("; ")} "."
                        {(!runs_on_prow).then_some(" Prow and build-log links are left out for these runs.")}
                    </p>
                    <button type="button" class="button" on:click=reset.clone()>"Use the public results"</button>
                </div>
            }
        })
    }
}

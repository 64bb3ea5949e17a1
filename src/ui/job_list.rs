use std::sync::Arc;

use leptos::prelude::*;

use triage_core::links::spyglass_url;
use triage_core::summary::JobSummary;
use triage_core::words::count;

/// The jobs with failures of a SIG, with failed/total runs and links to the newest failed runs.
#[component]
pub fn JobList(jobs: Arc<[JobSummary]>) -> impl IntoView {
    view! {
        <section class="jobs">
            <h3>"Failing jobs"</h3>
            <ul>
                {jobs.iter().map(|job| {
                    let runs = job.failed_runs.iter().map(|run| {
                        let build = run.build().to_string();
                        view! { <a class="run-link" href=spyglass_url(run) target="_blank" rel="noopener"
                            title=format!("Prow run {build}")>{format!("#{}", &build[build.len().saturating_sub(4)..])}</a> }
                    }).collect_view();
                    view! {
                        <li class="job">
                            <code class="job-name">{job.job.raw.clone()}</code>
                            <span class="count">{format!("{} of {} failed", job.runs.failed, count(job.runs.total, "run"))}</span>
                            <span class="run-links">{runs}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

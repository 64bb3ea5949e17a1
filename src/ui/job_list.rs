use std::sync::Arc;

use leptos::prelude::*;

use super::run_link::RunLink;
use super::show_more::ShowMore;
use triage_core::summary::JobSummary;
use triage_core::words::count;

/// How many jobs a card lists before "Show more".
const JOBS_SHOWN: usize = 6;

/// The jobs with failures of a SIG, most failed runs first, with failed/total runs and links to
/// the newest failed runs (labelled by day and pull request).
#[component]
pub fn JobList(jobs: Arc<[JobSummary]>) -> impl IntoView {
    let mut sorted = jobs.to_vec();
    sorted.sort_by(|a, b| {
        b.runs
            .failed
            .cmp(&a.runs.failed)
            .then_with(|| a.job.raw.cmp(&b.job.raw))
    });
    view! {
        <section class="jobs">
            <h3>"Failing jobs"</h3>
            <ShowMore items=Arc::from(sorted) render=job_row page=JOBS_SHOWN/>
        </section>
    }
}

fn job_row(job: &JobSummary) -> AnyView {
    let runs = job
        .failed_runs
        .iter()
        .map(|run| view! { <RunLink run=run.clone() class="run-link"/> })
        .collect_view();
    view! {
        <li class="job">
            <code class="job-name">{job.job.raw.clone()}</code>
            <span class="count">{format!("{} of {} failed", job.runs.failed, count(job.runs.total, "run"))}</span>
            <span class="run-links">{runs}</span>
        </li>
    }
    .into_any()
}

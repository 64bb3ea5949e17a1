use std::sync::Arc;

use leptos::prelude::*;

use super::run_link::RunLink;
use super::show_more::ShowMore;
use triage_core::order::most_first_by_name;
use triage_core::summary::JobSummary;
use triage_core::words::count;

/// How many jobs a card lists before "Show more".
const JOBS_SHOWN: usize = 6;

/// The jobs with failures of a SIG, most failed runs first, with failed/total runs and links to
/// the newest failed runs (labelled by day and pull request).
#[component]
pub fn JobList(jobs: Arc<[JobSummary]>) -> impl IntoView {
    let sorted = most_first_by_name(jobs.to_vec(), |j| &j.job.raw, |j| j.runs.failed);
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

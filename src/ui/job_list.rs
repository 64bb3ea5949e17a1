use std::sync::Arc;

use leptos::prelude::*;

use super::link::Link;
use super::runs_on_prow::RunsOnProw;

use triage_core::links::spyglass_url;
use triage_core::summary::JobSummary;
use triage_core::words::count;

/// The jobs with failures of a SIG, with failed/total runs and links to the newest failed runs.
#[component]
pub fn JobList(jobs: Arc<[JobSummary]>) -> impl IntoView {
    let on_prow = RunsOnProw::get();
    view! {
        <section class="jobs">
            <h3>"Failing jobs"</h3>
            <ul>
                {jobs.iter().map(|job| {
                    let runs = job.failed_runs.iter().map(|run| {
                        let build = run.build().to_string();
                        let short = format!("#{}", &build[build.len().saturating_sub(4)..]);
                        let url = if on_prow { spyglass_url(run) } else { String::new() };
                        let title = format!("{} {build}", if on_prow { "Prow run" } else { "Not on Prow (read from another endpoint): run" });
                        let class = if on_prow { "run-link" } else { "run-link off-prow" };
                        view! { <Link class=class url=url new_tab=true title=title>{short}</Link> }
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

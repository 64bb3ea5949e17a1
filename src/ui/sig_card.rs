use leptos::prelude::*;

use super::cluster_list::ClusterList;
use super::job_list::JobList;
use super::kind_list::KindList;
use super::lazy_details::LazyDetails;
use super::run_rate::RunRate;
use super::sparkline::Sparkline;
use super::test_list::TestList;
use triage_core::summary::{Severity, SigReport};
use triage_core::verdict::Window;
use triage_core::words::count;

/// One SIG: run failure rate, daily sparkline, kinds of failure, failing jobs, then drill-downs.
#[component]
pub fn SigCard(sig: SigReport, window: Option<Window>) -> impl IntoView {
    let slug = sig.sig.slug().to_owned();
    let heading_id = format!("sig-{slug}");
    let labelled_by = heading_id.clone();
    let severity = match (sig.runs.rate(), sig.runs.severity()) {
        (None, _) => "severity-unknown",
        (_, Severity::High) => "severity-high",
        (_, Severity::Elevated) => "severity-elevated",
        (_, Severity::Normal) => "severity-normal",
    };
    let (tests, clusters) = (sig.tests.clone(), sig.clusters.clone());
    let (test_count, cluster_count) = (tests.len(), clusters.len());
    let quiet = sig.failures == 0 && sig.jobs.is_empty();
    let test_sig = sig.sig.clone();
    let left_out = (sig.quarantined_failures > 0).then(|| {
        let text = format!(
            "{} of quarantined tests left out (see \u{201c}Show quarantined tests\u{201d}).",
            count(sig.quarantined_failures, "failure")
        );
        view! { <p class="quarantined-note">{text}</p> }
    });
    view! {
        <article class=format!("card {severity}") data-sig=slug aria-labelledby=labelled_by>
            <header class="card-header">
                <h2 id=heading_id>{sig.sig.label()}</h2>
                <RunRate runs=sig.runs/>
                <Sparkline daily=sig.daily.clone()/>
            </header>
            {left_out}
            {if quiet {
                view! { <p class="no-failures">"No failing tests."</p> }.into_any()
            } else {
                view! {
                    <p class="card-summary">{summary(&sig)}</p>
                    <KindList kinds=sig.kinds.clone()/>
                    <JobList jobs=sig.jobs.clone()/>
                    <LazyDetails class="drill" summary=format!("Failing tests ({test_count})")>
                        <TestList tests=tests.get() sig=test_sig.clone() window=window/>
                    </LazyDetails>
                    <LazyDetails class="drill" summary=format!("Failure clusters ({cluster_count})")>
                        <ClusterList clusters=clusters.get()/>
                    </LazyDetails>
                }.into_any()
            }}
        </article>
    }
}

fn summary(sig: &SigReport) -> String {
    format!(
        "{} in {} across {}.",
        count(sig.failures, "failure"),
        count(sig.tests.len() as u64, "test"),
        count(sig.jobs.len() as u64, "job")
    )
}

use leptos::prelude::*;

use super::failure_detail::FailureDetail;
use super::lane_verdict::LaneVerdict;
use super::lazy_details::LazyDetails;
use super::link::Link;
use super::test_list::TestScope;
use triage_core::summary::TestSummary;

/// One failing test: its lead verdict, figures (their basis as the tooltip), each lane's verdict
/// and history, what to do about it, and its latest failure (opened on demand). Without verdicts (dropped files)
/// it names its lanes instead.
pub fn test_row(test: &TestSummary) -> AnyView {
    let scope = expect_context::<TestScope>();
    let runs = test.runs();
    let headline = test
        .lead_verdict()
        .zip(scope.window)
        .map(|(v, w)| v.phrase(&w));
    let figures = runs.rate().map(|rate| {
        let text = format!("{} · {rate:.0} %", runs.phrase());
        view! { <span class="figures" title=runs.basis()>{text}</span> }
    });
    let lanes = match scope.window {
        Some(window) if !test.verdicts.is_empty() => {
            let lanes = test.verdicts.iter().cloned();
            view! { <ul class="lane-verdicts">{lanes.map(|v| view! { <LaneVerdict verdict=v window=window/> }).collect_view()}</ul> }.into_any()
        }
        _ => view! { <p class="lanes">{test.jobs.join(", ")}</p> }.into_any(),
    };
    let latest = test.latest.clone();
    let flake = test.flake_issue_url(&scope.sig, scope.window.as_ref());
    view! {
        <li class="test" data-kind=test.kind.id.clone() data-headline=test.headline().map(|h| h.slug())>
            <p class="test-name">{test.test.clone()}</p>
            <p class="test-head">
                <span class="count">{format!("{}×", test.failures)}</span>
                {figures}
                <span class="kind-tag">{test.kind.label.clone()}</span>
                {headline.map(|text| view! { <span class="headline">{text}</span> })}
            </p>
            {lanes}
            <p class="actions">
                <Link url=test.issue_search_url() new_tab=true class="issue-search">"Search issues"</Link>
                <Link url=flake new_tab=true class="file-flake">"File a flake issue"</Link>
            </p>
            <LazyDetails summary="Latest failure".to_owned()>
                <FailureDetail example=latest.clone()/>
            </LazyDetails>
        </li>
    }
    .into_any()
}

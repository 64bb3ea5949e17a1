use std::sync::Arc;

use leptos::prelude::*;

use super::failure_detail::FailureDetail;
use super::lane_verdict::LaneVerdict;
use super::lazy_details::LazyDetails;
use super::link::Link;
use super::runs_on_prow::RunsOnProw;
use triage_core::order::by_key;
use triage_core::sig::Sig;
use triage_core::summary::TestSummary;
use triage_core::verdict::{TestVerdict, Window};
use triage_core::words::count;

/// What every row of one card's test list shares: its SIG (for the flake issue's `/sig` line)
/// and the window its verdicts were judged in (for their phrases).
#[derive(Clone)]
pub struct TestScope {
    pub sig: Sig,
    pub window: Option<Window>,
}

/// Lanes a test row shows before "N more lanes".
const LANES_SHOWN: usize = 3;

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
    // Failed runs over runs when its lanes' runs are known, else its failures (dropped files).
    let figures = match runs.rate() {
        Some(rate) => {
            // Whole percents from an integer: `{:.0}` would link core's float printing (~11 KB).
            let text = format!("{} · {} %", runs.phrase(), rate.round_ties_even() as u64);
            view! { <span class="figures" title=runs.basis()>{text}</span> }.into_any()
        }
        None => view! { <span class="count">{format!("{}×", test.failures)}</span> }.into_any(),
    };
    let lanes = match scope.window {
        Some(window) if !test.verdicts.is_empty() => lane_verdicts(test, window),
        _ => view! { <p class="lanes">{test.jobs.join(", ")}</p> }.into_any(),
    };
    let latest = test.latest.clone();
    let flake = test.flake_issue_url(&scope.sig, scope.window.as_ref(), RunsOnProw::get());
    view! {
        <li class="test" data-kind=test.kind.id.clone() data-headline=test.headline().map(|h| h.slug())>
            <p class="test-name">{test.test.clone()}</p>
            <p class="test-head">
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

/// The test's lanes, most telling verdict first (then most failed runs); past [`LANES_SHOWN`]
/// the rest open on demand, so a test failing on a dozen lanes stays a few lines.
fn lane_verdicts(test: &TestSummary, window: Window) -> AnyView {
    let mut verdicts = by_key(test.verdicts.clone(), |v| {
        (v.headline() as u64) << 32 | u64::from(u32::MAX - v.runs.failed)
    });
    let rest = verdicts.split_off(verdicts.len().min(LANES_SHOWN));
    let list = move |verdicts: Vec<Arc<TestVerdict>>| {
        let lanes = verdicts
            .into_iter()
            .map(move |v| view! { <LaneVerdict verdict=v window=window/> });
        view! { <ul class="lane-verdicts">{lanes.collect_view()}</ul> }
    };
    let more = (!rest.is_empty()).then(|| {
        let summary = count(rest.len() as u64, "more lane");
        view! { <LazyDetails class="more-lanes" summary=summary>{list(rest.clone())}</LazyDetails> }
    });
    view! { {list(verdicts)} {more} }.into_any()
}

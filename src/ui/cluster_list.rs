use std::sync::Arc;

use leptos::prelude::*;

use super::failure_detail::FailureDetail;
use super::show_more::ShowMore;
use triage_core::summary::ClusterSummary;
use triage_core::words::count;

/// Failures grouped by normalised message: one cause seen across tests and lanes.
#[component]
pub fn ClusterList(clusters: Arc<[ClusterSummary]>) -> impl IntoView {
    let row = |cluster: &ClusterSummary| {
        let example = cluster.examples.first().cloned();
        view! {
            <li class="cluster" data-cluster=cluster.id.to_string()>
                <p class="test-head">
                    <span class="count">{format!("{}×", cluster.failures)}</span>
                    <span class="kind-tag">{cluster.kind.label.clone()}</span>
                    <span class="muted">{format!("{} · {} · cluster {}", count(cluster.tests.len() as u64, "test"), count(cluster.jobs.len() as u64, "job"), cluster.id)}</span>
                </p>
                {example.map(|example| view! { <FailureDetail example=example/> })}
            </li>
        }
        .into_any()
    };
    view! { <ShowMore items=clusters render=row/> }
}

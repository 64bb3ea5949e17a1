use std::sync::Arc;

use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::hooks::use_query_map;

use super::drop_zone::DropZone;
use super::export_bar::ExportBar;
use super::filter_bar::FilterBar;
use super::header::Header;
use super::load_panel::LoadPanel;
use super::local_files::LocalFiles;
use super::notices::Notices;
use super::report_area::ReportArea;
use super::state::AppState;
use triage_core::dataset::Dataset;
use triage_core::filter::Filter;
use triage_core::summary::Report;

/// The whole page. The router only serves URL query state; there is a single view.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Page/>
        </Router>
    }
}

#[component]
fn Page() -> impl IntoView {
    let state = AppState::provide();
    let query = use_query_map();
    let parsed = Memo::new(move |_| {
        query.with(|q| Filter::from_query(q.latest_values().map(|(k, v)| (k.as_ref(), v))))
    });
    let filter = Memo::new(move |_| parsed.with(|(filter, _)| filter.clone()));
    // Both are rebuilt only when their inputs changed, and then almost always differ: counting
    // every rebuild as a change spares a deep comparison each time.
    let data = Memo::new_with_compare(move |_| dataset(state), |_, _| true);
    let report = Memo::new_with_compare(
        move |_| {
            data.with(|data| {
                filter.with(|filter| {
                    state
                        .job_totals
                        .with(|totals| Report::build(data, totals, filter, Utc::now()))
                })
            })
        },
        |_, _| true,
    );
    view! {
        <Header/>
        <DropZone/>
        <main id="main">
            <LoadPanel/>
            <LocalFiles/>
            <Notices query=query filter_notices=Signal::derive(move || parsed.with(|(_, n)| n.clone()))/>
            <FilterBar filter=filter data=data/>
            <ExportBar report=report filter=filter/>
            <ReportArea report=report/>
        </main>
    }
}

/// Everything loaded, from every source, indexed for reports.
fn dataset(state: AppState) -> Arc<Dataset> {
    state.runs.with(|runs| {
        state.local.with(|local| {
            let local_runs = local.iter().filter_map(|entry| entry.file.run());
            Arc::new(Dataset::new(runs.iter().chain(local_runs)))
        })
    })
}

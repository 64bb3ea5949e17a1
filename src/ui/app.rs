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
use crate::core::filter::Filter;
use crate::core::report::Report;

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
    // Rebuilt only when the filter or the data changed, and then almost always different:
    // counting every rebuild as a change spares a deep comparison of two reports each time.
    let report = Memo::new_with_compare(
        move |_| filter.with(|filter| build_report(state, filter)),
        |_, _| true,
    );
    view! {
        <Header/>
        <DropZone/>
        <main id="main">
            <LoadPanel/>
            <LocalFiles/>
            <Notices query=query filter_notices=Signal::derive(move || parsed.with(|(_, n)| n.clone()))/>
            <FilterBar filter=filter/>
            <ExportBar report=report filter=filter/>
            <ReportArea report=report/>
        </main>
    }
}

/// The report of everything loaded, narrowed by `filter`.
fn build_report(state: AppState, filter: &Filter) -> Report {
    state.runs.with(|runs| {
        state.local.with(|local| {
            let local_runs = local.iter().filter_map(|entry| entry.file.run());
            state.job_totals.with(|totals| {
                Report::build(runs.iter().chain(local_runs), totals, filter, Utc::now())
            })
        })
    })
}

use std::sync::Arc;

use chrono::Utc;
use leptos::prelude::*;

use super::drop_zone::DropZone;
use super::export_bar::ExportBar;
use super::filter_bar::FilterBar;
use super::header::Header;
use super::load::request::RequestMemo;
use super::load::LoadPanel;
use super::local_files::LocalFiles;
use super::local_reader::LocalReader;
use super::notices::Notices;
use super::query::provide_query;
use super::report_area::ReportArea;
use super::runs_on_prow::RunsOnProw;
use super::source_banner::SourceBanner;
use super::state::AppState;
use crate::source::earlier::EarlierRuns;
use crate::source::request::LoadRequest;
use triage_core::dataset::Dataset;
use triage_core::filter::Filter;
use triage_core::summary::Report;
use triage_core::verdict::{Earlier, Verdicts, Window};

/// The whole page: a single view, whose state is the URL query and what was loaded.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::provide();
    LocalReader::provide(state);
    let query = provide_query();
    let parsed = Memo::new(move |_| query.with(|q| Filter::from_query(q.latest())));
    let filter = Memo::new(move |_| parsed.with(|(filter, _)| filter.clone()));
    let load = Memo::new(move |_| query.with(|q| LoadRequest::from_query(|key| q.get(key))));
    let request: RequestMemo = Memo::new(move |_| load.with(|(request, _)| request.clone()));
    provide_context(RunsOnProw(Memo::new(move |_| {
        request.with(LoadRequest::runs_on_prow)
    })));
    let source = Signal::derive(move || {
        let files = state.local.with(Vec::len);
        let local = match files {
            0 => String::new(),
            1 => ", and 1 local file".to_owned(),
            n => format!(", and {n} local files"),
        };
        format!("{}{local}", request.with(LoadRequest::describe))
    });
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
            <SourceBanner request=request/>
            <Notices query=query filter_notices=Signal::derive(move || parsed.with(|(_, n)| n.clone()))
                load=load/>
            <LoadPanel request=request/>
            <LocalFiles/>
            <FilterBar filter=filter data=data/>
            <ExportBar report=report filter=filter source=source/>
            <ReportArea report=report/>
        </main>
    }
}

/// Everything loaded, from every source, indexed for reports, with the verdicts on the bucket's
/// runs (and the stretch before them, once read): judged here, when runs arrive, and never on
/// a filter change.
fn dataset(state: AppState) -> Arc<Dataset> {
    state.with_quarantine_list(|list| {
        state.runs.with(|runs| {
            state.local.with(|local| {
                state.earlier.with(|earlier| {
                    let local_runs = local.iter().filter_map(|entry| entry.file.run());
                    let earlier = earlier
                        .as_ref()
                        .map_or(Earlier::NotLoaded, EarlierRuns::as_earlier);
                    let verdicts = Window::spanned(runs)
                        .map(|window| Verdicts::compute(runs, window, earlier, list))
                        .unwrap_or_default();
                    Arc::new(
                        Dataset::new(runs.iter().chain(local_runs)).with_verdicts(verdicts, list),
                    )
                })
            })
        })
    })
}

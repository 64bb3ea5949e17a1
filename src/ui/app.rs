use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::hooks::use_query_map;

use super::header::Header;
use super::report_area::ReportArea;
use crate::source::config::StorageConfig;

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
    let query = use_query_map();
    let storage = Memo::new(move |_| {
        query.with(|q| StorageConfig::with_overrides(q.get_str("gcs"), q.get_str("bucket")))
    });
    view! {
        <Header/>
        <main id="main">
            <ReportArea storage=storage/>
        </main>
    }
}

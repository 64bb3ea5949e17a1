//! The page URL's query as state, without a router: the page has a single view, so its query
//! string is all the routing it needs (every view is a link). Writes push a history entry, so
//! back and forward restore views and nothing scrolls; back and forward arrive as `popstate`.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::params::Query;

/// The current query, provided by the page.
#[derive(Clone, Copy)]
struct PageQuery(RwSignal<Query>);

/// Provides the query of the page URL, kept current on back and forward, and returns it.
pub fn provide_query() -> RwSignal<Query> {
    let query = RwSignal::new(current());
    let listener = window_event_listener(ev::popstate, move |_| query.set(current()));
    on_cleanup(move || listener.remove());
    provide_context(PageQuery(query));
    query
}

fn current() -> Query {
    Query::parse(&window().location().search().unwrap_or_default())
}

/// Returns a setter that changes some query parameters (`None` removes one, and any old name of
/// it) and pushes a history entry; the path is kept, so the page works from any sub-path. The
/// entry is pushed after the changed view was painted (in a task after the next frame): in
/// Chromium a `pushState` took 1–7 ms of a filter change over a large report (BENCHMARKS.md),
/// which the view need not wait for.
pub fn use_query_writer() -> impl Fn(Vec<(&'static str, Option<String>)>) + Clone + 'static {
    let query = expect_context::<PageQuery>().0;
    move |updates| {
        let mut next = query.get_untracked();
        for (key, value) in updates {
            next.set(key, value);
        }
        let path = window().location().pathname().unwrap_or_default();
        let url = format!("{path}{}", next.to_search());
        query.set(next);
        request_animation_frame(move || set_timeout(move || push_history(&url), Duration::ZERO));
    }
}

fn push_history(url: &str) {
    if let Ok(history) = window().history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(url));
    }
}

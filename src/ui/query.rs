//! URL query state: every view is a link. Reads go through leptos_router's query map; writes
//! keep the other parameters and the path (so the page works from any sub-path).

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// Returns a setter that changes some query parameters (`None` removes one) and pushes a
/// history entry, so back and forward restore views. It never scrolls.
pub fn use_query_writer() -> impl Fn(Vec<(&'static str, Option<String>)>) + Clone + 'static {
    let location = use_location();
    let navigate = use_navigate();
    move |updates| {
        let mut query = location.query.get_untracked();
        for (key, value) in updates {
            query.remove(key);
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                query.insert(key, value);
            }
        }
        let path = location.pathname.get_untracked();
        let options = NavigateOptions {
            resolve: false,
            scroll: false,
            ..Default::default()
        };
        navigate(&format!("{path}{}", query.to_query_string()), options);
    }
}

use leptos::prelude::*;

use crate::ui::link::Link;

/// A URL that failed, linked when it may be, and shown with its escapes decoded (`%2F` as `/`)
/// so it reads.
#[component]
pub fn Target(url: String) -> impl IntoView {
    let text = js_sys::decode_uri_component(&url)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_else(|| url.clone());
    view! { <Link class="load-target" url=url>{text}</Link> }
}

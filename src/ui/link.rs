use leptos::prelude::*;

use crate::href;

/// A link whose URL comes from data or the page URL: an `<a>` only when [`href::checked`]
/// allows it, else the same content as plain text, marked so a reader sees it was not linked.
#[component]
pub fn Link(
    url: String,
    children: Children,
    #[prop(optional)] class: &'static str,
    #[prop(optional, into)] title: Option<String>,
    /// Opens in a new tab (links that leave the page: Prow, logs, GitHub).
    #[prop(optional)]
    new_tab: bool,
) -> impl IntoView {
    match href::checked(&url) {
        Some(_) => view! {
            <a class=class href=url title=title target=new_tab.then_some("_blank")
                rel=new_tab.then_some("noopener noreferrer")>
                {children()}
            </a>
        }
        .into_any(),
        None => view! {
            <span class=format!("{class} not-linked") title="Not linked: only https, http to this machine and relative links are">
                {children()}
            </span>
        }
        .into_any(),
    }
}

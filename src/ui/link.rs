use leptos::prelude::*;

use crate::href;

/// A link whose URL comes from data or the page URL. It has an `href` only when
/// [`href::checked`] allows one; otherwise it is plain text (an `<a>` without `href` is not a
/// link), marked so a reader sees it was not linked.
#[component]
pub fn Link(
    url: String,
    children: Children,
    #[prop(optional, into)] class: String,
    #[prop(optional, into)] title: Option<String>,
    /// Opens in a new tab (links that leave the page: Prow, logs, GitHub).
    #[prop(optional)]
    new_tab: bool,
) -> impl IntoView {
    let linked = href::checked(&url).is_some();
    view! {
        <a class=class class:not-linked=!linked href=linked.then_some(url) title=title
            target=new_tab.then_some("_blank") rel=new_tab.then_some("noopener noreferrer")>
            {children()}
        </a>
    }
}

use leptos::prelude::*;

/// Placeholder cards while the first runs are on their way.
#[component]
pub fn SkeletonCards() -> impl IntoView {
    view! {
        <div class="cards" aria-busy="true" role="status" aria-label="Loading results">
            {["compute", "storage", "network", "operator"].map(|sig| view! {
                <article class="card skeleton" data-skeleton=sig aria-hidden="true">
                    <div class="skeleton-line title"></div>
                    <div class="skeleton-line"></div>
                    <div class="skeleton-line short"></div>
                    <div class="skeleton-line"></div>
                </article>
            }).collect_view()}
        </div>
    }
}

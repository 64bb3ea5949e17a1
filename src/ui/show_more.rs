use std::sync::Arc;

use leptos::prelude::*;

/// How many rows a long list shows before "Show more".
const PAGE: usize = 20;

/// Renders a shared list a page at a time, so thousands of rows stay responsive.
#[component]
pub fn ShowMore<T: Send + Sync + 'static>(
    items: Arc<[T]>,
    render: fn(&T) -> AnyView,
) -> impl IntoView {
    let shown = RwSignal::new(PAGE);
    let total = items.len();
    view! {
        <ul class="rows">
            {move || items.iter().take(shown.get()).map(render).collect_view()}
        </ul>
        <Show when=move || { shown.get() < total }>
            <button type="button" class="button subtle" on:click=move |_| shown.update(|n| *n += PAGE)>
                {move || format!("Show more ({} of {total} shown)", shown.get().min(total))}
            </button>
        </Show>
    }
}

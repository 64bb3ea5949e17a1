use std::sync::Arc;

use leptos::prelude::*;

/// Renders a shared list `page` rows at a time (20 unless given), so thousands of rows stay
/// responsive.
#[component]
pub fn ShowMore<T: Send + Sync + 'static>(
    items: Arc<[T]>,
    render: fn(&T) -> AnyView,
    #[prop(default = 20)] page: usize,
) -> impl IntoView {
    let shown = RwSignal::new(page);
    let total = items.len();
    view! {
        <ul class="rows">
            {move || items.iter().take(shown.get()).map(render).collect_view()}
        </ul>
        <Show when=move || { shown.get() < total }>
            <button type="button" class="button subtle" on:click=move |_| shown.update(|n| *n += page)>
                {move || format!("Show more ({} of {total} shown)", shown.get().min(total))}
            </button>
        </Show>
    }
}

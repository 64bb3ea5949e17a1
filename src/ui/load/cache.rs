use leptos::prelude::*;

use crate::source::cache::RunCache;

/// Empties the browser cache of finished runs, so the next load fetches every run again.
#[component]
pub fn CacheControl() -> impl IntoView {
    let note = RwSignal::new(None::<String>);
    let clear = move |_| {
        leptos::task::spawn_local(async move {
            note.set(Some(match RunCache::clear().await {
                Ok(()) => "Cache cleared; the next load fetches every run.".to_owned(),
                Err(reason) => format!("Cache not cleared: {reason}"),
            }));
        });
    };
    view! {
        <button type="button" class="button subtle" on:click=clear>"Clear cache"</button>
        {move || note.get().map(|note| view! { <span class="load-note muted">{note}</span> })}
    }
}

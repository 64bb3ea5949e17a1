use leptos::prelude::*;

use super::local_file_row::LocalFileRow;
use super::local_reader::LocalReader;
use super::state::AppState;

/// Dropped or picked files: each with its job name (editable), what was read, or why not; and
/// the files still waiting to be read.
#[component]
pub fn LocalFiles() -> impl IntoView {
    let state = AppState::get();
    let reader = LocalReader::get();
    let any = move || {
        state.local.with(|l| !l.is_empty())
            || reader.reading.with(|r| !r.is_empty())
            || reader.unread.with(|u| !u.is_empty())
    };
    view! {
        <Show when=any>
            <section class="panel local-files" aria-label="Local files">
                <h2>"Local files"</h2>
                <ul>
                    <For each=move || state.local.get() key=|entry| entry.id let:entry>
                        <LocalFileRow entry=entry/>
                    </For>
                    {move || reader.unread.get().into_iter().map(|message| view! {
                        <li class="local-file error unread" role="alert">{message}</li>
                    }).collect_view()}
                </ul>
                {move || reader.reading.with(|names| names.first().map(|first| {
                    let more = names.len() - 1;
                    let waiting = (more > 0).then(|| format!(" ({more} more waiting)"));
                    view! { <p class="local-reading muted" role="status">"Reading " <strong>{first.clone()}</strong> "…" {waiting}</p> }
                }))}
                <button class="button subtle" on:click=move |_| reader.clear()>"Remove local files"</button>
            </section>
        </Show>
    }
}

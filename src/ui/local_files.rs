use leptos::prelude::*;

use super::state::{AppState, LocalEntry};
use triage_core::local::{read_file, LocalFile};

/// Dropped or picked files: each with its job name (editable), what was read, or why not.
#[component]
pub fn LocalFiles() -> impl IntoView {
    let state = AppState::get();
    view! {
        <Show when=move || state.local.with(|l| !l.is_empty())>
            <section class="panel local-files" aria-label="Local files">
                <h2>"Local files"</h2>
                <ul>
                    <For each=move || state.local.get() key=|entry| entry.id let:entry>
                        <LocalFileRow entry=entry/>
                    </For>
                </ul>
                <button class="button subtle" on:click=move |_| state.local.set(Vec::new())>"Remove local files"</button>
            </section>
        </Show>
    }
}

#[component]
fn LocalFileRow(entry: LocalEntry) -> impl IntoView {
    let state = AppState::get();
    let id = entry.id;
    let rename = move |job: String| {
        state.local.update(|entries| {
            if let Some(entry) = entries.iter_mut().find(|e| e.id == id) {
                entry.file = read_file(&entry.file_name, &entry.bytes, Some(job.trim()));
            }
        });
    };
    match entry.file {
        LocalFile::Rejected { file_name, error } => view! {
            <li class="local-file error" role="alert">
                <strong>{file_name}</strong>" could not be read: "{error.to_string()}
            </li>
        }
        .into_any(),
        LocalFile::Read { run, warning } => {
            let failures = run.failures().len();
            view! {
                <li class="local-file">
                    <strong>{entry.file_name}</strong>
                    <span class="muted">{format!(" — {failures} failing tests, job ")}</span>
                    <input class="job-input" type="text" value=run.job.raw.clone()
                        aria-label="Job name for this file"
                        on:change=move |ev| rename(event_target_value(&ev))/>
                    {warning.map(|w| view! {
                        <p class="warning" role="alert">"Read up to an error, at " {w.to_string()}</p>
                    })}
                </li>
            }
            .into_any()
        }
    }
}

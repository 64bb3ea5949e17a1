use leptos::prelude::*;

use super::local_reader::LocalReader;
use super::state::LocalEntry;
use triage_core::local::LocalFile;

/// One local file: what was read from it under its job name (which re-reads it when edited), or
/// why nothing could be.
#[component]
pub fn LocalFileRow(entry: LocalEntry) -> impl IntoView {
    let reader = LocalReader::get();
    let id = entry.id;
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
                        on:change=move |ev| reader.rename(id, event_target_value(&ev))/>
                    {warning.map(|w| view! {
                        <p class="warning" role="alert">"Read up to an error, at " {w.to_string()}</p>
                    })}
                </li>
            }
            .into_any()
        }
    }
}

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::state::{AppState, LocalEntry};
use crate::source::local::{files_of, read_bytes, read_results};
use triage_core::job::JobName;
use triage_core::local::{job_from_file_name, local_file};

/// Accepts JUnit files dropped anywhere on the page; shows an overlay while dragging.
#[component]
pub fn DropZone() -> impl IntoView {
    let dragging = RwSignal::new(false);
    let state = AppState::get();
    let over = window_event_listener(ev::dragover, move |event| {
        event.prevent_default();
        dragging.set(true);
    });
    let leave = window_event_listener(ev::dragleave, move |event| {
        // Leaving for a child element fires too; only the window edge has no related target.
        if event.related_target().is_none() {
            dragging.set(false);
        }
    });
    let drop = window_event_listener(ev::drop, move |event| {
        event.prevent_default();
        dragging.set(false);
        add_files(
            state,
            files_of(event.data_transfer().and_then(|d| d.files())),
        );
    });
    on_cleanup(move || {
        over.remove();
        leave.remove();
        drop.remove();
    });
    view! {
        <div class="drop-overlay" class:visible=dragging aria-hidden="true">
            <p>"Drop JUnit XML files to add them to the report"</p>
        </div>
    }
}

/// Reads each file and adds it as a local source, parsing in slices that yield to the page.
pub fn add_files(state: AppState, files: Vec<web_sys::File>) {
    for file in files {
        spawn_local(async move {
            let file_name = file.name();
            // A file the browser cannot read is shown as an empty, rejected file.
            let bytes = read_bytes(&file)
                .await
                .unwrap_or_else(|_| Vec::new().into());
            let job = JobName::parse(job_from_file_name(&file_name));
            let results = read_results(&bytes, job.sig()).await;
            let parsed = local_file(&file_name, job, results);
            state.local.update(|entries| {
                let id = entries.last().map_or(0, |e| e.id + 1);
                entries.push(LocalEntry {
                    id,
                    file_name,
                    bytes,
                    file: parsed,
                });
            });
        });
    }
}

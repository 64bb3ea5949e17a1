use leptos::ev;
use leptos::prelude::*;

use super::local_reader::LocalReader;
use crate::source::local::files_of;

/// Accepts JUnit files dropped anywhere on the page; shows an overlay while dragging.
#[component]
pub fn DropZone() -> impl IntoView {
    let dragging = RwSignal::new(false);
    let reader = LocalReader::get();
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
        reader.add(files_of(event.data_transfer().and_then(|d| d.files())));
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

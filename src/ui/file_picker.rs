use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::drop_zone::add_files;
use super::state::AppState;
use crate::source::local::files_of;

/// A button that opens the file chooser for JUnit files (the keyboard path to dropping).
#[component]
pub fn FilePicker() -> impl IntoView {
    let state = AppState::get();
    let on_change = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        add_files(state, files_of(input.files()));
        input.set_value("");
    };
    view! {
        <label class="button file-picker">
            "Add JUnit files…"
            <input type="file" accept=".xml,application/xml,text/xml" multiple on:change=on_change
                aria-label="Add JUnit XML files from your computer"/>
        </label>
    }
}

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::local_reader::LocalReader;
use crate::source::local::files_of;

/// A button that opens the file chooser for JUnit files (the keyboard path to dropping).
#[component]
pub fn FilePicker() -> impl IntoView {
    let reader = LocalReader::get();
    let on_change = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        reader.add(files_of(input.files()));
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

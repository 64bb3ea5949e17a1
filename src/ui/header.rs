use leptos::prelude::*;

use super::file_picker::FilePicker;

/// The page title bar, with the way to add local JUnit files.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="brand">
                <h1>"KubeVirt CI triage"</h1>
                <p class="tagline">"Which e2e tests fail, why, and where — per SIG, live from Prow."</p>
            </div>
            <FilePicker/>
        </header>
    }
}

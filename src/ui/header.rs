use leptos::prelude::*;

/// The page title bar.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <h1>"KubeVirt CI triage"</h1>
            <p class="tagline">"Which e2e tests fail, why, and where — per SIG, live from Prow."</p>
        </header>
    }
}

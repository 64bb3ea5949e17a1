use leptos::prelude::*;
use leptos::task::spawn_local;

use super::clipboard::copy_text;

/// Copies the page URL, which holds every filter, for pasting in chat.
#[component]
pub fn CopyLink() -> impl IntoView {
    let copied = RwSignal::new(None::<Result<(), String>>);
    let copy = move |_| {
        let href = window().location().href().unwrap_or_default();
        spawn_local(async move { copied.set(Some(copy_text(&href).await)) });
    };
    view! {
        <button type="button" class="button" on:click=copy>"Copy link"</button>
        <span class="copy-status" role="status">
            {move || match copied.get() {
                Some(Ok(())) => "Link copied".to_owned(),
                Some(Err(err)) => format!("Could not copy: {err}"),
                None => String::new(),
            }}
        </span>
    }
}

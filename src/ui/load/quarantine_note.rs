use leptos::prelude::*;

use crate::ui::state::AppState;
use triage_core::words::count;

/// Whether KubeVirt's quarantine list was read: how many tests it lists, or why not (then only
/// `[QUARANTINE]` in a name marks a test quarantined). A notice, never a failed load.
#[component]
pub fn QuarantineNote() -> impl IntoView {
    let state = AppState::get();
    move || {
        state.quarantine.with(|list| {
            let text = match list.as_ref()? {
                Ok(list) if list.cut > 0 => format!(
                    "quarantine.json lists {} ({} more left out)",
                    count(list.len() as u64, "test"),
                    list.cut
                ),
                Ok(list) => format!("quarantine.json lists {}", count(list.len() as u64, "test")),
                Err(why) => format!(
                    "quarantine.json not read ({why}): only [QUARANTINE] in a name marks a test quarantined"
                ),
            };
            Some(view! { <p class="quarantine-list muted">{text}</p> })
        })
    }
}

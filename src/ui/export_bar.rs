use leptos::prelude::*;
use leptos::task::spawn_local;

use super::clipboard::{copy_text, download};
use super::runs_on_prow::RunsOnProw;
use triage_core::filter::Filter;
use triage_core::summary::{Report, Scope};
use triage_core::{json, markdown};

/// Exports the current (filtered) view as Markdown, like the hand-written SIG summaries, or JSON;
/// both name their `source` (where the runs were read), since a link can point the page anywhere.
#[component]
pub fn ExportBar(
    report: Memo<Report>,
    filter: Memo<Filter>,
    source: Signal<String>,
) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let on_prow = RunsOnProw::memo();
    let scope = move || {
        let mut scope = report.with(|r| filter.with(|f| Scope::of(r, f, &source.get())));
        scope.prow_links = on_prow.get();
        scope
    };
    let markdown = move || report.with(|r| markdown::render(r, &scope()));
    let copy = move |_| {
        let text = markdown();
        spawn_local(async move {
            status.set(match copy_text(&text).await {
                Ok(()) => "Markdown copied".into(),
                Err(err) => format!("Could not copy: {err}"),
            });
        });
    };
    let save = move |name: &'static str, mime: &'static str, text: String| {
        status.set(match download(name, mime, &text) {
            Ok(()) => format!("Saved {name}"),
            Err(err) => format!("Could not save {name}: {err}"),
        });
    };
    view! {
        <div class="export-bar" role="group" aria-label="Export">
            <span class="export-label">"Export this view:"</span>
            <button type="button" class="button" on:click=copy>"Copy Markdown"</button>
            <button type="button" class="button subtle"
                on:click=move |_| save("kubevirt-sig-failures.md", "text/markdown", markdown())>
                "Download .md"
            </button>
            <button type="button" class="button subtle"
                on:click=move |_| save("kubevirt-sig-failures.json", "application/json",
                    report.with(|r| json::render(r, &scope())))>
                "Download .json"
            </button>
            <span class="copy-status" role="status">{move || status.get()}</span>
        </div>
    }
}

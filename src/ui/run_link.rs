use leptos::prelude::*;

use super::link::Link;
use super::run_label::run_label;
use super::runs_on_prow::RunsOnProw;
use triage_core::links::spyglass_url;
use triage_core::prow::RunPath;

/// A run, labelled by day and pull request, linking its Prow page; runs read from another
/// endpoint than Prow's are text (marked `off-prow`), their build id in the title.
#[component]
pub fn RunLink(
    run: RunPath,
    /// `run-link`, or a history strip's `cell fail`.
    class: &'static str,
    /// What the run says, before the title's run ("fail · "); empty for nothing.
    #[prop(optional)]
    what: String,
    /// The text; the run's label unless given (a strip's cells have none).
    #[prop(optional)]
    text: Option<String>,
) -> impl IntoView {
    let on_prow = RunsOnProw::get();
    let build = run.build();
    let label = run_label(&run);
    let (url, title, class) = if on_prow {
        (
            spyglass_url(&run),
            format!("{what}{label}: Prow run {build}"),
            class.to_owned(),
        )
    } else {
        let title = format!("{what}{label}: Not on Prow (read from another endpoint): run {build}");
        (String::new(), title, format!("{class} off-prow"))
    };
    view! { <Link class=class url=url new_tab=true title=title>{text.unwrap_or(label)}</Link> }
}

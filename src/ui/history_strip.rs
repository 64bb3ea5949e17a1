use leptos::prelude::*;

use super::run_link::RunLink;
use triage_core::history::{History, Outcome};

/// A test's recent runs on one lane as TestGrid draws them: one cell per run, newest right,
/// each linking its Prow run; older runs counted before the cells.
#[component]
pub fn HistoryStrip(history: History) -> impl IntoView {
    let older = (history.older > 0).then(|| format!("+{} older", history.older));
    let cells = history
        .cells
        .into_iter()
        .map(|cell| {
            let (class, what) = match cell.outcome {
                Outcome::Fail => ("cell fail", "failed · "),
                Outcome::Pass => ("cell pass", "passed · "),
                Outcome::NoResult => ("cell none", "no result · "),
            };
            let run = cell.run.path.clone();
            view! { <RunLink run=run class=class what=what.to_owned() text=String::new()/> }
        })
        .collect_view();
    view! {
        <div class="strip" role="group" aria-label="Recent runs, oldest first">
            {older.map(|text| view! { <span class="older">{text}</span> })}
            {cells}
        </div>
    }
}

use leptos::ev::SubmitEvent;
use leptos::prelude::*;

use super::request::RequestMemo;
use crate::params::{PR, RUN};
use crate::source::request::{Entry, Scope};
use crate::ui::query::use_query_writer;

/// Loads just one run (a pasted Prow URL) or one pull request (its number), and shows how to
/// get back to all runs.
#[component]
pub fn RunEntry(request: RequestMemo) -> impl IntoView {
    let write = use_query_writer();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let focus = move || {
        request.with(|request| match request.scope {
            Scope::Pull(pr) => Some(format!("PR #{pr}")),
            Scope::Run(ref run) => Some(format!("run {} of {}", run.build(), run.job())),
            Scope::Window(_) | Scope::Leaderboard { .. } => None,
        })
    };
    let submit = {
        let write = write.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            match Entry::parse(&text.get_untracked()) {
                Ok(entry) => {
                    error.set(None);
                    write(entry.params().to_vec());
                }
                Err(reason) => error.set(Some(reason)),
            }
        }
    };
    let show_all = move |_| write(vec![(RUN.name, None), (PR.name, None)]);
    view! {
        <form class="load-entry" on:submit=submit>
            <label class="filter" for="load-entry-input">"One run or pull request"</label>
            <div class="load-entry-row">
                <input id="load-entry-input" type="text" placeholder="Prow run URL or PR number" bind:value=text/>
                <button type="submit" class="button">"Load"</button>
            </div>
            {move || error.get().map(|reason| view! { <p class="warning">{reason}</p> })}
            {move || focus().map(|label| view! {
                <p class="load-focus">"Showing " {label} " only. "
                    <button type="button" class="button subtle" on:click=show_all.clone()>"Show all runs"</button>
                </p>
            })}
        </form>
    }
}

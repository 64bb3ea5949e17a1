use leptos::prelude::*;

use super::target::Target;
use crate::source::progress::Problem;

/// What could not be loaded, each with its reason and, where another try can help, a retry.
#[component]
pub fn ProblemList(problems: RwSignal<Vec<Problem>>, on_retry: Callback<u32>) -> impl IntoView {
    move || {
        let problems = problems.get();
        let summary = match problems.len() {
            0 => return None,
            1 => "1 problem".to_owned(),
            n => format!("{n} problems"),
        };
        let items = problems.into_iter().map(|problem| {
            let id = problem.id;
            view! {
                <li class="load-problem">
                    <span class="load-reason">{problem.error.to_string()}</span>
                    {problem.retry.is_some().then(|| view! {
                        <button type="button" class="button subtle" on:click=move |_| on_retry.run(id)>"Retry"</button>
                    })}
                    {problem.error.target().map(|url| view! { <Target url=url.to_owned()/> })}
                </li>
            }
        });
        Some(view! {
            <details class="load-problems" open>
                <summary>{summary}</summary>
                <ul>{items.collect_view()}</ul>
            </details>
        })
    }
}

use leptos::prelude::*;

use super::load_panel::RequestMemo;
use super::query::use_query_writer;
use crate::source::request::{JobFilter, LoadRequest, Scope, SourceKind, Window};

/// Picks the source, the time window and the jobs; each choice is a URL parameter, left out
/// when it is the default so links stay short.
#[component]
pub fn SourcePicker(request: RequestMemo) -> impl IntoView {
    let write = use_query_writer();
    let read = move |pick: fn(&LoadRequest) -> Option<String>| {
        move || request.with(|request| request.as_ref().ok().and_then(pick))
    };
    let source = move || request.with(|r| r.as_ref().map(|r| r.source).unwrap_or_default());
    let window = read(|r| match r.scope {
        Scope::Window(window) => Some(window.to_string()),
        _ => None,
    });
    let jobs = read(|r| Some(r.jobs.text()));
    let pick_source = {
        let write = write.clone();
        move |kind: SourceKind| {
            let value = (kind != SourceKind::default()).then(|| kind.param().to_owned());
            write(vec![("source", value), ("run", None), ("pr", None)]);
        }
    };
    let pick_window = {
        let write = write.clone();
        move |text: String| {
            let value = (text != Window::DEFAULT.to_string()).then_some(text);
            write(vec![("window", value)]);
        }
    };
    let pick_jobs = move |text: String| {
        let value = Some(JobFilter::parse(&text))
            .filter(|f| *f != JobFilter::default())
            .map(|f| f.text());
        write(vec![("jobs", value)]);
    };
    view! {
        <fieldset class="load-source">
            <legend>"Source"</legend>
            {SourceKind::ALL.map(|kind| {
                let pick_source = pick_source.clone();
                view! {
                    <label class="load-choice">
                        <input type="radio" name="load-source" value=kind.param()
                            prop:checked=move || source() == kind
                            on:change=move |_| pick_source(kind)/>
                        {kind.label()}
                    </label>
                }
            })}
        </fieldset>
        {move || window().map(|current| {
            let pick_window = pick_window.clone();
            let options = window_options(&current);
            view! {
                <label class="filter">"Load runs of the last"
                    <select prop:value=current on:change=move |ev| pick_window(event_target_value(&ev))>
                        {options.into_iter().map(|text| view! {
                            <option value=text.clone()>{text.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
            }
        })}
        <label class="filter" title="Job names containing any of these comma-separated patterns; * matches anything">"Jobs matching"
            <input type="text" class="load-jobs" prop:value=move || jobs().unwrap_or_default()
                on:change=move |ev| pick_jobs(event_target_value(&ev))/>
        </label>
    }
}

/// The preset windows, plus the current one if the URL asked for another.
fn window_options(current: &str) -> Vec<String> {
    let mut options: Vec<String> = Window::PRESETS.iter().map(Window::to_string).collect();
    if !options.iter().any(|option| option == current) {
        options.push(current.to_owned());
    }
    options
}

use leptos::prelude::*;

use super::request::RequestMemo;
use crate::params::LOAD_WINDOW;
use crate::source::request::{Scope, Window};
use crate::ui::query::use_query_writer;

/// How far back to load, for the scopes that have a time window.
#[component]
pub fn WindowPicker(request: RequestMemo) -> impl IntoView {
    let write = use_query_writer();
    let window = move || {
        request.with(|r| match r.scope {
            Scope::Window(window) => Some(window.to_string()),
            _ => None,
        })
    };
    let pick = move |text: String| {
        let value = (text != Window::DEFAULT.to_string()).then_some(text);
        write(vec![(LOAD_WINDOW.name, value)]);
    };
    move || {
        window().map(|current| {
            let pick = pick.clone();
            let options = window_options(&current);
            view! {
                <label class="filter">"Load runs of the last"
                    <select prop:value=current on:change=move |ev| pick(event_target_value(&ev))>
                        {options.into_iter().map(|text| view! {
                            <option value=text.clone()>{text.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
            }
        })
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

use leptos::prelude::*;

/// One labelled select; the empty choice means "all".
#[component]
pub fn FilterSelect(
    label: &'static str,
    value: Signal<String>,
    options: Signal<Vec<(String, String)>>,
    on_change: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label class="filter">
            <span>{label}</span>
            <select aria-label=label on:change=move |ev| on_change(event_target_value(&ev)) prop:value=value>
                <option value="">"All"</option>
                {move || {
                    options.get().into_iter().map(|(option, text)| {
                        let selected = {
                            let option = option.clone();
                            move || value.with(|value| value == &option)
                        };
                        view! { <option value=option selected=selected>{text}</option> }
                    }).collect_view()
                }}
            </select>
        </label>
    }
}

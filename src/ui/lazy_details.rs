use leptos::prelude::*;

/// A `<details>` whose content is rendered the first time it is opened. A report re-renders
/// every card on each filter change; building the hidden drill-downs (dozens of failures with
/// long messages per card) each time would cost more than the rest of the card. Its `open`
/// follows its own state: a re-rendered card may reuse an opened `<details>` element, which
/// must not stay open with nothing rendered in it.
#[component]
pub fn LazyDetails(
    summary: String,
    #[prop(optional)] class: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let opened = RwSignal::new(false);
    let on_toggle = move |ev: leptos::ev::Event| {
        if event_target::<web_sys::Element>(&ev).has_attribute("open") {
            opened.set(true);
        }
    };
    view! {
        <details class=class prop:open=opened on:toggle=on_toggle>
            <summary>{summary}</summary>
            {move || opened.get().then(|| children())}
        </details>
    }
}

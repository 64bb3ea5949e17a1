use std::rc::Rc;

use leptos::prelude::*;

use super::cache::CacheControl;
use super::entry::RunEntry;
use super::offline::OfflineNotice;
use super::problems::ProblemList;
use super::progress::LoadProgress;
use super::quarantine_note::QuarantineNote;
use super::request::RequestMemo;
use super::source_picker::SourcePicker;
use crate::source::loader::Session;
use crate::source::request::LoadRequest;
use crate::ui::state::AppState;

/// Where results come from: runs the load the URL asks for, and shows how it goes. A new load
/// starts whenever the request changes (other parameters, such as the report filters, do not
/// reload).
#[component]
pub fn LoadPanel(request: RequestMemo) -> impl IntoView {
    let state = AppState::get();
    let status = state.load;
    let session = StoredValue::new_local(None::<Rc<Session>>);
    let restart = move |request: &LoadRequest| {
        session.update_value(|current| {
            if let Some(old) = current.take() {
                old.cancel();
            }
            *current = Some(Session::start(request, Rc::new(state)));
        });
    };
    Effect::new(move |_| request.with(restart));
    let reload = move |_| request.with_untracked(restart);
    let retry = Callback::new(move |id: u32| {
        session.with_value(|current| current.as_ref().map(|session| session.retry(id)));
    });
    let phase = move || status.phase.get().as_str();
    view! {
        <section class="panel load-panel" aria-label="Data source" data-phase=phase>
            <div class="load-controls">
                <SourcePicker request=request/>
                <RunEntry request=request/>
            </div>
            <OfflineNotice status=status request=request/>
            <div class="load-status">
                <LoadProgress status=status request=request/>
                <button type="button" class="button subtle" on:click=reload>"Reload"</button>
                <CacheControl/>
            </div>
            <QuarantineNote/>
            <ProblemList problems=status.problems on_retry=retry/>
        </section>
    }
}

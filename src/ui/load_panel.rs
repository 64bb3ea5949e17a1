use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::load_cache::CacheControl;
use super::load_entry::RunEntry;
use super::load_offline::OfflineNotice;
use super::load_problems::ProblemList;
use super::load_progress::LoadProgress;
use super::load_source::SourcePicker;
use super::state::AppState;
use crate::source::loader::Session;
use crate::source::request::{LoadRequest, QueryError};

/// The request the URL makes, or why it cannot be made.
pub type RequestMemo = Memo<Result<LoadRequest, QueryError>>;

/// Where results come from: picks the source from the URL, runs the load, and shows how it
/// goes. A new load starts whenever the source parameters change (other parameters, such as
/// the report filters, do not reload).
#[component]
pub fn LoadPanel() -> impl IntoView {
    let state = AppState::get();
    let query = use_query_map();
    let request: RequestMemo =
        Memo::new(move |_| query.with(|q| LoadRequest::from_query(|key| q.get_str(key))));
    let status = state.load;
    let session = StoredValue::new_local(None::<Rc<Session>>);
    let restart = move |request: Option<&LoadRequest>| {
        session.update_value(|current| {
            if let Some(old) = current.take() {
                old.cancel();
            }
            *current = request.map(|request| Session::start(request, Rc::new(state)));
        });
    };
    Effect::new(move |_| request.with(|request| restart(request.as_ref().ok())));
    let reload = move |_| request.with_untracked(|request| restart(request.as_ref().ok()));
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
            {move || request.with(|request| request.as_ref().err().map(|error| view! {
                <p class="load-error">"Nothing loaded: " <code>{error.to_string()}</code></p>
            }))}
            <OfflineNotice status=status request=request/>
            <div class="load-status">
                <LoadProgress status=status request=request/>
                <button type="button" class="button subtle" on:click=reload>"Reload"</button>
                <CacheControl/>
            </div>
            <ProblemList problems=status.problems on_retry=retry/>
        </section>
    }
}

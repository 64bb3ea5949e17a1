//! The page's shared state, provided as context: loaded runs and the load status.

use leptos::prelude::*;

use crate::core::run::Run;

/// Everything loaded so far, from every source. Sources only ever add runs (or replace the
/// runs of their own origin); the report is derived from this and the URL filters.
#[derive(Clone, Copy)]
pub struct AppState {
    pub runs: RwSignal<Vec<Run>>,
}

impl AppState {
    pub fn provide() -> AppState {
        let state = AppState {
            runs: RwSignal::new(Vec::new()),
        };
        provide_context(state);
        state
    }

    /// The state provided by [`App`](super::App); components are only ever mounted under it.
    pub fn get() -> AppState {
        expect_context::<AppState>()
    }

    /// Appends freshly loaded runs.
    pub fn add_runs(&self, runs: impl IntoIterator<Item = Run>) {
        self.runs.update(|all| all.extend(runs));
    }
}

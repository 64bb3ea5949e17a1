//! KubeVirt CI triage: per-SIG failure reports built in the browser from Prow results.
//!
//! The pure work (parsing, classification, the report) lives in the `triage_core` package
//! (`crates/core`, with its parse path in `crates/parse`, which it re-exports), tested natively;
//! this crate adds the thin layers on top:
//! `source` (fetching: its planning is pure and tested natively, its browser calls WASM-only)
//! and `ui` (Leptos components, WASM-only).

pub mod href;
pub mod params;
pub mod source;
#[cfg(target_arch = "wasm32")]
pub mod ui;

/// Parses and classifies one JUnit file with the page's pipeline and returns how many failures
/// it holds. Entry point for `scripts/bench`, which times it in the browser
/// (`window.wasmBindings.parse_and_classify`); the page itself does not call it.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn parse_and_classify(bytes: &[u8]) -> u32 {
    let failures = triage_core::run::TestResults::from_bytes(bytes, None)
        .failures
        .len();
    u32::try_from(failures).unwrap_or(u32::MAX)
}

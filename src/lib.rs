//! KubeVirt CI triage: per-SIG failure reports built in the browser from Prow results.
//!
//! `core` is pure Rust (no web dependencies) and is what `cargo test` exercises natively;
//! `source` (fetching) and `ui` (Leptos components) are thin WASM-only layers on top.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod source;
#[cfg(target_arch = "wasm32")]
pub mod ui;

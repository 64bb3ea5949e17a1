//! Fetching: where results come from (the GCS JSON API, the bundled sample read the same way,
//! local files) and how a load walks the bucket. Planning and reading what was fetched are pure
//! and tested natively; what talks to the browser is WASM-only.

pub mod assemble;
pub mod config;
pub mod discover;
pub mod listing;
pub mod record;
pub mod request;
pub mod status;

#[cfg(target_arch = "wasm32")]
pub mod cache;
#[cfg(target_arch = "wasm32")]
pub mod http;
#[cfg(target_arch = "wasm32")]
pub mod loader;
#[cfg(target_arch = "wasm32")]
pub mod local;
#[cfg(target_arch = "wasm32")]
pub mod store;
#[cfg(target_arch = "wasm32")]
mod timer;

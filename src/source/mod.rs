//! Fetching: where results come from (the GCS JSON API, the bundled sample read the same way,
//! local files) and how a load walks the bucket. Planning, bounds, errors and what was fetched
//! are pure and tested natively; what talks to the browser is WASM-only. A load reports through
//! the [`progress::Outlet`] trait: this layer holds no page state.

pub mod assemble;
pub mod bounds;
pub mod bucket;
pub mod cache;
pub mod config;
pub mod discover;
pub mod earlier;
pub mod error;
pub mod listing;
pub mod progress;
pub mod queue;
pub mod record;
pub mod request;

#[cfg(target_arch = "wasm32")]
pub mod http;
#[cfg(target_arch = "wasm32")]
pub mod loader;
#[cfg(target_arch = "wasm32")]
pub mod local;
#[cfg(target_arch = "wasm32")]
pub mod timer;

//! Leptos components, one per file. They only render state; parsing and classification are in `core`.

mod app;
mod header;
mod query;
mod report_area;
mod state;

pub use app::App;

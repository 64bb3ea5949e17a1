//! Leptos components, one per file. They only render state; parsing and classification are in `core`.

mod app;
mod header;
mod report_area;

pub use app::App;

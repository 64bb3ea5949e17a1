//! The data source panel: which bucket and runs to load, how the load goes, what failed.
//! [`panel::LoadPanel`] holds the parts; they share only [`request::RequestMemo`].

mod cache;
mod entry;
mod jobs_picker;
mod offline;
mod panel;
mod problems;
mod progress;
mod quarantine_note;
pub mod request;
mod source_picker;
mod target;
mod window_picker;

pub use panel::LoadPanel;

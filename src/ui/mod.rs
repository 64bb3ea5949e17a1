//! Leptos components, one per file. They only render state; parsing and classification are in `core`.

mod app;
mod clipboard;
mod cluster_list;
mod copy_link;
mod drop_zone;
mod export_bar;
mod failure_detail;
mod file_picker;
mod filter_bar;
mod header;
mod job_list;
mod kind_list;
mod lazy_details;
mod load_cache;
mod load_entry;
mod load_offline;
mod load_panel;
mod load_problems;
mod load_progress;
mod load_source;
mod local_files;
mod notices;
mod query;
mod report_area;
mod show_more;
mod sig_card;
mod skeleton_cards;
mod sparkline;
mod state;
mod test_list;

pub use app::App;

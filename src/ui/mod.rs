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
mod filter_select;
mod header;
mod job_list;
mod kind_list;
mod lazy_details;
mod link;
mod load;
mod local_file_row;
mod local_files;
mod local_reader;
mod notices;
mod pull_failures;
mod query;
mod report_area;
mod run_rate;
mod runs_on_prow;
mod show_more;
mod sig_card;
mod skeleton_cards;
mod source_banner;
mod sparkline;
mod state;
mod test_list;

pub use app::App;

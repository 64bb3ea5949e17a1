//! Fetching: where results come from (GCS JSON API, bundled sample, local files).

pub mod config;
pub mod local;

//! Arbitrary bytes as a dropped JUnit file, through everything a drop does: parse, SIG
//! attribution, classification, clustering, the report and its Markdown. Must never panic.

#![no_main]

use std::sync::Arc;

use chrono::DateTime;
use triage_core::dataset::Dataset;
use triage_core::filter::Filter;
use triage_core::local::{read_file, LocalFile};
use triage_core::summary::{JobTotals, Report, Scope};
use triage_core::{json, markdown};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let LocalFile::Read { run, .. } = read_file("fuzz.xml", data, None) {
        // A fixed clock keeps every run of an input identical.
        let now = DateTime::UNIX_EPOCH;
        let data = Arc::new(Dataset::new([&*run]));
        let report = Report::build(&data, &JobTotals::new(), &Filter::default(), now);
        let scope = Scope::of(&report, &Filter::default(), "test runs");
        let text = markdown::render(&report, &scope);
        assert!(text.starts_with("# KubeVirt SIG Failure Report Summary"));
        // The JSON lists every test and cluster, which the report makes only when read.
        assert!(json::render(&report, &scope).starts_with('{'));
    }
});

//! Arbitrary bytes as a dropped JUnit file, through everything a drop does: parse, SIG
//! attribution, classification, clustering, the report and its Markdown. Must never panic.

#![no_main]

use std::sync::Arc;

use chrono::DateTime;
use kubevirt_ci_triage::core::dataset::Dataset;
use kubevirt_ci_triage::core::filter::Filter;
use kubevirt_ci_triage::core::local::{read_file, LocalFile};
use kubevirt_ci_triage::core::report::{JobTotals, Report};
use kubevirt_ci_triage::core::{json, markdown};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let LocalFile::Read { run, .. } = read_file("fuzz.xml", data, None) {
        // A fixed clock keeps every run of an input identical.
        let now = DateTime::UNIX_EPOCH;
        let data = Arc::new(Dataset::new([&*run]));
        let report = Report::build(&data, &JobTotals::new(), &Filter::default(), now);
        let text = markdown::render(&report, "fuzz");
        assert!(text.starts_with("# KubeVirt SIG Failure Report Summary"));
        // The JSON lists every test and cluster, which the report makes only when read.
        assert!(json::render(&report, "fuzz").starts_with('{'));
    }
});

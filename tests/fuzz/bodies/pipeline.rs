//! The body of the `pipeline` fuzz target, shared with the native replay of its committed corpus
//! (`tests/fuzz_corpus.rs`), so that the two cannot drift apart.

use std::sync::Arc;

use chrono::DateTime;
use triage_core::dataset::Dataset;
use triage_core::filter::Filter;
use triage_core::local::{read_file, LocalFile};
use triage_core::summary::{JobTotals, Report, Scope};
use triage_core::{json, markdown};

/// Arbitrary bytes as a dropped JUnit file, through everything a drop does: parse, SIG
/// attribution, classification, clustering, the report, its Markdown and its JSON. Panics when a
/// promise breaks; returns whether the file was read (rather than rejected).
pub fn pipeline(data: &[u8]) -> bool {
    let LocalFile::Read { run, .. } = read_file("fuzz.xml", data, None) else {
        return false;
    };
    // A fixed clock keeps every run of an input identical.
    let now = DateTime::UNIX_EPOCH;
    let data = Arc::new(Dataset::new([&*run]));
    let report = Report::build(&data, &JobTotals::new(), &Filter::default(), now);
    let scope = Scope::of(&report, &Filter::default(), "fuzz");
    let text = markdown::render(&report, &scope);
    assert!(text.starts_with("# KubeVirt SIG Failure Report Summary"));
    // The JSON lists every test and cluster, which the report makes only when read.
    assert!(json::render(&report, &scope).starts_with('{'));
    true
}

//! Arbitrary text as a failure's test name, type and message, through normalisation, cluster ids
//! and the builtin rules. Must never panic, and keeps the bounds the docs promise.

#![no_main]

use triage_core::classify::classify;
use triage_core::normalize::{normalize, ClusterId};
use triage_core::rules::FailureInput;
use libfuzzer_sys::fuzz_target;

/// `normalize` keeps at most 5,000 chars at each end around a 3-char ellipsis.
const MAX_NORMALIZED_CHARS: usize = 10_003;

fuzz_target!(|input: (&str, &str, &str)| {
    let (test_name, failure_type, message) = input;
    let normalized = normalize(message);
    assert!(normalized.chars().count() <= MAX_NORMALIZED_CHARS);
    let id = ClusterId::of(&normalized);
    assert_eq!(id.to_string().parse(), Ok(id));
    let input = FailureInput {
        test_name,
        failure_type,
        message,
    };
    classify(&input);
});

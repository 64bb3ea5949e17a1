//! The body of the `normalize_classify` fuzz target, shared with the native replay of its
//! committed corpus (`tests/fuzz_corpus.rs`), so that the two cannot drift apart.

use triage_core::classify::classify;
use triage_core::normalize::{normalize, ClusterId};
use triage_core::rules::FailureInput;

/// `normalize` keeps at most 5,000 chars at each end around a 3-char ellipsis.
const MAX_NORMALIZED_CHARS: usize = 10_003;

/// Arbitrary bytes as a failure: test name, failure type and message separated by NUL bytes
/// (missing parts are empty; invalid UTF-8 becomes U+FFFD, as the JUnit parser's text never holds
/// it), through normalisation, cluster ids and the builtin rules. A plain byte format, rather
/// than `arbitrary`'s, so that corpus files can be written and read by hand. Panics when a
/// promise breaks.
pub fn normalize_classify(data: &[u8]) {
    let mut parts = data.splitn(3, |&b| b == 0).map(String::from_utf8_lossy);
    let mut next = || parts.next().unwrap_or_default();
    let (test_name, failure_type, message) = (next(), next(), next());
    let normalized = normalize(&message);
    assert!(normalized.chars().count() <= MAX_NORMALIZED_CHARS);
    let id = ClusterId::of(&normalized);
    assert_eq!(id.to_string().parse(), Ok(id));
    let input = FailureInput {
        test_name: &test_name,
        failure_type: &failure_type,
        message: &message,
    };
    classify(&input);
}

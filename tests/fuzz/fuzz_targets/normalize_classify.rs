//! Arbitrary bytes as a failure's test name, type and message (NUL-separated), through
//! normalisation, cluster ids and the builtin rules (see `bodies/normalize_classify.rs`, which
//! `cargo test` also runs on the corpus in `tests/fixtures/fuzz/normalize_classify/`). Must never
//! panic, and keeps the bounds the docs promise.

#![no_main]

#[path = "../bodies/normalize_classify.rs"]
mod body;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    body::normalize_classify(data);
});

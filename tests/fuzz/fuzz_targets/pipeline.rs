//! Arbitrary bytes as a dropped JUnit file, through everything a drop does (see
//! `bodies/pipeline.rs`, which `cargo test` also runs on the corpus in
//! `tests/fixtures/fuzz/pipeline/`). Must never panic.

#![no_main]

#[path = "../bodies/pipeline.rs"]
mod body;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    body::pipeline(data);
});

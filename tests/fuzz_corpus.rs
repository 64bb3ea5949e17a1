//! Replays the fuzz targets' committed regression corpus (`tests/fixtures/fuzz/<target>/`, made
//! by `make-corpus.mjs` there: truncated and malformed XML, entity bombs, deep nesting, huge
//! attributes, invalid UTF-8, BOMs, CDATA, message-less failures, the real files cut at odd
//! offsets) through the very bodies the fuzz targets run (`tests/fuzz/bodies/`), so every
//! `cargo test` checks what the fuzzer checks, on stable and without cargo-fuzz.

#[path = "fuzz/bodies/normalize_classify.rs"]
mod normalize_classify;
#[path = "fuzz/bodies/pipeline.rs"]
mod pipeline;

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

/// Every file of the target's corpus, sorted by name, with its bytes.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&path).expect("a corpus file"))
        })
        .collect();
    files.sort();
    files
}

/// Runs `body` on every file of the corpus, and fails naming every file on which it panicked.
fn replay<T>(target: &str, min_files: usize, body: impl Fn(&[u8]) -> T) -> Vec<(String, T)> {
    let files = corpus(target);
    assert!(
        files.len() >= min_files,
        "{target}: {} corpus files, expected at least {min_files}",
        files.len()
    );
    let mut outcomes = Vec::new();
    let mut panicked = Vec::new();
    for (name, bytes) in files {
        match catch_unwind(AssertUnwindSafe(|| body(&bytes))) {
            Ok(outcome) => outcomes.push((name, outcome)),
            Err(_) => panicked.push(name),
        }
    }
    assert!(panicked.is_empty(), "{target} panicked on {panicked:?}");
    outcomes
}

#[test]
fn pipeline_corpus_never_panics_and_reaches_both_outcomes() {
    let outcomes = replay("pipeline", 80, pipeline::pipeline);
    let read = |name: &str| {
        outcomes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, read)| *read)
    };
    // The corpus must exercise both the report (files read) and the rejection path.
    assert_eq!(read("empty.xml"), Some(false));
    assert_eq!(read("not-xml.pdf"), Some(false));
    assert_eq!(read("bom-suite.xml"), Some(true));
    assert_eq!(read("billion-laughs.xml"), Some(true));
    // Most cuts of the real files end inside their only test case, so nothing is read from them.
    let read_count = outcomes.iter().filter(|(_, read)| *read).count();
    let rejected_count = outcomes.len() - read_count;
    assert!(
        read_count >= 20 && rejected_count >= 20,
        "{read_count} files read, {rejected_count} rejected"
    );
}

#[test]
fn normalize_classify_corpus_never_panics() {
    replay(
        "normalize_classify",
        18,
        normalize_classify::normalize_classify,
    );
}

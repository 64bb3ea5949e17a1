//! All knowledge of the bucket's layout and of the sites around it lives in the core's
//! `prow` module: no other non-test source spells the bucket, its folders or those URLs.

#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

/// What only `crates/core/prow.rs` may spell out.
const LAYOUT: &[&str] = &[
    "kubevirt-prow",
    "kubevirt_kubevirt",
    "pr-logs/",
    "\"logs/",
    "prow.ci.kubevirt.io",
    "github.com/kubevirt",
    "storage.googleapis.com",
];

#[test]
fn only_the_prow_module_knows_the_bucket_layout() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["crates/core", "src"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 40, "read only {} files", files.len());
    let mut found = Vec::new();
    for file in files
        .iter()
        .filter(|file| !file.ends_with("crates/core/prow.rs"))
    {
        let source = std::fs::read_to_string(file).expect("readable source");
        for (number, line) in code_lines(&source) {
            for needle in LAYOUT.iter().filter(|needle| line.contains(**needle)) {
                let at = file.strip_prefix(&root).unwrap_or(file).display();
                found.push(format!("{at}:{number}: {needle}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "bucket layout outside prow.rs:\n{}",
        found.join("\n")
    );
}

/// The non-comment lines before the file's test module (by this codebase's convention the
/// last item, `#[cfg(test)] mod tests`), numbered from 1.
fn code_lines(source: &str) -> impl Iterator<Item = (usize, &str)> {
    source
        .lines()
        .enumerate()
        .take_while(|(_, line)| !line.starts_with("#[cfg(test)]"))
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .map(|(index, line)| (index + 1, line))
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable folder") {
        let path = entry.expect("folder entry").path();
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}

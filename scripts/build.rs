//! Build script.
//! - Turns the failure rules (`src/core/failure-kinds.toml`, written for people) into compact
//!   JSON for the page, so the WASM carries neither the file's comments nor a TOML parser. A
//!   rules file that is not valid TOML fails the build here, with the parser's message.
//! - Tells tests where the shared real KubeVirt CI data is (`KUBEVIRT_SHARED`): next to the
//!   checkout as `../shared`, or where the variable points, or this workplace's `/work/shared`,
//!   so a clone anywhere on the machine finds it.

use std::path::{Path, PathBuf};

const RULES: &str = "src/core/failure-kinds.toml";
const SHARED_VAR: &str = "KUBEVIRT_SHARED";
const WORKPLACE_SHARED: &str = "/work/shared";

fn main() {
    rules_to_json();
    locate_shared_data();
}

fn rules_to_json() {
    println!("cargo:rerun-if-changed={RULES}");
    let text = std::fs::read_to_string(RULES).unwrap_or_else(|e| panic!("{RULES}: {e}"));
    let value: serde_json::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{RULES}: {e}"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let json = serde_json::to_string(&value).expect("TOML values are JSON values");
    std::fs::write(out.join("failure-kinds.json"), json).expect("OUT_DIR is writable");
}

fn locate_shared_data() {
    println!("cargo:rerun-if-env-changed={SHARED_VAR}");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let beside = manifest.join("../shared");
    let candidates = [
        std::env::var_os(SHARED_VAR).map(PathBuf::from),
        Some(beside.clone()),
        Some(PathBuf::from(WORKPLACE_SHARED)),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .find(|dir| dir.join("kubevirt-data").is_dir());
    let shared = found.unwrap_or_else(|| {
        println!("cargo:warning=shared KubeVirt data not found: set {SHARED_VAR}; tests need it");
        beside
    });
    println!("cargo:rustc-env={SHARED_VAR}={}", display(&shared));
}

fn display(path: &Path) -> String {
    path.canonicalize()
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

// Included by both build scripts (the app's and the core's): tells tests where the shared real
// KubeVirt CI data is (`KUBEVIRT_SHARED`): next to the checkout as `../shared`, or where the
// variable points, or this workplace's `/work/shared`, so a clone anywhere on the machine finds it.

const SHARED_VAR: &str = "KUBEVIRT_SHARED";
const WORKPLACE_SHARED: &str = "/work/shared";

/// Sets `KUBEVIRT_SHARED` for the package's code; `checkout` is the project's root directory.
fn locate_shared_data(checkout: &std::path::Path) {
    use std::path::PathBuf;
    println!("cargo:rerun-if-env-changed={SHARED_VAR}");
    let beside = checkout.join("../shared");
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
    let shown = shared.canonicalize().unwrap_or(shared);
    println!("cargo:rustc-env={SHARED_VAR}={}", shown.display());
}

/// The directory of the package being built.
fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .expect("cargo sets CARGO_MANIFEST_DIR")
        .into()
}

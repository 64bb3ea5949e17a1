//! wasm-bindgen tests run in headless Chromium: the app mounts and the core runs in WASM.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a browser document")
}

#[wasm_bindgen_test]
fn app_mounts_with_header_and_empty_report() {
    leptos::mount::mount_to_body(kubevirt_ci_triage::ui::App);
    let doc = document();
    let title = doc.query_selector("h1").unwrap().expect("a heading");
    assert_eq!(title.text_content().as_deref(), Some("KubeVirt CI triage"));
    let report = doc
        .query_selector("section.report")
        .unwrap()
        .expect("a report area");
    assert!(report
        .text_content()
        .unwrap_or_default()
        .contains("storage.googleapis.com/kubevirt-prow"));
}

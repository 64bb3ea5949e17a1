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
fn app_mounts_with_header_load_panel_and_report_area() {
    leptos::mount::mount_to_body(kubevirt_ci_triage::ui::App);
    let doc = document();
    let title = doc.query_selector("h1").unwrap().expect("a heading");
    assert_eq!(title.text_content().as_deref(), Some("KubeVirt CI triage"));
    let panel = doc
        .query_selector("section.load-panel")
        .unwrap()
        .expect("a load panel");
    assert!(panel.get_attribute("data-phase").is_some());
    assert!(doc.query_selector("section.report").unwrap().is_some());
    assert!(doc.query_selector("form.filters").unwrap().is_some());
}

/// The same core code classifies the same way when compiled to WASM.
#[wasm_bindgen_test]
fn core_parses_and_classifies_in_wasm() {
    use triage_core::run::TestResults;
    let xml = br#"<testsuite name="KubeVirt Tests Suite"><testcase name="[sig-storage]VirtualMachineSnapshot Tests should create an online snapshot"><failure type="Failure">tests/storage/snapshot.go:412
Timed out after 180.000s. Timed out waiting for the agent of testvmi-abcde to connect
tests/storage/snapshot.go:415</failure></testcase><testcase name="[sig-compute]ok"/><testcase name="[sig-compute]skip"><skipped/></testcase></testsuite>"#;
    let results = TestResults::from_bytes(xml, None);
    assert_eq!((results.passed, results.skipped), (1, 1));
    let failure = &results.failures[0];
    assert_eq!(failure.sig.slug(), "storage");
    assert_eq!(failure.classification.kind().id, "snapshot");
    assert_eq!(failure.classification.symptom.id, "timeout");
    assert_eq!(failure.location.as_ref().map(|l| l.line), Some(412));
}

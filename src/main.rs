//! Entry point: mounts the Leptos app. Everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    // Mounted in a task of its own: instantiating the module and first running the app's code
    // (compiled lazily) made one startup task of 50-80 ms.
    wasm_bindgen_futures::spawn_local(async {
        kubevirt_ci_triage::source::timer::sleep(0).await;
        leptos::mount::mount_to_body(kubevirt_ci_triage::ui::App);
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is a web page: build it with `trunk build --release` (see README.md).");
    std::process::exit(2);
}

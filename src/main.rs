//! Entry point: mounts the Leptos app. Everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(kubevirt_ci_triage::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is a web page: build it with `trunk build --release` (see README.md).");
    std::process::exit(2);
}

//! Build script of the app: its tests read the shared real KubeVirt CI data too.

include!("shared_data.rs");

fn main() {
    locate_shared_data(&manifest_dir());
}

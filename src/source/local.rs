//! Reading files the user dropped or picked, through the same parser as fetched JUnit.

use std::sync::Arc;

use js_sys::Uint8Array;
use wasm_bindgen_futures::JsFuture;

/// The bytes of a browser `File`, or the browser's reason for not giving them.
pub async fn read_bytes(file: &web_sys::File) -> Result<Arc<[u8]>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|err| format!("{}: could not be read ({err:?})", file.name()))?;
    Ok(Uint8Array::new(&buffer).to_vec().into())
}

/// The files of a `FileList` (from a drop or a file input), in order.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

//! Reading files the user dropped or picked, through the same parser as fetched JUnit, in
//! slices that yield to the browser so a 100 MB file never freezes the page.

use std::sync::Arc;

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::timer::sleep;
use triage_core::junit::JunitReader;
use triage_core::run::{ResultsReader, TestResults};
use triage_core::sig::Sig;

/// Test cases read between clock checks.
const SLICE: usize = 200;
/// Bytes copied from the browser's buffer into WASM memory between clock checks (< 1 ms).
const COPY_CHUNK: u32 = 1 << 20;
/// Longest the reader holds the UI thread before yielding, in milliseconds.
const BUDGET_MS: f64 = 30.0;

/// The bytes of a browser `File`, or the browser's reason for not giving them.
///
/// They are copied straight into their final allocation a chunk at a time, yielding to the page
/// between chunks: `to_vec().into()` copied a 100 MB file twice (into a `Vec`, then into the
/// `Arc`) in one task of ~170 ms, and left WASM memory, which never shrinks, at twice its size.
pub async fn read_bytes(file: &web_sys::File) -> Result<Arc<[u8]>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|err| browser_reason(&err))?;
    let source = Uint8Array::new(&buffer);
    let len = source.length();
    let mut bytes = Arc::<[u8]>::new_uninit_slice(len as usize);
    let Some(target) = Arc::get_mut(&mut bytes) else {
        unreachable!("a new Arc has no other owner");
    };
    let mut budget = Budget::start();
    for start in (0..len).step_by(COPY_CHUNK as usize) {
        let end = len.min(start.saturating_add(COPY_CHUNK));
        source
            .subarray(start, end)
            .copy_to_uninit(&mut target[start as usize..end as usize]);
        budget.spend().await;
    }
    // SAFETY: the chunks cover `0..len`, so every byte has been written.
    Ok(unsafe { bytes.assume_init() })
}

/// The browser's own words for a failed read (`NotReadableError: The requested file could not
/// be read…`), which say more than any the page could make up.
fn browser_reason(err: &wasm_bindgen::JsValue) -> String {
    if let Some(error) = err.dyn_ref::<js_sys::Error>() {
        return format!(
            "{}: {}",
            String::from(error.name()),
            String::from(error.message())
        );
    }
    err.as_string()
        .unwrap_or_else(|| "the browser gave no reason".to_owned())
}

/// The files of a `FileList` (from a drop or a file input), in order.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Parses and classifies a JUnit file, yielding to the event loop every [`BUDGET_MS`].
pub async fn read_results(bytes: &[u8], job_sig: Option<Sig>) -> TestResults {
    let mut reader = ResultsReader::new(JunitReader::new(bytes), job_sig);
    let mut budget = Budget::start();
    while reader.step(SLICE) {
        budget.spend().await;
    }
    // Callers add the results to the page, which re-renders the report: that gets a task of its
    // own rather than the end of the last slice's.
    sleep(0).await;
    reader.finish()
}

/// How long the current task has held the UI thread.
pub struct Budget {
    slice_start: f64,
}

impl Budget {
    pub fn start() -> Budget {
        Budget {
            slice_start: now_ms(),
        }
    }

    /// Yields to the event loop once the task has run for [`BUDGET_MS`].
    pub async fn spend(&mut self) {
        if now_ms() - self.slice_start > BUDGET_MS {
            sleep(0).await;
            self.slice_start = now_ms();
        }
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

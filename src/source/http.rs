//! GET with the page's network rules: the body streamed and capped (by its declared length and
//! by the bytes that came), an idle timeout rather than a whole-download one, retries with
//! doubling pauses on throttling, server errors and network trouble, and byte counting.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_net::http::Request;
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, AbortSignal, ReadableStream, ReadableStreamDefaultReader,
    ReadableStreamReadResult,
};

use super::bounds::{backoff_ms, declared_over, ATTEMPTS, FIRST_BACKOFF_MS, IDLE_TIMEOUT_MS};
use super::error::{FailKind, FetchError};
use super::timer::{sleep, Timeout};

/// Fetches bodies and counts the bytes received.
#[derive(Default)]
pub struct Http {
    received: Cell<u64>,
}

impl Http {
    /// Bytes received so far, by every answer read in full.
    pub fn received(&self) -> u64 {
        self.received.get()
    }

    /// The body of a 2xx answer, at most `limit` bytes. A 404 fails at once with
    /// [`FailKind::NotFound`], a larger body with [`FailKind::TooLarge`].
    pub async fn get(&self, url: &str, limit: u64) -> Result<Vec<u8>, FetchError> {
        let mut attempt = 1;
        loop {
            match fetch(url, limit).await {
                Ok(bytes) => {
                    self.received.set(self.received.get() + bytes.len() as u64);
                    return Ok(bytes);
                }
                Err(kind) if kind.is_transient() && attempt < ATTEMPTS => {
                    sleep(backoff_ms(FIRST_BACKOFF_MS, attempt)).await;
                    attempt += 1;
                }
                Err(kind) => {
                    return Err(FetchError {
                        url: url.to_owned(),
                        kind,
                        attempts: attempt,
                    })
                }
            }
        }
    }
}

/// One try.
async fn fetch(url: &str, limit: u64) -> Result<Vec<u8>, FailKind> {
    let watch = IdleWatch::start();
    let response = Request::get(url)
        .abort_signal(watch.signal.as_ref())
        .send()
        .await
        .map_err(|e| watch.failure(e.to_string()))?;
    match response.status() {
        200..=299 => {}
        404 => return Err(FailKind::NotFound),
        code => return Err(FailKind::Status(code)),
    }
    let declared = response.headers().get("content-length");
    if declared_over(declared.as_deref(), limit) {
        return Err(FailKind::TooLarge { limit });
    }
    match response.body() {
        Some(body) => read_body(body, limit, &watch).await,
        None => Ok(Vec::new()),
    }
}

/// Reads a body chunk by chunk, giving up as soon as it passes `limit` (whatever its headers
/// said) or goes quiet.
async fn read_body(
    body: ReadableStream,
    limit: u64,
    watch: &IdleWatch,
) -> Result<Vec<u8>, FailKind> {
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::new();
    loop {
        watch.rearm();
        let result: ReadableStreamReadResult = JsFuture::from(reader.read())
            .await
            .map_err(|e| watch.failure(js_message(&e)))?
            .unchecked_into();
        if result.get_done().unwrap_or(true) {
            return Ok(bytes);
        }
        let chunk: Uint8Array = result
            .get_value()
            .dyn_into()
            .map_err(|_| FailKind::Invalid("the body is not bytes".into()))?;
        let start = bytes.len();
        let end = start + chunk.length() as usize;
        if end as u64 > limit {
            // Dropping the watch aborts the download.
            return Err(FailKind::TooLarge { limit });
        }
        bytes.resize(end, 0);
        chunk.copy_to(&mut bytes[start..]);
    }
}

/// The message of a rejected promise (a `TypeError` when the connection drops).
fn js_message(error: &wasm_bindgen::JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => error.message().into(),
        None => format!("{error:?}"),
    }
}

/// Aborts a request once no byte has come for [`IDLE_TIMEOUT_MS`], or when dropped mid-flight
/// (a cancelled load, an oversized body).
struct IdleWatch {
    controller: Option<AbortController>,
    signal: Option<AbortSignal>,
    fired: Rc<Cell<bool>>,
    timer: RefCell<Option<Timeout>>,
}

impl IdleWatch {
    fn start() -> IdleWatch {
        let controller = AbortController::new().ok();
        let watch = IdleWatch {
            signal: controller.as_ref().map(AbortController::signal),
            controller,
            fired: Rc::new(Cell::new(false)),
            timer: RefCell::new(None),
        };
        watch.rearm();
        watch
    }

    /// Something came: the quiet period starts again.
    fn rearm(&self) {
        let Some(controller) = self.controller.clone() else {
            return;
        };
        let fired = self.fired.clone();
        // Replacing the timer cancels the previous one.
        *self.timer.borrow_mut() = Some(Timeout::new(IDLE_TIMEOUT_MS, move || {
            fired.set(true);
            controller.abort();
        }));
    }

    fn failure(&self, detail: String) -> FailKind {
        if self.fired.get() {
            FailKind::Idle {
                seconds: IDLE_TIMEOUT_MS.div_ceil(1000),
            }
        } else {
            FailKind::Network(detail)
        }
    }
}

impl Drop for IdleWatch {
    fn drop(&mut self) {
        // Aborting a finished request does nothing.
        if let Some(controller) = &self.controller {
            controller.abort();
        }
    }
}

//! GET with the page's network rules: a deadline per attempt (an `AbortController`), retries
//! with doubling pauses on throttling, server errors and network trouble, and byte counting.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::Request;
use leptos::prelude::*;
use web_sys::{AbortController, AbortSignal};

use super::status::{backoff_ms, Counts, FailKind, FetchError};
use super::timer::{sleep, Timeout};

/// How hard to try one URL.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// Tries in all, the first included.
    pub attempts: u32,
    pub first_backoff_ms: u32,
    pub timeout_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 4,
            first_backoff_ms: 300,
            timeout_ms: 30_000,
        }
    }
}

/// Fetches bytes and adds them to a load's counts.
#[derive(Clone, Copy)]
pub struct Http {
    pub policy: RetryPolicy,
    pub counts: RwSignal<Counts>,
}

impl Http {
    /// The body of a 2xx answer. A 404 fails at once with [`FailKind::NotFound`].
    pub async fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let mut attempt = 1;
        loop {
            match self.attempt(url).await {
                Ok(bytes) => {
                    self.counts.update(|c| c.bytes += bytes.len() as u64);
                    return Ok(bytes);
                }
                Err(kind) if kind.is_transient() && attempt < self.policy.attempts => {
                    sleep(backoff_ms(self.policy.first_backoff_ms, attempt)).await;
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

    async fn attempt(&self, url: &str) -> Result<Vec<u8>, FailKind> {
        let deadline = Deadline::start(self.policy.timeout_ms);
        let response = Request::get(url)
            .abort_signal(deadline.signal.as_ref())
            .send()
            .await
            .map_err(|e| deadline.failure(e))?;
        match response.status() {
            200..=299 => response.binary().await.map_err(|e| deadline.failure(e)),
            404 => Err(FailKind::NotFound),
            code => Err(FailKind::Status(code)),
        }
    }
}

/// Aborts a request when its time is up, or when dropped mid-flight (a cancelled load).
struct Deadline {
    controller: Option<AbortController>,
    signal: Option<AbortSignal>,
    fired: Rc<Cell<bool>>,
    timeout_ms: u32,
    _timer: Option<Timeout>,
}

impl Deadline {
    fn start(timeout_ms: u32) -> Deadline {
        let controller = AbortController::new().ok();
        let fired = Rc::new(Cell::new(false));
        let timer = controller.clone().map(|controller| {
            let fired = fired.clone();
            Timeout::new(timeout_ms, move || {
                fired.set(true);
                controller.abort();
            })
        });
        Deadline {
            signal: controller.as_ref().map(AbortController::signal),
            controller,
            fired,
            timeout_ms,
            _timer: timer,
        }
    }

    fn failure(&self, error: gloo_net::Error) -> FailKind {
        if self.fired.get() {
            FailKind::TimedOut {
                seconds: self.timeout_ms.div_ceil(1000),
            }
        } else {
            FailKind::Network(error.to_string())
        }
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        // Aborting a finished request does nothing.
        if let Some(controller) = &self.controller {
            controller.abort();
        }
    }
}

//! Finished runs never change, so their records (and the pointers leading to them) are kept in
//! the browser's Cache Storage: a reload fetches listings and new runs only. Caching is best
//! effort: where Cache Storage is missing (an insecure origin) or full, loads simply fetch.

use std::cell::RefCell;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, CacheStorage, Response};

/// Bump when what is stored changes shape.
const CACHE_NAME: &str = "kubevirt-ci-triage-v1";

/// Text entries keyed by URL, in one named cache opened on first use.
#[derive(Default)]
pub struct RunCache {
    opened: RefCell<Option<Option<Cache>>>,
}

impl RunCache {
    pub async fn get(&self, key: &str) -> Option<String> {
        let cache = self.open().await?;
        let found = JsFuture::from(cache.match_with_str(key)).await.ok()?;
        let response: Response = found.dyn_into().ok()?;
        JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()
    }

    pub async fn put(&self, key: &str, value: &str) {
        let Some(cache) = self.open().await else {
            return;
        };
        if let Ok(response) = Response::new_with_opt_str(Some(value)) {
            // A full or unavailable cache only means fetching again next time.
            let _ = JsFuture::from(cache.put_with_str(key, &response)).await;
        }
    }

    /// Deletes every cached entry. Loads already under way keep going uncached.
    pub async fn clear() -> Result<(), String> {
        let storage = storage().ok_or("this page cannot use the browser cache")?;
        JsFuture::from(storage.delete(CACHE_NAME))
            .await
            .map(drop)
            .map_err(|e| format!("the browser refused: {e:?}"))
    }

    async fn open(&self) -> Option<Cache> {
        if let Some(opened) = self.opened.borrow().clone() {
            return opened;
        }
        let opened = match storage() {
            Some(storage) => JsFuture::from(storage.open(CACHE_NAME))
                .await
                .ok()
                .and_then(|cache| cache.dyn_into().ok()),
            None => None,
        };
        *self.opened.borrow_mut() = Some(opened.clone());
        opened
    }
}

/// Cache Storage exists in secure contexts only (https, localhost).
fn storage() -> Option<CacheStorage> {
    let window = web_sys::window()?;
    if !window.is_secure_context() {
        return None;
    }
    window.caches().ok()
}

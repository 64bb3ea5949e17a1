//! Finished runs never change, so their records (and the pointers leading to them) are kept in
//! the browser's Cache Storage: a reload fetches listings and new runs only. Caching is best
//! effort: where Cache Storage is missing (an insecure origin) or full, loads simply fetch.
//! Entries of runs older than [`KEEP_DAYS`] are deleted once per page, so the cache does not grow
//! with every day of use.

use std::cell::{Cell, RefCell};

use chrono::{Duration, Utc};

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, CacheStorage, Request, Response};

use super::record::{is_stale, KEEP_DAYS};

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
        if let Some(cache) = opened.clone() {
            prune_once(cache);
        }
        opened
    }
}

thread_local! {
    static PRUNED: Cell<bool> = const { Cell::new(false) };
}

/// Deletes, in the background and once per page, the entries of runs older than [`KEEP_DAYS`]:
/// loads never read them (their windows are shorter), so this never races with a load.
fn prune_once(cache: Cache) {
    if PRUNED.with(|pruned| pruned.replace(true)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let cutoff = Utc::now() - Duration::days(KEEP_DAYS);
        let Ok(keys) = JsFuture::from(cache.keys()).await else {
            return;
        };
        let stale: Vec<String> = js_sys::Array::from(&keys)
            .iter()
            .filter_map(|key| key.dyn_into::<Request>().ok())
            .map(|request| request.url())
            .filter(|url| is_stale(url, cutoff))
            .collect();
        for url in stale {
            // Best effort, like every cache write.
            let _ = JsFuture::from(cache.delete_with_str(&url)).await;
        }
    });
}

/// Cache Storage exists in secure contexts only (https, localhost).
fn storage() -> Option<CacheStorage> {
    let window = web_sys::window()?;
    if !window.is_secure_context() {
        return None;
    }
    window.caches().ok()
}

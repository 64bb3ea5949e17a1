//! Finished runs never change, so their records (and the pointers leading to them) are kept in
//! the browser's Cache Storage: a reload fetches listings and new runs only. Caching is best
//! effort: where Cache Storage is missing (an insecure origin) or full, loads simply fetch.
//!
//! The cache never keeps a wrong answer: entries are keyed by the object URL, which names the
//! endpoint and the bucket; what can still change is not stored (see
//! [`is_settled`](super::assemble::is_settled)); the cache's name carries the record format's
//! version and caches of older versions are deleted; once per page, entries of runs older than
//! [`KEEP_DAYS`], dated in the future, or naming no readable build are deleted.

use chrono::{DateTime, Duration, Utc};

use triage_core::prow::BuildId;

use super::bounds::is_future;

/// What every version of this page's cache is called, followed by the version.
pub const CACHE_FAMILY: &str = "kubevirt-ci-triage-";
/// Bump the version when what is stored changes shape or meaning (v2: failed runs without JUnit
/// are cached only once their JUnit can no longer land; v3: whether the job is optional).
pub const CACHE_NAME: &str = "kubevirt-ci-triage-v3";

/// How long cached runs and pointers are kept: well past the longest window the page loads.
pub const KEEP_DAYS: i64 = 30;

/// Whether a cache of the browser's is an older version of this page's cache, to delete.
pub fn is_older_cache(name: &str) -> bool {
    name.starts_with(CACHE_FAMILY) && name != CACHE_NAME
}

/// Whether an entry is to be deleted: it belongs to a run scheduled before `now` minus
/// [`KEEP_DAYS`] or dated in the future, or its key names no build. Entries are keyed by the URL
/// of a run's record or of a presubmit pointer, and both name the build (the last 19-digit
/// segment of the object name).
pub fn is_prunable(key: &str, now: DateTime<Utc>) -> bool {
    let path = key.split('?').next().unwrap_or(key);
    let build = path
        .split('/')
        .flat_map(|part| part.split("%2F"))
        .map(|segment| segment.trim_end_matches(".txt"))
        .filter(|segment| segment.len() == 19)
        .filter_map(|segment| segment.parse::<BuildId>().ok())
        .last();
    build
        .is_none_or(|build| build.time() < now - Duration::days(KEEP_DAYS) || is_future(build, now))
}

#[cfg(target_arch = "wasm32")]
pub use browser::RunCache;

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::cell::{Cell, RefCell};

    use chrono::Utc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Cache, CacheStorage, Request, Response};

    use super::{is_older_cache, is_prunable, CACHE_NAME};

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
                Some(storage) => {
                    tidy_once(&storage).await;
                    JsFuture::from(storage.open(CACHE_NAME))
                        .await
                        .ok()
                        .and_then(|cache| cache.dyn_into().ok())
                }
                None => None,
            };
            *self.opened.borrow_mut() = Some(opened.clone());
            opened
        }
    }

    thread_local! {
        static TIDIED: Cell<bool> = const { Cell::new(false) };
    }

    /// Once per page: deletes older versions of the cache, then the entries
    /// [`is_prunable`] picks. Best effort, like every cache write.
    async fn tidy_once(storage: &CacheStorage) {
        if TIDIED.with(|tidied| tidied.replace(true)) {
            return;
        }
        if let Ok(names) = JsFuture::from(storage.keys()).await {
            for name in js_sys::Array::from(&names)
                .iter()
                .filter_map(|n| n.as_string())
            {
                if is_older_cache(&name) {
                    let _ = JsFuture::from(storage.delete(&name)).await;
                }
            }
        }
        let Ok(cache) = JsFuture::from(storage.open(CACHE_NAME)).await else {
            return;
        };
        let Ok(cache) = cache.dyn_into::<Cache>() else {
            return;
        };
        let Ok(keys) = JsFuture::from(cache.keys()).await else {
            return;
        };
        let now = Utc::now();
        let doomed: Vec<String> = js_sys::Array::from(&keys)
            .iter()
            .filter_map(|key| key.dyn_into::<Request>().ok())
            .map(|request| request.url())
            .filter(|url| is_prunable(url, now))
            .collect();
        for url in doomed {
            let _ = JsFuture::from(cache.delete_with_str(&url)).await;
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-08-22T15:00:00Z")
            .unwrap()
            .to_utc()
    }

    #[test]
    fn older_versions_of_the_cache_are_deleted_and_nothing_else() {
        assert!(is_older_cache("kubevirt-ci-triage-v1"));
        assert!(is_older_cache("kubevirt-ci-triage-"));
        assert!(!is_older_cache(CACHE_NAME));
        assert!(!is_older_cache("other-site-v1"));
        assert!(!is_older_cache("kubevirt-ci-triage"));
    }

    #[test]
    fn entries_of_old_future_or_unnamed_builds_are_pruned() {
        let build = |days: i64| BuildId::first_at(now() + Duration::days(days)).unwrap();
        let gcs = "https://storage.googleapis.com/storage/v1/b/kubevirt-prow/o/";
        let record = |id: BuildId| {
            format!("{gcs}pr-logs%2Fpull%2Fkubevirt_kubevirt%2F18828%2Fpull-kubevirt-e2e-k8s-1.34-sig-network%2F{id}%2Ftriage-record.json?alt=media")
        };
        let pointer = |id: BuildId| {
            format!("{gcs}pr-logs%2Fdirectory%2Fpull-kubevirt-e2e-k8s-1.34-sig-network%2F{id}.txt?alt=media")
        };
        let (old, kept, ahead) = (build(-KEEP_DAYS - 1), build(-KEEP_DAYS + 1), build(2));
        for key in [record(kept), pointer(kept), record(build(0))] {
            assert!(!is_prunable(&key, now()), "{key}");
        }
        for key in [
            record(old),
            pointer(old),
            record(ahead),
            pointer(ahead),
            format!("{gcs}pr-logs%2Fpull%2Fkubevirt_kubevirt%2F18828?alt=media"),
            format!("{gcs}logs%2Fj%2F99999999999999999999%2Ftriage-record.json?alt=media"),
        ] {
            assert!(is_prunable(&key, now()), "{key}");
        }
        assert!(is_prunable(
            &format!(
                "./sample/logs/periodic-kubevirt-e2e-k8s-1.34-sig-storage/{old}/triage-record.json"
            ),
            now()
        ));
    }
}

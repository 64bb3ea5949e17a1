//! The bucket a load reads: GCS through its JSON API, or the bundled snapshot, served as static
//! files beside the page and listed from its manifest. Both answer the same questions, so the
//! sample exercises the same discovery and parsing code as live data.

use serde::de::DeserializeOwned;

use super::config::{encode, StorageConfig};
use super::error::FetchError;

/// Where the bundled sample lives, relative to the page (trunk copies `public/sample/` there).
pub const SAMPLE_BASE: &str = "./sample/";

/// Where objects are read from.
#[derive(Clone, Debug, PartialEq)]
pub enum Bucket {
    Gcs(StorageConfig),
    /// The snapshot under `./sample/`, listed from its manifest.
    Sample,
}

impl Bucket {
    /// The download URL of an object. It names the endpoint and the bucket, so it also keys
    /// what is cached of the object: one endpoint's answers are never served for another's.
    pub fn object_url(&self, name: &str) -> String {
        match self {
            Bucket::Gcs(config) => config.object_url(name),
            Bucket::Sample => {
                let path: Vec<String> = name.split('/').map(encode).collect();
                format!("{SAMPLE_BASE}{}", path.join("/"))
            }
        }
    }
}

/// Reads a JSON answer. (Through `&str`, as core does, so one JSON reader is compiled in.)
pub fn json<T: DeserializeOwned>(url: &str, bytes: &[u8]) -> Result<T, FetchError> {
    serde_json::from_str(text(url, bytes)?).map_err(|e| FetchError::invalid(url, e.to_string()))
}

/// An answer as text.
pub fn text<'a>(url: &str, bytes: &'a [u8]) -> Result<&'a str, FetchError> {
    std::str::from_utf8(bytes).map_err(|_| FetchError::invalid(url, "not UTF-8 text"))
}

#[cfg(target_arch = "wasm32")]
mod fetch {
    use std::cell::RefCell;
    use std::rc::Rc;

    use chrono::{DateTime, Utc};

    use super::super::bounds::{PageTokens, MAX_JSON_BYTES};
    use super::super::error::{FailKind, FetchError};
    use super::super::http::Http;
    use super::super::listing::{ListQuery, Listed, Listing, Manifest};
    use super::{text, Bucket, SAMPLE_BASE};

    const MANIFEST: &str = "manifest.json";

    thread_local! {
        /// The sample's manifest: a file bundled with the page, so read once per page.
        static MANIFEST_READ: RefCell<Option<Rc<Manifest>>> = const { RefCell::new(None) };
    }

    impl Bucket {
        /// What a time window counts back from: the clock, or when the sample was taken.
        pub async fn now(&self, http: &Http) -> Result<DateTime<Utc>, FetchError> {
            match self {
                Bucket::Gcs(_) => Ok(Utc::now()),
                Bucket::Sample => Ok(manifest(http).await?.snapshot),
            }
        }

        /// A whole listing, page after page until the last, a repeated page token or
        /// [`MAX_LISTING_PAGES`](super::super::bounds::MAX_LISTING_PAGES).
        pub async fn list(&self, http: &Http, query: &ListQuery) -> Result<Listed, FetchError> {
            let config = match self {
                Bucket::Gcs(config) => config,
                Bucket::Sample => return Ok(Listed::whole(manifest(http).await?.list(query))),
            };
            let mut listing = Listing::default();
            let mut tokens = PageTokens::default();
            let mut token: Option<String> = None;
            loop {
                let url = config.list_url(query, token.as_deref());
                let page: Listing = super::json(&url, &http.get(&url, MAX_JSON_BYTES).await?)?;
                let next = listing.append(page);
                match tokens.next(next) {
                    Ok(Some(next)) => token = Some(next),
                    Ok(None) => return Ok(Listed::whole(listing)),
                    Err(kind) => {
                        let first = config.list_url(query, None);
                        let cut = Some(FetchError::new(&first, kind));
                        return Ok(Listed { listing, cut });
                    }
                }
            }
        }

        /// An object's bytes (at most `limit` of them), or `None` when there is no such object.
        pub async fn get(
            &self,
            http: &Http,
            name: &str,
            limit: u64,
        ) -> Result<Option<Vec<u8>>, FetchError> {
            match http.get(&self.object_url(name), limit).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(FetchError {
                    kind: FailKind::NotFound,
                    ..
                }) => Ok(None),
                Err(error) => Err(error),
            }
        }
    }

    async fn manifest(http: &Http) -> Result<Rc<Manifest>, FetchError> {
        if let Some(manifest) = MANIFEST_READ.with_borrow(Clone::clone) {
            return Ok(manifest);
        }
        let url = format!("{SAMPLE_BASE}{MANIFEST}");
        let bytes = http.get(&url, MAX_JSON_BYTES).await?;
        let manifest = Manifest::parse(text(&url, &bytes)?)
            .map_err(|e| FetchError::invalid(&url, e.to_string()))?;
        let manifest = Rc::new(manifest);
        MANIFEST_READ.set(Some(manifest.clone()));
        Ok(manifest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_urls_name_endpoint_and_bucket() {
        let name = "logs/periodic-kubevirt-e2e-k8s-1.34-sig-storage/2089023992760373248/triage-record.json";
        let a = Bucket::Gcs(StorageConfig {
            base_url: "http://127.0.0.1:1".into(),
            ..StorageConfig::default()
        });
        let b = Bucket::Gcs(StorageConfig {
            base_url: "http://127.0.0.1:2".into(),
            ..StorageConfig::default()
        });
        let other = Bucket::Gcs(StorageConfig {
            base_url: "http://127.0.0.1:1".into(),
            bucket: "x".into(),
        });
        let urls = [&a, &b, &other, &Bucket::Sample].map(|bucket| bucket.object_url(name));
        for (i, url) in urls.iter().enumerate() {
            assert!(urls[i + 1..].iter().all(|later| later != url), "{url}");
        }
        assert_eq!(
            urls[3],
            "./sample/logs/periodic-kubevirt-e2e-k8s-1.34-sig-storage/2089023992760373248/triage-record.json"
        );
    }

    #[test]
    fn answers_must_be_text_and_json() {
        assert_eq!(json::<u32>("u", b"12"), Ok(12));
        let bad = json::<u32>("u", b"\xff").unwrap_err();
        assert_eq!(bad.reason(), "unreadable answer: not UTF-8 text");
        assert!(json::<u32>("u", b"{").is_err());
    }
}

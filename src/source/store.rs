//! The bucket a load reads: GCS through its JSON API, or the bundled snapshot, served as static
//! files beside the page and listed from its manifest. Both answer the same questions, so the
//! sample exercises the same discovery and parsing code as live data.

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use super::config::{encode, StorageConfig};
use super::http::Http;
use super::listing::{ListQuery, Listing, Manifest};
use super::request::Bucket;
use super::status::{FailKind, FetchError};

/// Where the bundled sample lives, relative to the page (trunk copies `public/sample/` there).
pub const SAMPLE_BASE: &str = "./sample/";
const MANIFEST: &str = "manifest.json";

pub enum Store {
    Gcs(StorageConfig),
    Sample(Sample),
}

/// The bundled snapshot; its manifest is fetched on first use and kept once read.
#[derive(Default)]
pub struct Sample {
    manifest: RefCell<Option<Rc<Manifest>>>,
}

impl Store {
    pub fn new(bucket: &Bucket) -> Store {
        match bucket {
            Bucket::Gcs(config) => Store::Gcs(config.clone()),
            Bucket::Sample => Store::Sample(Sample::default()),
        }
    }

    pub fn object_url(&self, name: &str) -> String {
        match self {
            Store::Gcs(config) => config.object_url(name),
            Store::Sample(_) => {
                let path: Vec<String> = name.split('/').map(encode).collect();
                format!("{SAMPLE_BASE}{}", path.join("/"))
            }
        }
    }

    /// What a time window counts back from: the clock, or when the sample was taken.
    pub async fn now(&self, http: &Http) -> Result<DateTime<Utc>, FetchError> {
        match self {
            Store::Gcs(_) => Ok(Utc::now()),
            Store::Sample(sample) => Ok(sample.manifest(http).await?.snapshot),
        }
    }

    /// A whole listing, every page of it.
    pub async fn list(&self, http: &Http, query: &ListQuery) -> Result<Listing, FetchError> {
        let config = match self {
            Store::Gcs(config) => config,
            Store::Sample(sample) => return Ok(sample.manifest(http).await?.list(query)),
        };
        let mut listing = Listing::default();
        let mut token: Option<String> = None;
        loop {
            let url = config.list_url(query, token.as_deref());
            listing.append(json(&url, &http.get(&url).await?)?);
            match listing.next_page_token.take() {
                Some(next) if token.as_ref() != Some(&next) => token = Some(next),
                Some(_) => return Err(FetchError::invalid(&url, "the same page token twice")),
                None => return Ok(listing),
            }
        }
    }

    /// An object's bytes, or `None` when there is no such object.
    pub async fn get(&self, http: &Http, name: &str) -> Result<Option<Vec<u8>>, FetchError> {
        match http.get(&self.object_url(name)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(FetchError {
                kind: FailKind::NotFound,
                ..
            }) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

impl Sample {
    async fn manifest(&self, http: &Http) -> Result<Rc<Manifest>, FetchError> {
        if let Some(manifest) = self.manifest.borrow().clone() {
            return Ok(manifest);
        }
        let url = format!("{SAMPLE_BASE}{MANIFEST}");
        let bytes = http.get(&url).await?;
        let manifest = Manifest::parse(text(&url, &bytes)?)
            .map_err(|e| FetchError::invalid(&url, e.to_string()))?;
        let manifest = Rc::new(manifest);
        *self.manifest.borrow_mut() = Some(manifest.clone());
        Ok(manifest)
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

//! Where the page reads from, overridable in the URL so tests and mirrors can point elsewhere.

/// The GCS JSON API endpoint and bucket to read Prow results from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorageConfig {
    /// Scheme, host and optional port, no trailing slash, e.g. `https://storage.googleapis.com`.
    pub base_url: String,
    pub bucket: String,
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            base_url: "https://storage.googleapis.com".into(),
            bucket: "kubevirt-prow".into(),
        }
    }
}

impl StorageConfig {
    /// Applies the `gcs` (base URL) and `bucket` query parameters over the defaults.
    pub fn with_overrides(base_url: Option<&str>, bucket: Option<&str>) -> Self {
        let default = Self::default();
        Self {
            base_url: base_url
                .map(|url| url.trim_end_matches('/').to_owned())
                .filter(|url| !url.is_empty())
                .unwrap_or(default.base_url),
            bucket: bucket
                .filter(|b| !b.is_empty())
                .map(str::to_owned)
                .unwrap_or(default.bucket),
        }
    }

    /// The listing endpoint of the bucket (`.../storage/v1/b/<bucket>/o`).
    pub fn objects_url(&self) -> String {
        format!("{}/storage/v1/b/{}/o", self.base_url, self.bucket)
    }
}

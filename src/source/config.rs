//! Where the page reads from, overridable in the URL so tests and mirrors can point elsewhere,
//! and the GCS JSON API URLs built from it.

use triage_core::prow::{BUCKET, GCS_URL};

use super::listing::ListQuery;

/// Most entries GCS returns per listing page (its maximum).
pub const PAGE_SIZE: u32 = 1000;

/// The listing fields the client reads; asking only for them keeps pages small.
const LIST_FIELDS: &str = "prefixes,items(name),nextPageToken";

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
            base_url: GCS_URL.into(),
            bucket: BUCKET.into(),
        }
    }
}

impl StorageConfig {
    /// Applies the `gcs` (base URL) and `bucket` query parameters over the defaults.
    pub fn with_overrides(base_url: Option<&str>, bucket: Option<&str>) -> Self {
        let default = Self::default();
        Self {
            base_url: base_url
                .map(|url| url.trim().trim_end_matches('/').to_owned())
                .filter(|url| !url.is_empty())
                .unwrap_or(default.base_url),
            bucket: bucket
                .map(str::trim)
                .filter(|b| !b.is_empty())
                .map(str::to_owned)
                .unwrap_or(default.bucket),
        }
    }

    /// The listing endpoint of the bucket (`.../storage/v1/b/<bucket>/o`).
    pub fn objects_url(&self) -> String {
        format!("{}/storage/v1/b/{}/o", self.base_url, encode(&self.bucket))
    }

    /// One page of a `/`-delimited listing; `page_token` continues a previous page.
    pub fn list_url(&self, query: &ListQuery, page_token: Option<&str>) -> String {
        let mut url = format!(
            "{}?prefix={}&delimiter=%2F&maxResults={PAGE_SIZE}&fields={}",
            self.objects_url(),
            encode(&query.prefix),
            encode(LIST_FIELDS)
        );
        let params = [
            ("startOffset", query.start_offset.as_deref()),
            ("pageToken", page_token),
        ];
        for (key, value) in params {
            if let Some(value) = value {
                url.push_str(&format!("&{key}={}", encode(value)));
            }
        }
        url
    }

    /// The download URL of an object: its whole name is one encoded path segment.
    pub fn object_url(&self, name: &str) -> String {
        format!("{}/{}?alt=media", self.objects_url(), encode(name))
    }
}

/// Percent-encodes all but RFC 3986 unreserved characters, so a value (including `/`) is
/// safe as one path segment or query value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local() -> StorageConfig {
        StorageConfig::with_overrides(Some("http://127.0.0.1:4443/ "), Some("kubevirt-prow"))
    }

    #[test]
    fn overrides_fall_back_to_the_public_bucket() {
        assert_eq!(
            StorageConfig::with_overrides(None, None),
            StorageConfig::default()
        );
        assert_eq!(
            StorageConfig::with_overrides(Some(" "), Some("")),
            StorageConfig::default()
        );
        assert_eq!(local().base_url, "http://127.0.0.1:4443");
        assert_eq!(
            StorageConfig::default().objects_url(),
            "https://storage.googleapis.com/storage/v1/b/kubevirt-prow/o"
        );
    }

    #[test]
    fn object_names_are_one_encoded_segment() {
        assert_eq!(
            local().object_url("pr-logs/pull/kubevirt_kubevirt/1/j/2/artifacts/junit.functest.xml"),
            "http://127.0.0.1:4443/storage/v1/b/kubevirt-prow/o/pr-logs%2Fpull%2Fkubevirt_kubevirt%2F1%2Fj%2F2%2Fartifacts%2Fjunit.functest.xml?alt=media"
        );
        assert_eq!(encode("a b&c=d?#%+é"), "a%20b%26c%3Dd%3F%23%25%2B%C3%A9");
        assert_eq!(encode("A-z_0.9~"), "A-z_0.9~");
    }

    #[test]
    fn listing_urls_carry_offset_and_page_token() {
        let query = ListQuery {
            prefix: "logs/job/".into(),
            start_offset: Some("logs/job/2089023992760373248".into()),
        };
        assert_eq!(
            local().list_url(&query, Some("tok/en")),
            "http://127.0.0.1:4443/storage/v1/b/kubevirt-prow/o?prefix=logs%2Fjob%2F&delimiter=%2F\
             &maxResults=1000&fields=prefixes%2Citems%28name%29%2CnextPageToken\
             &startOffset=logs%2Fjob%2F2089023992760373248&pageToken=tok%2Fen"
        );
        let first = local().list_url(&ListQuery::folder("logs/"), None);
        assert!(
            !first.contains("startOffset") && !first.contains("pageToken"),
            "{first}"
        );
    }
}

//! Where the page reads from, overridable in the URL so tests and mirrors can point elsewhere,
//! and the GCS JSON API URLs built from it.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use triage_core::prow::{BUCKET, GCS_URL};

use super::listing::ListQuery;
use crate::href::Target;

/// Most entries GCS returns per listing page (its maximum).
pub const PAGE_SIZE: u32 = 1000;

/// The listing fields the client reads (names, and the links on presubmit pointers); asking only
/// for them keeps pages small.
const LIST_FIELDS: &str = "prefixes,items(name,metadata),nextPageToken";

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
    /// Whether this is the public KubeVirt bucket, whose runs Prow shows.
    pub fn is_default(&self) -> bool {
        *self == StorageConfig::default()
    }

    /// The endpoint and bucket in words, for the page's banner and the exports.
    pub fn describe(&self) -> String {
        format!("bucket {} at {}", self.bucket, self.base_url)
    }
}

/// Reads a `gcs` value: the scheme, host, optional port and path of a GCS JSON API endpoint.
///
/// Only URLs the page may both link to and fetch from are taken: `https:`, or `http:` to this
/// machine as the Content-Security-Policy names it (it cannot say "127.0.0.0/8", and Chromium
/// refuses IPv6 literals in it).
pub fn parse_base_url(text: &str) -> Result<String, String> {
    let url = text.trim().trim_end_matches('/');
    if !is_fetchable(url) || crate::href::target(url) == Some(Target::Relative) {
        return Err(format!(
            "use an https:// URL or http:// to {LOOPBACK_NAMES}"
        ));
    }
    if url.contains(['?', '#']) {
        return Err("use a URL without ? or #".into());
    }
    Ok(url.to_owned())
}

/// Reads a `bucket` value: a GCS bucket name (lowercase letters, digits, `-`, `_` and `.`).
pub fn parse_bucket(text: &str) -> Result<String, String> {
    let name = text.trim();
    let valid_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b));
    let ends_alphanumeric = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    let bytes = name.as_bytes();
    if (3..=222).contains(&name.len())
        && valid_chars
        && ends_alphanumeric(bytes.first())
        && ends_alphanumeric(bytes.last())
    {
        Ok(name.to_owned())
    } else {
        Err("not a GCS bucket name".into())
    }
}

/// The loopback hosts the page's Content-Security-Policy lets it fetch from over `http:`.
pub const LOOPBACK_NAMES: &str = "127.0.0.1 or localhost";

/// Whether the page may fetch `url` under its Content-Security-Policy (`connect-src 'self' https:
/// http://127.0.0.1:* http://localhost:*`): an https URL, a relative path, or http to one of
/// [`LOOPBACK_NAMES`].
pub fn is_fetchable(url: &str) -> bool {
    match crate::href::target(url) {
        Some(Target::Https | Target::Relative) => true,
        Some(Target::Loopback) => {
            let host = url["http://".len()..].split(['/', '?', '#']).next();
            let host = host.unwrap_or_default().to_ascii_lowercase();
            ["127.0.0.1", "localhost"].iter().any(|name| {
                host.strip_prefix(name)
                    .is_some_and(|port| port.is_empty() || port.starts_with(':'))
            })
        }
        None => false,
    }
}

impl StorageConfig {
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

/// Everything but RFC 3986 unreserved characters.
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes all but RFC 3986 unreserved characters, so a value (including `/`) is
/// safe as one path segment or query value.
pub fn encode(text: &str) -> String {
    utf8_percent_encode(text, RESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local() -> StorageConfig {
        StorageConfig {
            base_url: parse_base_url("http://127.0.0.1:4443/ ").unwrap(),
            bucket: parse_bucket(BUCKET).unwrap(),
        }
    }

    #[test]
    fn endpoints_are_https_or_this_machine() {
        assert_eq!(local().base_url, "http://127.0.0.1:4443");
        assert!(!local().is_default() && StorageConfig::default().is_default());
        assert_eq!(
            StorageConfig::default().objects_url(),
            "https://storage.googleapis.com/storage/v1/b/kubevirt-prow/o"
        );
        for ok in [
            "https://storage.googleapis.com",
            "https://mirror.example/gcs/",
            "http://localhost:9000",
        ] {
            assert!(parse_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:void(0)//x",
            "data:text/plain,x",
            "//evil.example",
            "http://evil.example",
            "http://127.0.0.2:4443",
            "http://[::1]:4443",
            "http://localhost.evil.example",
            "./relative",
            "https://x.example/?a=1",
            "",
        ] {
            let error = parse_base_url(bad).unwrap_err();
            assert!(error.starts_with("use "), "{bad}: {error}");
        }
        assert!(is_fetchable("./sample/results.json"));
        assert!(is_fetchable("http://127.0.0.1:9/r.json"));
        assert!(!is_fetchable("http://127.0.0.9/r.json"));
        assert!(!is_fetchable("javascript:fetch('x')"));
    }

    #[test]
    fn buckets_are_gcs_names() {
        for ok in ["kubevirt-prow", "a.b_c-1", "abc"] {
            assert_eq!(parse_bucket(ok).as_deref(), Ok(ok));
        }
        for bad in [
            "ab",
            "Kubevirt",
            "-x-",
            "a/b",
            "x?y",
            "javascript:x",
            "x.",
            "",
        ] {
            assert!(parse_bucket(bad).is_err(), "{bad}");
        }
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
             &maxResults=1000&fields=prefixes%2Citems%28name%2Cmetadata%29%2CnextPageToken\
             &startOffset=logs%2Fjob%2F2089023992760373248&pageToken=tok%2Fen"
        );
        let first = local().list_url(&ListQuery::folder("logs/"), None);
        assert!(
            !first.contains("startOffset") && !first.contains("pageToken"),
            "{first}"
        );
    }
}

//! Bucket listings: the GCS JSON API answer, and the same answer computed from the bundled
//! sample's manifest, so both feed the same discovery code.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{de, Deserialize, Deserializer};

use super::error::FetchError;

/// A `/`-delimited listing of one folder: the sub-folders and objects directly in it, from
/// `start_offset` on (names compare as strings, as in GCS).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListQuery {
    /// The folder, ending with `/`.
    pub prefix: String,
    pub start_offset: Option<String>,
}

impl ListQuery {
    pub fn folder(prefix: impl Into<String>) -> ListQuery {
        ListQuery {
            prefix: prefix.into(),
            start_offset: None,
        }
    }
}

/// A listing answer: one page, or all pages merged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Listing {
    /// Sub-folders, each ending with `/`.
    #[serde(default)]
    pub prefixes: Vec<String>,
    #[serde(default)]
    pub items: Vec<Item>,
    /// Set when more pages follow.
    #[serde(default)]
    pub next_page_token: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Item {
    pub name: String,
    /// Custom metadata (GCS lists it with each object). A map, as `started.json`'s `repos` and
    /// `prowjob.json`'s labels are, so the page carries one map reader.
    #[serde(default)]
    metadata: BTreeMap<String, String>,
}

/// Where a presubmit pointer's metadata names the run's folder (`pr-logs/directory/<job>/<build>.txt`
/// holds the same `gs://` folder as its content, so one listing of a job's pointers names every
/// run's folder): Prow's uploader sets `x-goog-meta-link`; older uploads (gsutil's
/// `-h x-goog-meta-link:` header) show as `link`.
const LINK_KEYS: [&str; 2] = ["x-goog-meta-link", "link"];

impl Item {
    /// An object without metadata, as the sample's manifest lists them.
    pub fn named(name: impl Into<String>) -> Item {
        Item {
            name: name.into(),
            metadata: BTreeMap::new(),
        }
    }

    /// The folder a pointer's metadata names, if it has a link.
    pub fn link(&self) -> Option<&str> {
        LINK_KEYS
            .iter()
            .find_map(|key| self.metadata.get(*key))
            .map(String::as_str)
    }
}

/// A whole listing, or the pages read before it was cut at a bound (a repeated page token, too
/// many pages): what was read is used, and the cut is reported.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listed {
    pub listing: Listing,
    pub cut: Option<FetchError>,
}

impl Listed {
    pub fn whole(listing: Listing) -> Listed {
        Listed { listing, cut: None }
    }
}

impl Listing {
    /// Appends the next page and returns its continuation token.
    pub fn append(&mut self, page: Listing) -> Option<String> {
        self.prefixes.extend(page.prefixes);
        self.items.extend(page.items);
        page.next_page_token
    }

    /// The objects, each with its name without the folder prefix.
    pub fn items_in<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a Item)> + 'a {
        self.items
            .iter()
            .filter_map(move |item| Some((item.name.strip_prefix(prefix)?, item)))
    }

    /// The names of the sub-folders, without the folder prefix and the trailing `/`.
    pub fn folder_names<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.prefixes.iter().filter_map(move |folder| {
            folder
                .strip_prefix(prefix)?
                .strip_suffix('/')
                .filter(|name| !name.is_empty())
        })
    }
}

/// `sample/manifest.json`: every object of the bundled bucket snapshot, and when it was taken
/// (the "now" its time window counts back from).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Manifest {
    #[serde(deserialize_with = "rfc3339")]
    pub snapshot: DateTime<Utc>,
    objects: Vec<String>,
}

/// An RFC 3339 time through chrono's strict parser: its serde impl takes more spellings through
/// the general format parser, about 9 KB of WASM for a file we write ourselves.
fn rfc3339<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(deserializer)?;
    DateTime::parse_from_rfc3339(&text)
        .map(|time| time.to_utc())
        .map_err(de::Error::custom)
}

impl Manifest {
    /// Reads a manifest; object names are sorted here, so the file's order does not matter.
    pub fn parse(json: &str) -> Result<Manifest, serde_json::Error> {
        let mut manifest: Manifest = serde_json::from_str(json)?;
        manifest.objects.sort_unstable();
        manifest.objects.dedup();
        Ok(manifest)
    }

    /// What GCS would answer to `query` for this bucket, in one page.
    pub fn list(&self, query: &ListQuery) -> Listing {
        let offset = query.start_offset.as_deref().unwrap_or("");
        let mut listing = Listing::default();
        for name in &self.objects {
            let Some(rest) = name.strip_prefix(&query.prefix) else {
                continue;
            };
            if name.as_str() < offset {
                continue;
            }
            match rest.find('/') {
                Some(slash) => {
                    let folder = &name[..query.prefix.len() + slash + 1];
                    if listing.prefixes.last().map(String::as_str) != Some(folder) {
                        listing.prefixes.push(folder.to_owned());
                    }
                }
                None => listing.items.push(Item::named(name.clone())),
            }
        }
        listing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<'a>(listing: &'a Listing, prefix: &'a str) -> Vec<&'a str> {
        listing.items_in(prefix).map(|(name, _)| name).collect()
    }

    fn manifest() -> Manifest {
        Manifest::parse(
            r#"{"snapshot": "2026-08-22T15:00:00Z", "objects": [
                "logs/job-b/300/finished.json",
                "logs/job-a/200/started.json",
                "logs/job-a/100/finished.json",
                "logs/job-a/100/artifacts/junit.functest.xml",
                "logs/job-a/latest-build.txt",
                "logs/job-a/200/started.json",
                "pr-logs/directory/job-c/5.txt"
            ]}"#,
        )
        .unwrap()
    }

    #[test]
    fn manifest_listing_matches_gcs_semantics() {
        let m = manifest();
        let top = m.list(&ListQuery::folder("logs/"));
        assert_eq!(top.prefixes, ["logs/job-a/", "logs/job-b/"]);
        assert!(top.items.is_empty());
        let job = m.list(&ListQuery::folder("logs/job-a/"));
        assert_eq!(job.prefixes, ["logs/job-a/100/", "logs/job-a/200/"]);
        assert_eq!(names(&job, "logs/job-a/"), ["latest-build.txt"]);
        let since = m.list(&ListQuery {
            prefix: "logs/job-a/".into(),
            start_offset: Some("logs/job-a/150".into()),
        });
        assert_eq!(
            since.folder_names("logs/job-a/").collect::<Vec<_>>(),
            ["200"]
        );
        assert_eq!(since.items.len(), 1, "latest-build.txt sorts after the ids");
        assert_eq!(m.list(&ListQuery::folder("nothing/")), Listing::default());
        assert_eq!(m.snapshot.to_rfc3339(), "2026-08-22T15:00:00+00:00");
    }

    #[test]
    fn reads_gcs_pages_and_merges_them() {
        let mut listing: Listing = serde_json::from_str(
            r#"{"kind": "storage#objects", "prefixes": ["logs/a/"], "nextPageToken": "t"}"#,
        )
        .unwrap();
        assert_eq!(listing.next_page_token.as_deref(), Some("t"));
        let last: Listing = serde_json::from_str(
            r#"{"items": [{"name": "logs/x.txt", "size": "12", "bucket": "b"}], "nextPageToken": ""}"#,
        )
        .unwrap();
        assert_eq!(listing.append(last).as_deref(), Some(""));
        assert_eq!(listing.folder_names("logs/").collect::<Vec<_>>(), ["a"]);
        assert_eq!(names(&listing, "logs/"), ["x.txt"]);
        let empty: Listing = serde_json::from_str(r#"{"kind": "storage#objects"}"#).unwrap();
        assert_eq!(empty, Listing::default());
    }

    #[test]
    fn pointer_links_come_from_either_metadata_key() {
        let page: Listing = serde_json::from_str(
            r#"{"items": [
                {"name": "a.txt", "metadata": {"x-goog-meta-link": "gs://b/new", "link": "gs://b/old"}},
                {"name": "b.txt", "metadata": {"link": "gs://b/old"}},
                {"name": "c.txt", "metadata": {"other": "x"}},
                {"name": "d.txt"}
            ]}"#,
        )
        .unwrap();
        let links: Vec<_> = page.items.iter().map(Item::link).collect();
        assert_eq!(links, [Some("gs://b/new"), Some("gs://b/old"), None, None]);
    }

    #[test]
    fn odd_names_never_break_listing() {
        let listing = Listing {
            prefixes: vec!["logs//".into(), "other/x/".into(), "logs/ok/".into()],
            items: vec![Item::named("other")],
            next_page_token: None,
        };
        assert_eq!(listing.folder_names("logs/").collect::<Vec<_>>(), ["ok"]);
        assert!(names(&listing, "logs/").is_empty());
    }

    #[test]
    fn rejects_bad_manifests() {
        for bad in [
            "",
            "{}",
            r#"{"snapshot": "yesterday", "objects": []}"#,
            r#"{"snapshot": "2026-08-22T15:00:00Z"}"#,
        ] {
            assert!(Manifest::parse(bad).is_err(), "{bad}");
        }
    }
}

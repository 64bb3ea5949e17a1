//! Failure-message normalisation for clustering, after kubernetes/test-infra's triage.
//!
//! The same failure reads differently in every run: durations, addresses, generated object names
//! and numbers change. [`normalize`] replaces those parts with placeholders so that equal failures
//! give equal text, and [`ClusterId::of`] turns that text into a short, stable id.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex_lite::{Captures, Regex};

/// Normalised texts longer than this many chars keep only their head and tail.
const MAX_CHARS: usize = 10_000;
/// Raw messages keep this many chars at each end before the passes run, bounding their work.
/// Generous against [`MAX_CHARS`], so a cut rarely depends on run-specific text.
const RAW_KEEP: usize = 4 * MAX_CHARS;
/// Marks where the middle of a long text was cut out.
const ELLIPSIS: &str = " … ";

/// Lowercase segments Kubernetes `generateName` draws from: no vowels, no 0/1/3.
const GENERATED_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// What a pass puts in place of each match.
#[derive(Clone, Copy)]
enum Replacement {
    /// A fixed text; `${1}` refers to the first capture group.
    Text(&'static str),
    /// `<NAME>` if the matched hyphenated token ends in a random suffix, else the token unchanged.
    GeneratedName,
}

use Replacement::{GeneratedName, Text};

/// The passes in order: each runs over the output of the one before, so earlier, more specific
/// shapes (a UUID, an IP) are replaced before later, looser ones (a hex string, a number) see them.
const PASSES: &[(&str, Replacement)] = &[
    (
        r"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
        Text("<UID>"),
    ),
    // IPv6, full or with `::` between groups, optionally bracketed with a port. Before the clock
    // time pass, which would otherwise eat `10:10:10` out of `fd10:10:10::2`.
    (
        r"(?i)\[?\b(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})\b\]?(?::\d{1,5}\b)?",
        Text("<IP>"),
    ),
    (r"(?i)\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b", Text("<MAC>")),
    (
        r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|\s?[+-]\d{2}:?\d{2})?)?",
        Text("<TIME>"),
    ),
    (r"\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b", Text("<TIME>")),
    (r"\b0x[0-9a-fA-F]+\b", Text("<HEX>")),
    (r"\b(?:\d{1,3}\.){3}\d{1,3}\b(?::\d{1,5}\b)?", Text("<IP>")),
    (r"(\.(?:go|py|sh|rs|js|ts|c|h)):\d+\b", Text("${1}:<LINE>")),
    (
        r"\b([a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*):\d{1,5}\b",
        Text("${1}:<PORT>"),
    ),
    // Go durations (`360.001s`, `2m30s`, `500ms`) and spelled-out ones (`120 seconds`).
    (
        r"\b\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))*\b|\b\d+(?:\.\d+)?\s?(?:milliseconds?|seconds?|secs?|minutes?|mins?|hours?)\b",
        Text("<DURATION>"),
    ),
    (r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b", GeneratedName),
    (r"(?i)\b[0-9a-f]{12,64}\b", Text("<HEX>")),
    (r"\b\d+(?:\.\d+)*\b", Text("<N>")),
];

/// [`PASSES`], compiled once.
static COMPILED: LazyLock<Vec<(Regex, Replacement)>> = LazyLock::new(|| {
    PASSES
        .iter()
        .map(|&(pattern, with)| {
            let regex = Regex::new(pattern).expect("normalisation patterns are tested");
            (regex, with)
        })
        .collect()
});

/// Replaces the run-specific parts of a failure message with placeholders (`<DURATION>`, `<HEX>`,
/// `<UID>`, `<IP>`, `<MAC>`, `<TIME>`, `<NAME>`, `<LINE>`, `<PORT>`, `<N>`) and collapses all
/// whitespace to single spaces. Texts over 10,000 chars keep their head and tail.
///
/// Every pass is a linear regex scan, and raw input is first cut to a bounded size, so the cost
/// stays small even for megabyte messages.
pub fn normalize(message: &str) -> String {
    let mut text = clip(message, RAW_KEEP).into_owned();
    for (regex, with) in COMPILED.iter() {
        if let Cow::Owned(replaced) = apply(regex, *with, &text) {
            text = replaced;
        }
    }
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    clip(&collapsed, MAX_CHARS / 2).into_owned()
}

fn apply<'t>(regex: &Regex, with: Replacement, text: &'t str) -> Cow<'t, str> {
    match with {
        Text(replacement) => regex.replace_all(text, replacement),
        GeneratedName => regex.replace_all(text, |caps: &Captures| {
            let token = &caps[0];
            let suffix = token.rsplit('-').next().unwrap_or(token);
            if is_random_suffix(suffix) {
                "<NAME>".to_owned()
            } else {
                token.to_owned()
            }
        }),
    }
}

/// Whether the last segment of a hyphenated name looks generated: 4-5 chars mixing letters and
/// digits (`pw4cx`, `abc12`, `7mhp`), or 5 chars from Kubernetes' `generateName` alphabet
/// (`qqvpc`). Plain words (`handler`, `default2`, `api`) are kept.
fn is_random_suffix(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    let mixed = bytes.iter().any(u8::is_ascii_digit) && bytes.iter().any(u8::is_ascii_lowercase);
    let generated = bytes.len() == 5 && bytes.iter().all(|b| GENERATED_ALPHABET.contains(b));
    matches!(bytes.len(), 4 | 5) && (mixed || generated)
}

/// `text` if it has at most `2 * keep` chars, else its first and last `keep` chars around
/// [`ELLIPSIS`].
pub(crate) fn clip(text: &str, keep: usize) -> Cow<'_, str> {
    let head_end = text.char_indices().nth(keep).map(|(at, _)| at);
    let tail_start = text
        .char_indices()
        .rev()
        .take(keep)
        .last()
        .map(|(at, _)| at);
    match (head_end, tail_start) {
        (Some(head_end), Some(tail_start)) if head_end < tail_start => Cow::Owned(format!(
            "{}{ELLIPSIS}{}",
            &text[..head_end],
            &text[tail_start..]
        )),
        _ => Cow::Borrowed(text),
    }
}

/// A short, stable id for a normalised failure text: equal texts, equal ids, in every build and
/// on every platform (unlike std's `DefaultHasher`), so ids can be shared in links.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClusterId(u64);

impl ClusterId {
    /// The id of `normalized` (the output of [`normalize`]): the top 48 bits of its FNV-1a 64-bit
    /// hash, which [`Display`](fmt::Display) shows as 12 hex digits.
    pub fn of(normalized: &str) -> ClusterId {
        const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let hash = normalized.bytes().fold(OFFSET_BASIS, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(PRIME)
        });
        ClusterId(hash >> 16)
    }
}

impl fmt::Display for ClusterId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:012x}", self.0)
    }
}

/// The text was not 12 hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseClusterIdError;

impl fmt::Display for ParseClusterIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a cluster id is 12 hex digits")
    }
}

impl std::error::Error for ParseClusterIdError {}

impl FromStr for ClusterId {
    type Err = ParseClusterIdError;

    /// Reads the 12 hex digits that [`Display`](fmt::Display) writes, e.g. from a link.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.len() != 12 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ParseClusterIdError);
        }
        u64::from_str_radix(text, 16)
            .map(ClusterId)
            .map_err(|_| ParseClusterIdError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_failure_in_two_runs_normalises_to_one_cluster() {
        let first = "Timed out after 360.001s. Timed out waiting for VMI testvmi-pw4cx to enter [Running] phase(s)";
        let second = "Timed out after 300.002s. Timed out waiting for VMI testvmi-abc12 to enter [Running] phase(s)";
        assert_eq!(
            normalize(first),
            "Timed out after <DURATION>. Timed out waiting for VMI <NAME> to enter [Running] phase(s)"
        );
        assert_eq!(normalize(first), normalize(second));
        assert_eq!(
            ClusterId::of(&normalize(first)),
            ClusterId::of(&normalize(second))
        );
    }

    #[test]
    fn different_failures_keep_different_clusters() {
        let messages = [
            "Timed out after 360.001s. Timed out waiting for VMI testvmi-pw4cx to enter [Running] phase(s)",
            "Timed out after 360.001s. Timed out waiting for VMI testvmi-pw4cx to enter [Succeeded] phase(s)",
            "Timed out after 180.001s. Some virt-handler pods survived the migration settings change",
            "expect: timer expired after 120 seconds",
            "migration should not fail",
        ];
        let mut ids: Vec<ClusterId> = messages
            .iter()
            .map(|m| ClusterId::of(&normalize(m)))
            .collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), messages.len());
    }

    #[test]
    fn replaces_each_run_specific_shape() {
        let cases = [
            (
                "dial tcp 127.0.0.1:45925: connect: connection refused",
                "dial tcp <IP>: connect: connection refused",
            ),
            ("ping 10.244.0.17 failed", "ping <IP> failed"),
            ("listen on [fd10:10:10::2]:8080 now", "listen on <IP> now"),
            ("ping -6 2001:db8:1::1 -c 5", "ping -<N> <IP> -c <N>"),
            ("route fe80::1 up", "route <IP> up"),
            (
                "<*errors.errorString | 0xc00007e070>: {s: \"EOF\"}",
                "<*errors.errorString | <HEX>>: {s: \"EOF\"}",
            ),
            (
                "uid 3f1c2a9e-8b7d-4c6e-9f01-23456789abcd gone",
                "uid <UID> gone",
            ),
            (
                "image sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
                "image sha256:<HEX>",
            ),
            ("commit 9f2c1e7a3b4d5c6e", "commit <HEX>"),
            ("mac 02:00:00:aa:bb:cc set", "mac <MAC> set"),
            (
                "at 2026-08-22T15:02:56Z and 2026-08-22 15:02:56.123 +0000",
                "at <TIME> and <TIME>",
            ),
            ("I0102 15:04:05.123456 started", "I0102 <TIME> started"),
            (
                "waited 2m30s, 500ms, 1h0m0s",
                "waited <DURATION>, <DURATION>, <DURATION>",
            ),
            (
                "expect: timer expired after 120 seconds",
                "expect: timer expired after <DURATION>",
            ),
            (
                "tests/network/port_forward.go:162",
                "tests/network/port_forward.go:<LINE>",
            ),
            (
                "Get virt-api.kubevirt.svc:443 failed",
                "Get virt-api.kubevirt.svc:<PORT> failed",
            ),
            ("localhost:45925 refused", "localhost:<PORT> refused"),
            ("exit status 52, Code: 422", "exit status <N>, Code: <N>"),
            ("[test_id:1621] k8s-1.34", "[test_id:<N>] k8s-<N>"),
        ];
        for (raw, expected) in cases {
            assert_eq!(normalize(raw), expected, "normalising {raw:?}");
        }
    }

    #[test]
    fn replaces_generated_names_but_keeps_words() {
        let cases = [
            ("pod virt-launcher-testvmi-abc12-xyz9k", "pod <NAME>"),
            ("pod virt-api-7d9c8b6f5d-x2x9k", "pod <NAME>"),
            ("node-7mhp down", "<NAME> down"),
            (
                "kubevirt-test-default2/vm-flavor-qqvpc not found",
                "kubevirt-test-default2/<NAME> not found",
            ),
            (
                "virt-handler in kubevirt-config on node01",
                "virt-handler in kubevirt-config on node01",
            ),
            (
                "virtualmachineinstances-create-validator.kubevirt.io",
                "virtualmachineinstances-create-validator.kubevirt.io",
            ),
        ];
        for (raw, expected) in cases {
            assert_eq!(normalize(raw), expected, "normalising {raw:?}");
        }
    }

    #[test]
    fn collapses_whitespace() {
        assert_eq!(
            normalize("  Expected\n    <bool>: false\r\n\tto be true  "),
            "Expected <bool>: false to be true"
        );
        assert_eq!(normalize(""), "");
        assert_eq!(normalize(" \n "), "");
    }

    #[test]
    fn long_texts_keep_head_and_tail() {
        let middle = "word ".repeat(5_000);
        let text = format!("HEAD {middle}TAIL");
        let normalized = normalize(&text);
        assert!(normalized.starts_with("HEAD word"));
        assert!(normalized.ends_with("word TAIL"));
        assert!(normalized.contains(ELLIPSIS));
        assert_eq!(
            normalized.chars().count(),
            MAX_CHARS + ELLIPSIS.chars().count()
        );
    }

    #[test]
    fn texts_at_the_limit_are_kept_whole() {
        let text = "x".repeat(MAX_CHARS);
        assert_eq!(normalize(&text), text);
    }

    #[test]
    fn huge_and_hostile_messages_stay_bounded() {
        let bound = MAX_CHARS + ELLIPSIS.chars().count();
        let megabyte_of_dumps = "Unexpected error: <*errors.StatusError | 0xc000655900>: {Code: 422, pod testvmi-pw4cx at 10.0.0.1:8080}\n"
            .repeat(10_000);
        let hostile = [
            megabyte_of_dumps,
            "1".repeat(64 * 1024),
            "a-".repeat(32 * 1024),
            ":".repeat(64 * 1024),
            "1:".repeat(32 * 1024),
            "é-ü".repeat(20_000),
        ];
        for text in &hostile {
            assert!(normalize(text).chars().count() <= bound);
        }
    }

    #[test]
    fn cluster_id_is_fnv1a_and_stable() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c; the id keeps its top 48 bits.
        assert_eq!(ClusterId::of("a").to_string(), "af63dc4c8601");
        assert_eq!(ClusterId::of("").to_string(), "cbf29ce48422");
        let vmi = normalize("Timed out after 360.001s. Timed out waiting for VMI testvmi-pw4cx to enter [Running] phase(s)");
        assert_eq!(ClusterId::of(&vmi).to_string(), "14f41e360e2f");
    }

    #[test]
    fn cluster_id_round_trips_through_text() {
        let id = ClusterId::of("migration should not fail");
        assert_eq!(id.to_string().parse::<ClusterId>(), Ok(id));
        assert_eq!("AF63DC4C8601".parse::<ClusterId>(), Ok(ClusterId::of("a")));
        for bad in [
            "",
            "af63dc4c860",
            "af63dc4c86011",
            "+f63dc4c8601",
            "xf63dc4c8601",
            "af63dc4c860é",
        ] {
            assert_eq!(
                bad.parse::<ClusterId>(),
                Err(ParseClusterIdError),
                "{bad:?}"
            );
        }
    }
}

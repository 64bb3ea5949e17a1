//! Failure-message normalisation for clustering, after kubernetes/test-infra's triage.
//!
//! The same failure reads differently in every run: durations, addresses, generated object names
//! and numbers change. [`normalize`] replaces those parts with placeholders so that equal failures
//! give equal text, and [`ClusterId::of`] turns that text into a short, stable id.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
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
const PASSES: &[Pass] = &[
    Pass {
        pattern: r"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
        with: Text("<UID>"),
        span: Span::of(b"-").key(b"-", 4).min_len(36),
    },
    // IPv6, full or with `::` between groups, optionally bracketed with a port. Before the clock
    // time pass, which would otherwise eat `10:10:10` out of `fd10:10:10::2`.
    Pass {
        pattern: r"(?i)\[?\b(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})\b\]?(?::\d{1,5}\b)?",
        with: Text("<IP>"),
        span: Span::of(b":[]").key(b":", 2).min_len(4),
    },
    Pass {
        pattern: r"(?i)\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b",
        with: Text("<MAC>"),
        span: Span::of(b":").key(b":", 5).min_len(17),
    },
    Pass {
        pattern: r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|\s?[+-]\d{2}:?\d{2})?)?",
        with: Text("<TIME>"),
        span: Span::of(b"-:.+")
            .key(b"-", 2)
            .min_len(10)
            .with_space_after_digit(),
    },
    Pass {
        pattern: r"\b\d{1,2}:\d{2}:\d{2}(?:\.\d+)?\b",
        with: Text("<TIME>"),
        span: Span::of(b":.").key(b":", 2).min_len(7),
    },
    Pass {
        pattern: r"\b0x[0-9a-fA-F]+\b",
        with: Text("<HEX>"),
        span: Span::of(b"").key(b"x", 1).min_len(3),
    },
    Pass {
        pattern: r"\b(?:\d{1,3}\.){3}\d{1,3}\b(?::\d{1,5}\b)?",
        with: Text("<IP>"),
        span: Span::of(b".:").key(b".", 3).min_len(7),
    },
    Pass {
        pattern: r"(\.(?:go|py|sh|rs|js|ts|c|h)):\d+\b",
        with: Text("${1}:<LINE>"),
        span: Span::of(b".:").key(b":", 1).min_len(4),
    },
    Pass {
        pattern: r"\b([a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*):\d{1,5}\b",
        with: Text("${1}:<PORT>"),
        span: Span::of(b"-.:").key(b":", 1).min_len(3),
    },
    // Go durations (`360.001s`, `2m30s`, `500ms`) and spelled-out ones (`120 seconds`).
    Pass {
        pattern: r"\b\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))*\b|\b\d+(?:\.\d+)?\s?(?:milliseconds?|seconds?|secs?|minutes?|mins?|hours?)\b",
        with: Text("<DURATION>"),
        span: Span::of(b".")
            .key(DIGITS, 1)
            .min_len(2)
            .with_space_after_digit(),
    },
    Pass {
        pattern: r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b",
        with: GeneratedName,
        span: Span::of(b"-").key(b"-", 1).min_len(3),
    },
    Pass {
        pattern: r"(?i)\b[0-9a-f]{12,64}\b",
        with: Text("<HEX>"),
        span: Span::of(b"").key(b"0123456789abcdefABCDEF", 12),
    },
    Pass {
        pattern: r"\b\d+(?:\.\d+)*\b",
        with: Text("<N>"),
        span: Span::of(b".").key(DIGITS, 1),
    },
];

const DIGITS: &[u8] = b"0123456789";
/// What regex-lite's `\s` matches.
const WHITESPACE: ByteSet = ByteSet::of(b" \t\n\x0B\x0C\r");

/// One normalisation pass: a regex, what replaces its matches, and where in a text they can be.
struct Pass {
    pattern: &'static str,
    with: Replacement,
    span: Span,
}

/// What a pass's matches are made of, so that the pass runs only where one can be: regex-lite
/// spends 20 to 75 ns a byte on a pass wherever it looks, and most of a message holds nothing to
/// replace. A pass runs on each stretch of the text: a maximal run of spanned bytes that is long
/// enough and holds enough key bytes. Spanned are all ASCII word bytes and all non-ASCII bytes (so
/// every byte outside a stretch is an ASCII non-word byte, and `\b`, the only look-around in the
/// passes, reads the same in a stretch as in the whole text), plus the pass's own bytes. Every byte
/// of every match must be spanned, so that a pass finds in its stretches exactly the matches it
/// would find in the whole text.
struct Span {
    spanned: ByteSet,
    /// Matches may contain a `\s` byte right after a digit (`120 seconds`).
    space_after_digit: bool,
    /// Every match contains at least `keys` bytes of `key`.
    key: ByteSet,
    keys: usize,
    /// The length of the shortest match, in bytes.
    min_len: usize,
}

impl Span {
    /// Matches are made of word bytes, non-ASCII bytes and the ASCII non-word bytes `also`.
    const fn of(also: &[u8]) -> Span {
        Span {
            spanned: ByteSet::WORD_OR_NON_ASCII.with(also),
            space_after_digit: false,
            key: ByteSet::of(b""),
            keys: 0,
            min_len: 1,
        }
    }

    const fn key(self, key: &[u8], keys: usize) -> Span {
        Span {
            key: ByteSet::of(key),
            keys,
            ..self
        }
    }

    const fn min_len(self, min_len: usize) -> Span {
        Span { min_len, ..self }
    }

    const fn with_space_after_digit(self) -> Span {
        Span {
            space_after_digit: true,
            ..self
        }
    }

    fn spans(&self, before: Option<u8>, byte: u8) -> bool {
        self.spanned.contains(byte)
            || (self.space_after_digit
                && WHITESPACE.contains(byte)
                && before.is_some_and(|b| b.is_ascii_digit()))
    }

    /// The stretches of `text` that could hold a match, in order. They start and end next to
    /// ASCII bytes, so at char boundaries.
    fn stretches(&self, text: &str) -> Vec<Range<usize>> {
        let mut stretches = Vec::new();
        let mut keep = |run: Range<usize>, keys: usize| {
            if keys >= self.keys && run.len() >= self.min_len {
                stretches.push(run);
            }
        };
        let (mut start, mut keys, mut before) = (0, 0, None);
        for (at, &byte) in text.as_bytes().iter().enumerate() {
            if self.spans(before, byte) {
                keys += usize::from(self.key.contains(byte));
            } else {
                keep(start..at, keys);
                (start, keys) = (at + 1, 0);
            }
            before = Some(byte);
        }
        keep(start..text.len(), keys);
        stretches
    }
}

/// A set of bytes, one bit each.
#[derive(Clone, Copy)]
struct ByteSet([u64; 4]);

impl ByteSet {
    /// ASCII letters, digits and `_` (what `\w` and `\b` treat as word bytes), and bytes >= 0x80.
    const WORD_OR_NON_ASCII: ByteSet = ByteSet([0, 0, u64::MAX, u64::MAX])
        .with(b"_")
        .with_range(b'0', b'9')
        .with_range(b'A', b'Z')
        .with_range(b'a', b'z');

    const fn of(bytes: &[u8]) -> ByteSet {
        ByteSet([0; 4]).with(bytes)
    }

    const fn with(mut self, bytes: &[u8]) -> ByteSet {
        let mut i = 0;
        while i < bytes.len() {
            self.0[(bytes[i] >> 6) as usize] |= 1 << (bytes[i] & 63);
            i += 1;
        }
        self
    }

    const fn with_range(self, first: u8, last: u8) -> ByteSet {
        let mut set = self;
        let mut byte = first;
        while byte <= last {
            set = set.with(&[byte]);
            byte += 1;
        }
        set
    }

    const fn contains(&self, byte: u8) -> bool {
        self.0[(byte >> 6) as usize] >> (byte & 63) & 1 == 1
    }
}

/// [`PASSES`], compiled once.
static COMPILED: LazyLock<Vec<(Regex, &Pass)>> = LazyLock::new(|| {
    PASSES
        .iter()
        .map(|pass| {
            let regex = Regex::new(pass.pattern).expect("normalisation patterns are tested");
            (regex, pass)
        })
        .collect()
});

/// Replaces the run-specific parts of a failure message with placeholders (`<DURATION>`, `<HEX>`,
/// `<UID>`, `<IP>`, `<MAC>`, `<TIME>`, `<NAME>`, `<LINE>`, `<PORT>`, `<N>`) and collapses all
/// whitespace to single spaces. Texts over 10,000 chars keep their head and tail.
///
/// Every pass is a linear regex scan over parts of the text, and raw input is first cut to a
/// bounded size, so the cost stays small even for megabyte messages.
pub fn normalize(message: &str) -> String {
    let mut text = clip(message, RAW_KEEP).into_owned();
    for (regex, pass) in COMPILED.iter() {
        if let Some(replaced) = replace_in_stretches(regex, pass, &text) {
            text = replaced;
        }
    }
    collapse(&text)
}

/// Runs a pass on each stretch of `text` that could hold a match; `None` if nothing matched.
fn replace_in_stretches(regex: &Regex, pass: &Pass, text: &str) -> Option<String> {
    let mut out = String::new();
    let mut copied = 0;
    for stretch in pass.span.stretches(text) {
        if let Cow::Owned(replaced) = apply(regex, pass.with, &text[stretch.clone()]) {
            out.push_str(&text[copied..stretch.start]);
            out.push_str(&replaced);
            copied = stretch.end;
        }
    }
    (copied > 0).then(|| out + &text[copied..])
}

/// Collapses whitespace to single spaces and keeps the head and tail of a long text.
fn collapse(text: &str) -> String {
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

    /// [`normalize`] with every pass run over the whole text: running passes on stretches only
    /// must give the same result.
    fn normalize_whole_text(message: &str) -> String {
        let mut text = clip(message, RAW_KEEP).into_owned();
        for (regex, pass) in COMPILED.iter() {
            text = apply(regex, pass.with, &text).into_owned();
        }
        collapse(&text)
    }

    #[test]
    fn stretches_give_what_whole_texts_give() {
        // Every shape the passes look for, their near misses, and the bytes around them.
        #[rustfmt::skip]
        const PIECES: &[&str] = &[
            "3f1c2a9e-8b7d-4c6e-9f01-23456789abcd", "fd10:10:10::2", "[fe80::1]:8080", "::",
            "02:00:00:aa:bb:cc", "2026-08-22", "T15:02:56", " 15:02:56.123", "Z", " +0000",
            "0xc00007e070", "0x", "10.244.0.17", ":45925", ".go:162", "tests/a_test", "localhost",
            "360.001s", "2m30s", "500ms", "5µs", "120", " seconds", "\tminutes", "\x0Bh",
            "testvmi-pw4cx", "virt-api-7d9c8b6f5d-x2x9k", "deadbeefcafe0123", "é", "µ", "_", "a",
            "Z9", "-", ":", ".", "[", "]", "+", " ", "\n", "<", "\"", ",", "(", "1", "42", "x",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        let mut texts: Vec<String> = (0..2_000)
            .map(|_| {
                let pieces = 1 + next(24);
                (0..pieces).map(|_| PIECES[next(PIECES.len())]).collect()
            })
            .collect();
        let junit = crate::testdata::JUNIT_DIR;
        for entry in std::fs::read_dir(junit).expect("shared sample data") {
            let bytes = std::fs::read(entry.expect("dir entry").path()).expect("junit file");
            let cases = crate::junit::parse(&bytes).cases;
            texts.extend(cases.into_iter().filter_map(|case| match case.outcome {
                crate::junit::Outcome::Failed(failure) => Some(failure.message),
                _ => None,
            }));
        }
        for text in &texts {
            assert_eq!(normalize(text), normalize_whole_text(text), "{text:?}");
        }
    }

    #[test]
    fn stretch_bounds_are_ascii_non_word_bytes() {
        for pass in PASSES {
            let span = &pass.span;
            for byte in 0..=u8::MAX {
                let word = byte.is_ascii_alphanumeric() || byte == b'_' || !byte.is_ascii();
                assert!(word <= span.spanned.contains(byte), "{}", pass.pattern);
                assert!(
                    span.key.contains(byte) <= span.spans(None, byte),
                    "{}",
                    pass.pattern
                );
            }
        }
        let span = Span::of(b"-")
            .key(b"-", 1)
            .min_len(3)
            .with_space_after_digit();
        let text = "é a-bé 1 x-y,q-r";
        let stretches: Vec<&str> = span.stretches(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(stretches, ["a-bé", "1 x-y", "q-r"]);
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

//! The one line of a failure message worth quoting: the awaited condition, the error or the
//! object, never Ginkgo's framing (`Expected`, `Unexpected error:`, `occurred`, a source
//! location), which is the same in every message and says nothing.

/// Longest excerpt quoted in a summary.
pub const EXCERPT_CHARS: usize = 140;

/// The message's most telling line, trimmed, in this order of preference:
/// 1. a line the test wrote itself: the condition it awaited ("Timed out waiting for VMI x to
///    enter [Running] phase(s)", "VMI x unexpectedly stopped"), outside object dumps;
/// 2. the error text Gomega prints just before `occurred`, or else the `Message:` of an API
///    error's dump (a message quoted cut short has no `occurred`);
/// 3. the `Expected` block on one line ("Expected <bool>: false to be true"), after the
///    timeout that ended it ("Timed out after 180.000s.");
/// 4. else the first line that is not framing, else the first that is not a location.
pub fn telling_line(message: &str) -> String {
    let lines = content_lines(unwrapped(message));
    if let Some(own) = lines.iter().find(|line| line.own) {
        return own.text.to_owned();
    }
    if let Some(error) = lines
        .windows(2)
        .find(|pair| pair[1].text == "occurred" && !pair[0].in_dump && !is_object(pair[0].text))
    {
        return error[0].text.to_owned();
    }
    if let Some(message) = lines.iter().find_map(|line| api_message(line.text)) {
        return message.to_owned();
    }
    if let Some(at) = lines
        .iter()
        .position(|line| line.text.starts_with("Expected"))
    {
        let block: Vec<&str> = lines[at..].iter().take(4).map(|line| line.text).collect();
        let timeout = lines[..at]
            .iter()
            .rev()
            .find(|line| line.text.starts_with("Timed out after"));
        let mut out = timeout.map_or(String::new(), |line| format!("{} ", line.text));
        out.push_str(&squash_spaces(&block.join(" ")));
        return out;
    }
    lines
        .iter()
        .find(|line| !is_framing(line.text))
        .or(lines.first())
        .map_or_else(String::new, |line| squash_spaces(line.text))
}

/// The text of a dumped API error's `Message: "..."` field.
fn api_message(line: &str) -> Option<&str> {
    let quoted = line
        .strip_prefix("Message: \"")
        .or_else(|| line.strip_prefix("message: \""))?;
    let text = quoted.strip_suffix("\",").or(quoted.strip_suffix('"'))?;
    (!text.trim().is_empty()).then_some(text)
}

/// [`telling_line`] cut to [`EXCERPT_CHARS`], with `…` where it was cut.
pub fn excerpt(message: &str) -> String {
    let line = telling_line(message);
    let mut cut: String = line.chars().take(EXCERPT_CHARS).collect();
    if cut.len() < line.len() {
        cut.push('…');
    }
    cut
}

/// The message without the `{ Failure ... }` that wraps Ginkgo v2's failures in some JUnit
/// files, which would read as one object dump.
fn unwrapped(message: &str) -> &str {
    let trimmed = message.trim();
    match trimmed.strip_prefix("{ Failure") {
        Some(inner) => inner.strip_suffix('}').unwrap_or(inner),
        None => message,
    }
}

/// A non-empty, non-location line of the message.
struct Line<'a> {
    text: &'a str,
    /// Inside a `{ ... }` object dump that started on an earlier line.
    in_dump: bool,
    /// Written by the test, not by Gomega's framing or a dump.
    own: bool,
}

fn content_lines(message: &str) -> Vec<Line<'_>> {
    let mut depth: i32 = 0;
    let mut lines = Vec::new();
    for raw in message.lines() {
        let in_dump = depth > 0;
        depth = (depth + braces(raw)).max(0);
        for text in segments(raw) {
            let own = !in_dump && is_own(text);
            lines.push(Line { text, in_dump, own });
        }
    }
    lines
}

/// The net `{` minus `}` of a line, to follow object dumps across lines.
fn braces(line: &str) -> i32 {
    line.chars().fold(0, |depth, c| match c {
        '{' => depth + 1,
        '}' => depth - 1,
        _ => depth,
    })
}

/// A line's parts without location tokens and framing prefixes. Some issues quote a message
/// with its line breaks collapsed into spaces: such a line is split where the indentation of
/// the next line was (three spaces or more) and where Gomega's framing starts.
fn segments(raw: &str) -> Vec<&str> {
    raw.split("   ")
        .flat_map(|piece| {
            let text = strip_locations(piece);
            let text = text.strip_prefix("[FAILED]").unwrap_or(text).trim_start();
            let (text, occurred) = match text.strip_suffix(" occurred") {
                Some(text) => (text.trim_end(), Some("occurred")),
                None => (text, None),
            };
            let (text, expected) = match text.strip_suffix(" Expected") {
                Some(text) => (text.trim_end(), Some("Expected")),
                None => (text, None),
            };
            let mut parts = Vec::new();
            split_framing(text, &mut parts);
            parts.into_iter().chain(expected).chain(occurred)
        })
        .filter(|text| !text.is_empty() && !is_location(text))
        .collect()
}

/// Splits a collapsed line where a timeout's duration ends and where Gomega's framing starts.
fn split_framing<'a>(mut text: &'a str, parts: &mut Vec<&'a str>) {
    const FRAMING: [&str; 2] = [" Expected ", " Unexpected error:"];
    loop {
        let cut = after_timeout(text).or_else(|| FRAMING.iter().filter_map(|f| text.find(f)).min());
        match cut {
            Some(at) if at > 0 => {
                parts.push(text[..at].trim_end());
                text = text[at..].trim_start();
            }
            _ => {
                parts.push(text);
                return;
            }
        }
    }
}

/// Where the text after a leading "Timed out after 30.000s." starts, in a collapsed line.
fn after_timeout(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("Timed out after ")?;
    let end = rest.find("s. ")? + "Timed out after ".len() + "s. ".len();
    (end < text.len()).then_some(end)
}

/// The text without the source locations at its start and end.
fn strip_locations(piece: &str) -> &str {
    let mut text = piece.trim();
    while let Some((first, rest)) = text.split_once(char::is_whitespace) {
        if !is_location(first) {
            break;
        }
        text = rest.trim_start();
    }
    while let Some((rest, last)) = text.rsplit_once(char::is_whitespace) {
        if !is_location(last) {
            break;
        }
        text = rest.trim_end();
    }
    text
}

/// `tests/x.go:12`, `/root/go/src/kubevirt.io/kubevirt/tests/utils.go:2813 +0x6d3`.
fn is_location(text: &str) -> bool {
    let text = text.trim();
    let text = match text.rsplit_once(" +0x") {
        Some((location, offset)) if offset.bytes().all(|b| b.is_ascii_hexdigit()) => location,
        _ => text,
    };
    let Some((file, line)) = text.rsplit_once(':') else {
        return false;
    };
    !file.contains(char::is_whitespace)
        && file.ends_with(".go")
        && !line.is_empty()
        && line.bytes().all(|b| b.is_ascii_digit())
}

/// A value Gomega printed (`<bool>: false`, `<*errors.StatusError | 0xc0>: {`) or a dump's end.
fn is_object(text: &str) -> bool {
    text.starts_with(['<', '{', '}', '[', '"'])
}

/// Lines Gomega, Ginkgo or Go print around every failure: matcher words, panics' headers,
/// timeouts' durations.
fn is_framing(text: &str) -> bool {
    const PREFIXES: [&str; 13] = [
        "Expected",
        "Unexpected error",
        "Timed out after",
        "to ",
        "not to ",
        "occurred",
        "Test Panicked",
        "Full Stack Trace",
        "goroutine ",
        "the missing elements were",
        "the extra elements were",
        "The matcher passed to",
        "The function passed to",
    ];
    PREFIXES.iter().any(|prefix| text.starts_with(prefix)) || matches!(text, "to" | "and" | "or")
}

/// A line the test wrote: not framing, not a printed value, with some words in it.
fn is_own(text: &str) -> bool {
    !is_framing(text)
        && !is_object(text)
        && text.chars().filter(|c| c.is_alphabetic()).count() >= 4
        && !text.ends_with(['{', ','])
        && !text.contains(": {")
}

fn squash_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata::real_failures;

    #[test]
    fn prefers_the_awaited_condition_the_error_or_the_object() {
        let cases = [
            (
                "tests/console_test.go:253\nTimed out after 30.000s.\nTimed out waiting for VMI testvmi-gtgxp to enter [Running] phase(s)\nExpected\n    <v1.VirtualMachineInstancePhase>: Scheduling\nto be an element of\n    <[]interface {} | len:1, cap:1>: [[\"Running\"]]\ntests/utils.go:2813",
                "Timed out waiting for VMI testvmi-gtgxp to enter [Running] phase(s)",
            ),
            (
                "tests/snapshot_test.go:278\nTimed out after 180.000s.\nExpected\n    <bool>: false\nto be true\ntests/snapshot_test.go:56",
                "Timed out after 180.000s. Expected <bool>: false to be true",
            ),
            (
                "x.go:1\nUnexpected error:\n    <*errors.StatusError | 0xc00088ae60>: {\n        ErrStatus: {\n            Message: \"admission webhook denied\",\n        },\n    }\n    admission webhook \"x\" denied the request\noccurred\nx.go:2",
                "admission webhook \"x\" denied the request",
            ),
            (
                "/root/go/src/kubevirt.io/kubevirt/vendor/github.com/onsi/ginkgo/extensions/table/table_entry.go:43 VMI testvmiz2 unexpectedly stopped. State: Failed Expected     <bool>: true to be false /root/go/src/kubevirt.io/kubevirt/tests/utils.go:2657",
                "VMI testvmiz2 unexpectedly stopped. State: Failed",
            ),
            (
                "  Test Panicked\n  runtime error: invalid memory address or nil pointer dereference\n  /gimme/src/runtime/panic.go:199\n\n  Full Stack Trace",
                "runtime error: invalid memory address or nil pointer dereference",
            ),
            (
                "/root/go/src/kubevirt.io/kubevirt/tests/pausing_test.go:395 Unexpected error:     <expect.TimeoutError>: 15000000000     expect: timer expired after 15 seconds occurred /root/go/src/kubevirt.io/kubevirt/tests/pausing_test.go:373",
                "expect: timer expired after 15 seconds",
            ),
            (
                "{ Failure tests/migration/namespace.go:631\nTimed out after 180.000s.\nmigration test-migration-fx6tl was expected to disappear after 180 seconds, but it did not\nThe matcher passed to Eventually returned the following error:\n    <*errors.errorString | 0xc0090c2810>: \n    Expected an error, got nil\n    {\n        s: \"Expected an error, got nil\",\n    }\ntests/migration/namespace.go:620}",
                "migration test-migration-fx6tl was expected to disappear after 180 seconds, but it did not",
            ),
            (
                "tests/x.go:1 Timed out after 30.000s. Timed out waiting for VMI testvmi-x to enter [Running] phase(s) Expected <v1.Phase>: Scheduling",
                "Timed out waiting for VMI testvmi-x to enter [Running] phase(s)",
            ),
            ("tests/x.go:1", ""),
        ];
        for (message, want) in cases {
            assert_eq!(telling_line(message), want, "{message:?}");
        }
    }

    #[test]
    fn excerpt_cuts_the_telling_line() {
        assert_eq!(excerpt("\n  first  \nsecond"), "first");
        let long = "x".repeat(500);
        assert_eq!(excerpt(&long).chars().count(), EXCERPT_CHARS + 1);
    }

    /// On every real message of the corpus, the chosen line says something: never Gomega's bare
    /// framing, a source location or a dump's brace, and never empty.
    #[test]
    fn real_messages_never_quote_bare_framing() {
        let failures = real_failures();
        assert!(failures.len() >= 100);
        for failure in &failures {
            let line = telling_line(&failure.message);
            assert!(
                !matches!(
                    line.as_str(),
                    "" | "Expected" | "Unexpected error:" | "occurred"
                ) && !is_location(&line)
                    && !line.starts_with("Unexpected error")
                    && line != "Test Panicked"
                    && !line.starts_with(['{', '}']),
                "{line:?} chosen from {:?}",
                failure.message
            );
        }
    }
}

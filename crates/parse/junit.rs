//! Streaming JUnit XML parser: turns a `junit*.xml` file into [`TestCase`]s without building a DOM.
//!
//! Two producer styles are understood. KubeVirt's Ginkgo reporter puts no `message` attribute on
//! `<failure>` and writes the element text as `file:line\n<message>\nfile:line`; most other
//! producers put the message in the `message` attribute and details in the text. Memory is bounded
//! by what is kept: messages are capped at [`MAX_MESSAGE_BYTES`] and test output is reduced to an
//! excerpt. Only the XML built-in entities and character references are resolved; entities
//! declared in a DTD are never expanded (no "billion laughs").

use std::fmt::{self, Write as _};
use std::io::BufRead;
use std::iter::FusedIterator;

use quick_xml::encoding::EncodingError;
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Most bytes of a failure or skip message that are kept; the rest is cut and counted.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Bytes kept from each end of a test's `<system-out>`/`<system-err>`.
pub const OUTPUT_EDGE_BYTES: usize = 2 * 1024;
/// A read buffer grown beyond this by one huge event is dropped rather than kept for reuse.
const MAX_RETAINED_BUFFER: usize = 1024 * 1024;
/// Longest reference name searched for between `&` and `;` in attribute values.
const MAX_REFERENCE_LEN: usize = 32;

/// One `<testcase>` element.
#[derive(Clone, Debug, PartialEq)]
pub struct TestCase {
    pub name: String,
    pub classname: String,
    /// Name of the innermost enclosing `<testsuite>` (empty if it has none).
    pub suite: String,
    pub outcome: Outcome,
    /// Excerpt of the test's `<system-out>` and `<system-err>`: the first and last
    /// [`OUTPUT_EDGE_BYTES`], with a marker in between when something was left out.
    pub system_out: Option<String>,
}

/// How a test case ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Passed,
    Skipped { message: Option<String> },
    Failed(Failure),
}

/// A `<failure>` or `<error>` of a test case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub element: FailureElement,
    /// The `type` attribute, e.g. `Failure`, `Interrupted` or `Panic`; may be empty.
    pub kind: String,
    /// The message without the source locations KubeVirt wraps it in, at most
    /// [`MAX_MESSAGE_BYTES`] plus a truncation note.
    pub message: String,
    /// Where the test failed, from a leading `path/file.go:123` line of the element text.
    pub location: Option<SourceLocation>,
}

/// Which element reported the failure: JUnit calls assertion failures `<failure>` and
/// unexpected problems (panics, timeouts of the harness) `<error>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureElement {
    Failure,
    Error,
}

/// A `file:line` position in the test sources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLocation {
    pub file: String,
    pub line: u32,
}

/// Why a file could not be read (further), and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset in the input.
    pub offset: u64,
    pub cause: ParseErrorCause,
}

/// What was wrong with the input; `Display` gives the message to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseErrorCause {
    Empty,
    NoRootElement,
    NotJunit { root: String },
    TextOutsideRoot,
    SecondRoot { name: String },
    UnexpectedEof { inside: String },
    InvalidXml(String),
}

impl fmt::Display for ParseErrorCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty file"),
            Self::NoRootElement => f.write_str("no root element"),
            Self::NotJunit { root } => write!(f, "not a JUnit file: root element is <{root}>"),
            Self::TextOutsideRoot => f.write_str("not an XML file: text outside the root element"),
            Self::SecondRoot { name } => write!(f, "invalid XML: second root element <{name}>"),
            Self::UnexpectedEof { inside } => write!(f, "unexpected end of file inside <{inside}>"),
            Self::InvalidXml(detail) => write!(f, "invalid XML: {detail}"),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "byte {}: {}", self.offset, self.cause)
    }
}

impl std::error::Error for ParseError {}

/// Everything [`parse`] could read: the cases before the first error, and that error.
#[cfg(test)]
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Parsed {
    pub cases: Vec<TestCase>,
    pub error: Option<ParseError>,
}

/// Parses a whole JUnit file held in memory, for tests; the app streams with [`JunitReader`].
#[cfg(test)]
pub(crate) fn parse(bytes: &[u8]) -> Parsed {
    let mut cases = Vec::new();
    for item in JunitReader::new(bytes) {
        match item {
            Ok(case) => cases.push(case),
            Err(error) => {
                return Parsed {
                    cases,
                    error: Some(error),
                }
            }
        }
    }
    Parsed { cases, error: None }
}

/// Yields the test cases of a JUnit file as they are read; after an error it yields nothing more.
pub struct JunitReader<R: BufRead> {
    reader: Reader<R>,
    /// Event buffer, reused between events.
    buf: Vec<u8>,
    doc: Document,
    finished: bool,
}

impl<R: BufRead> JunitReader<R> {
    /// Reads from `input`; give it a `BufReader` for files or network streams.
    pub fn new(input: R) -> Self {
        let mut reader = Reader::from_reader(input);
        // Some producers forget to escape `&`; keep it as text rather than reject the file.
        reader.config_mut().allow_dangling_amp = true;
        Self {
            reader,
            buf: Vec::new(),
            doc: Document::default(),
            finished: false,
        }
    }

    fn next_case(&mut self) -> Result<Option<TestCase>, ParseError> {
        loop {
            self.buf.clear();
            if self.buf.capacity() > MAX_RETAINED_BUFFER {
                self.buf = Vec::new();
            }
            let start = self.reader.buffer_position();
            match self.reader.read_event_into(&mut self.buf) {
                Err(error) => return Err(xml_error(&self.reader, start, error)),
                Ok(Event::Eof) => return self.doc.finish(start).map(|()| None),
                Ok(event) => {
                    self.doc.handle(&event, start)?;
                    if let Some(case) = self.doc.completed.take() {
                        return Ok(Some(case));
                    }
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for JunitReader<R> {
    type Item = Result<TestCase, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let item = self.next_case().transpose();
        self.finished = !matches!(item, Some(Ok(_)));
        item
    }
}

impl<R: BufRead> FusedIterator for JunitReader<R> {}

/// Places a quick-xml error at the most useful byte: the start of the bad markup, or the first
/// byte that is not UTF-8 (`start` is where the failing event began).
fn xml_error<R>(reader: &Reader<R>, start: u64, error: quick_xml::Error) -> ParseError {
    let offset = match &error {
        quick_xml::Error::Syntax(_) | quick_xml::Error::IllFormed(_) => reader.error_position(),
        quick_xml::Error::Encoding(EncodingError::Utf8(e)) => start + e.valid_up_to() as u64,
        _ => reader.buffer_position(),
    };
    ParseError {
        offset,
        cause: ParseErrorCause::InvalidXml(error.to_string()),
    }
}

/// Document-level state between events.
#[derive(Default)]
struct Document {
    open: OpenElements,
    root_seen: bool,
    /// Names of the enclosing `<testsuite>`s, innermost last.
    suites: Vec<String>,
    case: Option<CaseBuilder>,
    /// The test case the last event completed. Kept here rather than returned through every
    /// event's `Result`, which a size-optimised build copies whole for each event.
    completed: Option<TestCase>,
}

impl Document {
    /// Takes one event (which began at byte `start`); a test case it completes is left in
    /// `completed`.
    fn handle(&mut self, event: &Event<'_>, start: u64) -> Result<(), ParseError> {
        match event {
            Event::Start(tag) => self.open_element(tag, start, true),
            Event::Empty(tag) => self.open_element(tag, start, false),
            Event::End(tag) => {
                self.close_element(tag.name().into_inner());
                Ok(())
            }
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => self.char_data(event, start),
            // Declarations, comments, processing instructions and DOCTYPEs carry nothing we use.
            _ => Ok(()),
        }
    }

    fn open_element(
        &mut self,
        tag: &BytesStart<'_>,
        start: u64,
        has_content: bool,
    ) -> Result<(), ParseError> {
        let name = tag.name().into_inner();
        let error = |cause| ParseError {
            offset: start,
            cause,
        };
        if self.open.depth() == 0 {
            self.accept_root(name).map_err(error)?;
        }
        if has_content {
            self.open.push(name);
        }
        let depth = self.open.depth();
        let bad_attribute =
            |e: AttrError| error(ParseErrorCause::InvalidXml(format!("in <{name}>: {e}")));
        match &mut self.case {
            Some(case) => case
                .open_child(tag, depth, has_content)
                .map_err(bad_attribute),
            None if name == "testsuite" && has_content => {
                let [suite] = attributes(tag, ["name"]).map_err(bad_attribute)?;
                self.suites.push(suite.unwrap_or_default());
                Ok(())
            }
            None if name == "testcase" => {
                let case =
                    CaseBuilder::new(tag, self.suites.last(), depth).map_err(bad_attribute)?;
                if has_content {
                    self.case = Some(case);
                } else {
                    self.completed = Some(case.finish());
                }
                Ok(())
            }
            None => Ok(()),
        }
    }

    fn accept_root(&mut self, name: &str) -> Result<(), ParseErrorCause> {
        if self.root_seen {
            return Err(ParseErrorCause::SecondRoot {
                name: name.to_owned(),
            });
        }
        if name != "testsuites" && name != "testsuite" {
            return Err(ParseErrorCause::NotJunit {
                root: name.to_owned(),
            });
        }
        self.root_seen = true;
        Ok(())
    }

    fn close_element(&mut self, name: &str) {
        let depth = self.open.depth();
        self.open.pop();
        match &mut self.case {
            Some(case) if case.depth == depth => {
                self.completed = self.case.take().map(CaseBuilder::finish);
            }
            Some(case) => case.close_child(depth),
            None if name == "testsuite" => {
                self.suites.pop();
            }
            None => {}
        }
    }

    fn char_data(&mut self, event: &Event<'_>, start: u64) -> Result<(), ParseError> {
        if self.open.depth() == 0 {
            return match event {
                Event::Text(text) if text.bytes().all(|b| b.is_ascii_whitespace()) => Ok(()),
                _ => Err(ParseError {
                    offset: start,
                    cause: ParseErrorCause::TextOutsideRoot,
                }),
            };
        }
        if let Some(case) = self.case.as_mut().filter(|case| case.capture.is_some()) {
            with_char_data(event, |text| case.push_text(text));
        }
        Ok(())
    }

    /// Checks, at the end of input, that the document was complete.
    fn finish(&self, end: u64) -> Result<(), ParseError> {
        let cause = match self.open.innermost() {
            Some(inside) => ParseErrorCause::UnexpectedEof {
                inside: inside.to_owned(),
            },
            None if self.root_seen => return Ok(()),
            None if end == 0 => ParseErrorCause::Empty,
            None => ParseErrorCause::NoRootElement,
        };
        Err(ParseError { offset: end, cause })
    }
}

/// Names of the currently open elements, innermost last, in one reused string buffer.
#[derive(Default)]
struct OpenElements {
    names: String,
    starts: Vec<usize>,
}

impl OpenElements {
    fn push(&mut self, name: &str) {
        self.starts.push(self.names.len());
        self.names.push_str(name);
    }

    fn pop(&mut self) {
        if let Some(start) = self.starts.pop() {
            self.names.truncate(start);
        }
    }

    fn depth(&self) -> usize {
        self.starts.len()
    }

    fn innermost(&self) -> Option<&str> {
        self.starts.last().map(|&start| &self.names[start..])
    }
}

/// A `<testcase>` being read.
struct CaseBuilder {
    name: String,
    classname: String,
    suite: String,
    /// Nesting depth of the `<testcase>` element itself.
    depth: usize,
    outcome: PendingOutcome,
    output: Option<Excerpt>,
    /// Where text currently goes, and the depth of the element it comes from.
    capture: Option<(Capture, usize)>,
}

/// Where the character data inside a test case goes.
#[derive(Clone, Copy)]
enum Capture {
    Outcome,
    Output,
}

impl CaseBuilder {
    fn new(tag: &BytesStart<'_>, suite: Option<&String>, depth: usize) -> Result<Self, AttrError> {
        let [name, classname] = attributes(tag, ["name", "classname"])?;
        Ok(Self {
            name: name.unwrap_or_default(),
            classname: classname.unwrap_or_default(),
            suite: suite.cloned().unwrap_or_default(),
            depth,
            outcome: PendingOutcome::Passed,
            output: None,
            capture: None,
        })
    }

    /// Handles a child element. A failure beats a skip, and the first failure wins.
    fn open_child(
        &mut self,
        tag: &BytesStart<'_>,
        depth: usize,
        has_content: bool,
    ) -> Result<(), AttrError> {
        let name = tag.name().into_inner();
        let capture = match name {
            "failure" | "error" if !matches!(self.outcome, PendingOutcome::Failed { .. }) => {
                let [kind, message] = attributes(tag, ["type", "message"])?;
                self.outcome = PendingOutcome::Failed {
                    element: if name == "error" {
                        FailureElement::Error
                    } else {
                        FailureElement::Failure
                    },
                    kind: kind.unwrap_or_default(),
                    detail: Detail::new(message),
                };
                Capture::Outcome
            }
            "skipped" if matches!(self.outcome, PendingOutcome::Passed) => {
                let [message] = attributes(tag, ["message"])?;
                self.outcome = PendingOutcome::Skipped(Detail::new(message));
                Capture::Outcome
            }
            "system-out" | "system-err" => {
                if let (Some(output), true) = (&mut self.output, has_content) {
                    output.push("\n");
                }
                Capture::Output
            }
            _ => return Ok(()),
        };
        if has_content {
            self.capture = Some((capture, depth));
        }
        Ok(())
    }

    fn close_child(&mut self, depth: usize) {
        if self.capture.is_some_and(|(_, from)| from == depth) {
            self.capture = None;
        }
    }

    fn push_text(&mut self, text: &str) {
        match self.capture {
            Some((Capture::Outcome, _)) => {
                if let Some(detail) = self.outcome.detail_mut() {
                    detail.text.push(text);
                }
            }
            Some((Capture::Output, _)) => self.output.get_or_insert_with(Excerpt::new).push(text),
            None => {}
        }
    }

    fn finish(self) -> TestCase {
        TestCase {
            name: self.name,
            classname: self.classname,
            suite: self.suite,
            outcome: self.outcome.finish(),
            system_out: self.output.map(Excerpt::render),
        }
    }
}

enum PendingOutcome {
    Passed,
    Skipped(Detail),
    Failed {
        element: FailureElement,
        kind: String,
        detail: Detail,
    },
}

impl PendingOutcome {
    fn detail_mut(&mut self) -> Option<&mut Detail> {
        match self {
            Self::Passed => None,
            Self::Skipped(detail) | Self::Failed { detail, .. } => Some(detail),
        }
    }

    fn finish(self) -> Outcome {
        match self {
            Self::Passed => Outcome::Passed,
            Self::Skipped(detail) => {
                let (message, _) = detail.finish();
                Outcome::Skipped {
                    message: (!message.is_empty()).then_some(message),
                }
            }
            Self::Failed {
                element,
                kind,
                detail,
            } => {
                let (message, location) = detail.finish();
                Outcome::Failed(Failure {
                    element,
                    kind,
                    message,
                    location,
                })
            }
        }
    }
}

/// The `message` attribute and the (bounded) text of a `<failure>`, `<error>` or `<skipped>`.
struct Detail {
    attribute: Option<String>,
    text: Prefix,
}

impl Detail {
    fn new(attribute: Option<String>) -> Self {
        Self {
            attribute,
            text: Prefix::new(MAX_MESSAGE_BYTES),
        }
    }

    /// The message and the source location taken from the text. When both attribute and text
    /// are present the attribute (the summary) comes first, unless the text already repeats it.
    fn finish(self) -> (String, Option<SourceLocation>) {
        let (location, body) = split_locations(&self.text.text);
        let attribute = self.attribute.as_deref().map(str::trim).unwrap_or_default();
        let message = if attribute.is_empty() || body.starts_with(attribute) {
            body.to_owned()
        } else if body.is_empty() {
            attribute.to_owned()
        } else {
            format!("{attribute}\n\n{body}")
        };
        (cap_message(message, self.text.dropped), location)
    }
}

/// Splits KubeVirt's `file:line\n<message>\nfile:line` text into the first location and the
/// message; text without locations is returned trimmed.
fn split_locations(text: &str) -> (Option<SourceLocation>, &str) {
    let text = text.trim();
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let (location, body) = match parse_location(first) {
        Some(location) => (Some(location), rest),
        None => (None, text),
    };
    let body = body.trim_end();
    let (before_last, last) = body.rsplit_once('\n').unwrap_or(("", body));
    let body = if parse_location(last).is_some() {
        before_last
    } else {
        body
    };
    (location, body.trim())
}

/// Parses a line like `tests/migration_test.go:490`.
fn parse_location(line: &str) -> Option<SourceLocation> {
    let (file, number) = line.trim().rsplit_once(':')?;
    let is_go_file =
        file.len() > ".go".len() && file.ends_with(".go") && !file.contains(char::is_whitespace);
    if !is_go_file || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(SourceLocation {
        file: file.to_owned(),
        line: number.parse().ok()?,
    })
}

/// Cuts `message` to [`MAX_MESSAGE_BYTES`] and notes how much is missing, counting `dropped`
/// bytes already left out while reading.
fn cap_message(mut message: String, dropped: u64) -> String {
    let cut = floor_char_boundary(&message, MAX_MESSAGE_BYTES);
    let dropped = dropped + (message.len() - cut) as u64;
    if dropped > 0 {
        message.truncate(cut);
        // Writing to a String cannot fail.
        let _ = write!(message, "\n… [truncated {dropped} bytes]");
    }
    message
}

/// The first `cap` bytes of streamed text; everything after is only counted.
struct Prefix {
    text: String,
    cap: usize,
    dropped: u64,
}

impl Prefix {
    fn new(cap: usize) -> Self {
        Self {
            text: String::new(),
            cap,
            dropped: 0,
        }
    }

    /// Appends what still fits and returns the rest, which is counted as dropped. Once something
    /// was dropped nothing more is appended, so the kept text stays a true prefix.
    fn push<'s>(&mut self, s: &'s str) -> &'s str {
        let room = if self.dropped == 0 {
            self.cap - self.text.len()
        } else {
            0
        };
        let (kept, rest) = s.split_at(floor_char_boundary(s, room));
        self.text.push_str(kept);
        self.dropped += rest.len() as u64;
        rest
    }
}

/// The first and last [`OUTPUT_EDGE_BYTES`] of streamed text, e.g. a test's log output.
struct Excerpt {
    head: Prefix,
    /// The latest text after the head, between one and two edges long once the head is full.
    tail: String,
}

impl Excerpt {
    fn new() -> Self {
        Self {
            head: Prefix::new(OUTPUT_EDGE_BYTES),
            tail: String::new(),
        }
    }

    fn push(&mut self, s: &str) {
        let rest = self.head.push(s);
        self.tail.push_str(suffix(rest, OUTPUT_EDGE_BYTES));
        if self.tail.len() > 2 * OUTPUT_EDGE_BYTES {
            let keep = suffix(&self.tail, OUTPUT_EDGE_BYTES).len();
            self.tail.drain(..self.tail.len() - keep);
        }
    }

    fn render(self) -> String {
        let tail = suffix(&self.tail, OUTPUT_EDGE_BYTES);
        let omitted = self.head.dropped.saturating_sub(tail.len() as u64);
        let mut out = self.head.text;
        if omitted > 0 {
            // Writing to a String cannot fail.
            let _ = write!(out, "\n… [{omitted} bytes omitted] …\n");
        }
        out.push_str(tail);
        out
    }
}

/// The last `len` bytes of `s`, or slightly fewer to start on a character boundary.
fn suffix(s: &str, len: usize) -> &str {
    let mut start = s.len().saturating_sub(len);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// The largest character boundary of `s` not above `index`.
fn floor_char_boundary(s: &str, index: usize) -> usize {
    if index >= s.len() {
        return s.len();
    }
    let mut end = index;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}

/// Unescaped values of the attributes named in `keys`, in one pass over the tag.
fn attributes<const N: usize>(
    tag: &BytesStart<'_>,
    keys: [&str; N],
) -> Result<[Option<String>; N], AttrError> {
    let mut values = std::array::from_fn(|_| None);
    let mut attributes = tag.attributes();
    // The duplicate check allocates per tag; a duplicate key harmlessly overwrites.
    attributes.with_checks(false);
    for attribute in attributes {
        let attribute = attribute?;
        if let Some(i) = keys
            .iter()
            .position(|&key| key == attribute.key.into_inner())
        {
            values[i] = Some(unescape(&attribute.value));
        }
    }
    Ok(values)
}

/// Text for a JUnit file that the parser reads back as it was: markup escaped, control
/// characters (line breaks too) as character references, which attribute values keep.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Writing to a String cannot fail.
            c if c.is_control() => _ = write!(out, "&#{};", u32::from(c)),
            c => out.push(c),
        }
    }
    out
}

/// Resolves references in an attribute value; unknown ones stay literal text.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp + 1..];
        let reference = rest
            .bytes()
            .take(MAX_REFERENCE_LEN)
            .position(|b| b == b';')
            .and_then(|semi| Some((semi, resolve_reference(&rest[..semi])?)));
        match reference {
            Some((semi, resolved)) => {
                out.push(resolved);
                rest = &rest[semi + 1..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// Passes the character data of a text, CDATA or reference event to `sink`.
fn with_char_data(event: &Event<'_>, sink: impl FnOnce(&str)) {
    match event {
        Event::Text(text) => sink(text),
        Event::CData(cdata) => sink(cdata),
        Event::GeneralRef(name) => match resolve_reference(name) {
            Some(resolved) => sink(resolved.encode_utf8(&mut [0; 4])),
            None => sink(&format!("&{};", &**name)),
        },
        _ => {}
    }
}

/// The character a reference (the name between `&` and `;`) stands for, if it is one of the
/// XML built-ins or a character reference. DTD-declared entities are deliberately unknown.
/// Matches bytes: references are frequent in failure messages, and a size-optimised build makes
/// every string comparison a `memcmp` call.
fn resolve_reference(name: &str) -> Option<char> {
    let code = match name.as_bytes() {
        [b'l', b't'] => return Some('<'),
        [b'g', b't'] => return Some('>'),
        [b'a', b'm', b'p'] => return Some('&'),
        [b'a', b'p', b'o', b's'] => return Some('\''),
        [b'q', b'u', b'o', b't'] => return Some('"'),
        [b'#', b'x', ..] => u32::from_str_radix(&name[2..], 16),
        [b'#', ..] => name[1..].parse(),
        _ => return None,
    };
    char::from_u32(code.ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    use crate::testdata::junit as read_real;

    fn parse_ok(xml: &str) -> Vec<TestCase> {
        let parsed = parse(xml.as_bytes());
        assert_eq!(parsed.error, None, "unexpected error for {xml:?}");
        parsed.cases
    }

    fn parse_err(xml: &[u8]) -> (Vec<TestCase>, ParseError) {
        let parsed = parse(xml);
        let error = parsed.error.expect("input must be rejected");
        (parsed.cases, error)
    }

    fn failure(case: &TestCase) -> &Failure {
        match &case.outcome {
            Outcome::Failed(failure) => failure,
            other => panic!("{} did not fail: {other:?}", case.name),
        }
    }

    fn failures(cases: &[TestCase]) -> Vec<&Failure> {
        cases
            .iter()
            .filter(|case| matches!(case.outcome, Outcome::Failed(_)))
            .map(failure)
            .collect()
    }

    fn one_failure(xml: &str) -> Failure {
        let cases = parse_ok(xml);
        assert_eq!(cases.len(), 1);
        failure(&cases[0]).clone()
    }

    #[test]
    fn real_files_match_the_counts_in_sources_md() {
        let expected = [
            ("cnvqe-conflict-junit.functest.xml", 1066, 874, 1),
            ("cnvqe-conflict-partial.junit.functest.1.xml", 399, 277, 0),
            ("cnvqe-conflict-partial.junit.functest.2.xml", 412, 272, 0),
            ("cnvqe-conflict-partial.junit.functest.3.xml", 255, 117, 0),
            ("cnvqe-network-junit.functest.xml", 1065, 1050, 1),
            ("cnvqe-network-partial.junit.functest.1.xml", 273, 247, 3),
            ("cnvqe-network-partial.junit.functest.2.xml", 745, 718, 3),
            ("cnvqe-network-partial.junit.functest.3.xml", 47, 21, 2),
            (
                "cnvqe-testoverride-partial.junit.functest.1.xml",
                473,
                333,
                0,
            ),
            (
                "cnvqe-testoverride-partial.junit.functest.2.xml",
                283,
                144,
                1,
            ),
            (
                "cnvqe-testoverride-partial.junit.functest.3.xml",
                309,
                191,
                0,
            ),
        ];
        for (file, total, skipped, failed) in expected {
            let parsed = parse(&read_real(file));
            assert_eq!(parsed.error, None, "{file}");
            let cases = &parsed.cases;
            let count = |f: fn(&Outcome) -> bool| cases.iter().filter(|c| f(&c.outcome)).count();
            let counts = (
                cases.len(),
                count(|o| matches!(o, Outcome::Skipped { .. })),
                count(|o| matches!(o, Outcome::Failed(_))),
            );
            assert_eq!(counts, (total, skipped, failed), "{file}");
            assert!(cases
                .iter()
                .all(|c| c.suite == "Tests Suite" && !c.name.is_empty()));
        }
    }

    #[test]
    fn real_migration_failure_is_split_into_location_and_message() {
        let cases = parse(&read_real("cnvqe-conflict-junit.functest.xml")).cases;
        let failed = failures(&cases);
        let [failure] = failed.as_slice() else {
            panic!("expected one failure, got {failed:?}")
        };
        assert_eq!(failure.element, FailureElement::Failure);
        assert_eq!(failure.kind, "Failure");
        assert!(failure
            .message
            .starts_with("migration should not fail\nExpected\n    <v1."));
        // The trailing Gomega-internal location is not part of the message.
        assert!(failure.message.ends_with(": Failed"), "{}", failure.message);
        let location = failure.location.as_ref().expect("location");
        assert!(location.file.ends_with(".go"));
        assert_eq!(
            (location.file.as_str(), location.line),
            ("tests/migration_test.go", 490)
        );
    }

    #[test]
    fn real_failures_keep_messages_and_bounded_output() {
        let cases = parse(&read_real("cnvqe-network-partial.junit.functest.2.xml")).cases;
        let failed: Vec<_> = cases
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Failed(_)))
            .collect();
        assert_eq!(failed.len(), 3);
        let webhook = r#"admission webhook "virtualmachineinstances-create-validator.kubevirt.io" denied the request"#;
        let slirp = failed
            .iter()
            .find(|c| failure(c).message.contains(webhook))
            .expect("the slirp failure");
        assert_eq!(
            failure(slirp).location,
            Some(SourceLocation {
                file: "tests/network/vmi_networking.go".into(),
                line: 364
            })
        );
        let output = slirp.system_out.as_deref().expect("system-out excerpt");
        assert!(output.starts_with("W0203 07:07:23.024025"));
        assert!(output.contains(" bytes omitted] …\n"));
        assert!(output.ends_with("    ]\n}"));
        assert!(output.len() < 2 * OUTPUT_EDGE_BYTES + 64);
    }

    #[test]
    fn streaming_through_a_tiny_buffer_gives_the_same_cases() {
        let bytes = read_real("cnvqe-network-partial.junit.functest.1.xml");
        let streamed: Result<Vec<_>, _> =
            JunitReader::new(BufReader::with_capacity(7, bytes.as_slice())).collect();
        assert_eq!(streamed.expect("no error"), parse(&bytes).cases);
    }

    #[test]
    fn testsuites_wrapper_with_nested_suites() {
        let cases = parse_ok(
            r#"<?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="all">
              <testsuite name="outer" tests="3">
                <properties><property name="go.version" value="1.22"/></properties>
                <testcase name="a &amp; b" classname="pkg.A" time="1.5"/>
                <testsuite name="inner">
                  <testcase name="b" classname="pkg.B" time="2"></testcase>
                </testsuite>
                <testcase name="c" classname="pkg.C"><system-out>hello&#xA;world</system-out></testcase>
              </testsuite>
              <testsuite name="empty"/>
            </testsuites>"#,
        );
        let summary: Vec<_> = cases
            .iter()
            .map(|c| (c.name.as_str(), c.classname.as_str(), c.suite.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                ("a & b", "pkg.A", "outer"),
                ("b", "pkg.B", "inner"),
                ("c", "pkg.C", "outer"),
            ]
        );
        assert!(cases.iter().all(|c| c.outcome == Outcome::Passed));
        assert_eq!(cases[2].system_out.as_deref(), Some("hello\nworld"));
        assert_eq!(cases[0].system_out, None);
    }

    #[test]
    fn bare_testsuite_root() {
        let cases = parse_ok(r#"<testsuite name="S"><testcase name="t"/></testsuite>"#);
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].suite, "S");
    }

    #[test]
    fn kubevirt_text_form_strips_both_locations() {
        let failure = one_failure(
            r#"<testsuite name="S"><testcase name="t">
              <failure type="Failure">tests/a_test.go:10&#xA;boom &lt;x&gt;&#xA;vendor/x/async_assertion.go:78</failure>
            </testcase></testsuite>"#,
        );
        assert_eq!(failure.message, "boom <x>");
        assert_eq!(
            failure.location,
            Some(SourceLocation {
                file: "tests/a_test.go".into(),
                line: 10
            })
        );
    }

    #[test]
    fn message_attribute_form() {
        let only_attribute = one_failure(
            r#"<testsuite><testcase name="t"><failure message="expected 1, got 2" type="AssertionError"/></testcase></testsuite>"#,
        );
        assert_eq!(only_attribute.message, "expected 1, got 2");
        assert_eq!(only_attribute.kind, "AssertionError");
        assert_eq!(only_attribute.location, None);

        let with_details = one_failure(
            r#"<testsuite><testcase name="t"><failure message="expected 1, got 2">
                pkg/a_test.go:7
                stack line
            </failure></testcase></testsuite>"#,
        );
        assert_eq!(with_details.message, "expected 1, got 2\n\nstack line");
        assert_eq!(with_details.location.map(|l| l.line), Some(7));

        let repeated = one_failure(
            r#"<testsuite><testcase name="t"><failure message="boom"><![CDATA[boom: at <top>]]></failure></testcase></testsuite>"#,
        );
        assert_eq!(repeated.message, "boom: at <top>");
    }

    #[test]
    fn error_element_is_a_failure_of_kind_error() {
        let failure = one_failure(
            r#"<testsuite><testcase name="t"><error type="Panic" message="runtime error: nil map"/></testcase></testsuite>"#,
        );
        assert_eq!(failure.element, FailureElement::Error);
        assert_eq!(failure.kind, "Panic");
        assert_eq!(failure.message, "runtime error: nil map");
    }

    #[test]
    fn skipped_with_and_without_message() {
        let cases = parse_ok(
            r#"<testsuite>
              <testcase name="a"><skipped/></testcase>
              <testcase name="b"><skipped message="skipped - needs SR-IOV"/></testcase>
              <testcase name="c"><skipped>  </skipped></testcase>
            </testsuite>"#,
        );
        let messages: Vec<_> = cases.into_iter().map(|c| c.outcome).collect();
        assert_eq!(
            messages,
            [
                Outcome::Skipped { message: None },
                Outcome::Skipped {
                    message: Some("skipped - needs SR-IOV".into())
                },
                Outcome::Skipped { message: None },
            ]
        );
    }

    #[test]
    fn failure_beats_skip_and_the_first_failure_wins() {
        let failure = one_failure(
            r#"<testsuite><testcase name="t"><skipped/><failure message="first"/><error message="second">more</error></testcase></testsuite>"#,
        );
        assert_eq!(
            (failure.element, failure.message.as_str()),
            (FailureElement::Failure, "first")
        );
    }

    #[test]
    fn huge_message_is_truncated_at_a_char_boundary() {
        // One ASCII byte then two-byte characters: the byte limit falls inside a character.
        let text = format!("x{}", "é".repeat(512 * 1024));
        let failure = one_failure(&format!(
            "<testsuite><testcase name=\"t\"><failure>{text}</failure></testcase></testsuite>"
        ));
        let kept = MAX_MESSAGE_BYTES - 1;
        let note = format!("\n… [truncated {} bytes]", text.len() - kept);
        assert_eq!(failure.message.len(), kept + note.len());
        assert!(failure.message.starts_with("xéé"));
        assert!(
            failure.message.ends_with(&note),
            "{}",
            &failure.message[kept..]
        );
    }

    #[test]
    fn long_attribute_and_text_together_are_capped() {
        let attribute = "a".repeat(MAX_MESSAGE_BYTES);
        let failure = one_failure(&format!(
            r#"<testsuite><testcase name="t"><failure message="{attribute}">details</failure></testcase></testsuite>"#
        ));
        assert!(failure.message.starts_with(&attribute));
        assert!(failure.message.ends_with("\n… [truncated 9 bytes]"));
    }

    #[test]
    fn output_excerpt_keeps_both_ends() {
        let middle = "0123456789&amp;".repeat(10_000);
        let cases = parse_ok(&format!(
            "<testsuite><testcase name=\"t\"><system-out>BEGIN{middle}END</system-out>\
             <system-err>stderr line</system-err></testcase></testsuite>"
        ));
        let output = cases[0].system_out.as_deref().expect("excerpt");
        let full_len = "BEGIN".len() + 110_000 + "END".len() + "\nstderr line".len();
        let omitted = full_len - 2 * OUTPUT_EDGE_BYTES;
        assert!(output.starts_with("BEGIN0123456789&0123"));
        assert!(output.ends_with("&END\nstderr line"));
        assert!(output.contains(&format!("\n… [{omitted} bytes omitted] …\n")));
        assert_eq!(
            output.len(),
            2 * OUTPUT_EDGE_BYTES + format!("\n… [{omitted} bytes omitted] …\n").len()
        );
    }

    #[test]
    fn billion_laughs_is_not_expanded() {
        let xml = r#"<?xml version="1.0"?>
            <!DOCTYPE lolz [
              <!ENTITY lol "lol">
              <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
              <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
            ]>
            <testsuite name="&lol9;"><testcase name="&lol9;"><failure message="&lol9;">&lol9;</failure></testcase></testsuite>"#;
        let cases = parse_ok(xml);
        assert_eq!(cases[0].name, "&lol9;");
        assert_eq!(cases[0].suite, "&lol9;");
        assert_eq!(failure(&cases[0]).message, "&lol9;");
    }

    #[test]
    fn stray_ampersands_and_bad_references_stay_literal() {
        let cases = parse_ok(
            r#"<testsuite><testcase name="a &amp;&amp b &#xZZ; &#65;"><failure>x & y &#x1F600;</failure></testcase></testsuite>"#,
        );
        assert_eq!(cases[0].name, "a &&amp b &#xZZ; A");
        assert_eq!(failure(&cases[0]).message, "x & y 😀");
    }

    #[test]
    fn truncated_file_returns_the_cases_before_the_cut() {
        let xml = r#"<testsuite><testcase name="a"/><testcase name="b"><failure>half"#;
        let (cases, error) = parse_err(xml.as_bytes());
        assert_eq!(cases.len(), 1);
        assert_eq!(
            error,
            ParseError {
                offset: xml.len() as u64,
                cause: ParseErrorCause::UnexpectedEof {
                    inside: "failure".into()
                }
            }
        );
        assert_eq!(
            error.to_string(),
            format!(
                "byte {}: unexpected end of file inside <failure>",
                xml.len()
            )
        );

        let mid_tag = r#"<testsuite><testcase name="a"/><testca"#;
        let (cases, error) = parse_err(mid_tag.as_bytes());
        assert_eq!(cases.len(), 1);
        assert_eq!(error.offset, mid_tag.rfind('<').unwrap() as u64);
        assert!(matches!(error.cause, ParseErrorCause::InvalidXml(_)));
    }

    #[test]
    fn truncated_real_file_fails_near_the_cut() {
        let bytes = read_real("cnvqe-conflict-junit.functest.xml");
        let cut = bytes.len() / 2;
        let (cases, error) = parse_err(&bytes[..cut]);
        assert!(cases.len() > 100 && cases.len() < 1066, "{}", cases.len());
        assert!(
            error.offset <= cut as u64 && error.offset + 1024 > cut as u64,
            "{error}"
        );
    }

    #[test]
    fn every_prefix_of_a_document_is_handled_without_panic() {
        let xml = "<?xml version=\"1.0\"?>\n<testsuites><testsuite name=\"s\">\
                   <testcase name=\"é\" time=\"1\"><failure message=\"m\">a.go:1&#xA;b&amp;c</failure>\
                   <system-out><![CDATA[out]]></system-out></testcase></testsuite></testsuites>";
        let full = parse(xml.as_bytes());
        assert_eq!((full.cases.len(), full.error), (1, None));
        for cut in 0..xml.len() {
            let parsed = parse(&xml.as_bytes()[..cut]);
            let error = parsed.error.expect("every strict prefix is incomplete");
            assert!(error.offset <= cut as u64, "cut {cut}: {error}");
        }
    }

    #[test]
    fn mismatched_end_tag() {
        let xml = r#"<testsuite><testcase name="a"></testsuite>"#;
        let (cases, error) = parse_err(xml.as_bytes());
        assert!(cases.is_empty());
        assert_eq!(error.offset, xml.find("</testsuite>").unwrap() as u64);
        assert!(error.to_string().contains("invalid XML"), "{error}");
    }

    #[test]
    fn empty_and_rootless_inputs() {
        let (_, error) = parse_err(b"");
        assert_eq!(error.to_string(), "byte 0: empty file");
        let (_, error) = parse_err(b"<?xml version=\"1.0\"?>\n<!-- nothing -->\n");
        assert_eq!(error.cause, ParseErrorCause::NoRootElement);
    }

    #[test]
    fn non_junit_and_non_xml_inputs() {
        let (_, error) = parse_err(b"<!DOCTYPE html>\n<html><body>404</body></html>");
        assert_eq!(
            error.cause,
            ParseErrorCause::NotJunit {
                root: "html".into()
            }
        );
        assert_eq!(
            error.to_string(),
            "byte 16: not a JUnit file: root element is <html>"
        );
        let (_, error) = parse_err(br#"{"passed": false}"#);
        assert_eq!(error.cause, ParseErrorCause::TextOutsideRoot);
        let (_, error) = parse_err(b"<testsuite/><testsuite/>");
        assert_eq!(
            error,
            ParseError {
                offset: 12,
                cause: ParseErrorCause::SecondRoot {
                    name: "testsuite".into()
                }
            }
        );
    }

    #[test]
    fn binary_garbage_is_rejected_without_panic() {
        let (_, error) = parse_err(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe<\x00\x01");
        assert!(error.to_string().starts_with("byte "));
        // A deterministic byte soup mixing markup characters and invalid UTF-8.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..2000 {
            let noise: Vec<u8> = (0..64)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    b"<>/&;=\"' atesuicx#\xff\xc3"[(state % 19) as usize]
                })
                .collect();
            let parsed = parse(&noise);
            assert!(parsed.error.is_some() || parsed.cases.is_empty());
        }
    }

    #[test]
    fn invalid_utf8_in_a_name_is_an_error_at_its_tag() {
        let xml = b"<testsuite><testcase name=\"ok\"/><testcase name=\"bad\xff\"/></testsuite>";
        let (cases, error) = parse_err(xml);
        assert_eq!(cases.len(), 1);
        assert_eq!(error.offset, 32 + "<testcase name=\"bad".len() as u64);
        assert!(error.to_string().contains("UTF-8"), "{error}");
    }

    #[test]
    fn malformed_attribute_is_an_error() {
        let (_, error) = parse_err(br#"<testsuite><testcase name=a/></testsuite>"#);
        assert_eq!(error.offset, 11);
        assert!(error.to_string().contains("in <testcase>"), "{error}");
    }

    #[test]
    fn a_huge_text_node_does_not_pin_its_buffer() {
        let xml = format!(
            "<testsuite><testcase name=\"t\"><system-out>{}</system-out></testcase></testsuite>",
            "y".repeat(10 * 1024 * 1024)
        );
        let mut reader = JunitReader::new(xml.as_bytes());
        let case = reader.next().expect("a case").expect("no error");
        assert!(case
            .system_out
            .is_some_and(|out| out.len() < 2 * OUTPUT_EDGE_BYTES + 64));
        assert!(reader.buf.capacity() <= MAX_RETAINED_BUFFER);
        assert!(reader.next().is_none());
    }

    #[test]
    fn reader_stops_after_an_error() {
        let mut reader = JunitReader::new(&b"<testsuite><testcase name=\"a\"/><x></y>"[..]);
        assert!(matches!(reader.next(), Some(Ok(_))));
        assert!(matches!(reader.next(), Some(Err(_))));
        assert!(reader.next().is_none());
        assert!(reader.next().is_none());
    }

    #[test]
    fn escaped_text_reads_back_as_written() {
        let text = "a & \"b\" <c> 'd'\r\n\ttab \u{1} é `x` ]]>";
        let xml = format!(
            r#"<testsuite><testcase name="{}"><failure type="{}">{}</failure></testcase></testsuite>"#,
            escape(text),
            escape(text),
            escape(text)
        );
        let case = &parse(xml.as_bytes()).cases[0];
        assert_eq!(case.name, text);
        let Outcome::Failed(failure) = &case.outcome else {
            panic!("{case:?} did not fail")
        };
        assert_eq!(failure.kind, text);
        assert_eq!(failure.message, text.trim());
    }
}

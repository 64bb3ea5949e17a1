//! The hostile-input corpus: every input goes through the whole pipeline a dropped file takes
//! (parse, attribute, classify, cluster, report, Markdown) and must give a clear outcome, bounded
//! memory and no panic. Memory is measured by a counting allocator, per test thread: the peak of
//! what the pipeline allocates beyond the input, and what the read run keeps.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::{Arc, Once};

use chrono::Utc;
use triage_core::dataset::Dataset;
use triage_core::filter::Filter;
use triage_core::junit::{ParseErrorCause, MAX_MESSAGE_BYTES};
use triage_core::local::{read_file, LocalFile};
use triage_core::markdown;
use triage_core::run::Run;
use triage_core::summary::{JobTotals, Report, Scope};
use triage_core::testdata::JunitXml;

/// The system allocator, counting the bytes live on each thread and their peak.
struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn count(grown: usize, shrunk: usize) {
    // `try_with`: the thread's counters may be gone while it exits.
    let _ = LIVE.try_with(|live| {
        let now = (live.get() + grown).saturating_sub(shrunk);
        live.set(now);
        PEAK.with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            count(layout.size(), 0);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            count(layout.size(), 0);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        count(0, layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            count(new_size, layout.size());
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f`; returns its result, the peak of the bytes it had allocated at any one time, and
/// the bytes still allocated when it returned (its result included).
fn measured<T>(f: impl FnOnce() -> T) -> (T, usize, usize) {
    let start = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(start));
    let result = f();
    let (peak, end) = (PEAK.with(Cell::get), LIVE.with(Cell::get));
    (result, peak - start, end.saturating_sub(start))
}

/// At most this many bytes on top of the input may be live at once while a file is read and
/// reported: the parser holds one test case's bounded text at a time, not a copy of the file.
const PEAK_MARGIN: usize = 4 << 20;

/// Reads a file as a drop would, and renders the report of what was read, checking that the
/// pipeline's peak memory stays within the input's size plus [`PEAK_MARGIN`], and that the run
/// it keeps is smaller than the input plus a margin (names, messages and counts, never the file).
fn pipeline(name: &str, bytes: &[u8]) -> LocalFile {
    // The rules are compiled once per process, on first use (~190 KB): not the input's doing.
    static RULES_COMPILED: Once = Once::new();
    RULES_COMPILED.call_once(|| {
        drop(reported(
            "warm-up.xml",
            &JunitXml::new()
                .failed("[sig-compute]w", "Timed out")
                .bytes(),
        ))
    });
    let (file, peak, kept) = measured(|| reported(name, bytes));
    assert!(
        peak <= bytes.len() + PEAK_MARGIN,
        "{name}: peak {peak} bytes for a {}-byte file",
        bytes.len()
    );
    assert!(
        kept <= bytes.len() / 2 + (128 << 10),
        "{name}: keeps {kept} bytes of a {}-byte file",
        bytes.len()
    );
    file
}

fn reported(name: &str, bytes: &[u8]) -> LocalFile {
    let file = read_file(name, bytes, None);
    if let LocalFile::Read { run, .. } = &file {
        let runs: [&Run; 1] = [run];
        let report = Report::build(
            &Arc::new(Dataset::new(runs)),
            &JobTotals::new(),
            &Filter::default(),
            Utc::now(),
        );
        let text = markdown::render(
            &report,
            &Scope::of(&report, &Filter::default(), "test runs"),
        );
        assert!(text.starts_with("# KubeVirt SIG Failure Report Summary"));
    }
    file
}

fn rejected(name: &str, bytes: &[u8]) -> ParseErrorCause {
    match pipeline(name, bytes) {
        LocalFile::Rejected { file_name, error } => {
            assert_eq!(file_name, name);
            error.cause
        }
        LocalFile::Read { .. } => panic!("{name} must be rejected"),
    }
}

fn read(name: &str, bytes: &[u8]) -> (Box<Run>, Option<String>) {
    match pipeline(name, bytes) {
        LocalFile::Read { run, warning } => (run, warning.map(|w| w.to_string())),
        LocalFile::Rejected { error, .. } => panic!("{name} must be read, got {error}"),
    }
}

#[test]
fn empty_file() {
    assert_eq!(rejected("empty.xml", b""), ParseErrorCause::Empty);
}

#[test]
fn binary_file() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0";
    assert!(matches!(
        rejected("image.xml", png),
        ParseErrorCause::InvalidXml(_) | ParseErrorCause::TextOutsideRoot
    ));
}

#[test]
fn truncated_xml_keeps_what_was_read() {
    let xml = JunitXml::new()
        .failed("[sig-network]a", "Timed out after 1.0s.")
        .failed("[sig-network]b", "cut here")
        .build();
    let cut = &xml.as_bytes()[..xml.find("cut here").unwrap()];
    let (run, warning) = read("cut.xml", cut);
    assert_eq!(run.failures().len(), 1);
    assert!(warning
        .expect("a warning")
        .contains("unexpected end of file"));
}

#[test]
fn invalid_utf8_names_the_byte() {
    let mut xml = JunitXml::new().passed("ok").passed("bad").bytes();
    let at = xml.windows(3).position(|w| w == b"bad").unwrap();
    xml[at] = 0xff;
    let (run, warning) = read("latin1.xml", &xml);
    assert!(run.failures().is_empty());
    let warning = warning.expect("a warning");
    assert!(warning.starts_with(&format!("byte {at}")), "{warning}");
}

#[test]
fn billion_laughs_is_not_expanded() {
    let mut doctype = String::from(r#"<!DOCTYPE lolz [<!ENTITY lol "lol">"#);
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        doctype.push_str(&format!(
            r#"<!ENTITY lol{i} "{}">"#,
            format!("&{prev};").repeat(10)
        ));
    }
    doctype.push_str("]>");
    let xml = format!(
        r#"{doctype}<testsuite><testcase name="[sig-compute]&lol9;"><failure>&lol9;</failure></testcase></testsuite>"#
    );
    let (run, _) = read("lolz.xml", xml.as_bytes());
    let failure = &run.failures()[0];
    assert!(
        failure.test.len() < 64,
        "expanded: {} bytes",
        failure.test.len()
    );
    assert!(failure.message.len() < 64);
}

#[test]
fn ten_megabyte_message_is_bounded() {
    let message = "Timed out after 1.0s. ".repeat(10 * 1024 * 1024 / 22);
    let xml = JunitXml::new().failed("[sig-storage]big", &message).build();
    let (run, warning) = read("big.xml", xml.as_bytes());
    assert!(warning.is_none());
    let failure = &run.failures()[0];
    assert!(failure.message.len() <= MAX_MESSAGE_BYTES + 64);
    assert!(failure.message.contains("truncated"));
    assert_eq!(failure.classification.symptom.id, "timeout");
}

#[test]
fn hundred_thousand_test_cases() {
    let cases: String = (0..100_000)
        .map(|i| match i % 1000 {
            0 => format!(r#"<testcase name="[sig-network]case {i}"><failure>Timed out after {i}.000s. VMI testvmi-{i:05} never started</failure></testcase>"#),
            n if n % 2 == 0 => format!(r#"<testcase name="[sig-network]case {i}"><skipped/></testcase>"#),
            _ => format!(r#"<testcase name="[sig-network]case {i}" time="1.5"/>"#),
        })
        .collect();
    let (run, warning) = read("many.xml", &JunitXml::new().raw(&cases).bytes());
    assert!(warning.is_none());
    assert_eq!(run.failures().len(), 100);
    let results = run.status.results().expect("failed run");
    assert_eq!(results.passed + results.skipped, 99_900);
    let clusters: std::collections::HashSet<_> = run.failures().iter().map(|f| f.cluster).collect();
    assert_eq!(clusters.len(), 1, "the numbers and names normalise away");
}

#[test]
fn deeply_nested_suites() {
    let depth = 50_000;
    let xml = format!(
        "{}<testcase name=\"[sig-storage]deep\"><failure>boom</failure></testcase>{}",
        "<testsuite name=\"n\">".repeat(depth),
        "</testsuite>".repeat(depth)
    );
    let (run, warning) = read("deep.xml", xml.as_bytes());
    assert!(warning.is_none());
    assert_eq!(run.failures().len(), 1);
}

#[test]
fn html_in_names_and_messages_stays_text() {
    let xml = JunitXml::new()
        .raw(r#"<testcase name="[sig-compute]&lt;script&gt;alert(1)&lt;/script&gt;"><failure message="&lt;img src=x onerror=alert(1)&gt;"/></testcase>"#)
        .build();
    let (run, _) = read("xss.xml", xml.as_bytes());
    let failure = &run.failures()[0];
    assert_eq!(&*failure.test, "[sig-compute]<script>alert(1)</script>");
    assert_eq!(&*failure.message, "<img src=x onerror=alert(1)>");
    let runs: [&Run; 1] = [&run];
    let report = Report::build(
        &Arc::new(Dataset::new(runs)),
        &JobTotals::new(),
        &Filter::default(),
        Utc::now(),
    );
    let text = markdown::render(
        &report,
        &Scope::of(&report, &Filter::default(), "test runs"),
    );
    // Outside code spans (odd backtick-separated pieces) no markup may appear.
    let outside_code: String = text.split('`').step_by(2).collect();
    assert!(!outside_code.contains('<'), "{text}");
    assert!(
        text.contains("`[sig-compute]<script>alert(1)</script>`"),
        "{text}"
    );
}

#[test]
fn absurd_numbers_in_time_attributes() {
    let cases: String = [
        "1e400",
        "-5",
        "NaN",
        "inf",
        "99999999999999999999",
        "0x10",
        "",
    ]
    .iter()
    .map(|t| {
        format!(r#"<testcase name="[sig-compute]t{t}" time="{t}"><failure>x</failure></testcase>"#)
    })
    .collect();
    let (run, warning) = read("times.xml", &JunitXml::new().raw(&cases).bytes());
    assert!(warning.is_none());
    assert_eq!(run.failures().len(), 7);
}

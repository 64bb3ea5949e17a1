//! Markdown export in the shape of the hand-written SIG failure summaries: per SIG, the common
//! failures as bullets with a short explanation, then the failing jobs. GitHub-flavoured.

use std::fmt::Write;

use std::collections::HashMap;

use super::decimal::one_decimal;
use super::excerpt::excerpt;
use super::filter::{Key, SHOW};
use super::report::themes;
use super::summary::{KindSummary, Report, Scope, SigReport, TestSummary, ThemeSummary};
use super::verdict::Window;
use super::words::count;

/// Tests named per Common Failures bullet.
const NAMED_TESTS: usize = 3;
/// Tests listed with their verdicts per SIG; the JSON export has them all.
const LISTED_TESTS: usize = 10;

/// Renders the report of `scope`.
///
/// Pasted into a GitHub issue, the export must not ping, link or restructure anything: text
/// from data or the URL (filter values, test names, messages, job names) goes in code spans,
/// on one line.
pub fn render(report: &Report, scope: &Scope) -> String {
    let mut out = String::from("# KubeVirt SIG Failure Report Summary\n\n");
    out.push_str(&scope.sentence(code));
    out.push_str("\n\nSource: ");
    out.push_str(&code(&scope.source));
    out.push_str("\n\n");
    for sig in &report.sigs {
        render_sig(&mut out, sig, report.window.as_ref());
    }
    out
}

fn render_sig(out: &mut String, sig: &SigReport, window: Option<&Window>) {
    let label = sig.sig.label();
    let _ = writeln!(out, "## {label}\n");
    if sig.sig.is_infra() {
        render_infra(out, sig);
        return;
    }
    if sig.failures == 0 {
        let _ = writeln!(
            out,
            "The {label} report shows no failing tests.{}{}\n",
            runs_clause(sig),
            quarantine_clause(sig)
        );
        return;
    }
    let _ = writeln!(
        out,
        "{} in {}.{}{}\n",
        count(sig.failures, "test failure"),
        count(sig.tests.len() as u64, "test"),
        runs_clause(sig),
        quarantine_clause(sig)
    );
    let tests = sig.tests.get();
    let by_name: HashMap<&str, &TestSummary> = tests.iter().map(|t| (&*t.test, t)).collect();
    out.push_str("**Common Failures:**\n");
    for theme in themes(&sig.kinds) {
        render_theme(out, &theme, &by_name, window);
    }
    if let Some(window) = window {
        render_verdicts(out, &tests, window);
    }
    out.push_str("\n**Failing Jobs:**\n");
    render_jobs(out, sig);
    out.push('\n');
}

/// SIG CI holds runs that failed before producing JUnit and suite setup failures.
fn render_infra(out: &mut String, sig: &SigReport) {
    if sig.jobs.is_empty() {
        out.push_str("No infrastructure failures: every failed run produced test results.\n\n");
        return;
    }
    let _ = writeln!(
        out,
        "Runs that failed before or outside the tests (no JUnit, or a suite setup failure).{}\n",
        runs_clause(sig)
    );
    for kind in sig.kinds.iter() {
        render_kind(out, kind);
    }
    out.push_str("\n**Failing Jobs:**\n");
    render_jobs(out, sig);
    out.push('\n');
}

fn runs_clause(sig: &SigReport) -> String {
    match sig.runs.rate() {
        Some(rate) => format!(
            " Failed runs: {} of {} ({} %).",
            sig.runs.failed,
            sig.runs.total,
            one_decimal(rate)
        ),
        None => String::new(),
    }
}

/// Failures of quarantined tests left out, and how to count them.
fn quarantine_clause(sig: &SigReport) -> String {
    match sig.quarantined_failures {
        0 => String::new(),
        n => format!(
            " {} of quarantined tests left out (periodic lanes run them by design; {} counts them).",
            count(n, "failure"),
            code(&format!("{}={SHOW}", Key::Quarantined.name()))
        ),
    }
}

/// One Common Failures bullet: the theme, what its biggest kind usually means, its kinds'
/// counts, the tests it hit named with their verdicts, and the telling line of one message.
fn render_theme(
    out: &mut String,
    theme: &ThemeSummary,
    tests: &HashMap<&str, &TestSummary>,
    window: Option<&Window>,
) {
    let kinds: Vec<String> = theme
        .kinds
        .iter()
        .map(|k| {
            format!(
                "{}: {} in {}",
                escape(&k.rule.label),
                count(k.failures, "failure"),
                count(k.tests, "test")
            )
        })
        .collect();
    let examples: Vec<_> = theme.kinds.iter().flat_map(|k| &k.examples).collect();
    let mut named: Vec<&str> = Vec::new();
    for example in &examples {
        if named.len() < NAMED_TESTS && !named.contains(&&*example.test) {
            named.push(&example.test);
        }
    }
    let named: Vec<String> = named
        .iter()
        .map(|name| {
            let verdict = tests
                .get(name)
                .and_then(|t| t.lead_verdict())
                .zip(window)
                .map(|(v, w)| format!(" ({})", v.phrase_with(w, code)));
            format!("{}{}", code(name), verdict.unwrap_or_default())
        })
        .collect();
    let _ = writeln!(
        out,
        "- **{}:** {} ({}.) Tests: {}.",
        escape(theme.theme),
        escape(&theme.kinds[0].rule.hint),
        kinds.join("; "),
        named.join(", ")
    );
    if let Some(example) = examples.first() {
        let _ = writeln!(
            out,
            "  - e.g. {} — {}",
            code(&example.test),
            code(&excerpt(&example.message))
        );
    }
}

/// The SIG's failing tests with their verdict per lane, most failed runs first.
fn render_verdicts(out: &mut String, tests: &[TestSummary], window: &Window) {
    let judged: Vec<&TestSummary> = tests.iter().filter(|t| !t.verdicts.is_empty()).collect();
    if judged.is_empty() {
        return;
    }
    out.push_str("\n**Failing Tests:**\n");
    for test in judged.iter().take(LISTED_TESTS) {
        let _ = writeln!(out, "- {}", code(&test.test));
        for verdict in &test.verdicts {
            let evidence = verdict
                .evidence(window)
                .map(|e| format!("; {e}"))
                .unwrap_or_default();
            let _ = writeln!(out, "  - {}{evidence}", verdict.phrase_with(window, code));
        }
    }
    if judged.len() > LISTED_TESTS {
        let _ = writeln!(
            out,
            "- and {} more (all in the JSON export)",
            judged.len() - LISTED_TESTS
        );
    }
}

fn render_kind(out: &mut String, kind: &KindSummary) {
    let _ = writeln!(
        out,
        "- **{}:** {} ({} in {}.)",
        escape(&kind.rule.label),
        escape(&kind.rule.hint),
        count(kind.failures, "failure"),
        count(kind.tests, "test")
    );
    for example in &kind.examples {
        let _ = writeln!(
            out,
            "  - {} — {}",
            code(&example.test),
            code(&excerpt(&example.message))
        );
    }
}

fn render_jobs(out: &mut String, sig: &SigReport) {
    for job in sig.jobs.iter() {
        let _ = writeln!(
            out,
            "- {} ({} of {} failed)",
            code(&job.job.raw),
            job.runs.failed,
            count(job.runs.total, "run")
        );
    }
}

/// Text as one inline code span, whatever it holds (CommonMark): line breaks and other control
/// characters become spaces, and the fence is one backtick longer than the longest run of
/// backticks inside, padded with a space where the text starts or ends with one.
pub fn code(text: &str) -> String {
    let text: String = text.chars().map(one_line).collect();
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.is_empty() || text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A space for line and paragraph separators and control characters (`\r` ends a line in
/// CommonMark as `\n` does).
fn one_line(c: char) -> char {
    if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
        ' '
    } else {
        c
    }
}

/// Escapes Markdown and inline-HTML syntax in plain text, on one line. For the rules' own text;
/// it does not stop GitHub's autolinks and mentions, which only code spans do.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().map(one_line) {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{TimeDelta, TimeZone, Utc};
    use pulldown_cmark::{Event, Parser, Tag};

    use super::*;
    use crate::dataset::Dataset;
    use crate::filter::Filter;
    use crate::job::JobName;
    use crate::prow::{BuildId, RunPath};
    use crate::run::{Run, RunOrigin, RunStatus, TestResults};
    use crate::summary::JobTotals;
    use crate::testdata::JunitXml;
    use crate::verdict::{Earlier, Verdicts};

    /// Text that would ping, link, head or break a line if it reached Markdown as text.
    const HOSTILE: &[&str] = &[
        "x\r# Heading by CR",
        "y\n# Heading by LF",
        "\r\n## CRLF\r\n- item",
        "@kubevirt/sig-storage please look",
        "cc @team",
        "https://evil.example/x",
        "see www.evil.example",
        "[click](https://evil.example)",
        "<img src=x onerror=alert(1)>",
        "a`b``c",
        "`",
        "line\u{2028}separator\u{85}next\u{b}tab\t",
    ];

    /// A report of local runs whose job, test name and message are `text`, with `text` as the
    /// filters' values.
    fn hostile(text: &str) -> String {
        let junit = JunitXml::new()
            .failed(
                &format!("[sig-compute]{text}"),
                &format!("tests/x.go:1\n{text}"),
            )
            .bytes();
        let raw_job = format!("periodic-kubevirt-e2e-k8s-1.34-sig-compute-{text}");
        let job = JobName::parse(&raw_job);
        let started = Utc.with_ymd_and_hms(2026, 8, 22, 10, 0, 0).unwrap();
        let local = Run {
            status: RunStatus::Failed(TestResults::from_bytes(&junit, job.sig().as_ref())),
            job,
            origin: RunOrigin::Local {
                file_name: text.to_owned(),
            },
            started: Some(started),
            commit: None,
        };
        // The same failure in a bucket run of the job after a passing one: a verdict whose
        // phrase names the job.
        let in_bucket = |hours: i64, status: RunStatus| Run {
            status,
            origin: RunOrigin::Prow(RunPath::Periodic {
                job: raw_job.clone(),
                build: BuildId::first_at(started + TimeDelta::hours(hours)).unwrap(),
            }),
            started: Some(started + TimeDelta::hours(hours)),
            commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
            ..local.clone()
        };
        let runs = [
            local.clone(),
            in_bucket(1, RunStatus::Passed),
            in_bucket(2, local.status.clone()),
        ];
        let window = Window::new(started - TimeDelta::days(1), started + TimeDelta::days(1));
        let verdicts = Verdicts::compute(&runs, window.unwrap(), Earlier::NotLoaded, None);
        assert_eq!(verdicts.len(), 1, "{text:?}");
        let (filter, _) = Filter::from_query([("q", text), ("job", text), ("lane", text)]);
        let report = Report::build(
            &Arc::new(Dataset::new(&runs).with_verdicts(verdicts, None)),
            &JobTotals::new(),
            &Filter::default(),
            Utc::now(),
        );
        render(&report, &Scope::of(&report, &filter, "test runs"))
    }

    /// The structure GitHub would see: block and inline tags, without their text.
    fn tags(markdown: &str) -> Vec<String> {
        Parser::new(markdown)
            .filter_map(|event| match event {
                Event::Start(tag) => Some(format!("{tag:?}")),
                Event::End(tag) => Some(format!("/{tag:?}")),
                Event::Code(_) => Some("code".to_owned()),
                Event::SoftBreak | Event::HardBreak => Some("break".to_owned()),
                Event::Html(_) | Event::InlineHtml(_) => Some("html".to_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn hostile_text_is_inert() {
        let benign = tags(&hostile("plain"));
        for text in HOSTILE {
            let markdown = hostile(text);
            assert_eq!(
                tags(&markdown),
                benign,
                "{text:?} changed the structure:\n{markdown}"
            );
            let mut in_code = Vec::new();
            for event in Parser::new(&markdown) {
                match event {
                    Event::Text(plain) => assert!(
                        !plain.contains(['@', '\r', '\n', '<'])
                            && !plain.contains("http")
                            && !plain.contains("www."),
                        "{text:?} left {plain:?} outside code:\n{markdown}"
                    ),
                    Event::Code(code) => in_code.push(code.into_string()),
                    Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                        panic!("{text:?} made a link:\n{markdown}")
                    }
                    _ => {}
                }
            }
            // Filters trim their values: compare without white space.
            let squash = |text: &str| -> String {
                text.chars()
                    .filter(|c| !one_line(*c).is_whitespace())
                    .collect()
            };
            for prefix in ["q=", "[sig-compute]"] {
                assert!(
                    in_code.iter().any(|code| code
                        .strip_prefix(prefix)
                        .is_some_and(|value| squash(value) == squash(text))),
                    "{prefix}{text:?} not in a code span: {in_code:?}"
                );
            }
        }
    }

    #[test]
    fn code_spans_survive_backticks_and_line_breaks() {
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("a `b` c"), "``a `b` c``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("two\nlines"), "`two lines`");
        assert_eq!(code("cr\rhere"), "`cr here`");
        assert_eq!(code("a``b```"), "```` a``b``` ````");
        for text in ["`", "``", "a`", "``b", "x ` y", ""] {
            let span = code(text);
            let parsed: Vec<Event> = Parser::new(&span).collect();
            let codes: Vec<&Event> = parsed
                .iter()
                .filter(|e| matches!(e, Event::Code(_)))
                .collect();
            assert_eq!(codes.len(), 1, "{text:?}: {parsed:?}");
            let Event::Code(inside) = codes[0] else {
                unreachable!()
            };
            assert_eq!(inside.trim(), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn escape_neutralises_markdown_and_html() {
        assert_eq!(
            escape("<script>*x*</script>"),
            "\\<script\\>\\*x\\*\\</script\\>"
        );
        assert_eq!(escape("[link](u)"), "\\[link\\](u)");
        assert_eq!(escape("a\r# b"), "a \\# b");
    }

    #[test]
    fn scope_names_runs_days_and_filters() {
        let scope = Scope {
            runs: crate::summary::RunCounts {
                failed: 3,
                total: 12,
            },
            days: chrono::NaiveDate::from_ymd_opt(2026, 8, 20)
                .zip(chrono::NaiveDate::from_ymd_opt(2026, 8, 22)),
            filters: vec![("sig", "storage".into()), ("q", "snap shot".into())],
            source: "local files".into(),
            prow_links: true,
        };
        assert_eq!(
            scope.sentence(code),
            "Based on 12 runs (3 failed) started 2026-08-20 to 2026-08-22, filtered by \
             `sig=storage` `q=snap shot`."
        );
        assert_eq!(
            scope.to_string(),
            "Based on 12 runs (3 failed) started 2026-08-20 to 2026-08-22, filtered by \
             sig=storage q=snap shot."
        );
    }
}

//! Markdown export in the shape of the hand-written SIG failure summaries: per SIG, the common
//! failures as bullets with a short explanation, then the failing jobs. GitHub-flavoured.

use std::fmt::Write;

use super::filter::Filter;
use super::report::{KindSummary, Report, SigReport};
use super::words::count;

/// Longest message excerpt quoted per example.
const EXCERPT_CHARS: usize = 140;

/// Renders the report. `scope` says in one sentence what the report covers (runs, window,
/// filters) and `source` where its runs were read (a page link can name any endpoint); both are
/// written as plain text.
pub fn render(report: &Report, scope: &str, source: &str) -> String {
    let mut out = String::from("# KubeVirt SIG Failure Report Summary\n\n");
    out.push_str(&escape(scope));
    out.push_str("\n\nSource: ");
    out.push_str(&escape(source));
    out.push_str("\n\n");
    for sig in &report.sigs {
        render_sig(&mut out, sig);
    }
    out
}

/// One sentence on what a report covers: how many runs, over which days, with which filters.
pub fn scope(report: &Report, filter: &Filter) -> String {
    let days = match (report.days.first(), report.days.last()) {
        (Some(first), Some(last)) => format!(" started {first} to {last}"),
        _ => String::new(),
    };
    let filters: Vec<String> = filter
        .to_query()
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let filters = if filters.is_empty() {
        String::new()
    } else {
        format!(", filtered by {}", filters.join(" "))
    };
    format!(
        "Based on {} runs ({} failed){days}{filters}.",
        report.runs.total, report.runs.failed
    )
}

fn render_sig(out: &mut String, sig: &SigReport) {
    let label = sig.sig.label();
    let _ = writeln!(out, "## {label}\n");
    if sig.sig.is_infra() {
        render_infra(out, sig);
        return;
    }
    if sig.failures == 0 {
        let _ = writeln!(
            out,
            "The {label} report shows no failing tests.{}\n",
            runs_clause(sig)
        );
        return;
    }
    let _ = writeln!(
        out,
        "{} in {}.{}\n",
        count(sig.failures, "test failure"),
        count(sig.tests.len() as u64, "test"),
        runs_clause(sig)
    );
    out.push_str("**Common Failures:**\n");
    for kind in sig.kinds.iter() {
        render_kind(out, kind);
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
            " Failed runs: {} of {} ({rate:.1} %).",
            sig.runs.failed, sig.runs.total
        ),
        None => String::new(),
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

/// The first non-empty line of a message, cut to [`EXCERPT_CHARS`].
fn excerpt(message: &str) -> String {
    let line = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut cut: String = line.chars().take(EXCERPT_CHARS).collect();
    if cut.len() < line.len() {
        cut.push('…');
    }
    cut
}

/// A code span that survives backticks in the text (CommonMark: a longer fence, padded).
fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Escapes Markdown and inline-HTML syntax in plain text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_backticks_and_newlines() {
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("a `b` c"), "``a `b` c``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("two\nlines"), "`two lines`");
    }

    #[test]
    fn escape_neutralises_markdown_and_html() {
        assert_eq!(
            escape("<script>*x*</script>"),
            "\\<script\\>\\*x\\*\\</script\\>"
        );
        assert_eq!(escape("[link](u)"), "\\[link\\](u)");
    }

    #[test]
    fn excerpt_takes_first_line_and_cuts() {
        assert_eq!(excerpt("\n  first  \nsecond"), "first");
        let long = "x".repeat(500);
        assert_eq!(excerpt(&long).chars().count(), EXCERPT_CHARS + 1);
    }
}

//! What a person recognises a Prow run by: its day and pull request, not its build id.

use chrono::{DateTime, Datelike, Timelike, Utc};

use triage_core::prow::RunPath;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "Aug 21 · #18835" for a pull request's run; "Aug 21 14:05" (UTC) for a periodic or batch
/// run, which several a day tell apart by time. The date is when Prow scheduled the run, read
/// from its build id, so even a run without `started.json` has one.
pub fn run_label(run: &RunPath) -> String {
    let time = run.build().time();
    match run.pr() {
        Some(pr) => format!("{} · #{pr}", day(time)),
        None => format!("{} {:02}:{:02}", day(time), time.hour(), time.minute()),
    }
}

/// "Aug 21".
pub fn day(time: DateTime<Utc>) -> String {
    format!("{} {}", MONTHS[time.month0() as usize], time.day())
}

//! Verdicts in the words of the hand-written SIG summaries: "consistently failing since
//! <date> on <lane>", "flaky: 4 of 60 runs", "new this week".

use chrono::TimeDelta;

use super::{
    EarlierCheck, FlakeEvidence, Headline, Novelty, Onset, TestRuns, TestVerdict, Trend, Unchecked,
    Window,
};
use crate::history::RunRef;
use crate::job::Trigger;
use crate::words::count;

/// The window's length in words: "week" for 7 days, "day", else "3 days" (whole days,
/// rounded up).
pub fn period(length: TimeDelta) -> String {
    let days = (length.num_hours() + 23).div_euclid(24).max(1);
    match days {
        7 => "week".to_owned(),
        1 => "day".to_owned(),
        days => format!("{days} days"),
    }
}

/// "this week", "in the last 3 days".
fn this_period(window: &Window) -> String {
    match period(window.length()).as_str() {
        "week" => "this week".to_owned(),
        other => format!("in the last {other}"),
    }
}

impl TestRuns {
    /// "4 of 60 runs": failed runs over the runs that would have shown the test failing.
    pub fn phrase(&self) -> String {
        format!("{} of {}", self.failed, count(self.total(), "run"))
    }

    /// How the denominator was counted, for a tooltip or a footnote.
    pub fn basis(&self) -> String {
        let mut basis = format!(
            "{}: {} passed (their JUnit is not read), {} failed on other tests, {} failed on this one",
            count(self.total(), "run"),
            self.passed_runs,
            self.failed_runs_without_it,
            self.failed
        );
        if self.without_result > 0 {
            basis.push_str(&format!(
                "; {} left out (aborted, unfinished, or no complete JUnit)",
                count(self.without_result, "run")
            ));
        }
        basis
    }
}

impl TestVerdict {
    /// The verdict in one phrase, naming the lane.
    pub fn phrase(&self, window: &Window) -> String {
        self.phrase_with(window, str::to_owned)
    }

    /// [`TestVerdict::phrase`] with the lane written by `job_text` (a Markdown code span, say).
    pub fn phrase_with(&self, window: &Window, job_text: impl Fn(&str) -> String) -> String {
        let job = job_text(&self.job.raw);
        let rate = self.runs.phrase();
        let listed = match self.quarantine {
            Some(quarantine) if quarantine.is_listed() => " (listed in quarantine.json)",
            _ => "",
        };
        match (self.headline(), &self.trend, &self.novelty) {
            (Headline::Quarantined, ..) if self.job.trigger == Trigger::Periodic => format!(
                "quarantined{listed}: failed {rate} on {job}, a periodic lane that runs quarantined tests"
            ),
            (Headline::Quarantined, ..) => format!("quarantined{listed}: failed {rate} on {job}"),
            (_, Trend::BrokenSince(onset), _) => format!(
                "consistently failing since {} on {job}",
                onset.first_failing.started.date_naive()
            ),
            (
                _,
                Trend::FailingThroughout {
                    first_failing,
                    failing_runs,
                },
                _,
            ) => format!(
                "consistently failing on {job}, in all {} since {}",
                count(*failing_runs, "run"),
                first_failing.started.date_naive()
            ),
            (_, Trend::Flaky(_), _) => format!("flaky: {rate} on {job}"),
            (Headline::New, ..) => format!("new {} on {job}", this_period(window)),
            (
                _,
                _,
                Novelty::New {
                    earlier: EarlierCheck::Unchecked(why),
                    ..
                },
            ) => format!(
                "failed {rate} on {job}, first {} (the {} before not checked: {})",
                this_period(window),
                period(window.length()),
                why.phrase()
            ),
            _ => format!("failed {rate} on {job}"),
        }
    }

    /// The runs behind the verdict, in a sentence; `None` when the rate says it all.
    pub fn evidence(&self, window: &Window) -> Option<String> {
        match &self.trend {
            Trend::BrokenSince(onset) => Some(onset.phrase()),
            Trend::Flaky(flake) => Some(flake.phrase()),
            Trend::FailingThroughout { .. } => None,
            Trend::Unclear => self.novelty.phrase(window),
        }
    }
}

impl Novelty {
    /// What the stretch before the window showed, when it was read.
    fn phrase(&self, window: &Window) -> Option<String> {
        let before = period(window.length());
        match self {
            Novelty::New {
                earlier: EarlierCheck::Checked { runs },
                ..
            } => Some(format!(
                "no failure in the {} of the lane in the {before} before its first failure",
                count(runs.get(), "run")
            )),
            Novelty::New { .. } => None,
            Novelty::Recurring {
                earlier_failures,
                earlier_runs,
                last_earlier,
            } => Some(format!(
                "also failed {earlier_failures} of {} the {before} before (last on {})",
                count(*earlier_runs, "run"),
                last_earlier.date_naive()
            )),
        }
    }
}

impl Unchecked {
    /// Why, in a few words.
    pub fn phrase(&self) -> &str {
        match self {
            Unchecked::NotLoaded => "not loaded",
            Unchecked::NoRuns => "no runs of the lane",
            Unchecked::Unread(why) => why,
        }
    }
}

impl Onset {
    /// "last passed in run 1 (2026-08-17, abc1234), failed in all 5 runs since run 2 (...)".
    pub fn phrase(&self) -> String {
        format!(
            "last passed in {}, failed in all {} since {}",
            run_phrase(&self.last_passing),
            count(self.failing_runs, "run"),
            run_phrase(&self.first_failing)
        )
    }
}

impl FlakeEvidence {
    pub fn phrase(&self) -> String {
        match self {
            FlakeEvidence::SameCommit {
                commit,
                failed,
                passed,
            } => format!(
                "at commit {}, failed in run {} and passed in run {}",
                commit.short(),
                failed.path.build(),
                passed.path.build()
            ),
            FlakeEvidence::Intermittent {
                failed,
                passed,
                failed_again,
            } => format!(
                "failed in {}, passed in {}, failed again in {}",
                run_phrase(failed),
                run_phrase(passed),
                run_phrase(failed_again)
            ),
        }
    }
}

/// "run 2090412226979565568 (2026-08-20, b3aa2d1)".
fn run_phrase(run: &RunRef) -> String {
    let date = run.started.date_naive();
    match &run.commit {
        Some(commit) => format!("run {} ({date}, {})", run.path.build(), commit.short()),
        None => format!("run {} ({date})", run.path.build()),
    }
}

//! Building the per-SIG report of what one filter keeps: the runs and failures it keeps are
//! counted by the [`Tally`], whose cards are completed here with run counts and the SIGs that
//! are always shown.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::dataset::{Dataset, IndexedFailure, IndexedRun};
use super::filter::{Filter, TextQuery};
use super::history::{Outcome, RunRef};
use super::job::JobName;
use super::links::{flake_issue_url, issue_search_url, run_address, FlakeIssue};
use super::order;
use super::prow::RunPath;
use super::pull_failures::{own_tests, PullList};
use super::sig::Sig;
use super::summary::TestSummary;
use super::summary::{
    JobTotals, KindSummary, Report, RunCounts, SigReport, ThemeSummary, OTHER_THEME,
};
use super::tally::Tally;
use super::verdict::{TestVerdict, Window};

impl Report {
    /// Builds the report of the runs and failures `filter` keeps. Job totals are counted from the
    /// runs, except for jobs named in `totals` (known from elsewhere, e.g. ci-health).
    pub fn build(
        data: &Arc<Dataset>,
        totals: &JobTotals,
        filter: &Filter,
        now: DateTime<Utc>,
    ) -> Report {
        let kept_jobs: Vec<bool> = data
            .jobs
            .iter()
            .map(|(_, job)| filter.matches_job(job))
            .collect();
        let runs: Vec<&IndexedRun> = data
            .runs
            .iter()
            .filter(|run| {
                kept_jobs[run.job.index()]
                    && filter.keeps_kind(run.kind)
                    && filter.in_window(run.started, now)
            })
            .collect();
        let days = day_range(&runs);
        let mut tally = Tally::new(data, &days);
        let text = filter.text_query();
        let mut quarantined = vec![0u32; data.sigs.len()];
        let own = match filter.pr_failures {
            true => Vec::new(),
            false => own_tests(data, &runs),
        };
        let mut pulls = PullList::default();
        // Whether each run counts as failed: not when it failed on its PR's own failures alone.
        let mut failed = Vec::with_capacity(runs.len());
        for run in &runs {
            tally.add_run(run);
            let mut own_failures = 0;
            for at in run.failures.clone() {
                let failure = &data.failures[at];
                if let Some(pr) = own.get(failure.test.index()).copied().flatten() {
                    pulls.add(pr, &failure.example.test, run);
                    own_failures += 1;
                    continue;
                }
                if !keeps(filter, text.as_ref(), data, failure) {
                    continue;
                }
                if filter.keeps_test(data.quarantined[failure.test.index()]) {
                    tally.add_failure(run, at);
                } else {
                    quarantined[failure.sig.index()] += 1;
                }
            }
            let only_own = own_failures > 0 && own_failures == run.failures.len();
            failed.push(run.counts_failed(filter.quarantined) && !(only_own && run.complete_junit));
        }
        // Inserted one by one: collecting a map sorts its entries with one more sort routine.
        let mut cards: BTreeMap<Sig, SigReport> = BTreeMap::new();
        for sig in Sig::always_shown() {
            cards.insert(sig.clone(), SigReport::empty(sig, days.len()));
        }
        let job_totals = job_totals(data, &runs, &failed, totals, filter);
        for card in tally.finish(&job_totals) {
            cards.insert(card.sig.clone(), card);
        }
        let left_out = data.sigs.iter().zip(quarantined).filter(|(_, n)| *n > 0);
        for ((_, sig), failures) in left_out {
            cards
                .entry(sig.clone())
                .or_insert_with(|| SigReport::empty(sig.clone(), days.len()))
                .quarantined_failures = failures;
        }
        count_sig_runs(&mut cards, &runs, &job_totals, days.len());
        let mut counts = RunCounts::default();
        failed.iter().for_each(|failed| counts.add(*failed));
        Report {
            sigs: cards
                .into_values()
                .filter(|card| filter.shows_sig(&card.sig))
                .collect(),
            days,
            runs: counts,
            window: data.verdicts.window(),
            pull_failures: pulls.finish(),
        }
    }
}

impl TestSummary {
    /// Its most telling verdict: the headline that leads, on the lane with the most failed runs.
    pub fn lead_verdict(&self) -> Option<&TestVerdict> {
        self.verdicts
            .iter()
            .min_by_key(|v| (v.headline(), std::cmp::Reverse(v.runs.failed)))
            .map(|v| &**v)
    }

    /// kubevirt/kubevirt's issues that mention the test.
    pub fn issue_search_url(&self) -> String {
        issue_search_url(&self.test)
    }

    /// GitHub's new-issue form, filled in with this test's flake report for `sig`: its
    /// verdict per lane (in `window`'s words), newest failed runs (their Prow pages, or their
    /// folders unless `on_prow`, see [`run_address`]), kind and latest message.
    pub fn flake_issue_url(&self, sig: &Sig, window: Option<&Window>, on_prow: bool) -> String {
        let lanes = match window {
            Some(window) => self.verdicts.iter().map(|v| v.phrase(window)).collect(),
            None => self.jobs.iter().map(|job| job.to_string()).collect(),
        };
        let runs: Vec<&RunRef> = self
            .verdicts
            .iter()
            .flat_map(|v| v.history.cells.iter())
            .filter(|cell| cell.outcome == Outcome::Fail)
            .map(|cell| &*cell.run)
            .collect();
        // Newest first: by nanoseconds, then (stable) by seconds.
        let runs = order::by_key(runs, |run| {
            u64::MAX - u64::from(run.started.timestamp_subsec_nanos())
        });
        let runs = order::by_key(runs, |run| {
            u64::MAX - (run.started.timestamp() as u64 ^ 1 << 63)
        });
        let address = |run: &RunPath| run_address(run, on_prow);
        let mut runs: Vec<String> = runs.iter().map(|run| address(&run.path)).collect();
        if runs.is_empty() {
            runs.extend(self.latest.run.path.as_ref().map(address));
        }
        flake_issue_url(&FlakeIssue {
            test: &self.test,
            sig: sig.slug(),
            lanes,
            runs,
            kind: &self.kind.label,
            message: &self.latest.message,
        })
    }
}

/// Most Common Failures bullets per SIG, as in the hand-written summaries.
pub const MAX_THEMES: usize = 5;

/// `kinds` grouped by their rules' themes, most failures first, at most [`MAX_THEMES`]: the
/// kinds of the themes past the fourth share the last bullet, [`OTHER_THEME`].
pub fn themes(kinds: &[KindSummary]) -> Vec<ThemeSummary> {
    let mut themes: Vec<ThemeSummary> = Vec::new();
    for kind in kinds {
        let theme = kind.rule.theme.as_str();
        match themes.iter_mut().find(|t| t.theme == theme) {
            Some(group) => group.kinds.push(kind.clone()),
            None => themes.push(ThemeSummary {
                theme,
                failures: 0,
                kinds: vec![kind.clone()],
            }),
        }
    }
    for group in &mut themes {
        group.failures = group.kinds.iter().map(|k| k.failures).sum();
        group.kinds = most_kinds_first(std::mem::take(&mut group.kinds));
    }
    let mut themes = order::most_first_by_name(themes, |t| t.theme, |t| t.failures);
    if themes.len() > MAX_THEMES {
        let rest: Vec<ThemeSummary> = themes.split_off(MAX_THEMES - 1);
        let kinds = most_kinds_first(rest.into_iter().flat_map(|t| t.kinds).collect());
        themes.push(ThemeSummary {
            theme: OTHER_THEME,
            failures: kinds.iter().map(|k| k.failures).sum(),
            kinds,
        });
    }
    themes
}

/// `kinds`, most failures first, equal ones as given.
fn most_kinds_first(kinds: Vec<KindSummary>) -> Vec<KindSummary> {
    order::by_key(kinds, |kind| order::most_first(kind.failures, 0))
}

/// The failure-level filters: SIG, kind, and free text in the test name, message or job (the
/// quarantine filter is applied apart, to count what it leaves out).
fn keeps(
    filter: &Filter,
    text: Option<&TextQuery>,
    data: &Dataset,
    failure: &IndexedFailure,
) -> bool {
    let example = &failure.example;
    filter.matches_kind(&data.sigs[failure.sig], &failure.classification)
        && text.is_none_or(|text| {
            [&*example.test, &*example.message, &*example.run.job]
                .iter()
                .any(|hay| text.found_in(hay))
        })
}

/// Counted runs per job (`failed`: whether each of `runs` counts as failed), with externally
/// known totals (of the jobs the filter keeps) first.
fn job_totals(
    data: &Dataset,
    runs: &[&IndexedRun],
    failed: &[bool],
    known: &JobTotals,
    filter: &Filter,
) -> JobTotals {
    let mut totals = JobTotals::new();
    for (run, failed) in runs.iter().zip(failed) {
        totals
            .entry(data.jobs[run.job].raw.clone())
            .or_default()
            .add(*failed);
    }
    let kept = known
        .iter()
        .filter(|(job, _)| filter.matches_job(&JobName::parse(job)));
    totals.extend(kept.map(|(job, counts)| (job.clone(), *counts)));
    totals
}

/// A SIG's runs are its jobs' runs (known totals included); SIG CI's are all runs, failed
/// when they produced no JUnit.
fn count_sig_runs(
    cards: &mut BTreeMap<Sig, SigReport>,
    runs: &[&IndexedRun],
    job_totals: &JobTotals,
    days: usize,
) {
    let mut all = 0;
    for (job, counts) in job_totals {
        all += counts.total;
        if let Some(sig) = JobName::parse(job).sig() {
            let card = cards
                .entry(sig.clone())
                .or_insert_with(|| SigReport::empty(sig, days));
            let sig_runs = &mut card.runs;
            sig_runs.failed += counts.failed;
            sig_runs.total += counts.total;
        }
    }
    let infra = runs
        .iter()
        .filter(|run| run.without_junit.is_some())
        .count();
    let ci = cards
        .entry(Sig::Ci)
        .or_insert_with(|| SigReport::empty(Sig::Ci, days));
    ci.runs = RunCounts {
        failed: u32::try_from(infra).unwrap_or(u32::MAX),
        total: all,
    };
}

/// Every calendar day (UTC) from the earliest to the latest run start.
fn day_range(runs: &[&IndexedRun]) -> Vec<NaiveDate> {
    let starts = runs.iter().filter_map(|run| run.day());
    let (Some(first), Some(last)) = (starts.clone().min(), starts.max()) else {
        return Vec::new();
    };
    first.iter_days().take_while(|day| *day <= last).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prow::{BuildId, RunPath};
    use crate::run::{Run, RunOrigin, RunStatus, TestResults};
    use crate::summary::Severity;
    use crate::tally::EXAMPLES;
    use crate::testdata::JunitXml;

    /// The card of one SIG.
    fn card<'r>(report: &'r Report, sig: &Sig) -> &'r SigReport {
        report
            .sigs
            .iter()
            .find(|card| &card.sig == sig)
            .unwrap_or_else(|| panic!("no card of {sig:?}"))
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-08-22T12:00:00Z")
            .unwrap()
            .to_utc()
    }

    fn run(job: &str, hours_ago: i64, status: RunStatus) -> Run {
        let started = now() - chrono::Duration::hours(hours_ago);
        Run {
            job: JobName::parse(job),
            origin: RunOrigin::Prow(RunPath::Periodic {
                job: job.into(),
                build: BuildId::first_at(started).unwrap(),
            }),
            started: Some(started),
            commit: None,
            status,
        }
    }

    /// A failed run whose JUnit holds one failure per (test, message).
    fn failed(job: &str, hours_ago: i64, failures: &[(&str, &str)]) -> Run {
        let junit = failures
            .iter()
            .fold(JunitXml::new(), |junit, (test, message)| {
                junit.failed(test, message)
            });
        let sig = JobName::parse(job).sig();
        let results = TestResults::from_bytes(&junit.bytes(), sig.as_ref());
        run(job, hours_ago, RunStatus::Failed(results))
    }

    const STORAGE: &str = "periodic-kubevirt-e2e-k8s-1.34-sig-storage";
    const SNAPSHOT: (&str, &str) = (
        "[sig-storage]VirtualMachineSnapshot should create an online snapshot",
        "Timed out after 180.000s. Timed out waiting for the agent of testvmi-abcde to connect",
    );

    fn build(runs: &[Run]) -> Report {
        Report::build(
            &Arc::new(Dataset::new(runs)),
            &JobTotals::new(),
            &Filter::default(),
            now(),
        )
    }

    #[test]
    fn kinds_count_distinct_tests_beyond_the_examples() {
        let tests: Vec<String> = (0..6)
            .map(|i| format!("[sig-storage]Snapshot case {i}"))
            .collect();
        let failures: Vec<(&str, &str)> = tests.iter().map(|t| (t.as_str(), SNAPSHOT.1)).collect();
        let runs = [failed(STORAGE, 1, &failures), failed(STORAGE, 2, &failures)];
        let report = build(&runs);
        let storage = card(&report, &Sig::Storage);
        let kind = &storage.kinds[0];
        assert_eq!(
            (kind.failures, kind.tests, kind.examples.len()),
            (12, 6, EXAMPLES)
        );
        assert_eq!(storage.clusters.len(), 1, "one normalised message");
        assert_eq!(storage.tests.len(), 6);
        assert_eq!(
            storage.tests.get().len(),
            storage.tests.len(),
            "made as announced"
        );
        assert_eq!(storage.clusters.get().len(), storage.clusters.len());
        assert_eq!(storage.clusters.get()[0].tests.len(), 6);
        assert_eq!(
            storage.jobs[0].runs,
            RunCounts {
                failed: 2,
                total: 2
            }
        );
    }

    #[test]
    fn runs_without_junit_are_sig_ci_and_rates_count_every_run() {
        let runs = [
            run(STORAGE, 1, RunStatus::FailedWithoutJunit),
            run(STORAGE, 2, RunStatus::Passed),
            run(STORAGE, 3, RunStatus::NotCounted),
            failed(STORAGE, 4, &[SNAPSHOT]),
        ];
        let report = build(&runs);
        let ci = card(&report, &Sig::Ci);
        assert_eq!(
            ci.runs,
            RunCounts {
                failed: 1,
                total: 3
            }
        );
        assert_eq!(ci.jobs[0].job.raw, STORAGE);
        let storage = card(&report, &Sig::Storage);
        assert_eq!(
            storage.runs,
            RunCounts {
                failed: 2,
                total: 3
            }
        );
        assert_eq!(storage.runs.severity(), Severity::High);
        assert_eq!(report.days.len(), 1);
    }

    #[test]
    fn known_totals_replace_counted_ones() {
        let runs = [failed(STORAGE, 1, &[SNAPSHOT])];
        let totals = JobTotals::from([(
            STORAGE.to_owned(),
            RunCounts {
                failed: 3,
                total: 40,
            },
        )]);
        let report = Report::build(
            &Arc::new(Dataset::new(&runs)),
            &totals,
            &Filter::default(),
            now(),
        );
        let storage = card(&report, &Sig::Storage);
        assert_eq!(
            storage.runs,
            RunCounts {
                failed: 3,
                total: 40
            }
        );
        assert_eq!(storage.runs.severity(), Severity::Elevated);
        assert_eq!(
            storage.jobs[0].runs,
            RunCounts {
                failed: 1,
                total: 40
            }
        );
    }

    #[test]
    fn filters_drop_runs_failures_and_cards() {
        let runs = [
            failed(STORAGE, 1, &[SNAPSHOT]),
            failed(
                "periodic-kubevirt-e2e-k8s-1.33-sig-storage",
                100,
                &[SNAPSHOT],
            ),
        ];
        let (filter, _) = Filter::from_query([("sig", "storage"), ("days", "2")]);
        let report = Report::build(
            &Arc::new(Dataset::new(&runs)),
            &JobTotals::new(),
            &filter,
            now(),
        );
        assert_eq!(report.sigs.len(), 1);
        assert_eq!(report.sigs[0].failures, 1);
        assert_eq!(
            report.runs,
            RunCounts {
                failed: 1,
                total: 1
            }
        );
        let (filter, _) = Filter::from_query([("kind", "fstrim")]);
        let report = Report::build(
            &Arc::new(Dataset::new(&runs)),
            &JobTotals::new(),
            &filter,
            now(),
        );
        assert_eq!(card(&report, &Sig::Storage).failures, 0);
    }

    #[test]
    fn the_trigger_filter_keeps_runs_by_how_they_started() {
        let batch = |mut run: Run| {
            let path = run.prow_path().unwrap();
            run.origin = RunOrigin::Prow(RunPath::Batch {
                job: path.job().into(),
                build: path.build(),
            });
            run
        };
        let runs = [
            failed(STORAGE, 1, &[SNAPSHOT]),
            batch(run(STORAGE, 2, RunStatus::Passed)),
            batch(failed(STORAGE, 3, &[SNAPSHOT])),
        ];
        let data = Arc::new(Dataset::new(&runs));
        let storage_runs = |query: &str| {
            let (filter, _) = Filter::from_query([("trigger", query)]);
            let report = Report::build(&data, &JobTotals::new(), &filter, now());
            let storage = card(&report, &Sig::Storage);
            (storage.runs.failed, storage.runs.total, storage.failures)
        };
        assert_eq!(storage_runs(""), (2, 3, 2));
        assert_eq!(storage_runs("batch"), (1, 2, 1));
        assert_eq!(storage_runs("periodic"), (1, 1, 1));
        assert_eq!(storage_runs("presubmit"), (0, 0, 0));
    }

    #[test]
    fn a_test_shows_its_newest_failure_and_days_line_up() {
        let runs = [
            failed(STORAGE, 30, &[(SNAPSHOT.0, "old message")]),
            failed(STORAGE, 1, &[(SNAPSHOT.0, "new message")]),
        ];
        let report = build(&runs);
        let storage = card(&report, &Sig::Storage);
        assert_eq!(&*storage.tests.get()[0].latest.message, "new message");
        assert_eq!(storage.tests.get()[0].failures, 2);
        assert_eq!(report.days.len(), storage.daily.len());
        assert_eq!(storage.daily.iter().sum::<u32>(), 2);
        assert_eq!(storage.jobs[0].failed_runs.len(), 2);
        assert!(storage.jobs[0].failed_runs[0].build() > storage.jobs[0].failed_runs[1].build());
    }

    #[test]
    fn kinds_group_under_at_most_five_themes() {
        let rules = crate::rules::RuleSet::builtin().rules();
        let kinds: Vec<KindSummary> = rules
            .iter()
            .zip(1u32..)
            .map(|(rule, failures)| KindSummary {
                rule,
                failures,
                tests: 1,
                examples: Vec::new(),
            })
            .collect();
        let grouped = themes(&kinds);
        assert_eq!(grouped.len(), MAX_THEMES);
        assert_eq!(grouped[MAX_THEMES - 1].theme, OTHER_THEME);
        let total: u32 = kinds.iter().map(|k| k.failures).sum();
        assert_eq!(grouped.iter().map(|t| t.failures).sum::<u32>(), total);
        assert!(grouped[..MAX_THEMES - 1]
            .windows(2)
            .all(|w| w[0].failures >= w[1].failures));
        for theme in &grouped[..MAX_THEMES - 1] {
            assert!(theme.kinds.iter().all(|k| k.rule.theme == theme.theme));
        }
        let two = themes(&kinds[..2]);
        assert!(two.iter().all(|t| t.theme != OTHER_THEME));
    }
}

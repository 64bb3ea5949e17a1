//! Native time of verdict computation over a week in KubeVirt's volume (4,000 runs on 40
//! lanes, 600 failing tests), and of what a filter change does with the result: look up and
//! phrase every failing test's verdicts. Run with `cargo bench --bench verdicts`.
//!
//! Verdicts are computed once per data load; a filter change only reads them, so only the
//! later figures count against the page's 16 ms per filter change: reading them, and building
//! the report whose failing tests carry them (`filter-change-report`, every SIG's test list
//! made, as a drill-down or an export makes it).

use std::hint::black_box;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use std::sync::Arc;

use triage_core::dataset::Dataset;
use triage_core::filter::Filter;
use triage_core::planted::{week, PlannedRun};
use triage_core::run::Run;
use triage_core::summary::{JobTotals, Report};
use triage_core::verdict::{Earlier, Unread, Verdicts, Window};

const RUNS: usize = 4_000;
const LANES: usize = 40;
const FAILING_TESTS: usize = 600;

fn verdicts(c: &mut Criterion) {
    let start = Utc.with_ymd_and_hms(2026, 8, 15, 0, 0, 0).unwrap();
    let window = Window::new(start, start + TimeDelta::days(7)).unwrap();
    let build =
        |runs: Vec<PlannedRun>| -> Vec<Run> { runs.iter().map(PlannedRun::build).collect() };
    let runs = build(week(start, LANES, RUNS, FAILING_TESTS));
    let earlier = build(week(start - TimeDelta::days(7), LANES, RUNS, FAILING_TESTS));
    let unread = Unread::default();
    let loaded = Earlier::Loaded {
        runs: &earlier,
        unread: &unread,
    };
    let tests: Vec<String> = {
        let computed = Verdicts::compute(&runs, window, Earlier::NotLoaded, None);
        let mut tests: Vec<String> = computed.iter().map(|v| v.test.to_string()).collect();
        tests.dedup();
        assert_eq!(tests.len(), FAILING_TESTS);
        tests
    };

    let mut group = c.benchmark_group("week-4000-runs-600-failing-tests");
    group.bench_function("compute", |b| {
        b.iter(|| Verdicts::compute(black_box(&runs), window, Earlier::NotLoaded, None).len())
    });
    group.bench_function("compute-with-earlier-week", |b| {
        b.iter(|| Verdicts::compute(black_box(&runs), window, loaded, None).len())
    });
    let computed = Verdicts::compute(&runs, window, loaded, None);
    group.bench_function("filter-change-read", |b| {
        b.iter(|| {
            tests
                .iter()
                .flat_map(|test| computed.for_test(black_box(test)))
                .map(|verdict| verdict.phrase(&window).len() + verdict.history.cells.len())
                .sum::<usize>()
        })
    });
    let data = Arc::new(
        Dataset::new(&runs).with_verdicts(Verdicts::compute(&runs, window, loaded, None), None),
    );
    for query in [&[][..], &[("quarantined", "show")][..]] {
        let (filter, _) = Filter::from_query(query.iter().copied());
        let name = format!("filter-change-report{query:?}");
        group.bench_function(name, |b| {
            b.iter(|| {
                let report = Report::build(&data, &JobTotals::new(), &filter, window.end());
                report
                    .sigs
                    .iter()
                    .map(|sig| {
                        sig.tests
                            .get()
                            .iter()
                            .map(|t| t.verdicts.len())
                            .sum::<usize>()
                    })
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, verdicts);
criterion_main!(benches);

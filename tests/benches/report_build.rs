//! Native time of `Report::build`, the work a filter change does before rendering, on a JUnit
//! file given on the command line (`scripts/bench` writes a 10,000-failure one to target/bench/):
//!
//! ```sh
//! cargo bench --bench report_build -- target/bench/pull-kubevirt-e2e-k8s-1.34-sig-compute_10000-failures.xml
//! ```
//!
//! Prints the time to index the file's run once, then the median build for a few filters.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use triage_core::dataset::Dataset;
use triage_core::filter::Filter;
use triage_core::local::read_file;
use triage_core::summary::{JobTotals, Report};

const BUILDS: usize = 500;
const QUERIES: [&[(&str, &str)]; 4] = [
    &[],
    &[("sig", "compute")],
    &[("kind", "panic")],
    &[("q", "testvmi")],
];

fn main() -> ExitCode {
    let Some(path) = std::env::args().skip(1).find(|arg| !arg.starts_with("--")) else {
        eprintln!("usage: cargo bench --bench report_build -- JUNIT_FILE");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("{path}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let file = read_file(&path, &bytes, None);
    let Some(run) = file.run() else {
        eprintln!("{path}: not JUnit XML");
        return ExitCode::FAILURE;
    };
    let started = Instant::now();
    let data = Arc::new(Dataset::new([run]));
    println!(
        "{} failures indexed in {:.2} ms",
        run.failures().len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    for query in QUERIES {
        let (filter, _) = Filter::from_query(query.iter().copied());
        let mut times: Vec<f64> = (0..BUILDS)
            .map(|_| {
                let started = Instant::now();
                let report = Report::build(&data, &JobTotals::new(), &filter, chrono::Utc::now());
                let elapsed = started.elapsed().as_secs_f64() * 1e3;
                drop(std::hint::black_box(report));
                elapsed
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!("filter {query:?}: median build {:.2} ms", times[BUILDS / 2]);
    }
    ExitCode::SUCCESS
}

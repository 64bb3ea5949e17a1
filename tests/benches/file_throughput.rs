//! Native throughput of the page's pipeline (`TestResults::from_bytes`: streaming parse, SIG
//! attribution, classification, clustering) on the JUnit files named on the command line. It is
//! the native side of `scripts/bench`, which runs the same code compiled to WASM in Chromium.
//!
//! ```sh
//! cargo bench --bench file_throughput -- FILE...
//! FILE_THROUGHPUT_FILES=a.xml:b.xml cargo bench --bench file_throughput
//! ```
//!
//! Prints one JSON line per file: `{"file", "bytes", "failures", "runs", "seconds", "mb_per_s"}`,
//! where `seconds` is the median run and a MB is 10^6 bytes. Each file runs once to warm up, then
//! at least [`MIN_RUNS`] times and for at least [`MIN_SECONDS`].

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use triage_core::run::TestResults;

const MIN_RUNS: usize = 5;
const MIN_SECONDS: f64 = 1.0;
/// Enough for a stable median of a file that parses in microseconds.
const MAX_RUNS: usize = 200;

fn main() -> ExitCode {
    let paths = file_args();
    if paths.is_empty() {
        eprintln!(
            "usage: cargo bench --bench file_throughput -- FILE... (or FILE_THROUGHPUT_FILES=a:b)"
        );
        return ExitCode::from(2);
    }
    for path in &paths {
        match std::fs::read(path) {
            Ok(bytes) => println!("{}", measure(path, &bytes)),
            Err(err) => {
                eprintln!("{path}: {err}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

/// File paths from the arguments (cargo adds `--bench`, so flags are skipped) or, when there
/// are none, from `FILE_THROUGHPUT_FILES` (separated by `:`).
fn file_args() -> Vec<String> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    if !args.is_empty() {
        return args;
    }
    std::env::var("FILE_THROUGHPUT_FILES")
        .unwrap_or_default()
        .split(':')
        .filter(|path| !path.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Times the pipeline on `bytes` and describes the median run as one JSON object.
fn measure(path: &str, bytes: &[u8]) -> serde_json::Value {
    let failures = run(bytes);
    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < MAX_RUNS
        && (times.len() < MIN_RUNS || started.elapsed().as_secs_f64() < MIN_SECONDS)
    {
        let run_started = Instant::now();
        black_box(run(bytes));
        times.push(run_started.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let seconds = times[times.len() / 2];
    serde_json::json!({
        "file": path,
        "bytes": bytes.len(),
        "failures": failures,
        "runs": times.len(),
        "seconds": seconds,
        "mb_per_s": bytes.len() as f64 / 1e6 / seconds,
    })
}

/// The page's pipeline on one file, with no SIG known from the job name; the failure count.
fn run(bytes: &[u8]) -> usize {
    TestResults::from_bytes(black_box(bytes), None)
        .failures
        .len()
}

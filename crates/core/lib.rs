//! The pure heart of the app: from the files CI wrote to the per-SIG report and its exports.
//! Nothing here touches the web; the same code runs natively in tests and in WASM on the page.
//!
//! The pipeline, each step in its modules (their dependencies have no cycles, which
//! `tests/architecture.rs` checks). Steps 1 to 3 are the package `triage-parse`
//! (`crates/parse`), re-exported here under the same module names: it runs over every byte a
//! load reads, so the release profile builds it for speed and this package, the report and its
//! exports, for size (the root `Cargo.toml` says how, BENCHMARKS.md what it measures).
//!
//! 1. **parse**: [`junit`] streams a JUnit file's test cases; [`prow`] reads `started.json`,
//!    `finished.json`, build ids and run folders (and owns the bucket's layout and the Prow,
//!    GCS and GitHub URLs); [`ci_health`] reads ci-health's leaderboard; [`local`] turns a
//!    dropped file into a run.
//! 2. **attribute**: [`run`] keeps each failure with its SIG, from the test's `[sig-*]` tag
//!    ([`sig`]) or else its job's name ([`job`]).
//! 3. **classify**: [`classify`] picks the failure's kind by the [`rules`] of
//!    `failure-kinds.toml`, and [`normalize`] gives equal failures one cluster id.
//! 4. **index**: [`dataset`] gives every SIG, job, test, kind and cluster of a load an integer
//!    id, once per load.
//! 5. **tally**: [`tally`] counts the failures one [`filter`] keeps into arrays over that index.
//! 6. **report**: [`report`] completes the tally into the cards of a [`summary::Report`] (the
//!    types every later step reads), lists ordered by [`order`], long lists [`deferred`].
//! 7. **export**: [`markdown`] and [`json`] write a report; [`links`] make its Prow, log,
//!    source and GitHub issue links; [`excerpt`] picks a message's telling line; [`words`]
//!    phrase its counts.

#[cfg(any(test, feature = "testdata"))]
pub use triage_parse::testdata;
pub use triage_parse::{classify, job, junit, normalize, prow, rules, run, sig, words};

pub mod ci_health;
pub mod dataset;
pub mod decimal;
pub mod deferred;
pub mod excerpt;
pub mod filter;
pub mod history;
pub mod json;
pub mod links;
pub mod local;
pub mod markdown;
pub mod order;
pub mod owner;
/// Generated runs with planted truth, for tests and benchmarks.
#[cfg(any(test, feature = "testdata"))]
pub mod planted;
pub mod pull_failures;
pub mod report;
pub mod summary;
pub mod tally;
pub mod verdict;

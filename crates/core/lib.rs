//! The pure heart of the app: from the files CI wrote to the per-SIG report and its exports.
//! Nothing here touches the web; the same code runs natively in tests and in WASM on the page.
//!
//! The pipeline, each step in its modules (their dependencies have no cycles, which
//! `tests/module_graph.rs` checks):
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

#[cfg(test)]
mod agreement;
pub mod ci_health;
pub mod classify;
pub mod dataset;
pub mod decimal;
pub mod deferred;
pub mod excerpt;
pub mod filter;
pub mod history;
pub mod job;
pub mod json;
pub mod junit;
pub mod links;
pub mod local;
pub mod markdown;
pub mod normalize;
pub mod order;
pub mod owner;
/// Generated runs with planted truth, for tests and benchmarks.
#[cfg(any(test, feature = "testdata"))]
pub mod planted;
pub mod prow;
pub mod pull_failures;
pub mod report;
pub mod rules;
pub mod run;
pub mod sig;
pub mod summary;
pub mod tally;
#[cfg(any(test, feature = "testdata"))]
pub mod testdata;
pub mod verdict;
pub mod words;

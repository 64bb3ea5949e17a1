//! The parse path of kubevirt-ci-triage: from the bytes of a CI file to its failures, each with
//! its SIG, kind and cluster. It is a package of its own, below `triage-core`, so that the release
//! profile can build it for speed (it runs over every byte a load reads) while the report and
//! export above it are built for size (the root `Cargo.toml` says how, BENCHMARKS.md what it
//! measures). `triage-core` re-exports every module; the app names them through it.
//!
//! 1. **parse**: [`junit`] streams a JUnit file's test cases; [`prow`] reads `started.json`,
//!    `finished.json`, build ids and run folders (and owns the bucket's layout and the Prow,
//!    GCS and GitHub URLs).
//! 2. **attribute**: [`run`] keeps each failure with its SIG, from the test's `[sig-*]` tag
//!    ([`sig`]) or else its job's name ([`job`]).
//! 3. **classify**: [`classify`] picks the failure's kind by the [`rules`] of
//!    `failure-kinds.toml`, and [`normalize`] gives equal failures one cluster id. [`words`] holds
//!    the slugs that name SIGs and rules, and the count phrases the cards and exports share.

#[cfg(test)]
mod agreement;
pub mod classify;
pub mod job;
pub mod junit;
pub mod normalize;
pub mod prow;
pub mod rules;
pub mod run;
pub mod sig;
#[cfg(any(test, feature = "testdata"))]
pub mod testdata;
pub mod words;

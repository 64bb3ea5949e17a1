//! The pure heart of the app: parsing, classification and the report model.
//! Nothing here touches the web; the same code runs natively in tests and in WASM on the page.

pub mod ci_health;
pub mod classify;
pub mod dataset;
pub mod deferred;
pub mod filter;
pub mod job;
pub mod json;
pub mod junit;
pub mod links;
pub mod local;
pub mod markdown;
pub mod normalize;
pub mod order;
pub mod owner;
pub mod prow;
pub mod report;
pub mod rules;
pub mod run;
pub mod sig;
pub mod tally;
#[cfg(any(test, feature = "testdata"))]
pub mod testdata;
pub mod words;

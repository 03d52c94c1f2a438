//! The integration tests: one binary, one module per area.

mod common;

mod cache;
mod cli;
mod ingest;
mod parallel;
mod reference;
mod robustness;
mod stats;
mod text;
mod topics;
mod score;

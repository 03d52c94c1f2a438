//! clout: an open social influence engine.
//!
//! Data flows one way: `ingest` → `graph` → `metrics`; the `cli` module wires the stages for
//! the command-line tool.

pub mod cli;
pub mod error;
pub mod generate;
pub mod graph;
pub mod ingest;
pub mod metrics;
pub mod score;

pub use error::{Error, Result};

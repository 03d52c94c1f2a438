//! The embedded store of runs: what `clout run` computed (scores, topics, leaderboards, history),
//! persisted so that `serve`, `report`, `history` and `top --store` answer without recomputing.
//! [`model`] holds the record types; the storage engine is added next to it.

pub mod model;

pub use model::*;

//! The graph stage: builder → immutable CSR with its transpose, and the binary cache.

pub mod buf;
pub mod builder;
mod by_target;
pub mod cache;
pub mod csr;
pub mod load;
pub mod pull;
pub mod reorder;

pub use builder::{BuildReport, GraphBuilder};
pub use csr::{Adjacency, Graph};
pub use load::{load, load_pull, LoadOptions, Loaded};
pub use pull::PullGraph;

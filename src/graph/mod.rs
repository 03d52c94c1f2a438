//! The graph stage: builder → immutable CSR with its transpose, and the binary cache.

pub mod buf;
pub mod builder;
pub mod cache;
pub mod csr;
pub mod load;
pub mod reorder;

pub use builder::{BuildReport, GraphBuilder};
pub use csr::{Adjacency, Graph};
pub use load::{load, LoadOptions, Loaded};

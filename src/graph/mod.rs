//! The graph stage: builder → immutable CSR with its transpose, and the binary cache.

pub mod buf;
pub mod builder;
mod by_target;
pub mod cache;
pub mod csr;
pub mod load;
pub mod pull;
pub mod reorder;
mod visit;

pub use builder::{BuildReport, GraphBuilder};
pub use csr::{Adjacency, Graph};
pub use load::{load, load_pull, LoadOptions, Loaded};
pub use pull::PullGraph;

/// A small deterministic generator for the graph tests (xorshift): `rnd(m)` is in `0..m`.
#[cfg(test)]
pub(crate) fn test_rng(mut x: u64) -> impl FnMut(u64) -> u64 {
    move |m| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    }
}

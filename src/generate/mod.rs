//! Synthetic inputs with a fixed seed: the Graph500 Kronecker (R-MAT) graph for benchmarks.

pub mod kronecker;

pub use kronecker::{Kronecker, KroneckerParams};

//! Synthetic inputs with a fixed seed: the Graph500 Kronecker (R-MAT) graph for benchmarks, and
//! a synthetic social network with a planted truth (`social`).

pub mod kronecker;
pub mod social;

pub use kronecker::{Kronecker, KroneckerParams};
pub use social::{SocialParams, SocialSpec};

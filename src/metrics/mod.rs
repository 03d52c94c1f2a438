//! Pure functions over the graph: PageRank (Network Impact) behind the propagation interface,
//! degree and structure statistics.

pub mod dense;
pub mod pagerank;
pub mod propagate;
pub mod ranking;
pub mod stats;

pub use pagerank::{
    pagerank, pagerank_sequential, pagerank_with_progress, PageRank, PageRankParams,
    ValidPageRankParams,
};
pub use propagate::{CsrPropagator, Propagate};
pub use ranking::ranked;

//! Pure functions over the graph: PageRank (Network Impact) behind the propagation interface
//! (a pull over the in-edges, or propagation blocking),
//! many personalized PageRank vectors in one pass (topic-sensitive Network Impact), degree and structure statistics,
//! and the researcher's centralities (networkx's definitions).

pub mod blocked;
pub mod centrality;
pub mod cluster;
pub mod communities;
pub mod dense;
pub mod multi_pagerank;
mod multi_step;
pub mod pagerank;
pub mod propagate;
pub mod ranking;
pub mod stats;

pub use blocked::{BlockSizes, BlockedPropagator};
pub use multi_pagerank::{
    multi_pagerank, multi_pagerank_sequential, MultiPageRank, MultiPageRankParams, Precision,
    Teleport, ValidMultiPageRankParams,
};
pub use pagerank::{
    pagerank, pagerank_sequential, pagerank_with_progress, PageRank, PageRankParams,
    ValidPageRankParams,
};
pub use propagate::{CsrPropagator, Propagate};
pub use ranking::{ranked, ranked_where};

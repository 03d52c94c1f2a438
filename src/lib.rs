//! clout: an open social influence engine.
//!
//! Data flows one way: `ingest` (files → validated records, ids interned to dense `u32`) →
//! `graph` (immutable CSR + transpose, binary cache) → `metrics` (PageRank behind the
//! `Propagate` interface, statistics) → `score` (True Reach, Amplification, Network Impact and
//! the explained 1–100 score); `cli` wires the stages for the command-line tool.
//!
//! ```
//! use clout::graph::GraphBuilder;
//! use clout::ingest::{edges::parse_edge_list, EdgeListOptions, Source};
//! use clout::metrics::{pagerank, ranked, CsrPropagator, PageRankParams};
//!
//! // `follower followee` lines: everyone follows @carol.
//! let text = "@alice @carol\n@bob @carol\n@carol @alice\n";
//! let list = parse_edge_list(&Source::from_bytes("follows.txt", text.into()), EdgeListOptions::default())?;
//! let (graph, _report) = GraphBuilder::new().build(list);
//! let params = PageRankParams { tol: 1e-12, max_iter: 1000, ..Default::default() }.check(graph.num_nodes())?;
//! let pr = pagerank(&CsrPropagator::new(&graph), &params);
//! assert!(pr.converged);
//! let best = ranked(&pr.ranks, graph.ids(), Some(1))[0];
//! assert_eq!(graph.ids().name(best).to_string(), "@carol");
//! # Ok::<(), clout::Error>(())
//! ```

pub mod api;
pub(crate) mod cache_hint;
pub mod cli;
pub mod embed;
pub mod error;
pub mod export;
pub mod fs;
pub mod generate;
pub mod graph;
pub mod ingest;
pub mod leaderboard;
pub mod metrics;
pub mod pipeline;
pub mod report;
pub mod rng;
pub mod score;
pub mod store;
pub mod text;
pub mod topics;

pub use error::{Error, Result};

//! The integration tests: one binary, one module per area.

mod common;

mod api;
mod badges;
mod bombs;
mod cache;
mod campaign;
mod centrality;
mod classify;
mod cli;
mod cluster;
mod communities;
mod deltas;
mod distill;
mod edge_list_oracle;
mod embed;
mod experts;
mod formats;
mod generate_social;
mod hardening;
mod incremental;
mod ingest;
mod leaderboard;
mod matching;
mod parallel;
mod platforms;
mod plus_k;
mod predictive;
mod reference;
mod report;
mod robustness;
mod score;
mod stats;
mod store;
mod text;
mod topics;

//! Network Impact (PageRank) on a cluster of processes, over timely dataflow, with the
//! single-machine definition (teleport, dangling mass, tolerance, convergence flag and
//! iteration count of [`crate::metrics::pagerank`]) and its answers to within float rounding.
//!
//! - **Input** ([`read`]): each worker reads only its byte range of a plain edge list (a
//!   compressed one is decompressed by all, each keeping every `p`-th line).
//! - **Ids** ([`ids`]): an id string is owned by the worker whose slice of the hash space holds
//!   its hash; owners number their ids in `(hash, bytes)` order and the counts give each owner
//!   a contiguous range of global ids, so no table of all ids exists anywhere, and the global
//!   order does not depend on the number of workers.
//! - **Edges and ranks** ([`part`]): partitioned by destination, ranks by owner: a node's new
//!   rank is a local pull over its in-edges in ascending source order; each iteration the
//!   owner of `u` sends `x[u]/out(u)` once to every worker holding an edge from `u` (so the
//!   volume per iteration is the number of distinct (source, worker) pairs, at most
//!   `min(edges, nodes × workers)`, not the number of edges), plus two exact sums
//!   ([`fixed`]) per worker. Results therefore do not depend on the worker count.
//! - **Rounds** ([`exchange`]): one timely dataflow, an input exchanged by receiving worker;
//!   each phase and each iteration is one epoch, finished when the probe passes it.
//! - **Faults** ([`net`], [`run`]): connections are made here with a deadline and a handshake;
//!   a broken connection (a process died) is caught from timely's network threads and stops
//!   every worker with an error naming the lost process, within seconds; a worker's own error
//!   is sent to all others. [`checkpoint`]s every `K` iterations let a restarted cluster
//!   resume to the same result.

mod checkpoint;
mod error;
mod exchange;
mod fixed;
mod gather;
mod hosts;
mod ids;
mod iterate;
mod net;
mod part;
mod read;
mod run;

pub use checkpoint::Checkpoints;
pub use error::ClusterError;
pub use gather::Ranked;
pub use hosts::Hostfile;
pub use read::Input;
pub use run::{pagerank, pagerank_in_process, ClusterOptions};

#[cfg(test)]
mod tests;

//! The propagation step behind every PageRank-style metric, as a small interface: the graph is
//! split into destination partitions, and a step pulls a contribution vector along the in-edges
//! of one partition. The in-memory CSR implements it; a distributed backend would implement the
//! same trait (each worker owning some partitions) without touching the metrics.

use std::ops::Range;

use crate::graph::Graph;
use crate::ingest::Node;

/// A weighted directed graph that can propagate a vector along its edges.
pub trait Propagate: Sync {
    /// Number of nodes.
    fn num_nodes(&self) -> usize;

    /// Number of edges.
    fn num_edges(&self) -> usize;

    /// Total outgoing weight of every node (its out-degree when unweighted). A node whose total
    /// is zero is dangling.
    fn out_weights(&self, weighted: bool) -> Vec<f64>;

    /// Disjoint destination ranges that cover `0..num_nodes` in order, balanced by edge count.
    fn partitions(&self) -> &[Range<Node>];

    /// For every `v` in `part`: `out[v - part.start] = Σ_{u→v} w(u,v) · contrib[u]`
    /// (`w = 1` when `weighted` is false). Sums run over in-neighbours in ascending order, so the
    /// result does not depend on how partitions are scheduled.
    fn pull(&self, part: Range<Node>, contrib: &[f64], weighted: bool, out: &mut [f64]);
}

/// A CSR graph with its partitions precomputed.
pub struct CsrPropagator<'g> {
    graph: &'g Graph,
    parts: Vec<Range<Node>>,
}

/// Partitions per propagator: enough for load balance on many cores; results do not depend on it.
const PARTITIONS: usize = 256;

impl<'g> CsrPropagator<'g> {
    /// Wraps `graph`, splitting it into partitions of similar in-edge counts.
    pub fn new(graph: &'g Graph) -> Self {
        let offsets = graph.in_edges().offsets();
        let n = graph.num_nodes();
        let m = offsets[n];
        let mut parts = Vec::with_capacity(PARTITIONS);
        let mut start = 0usize;
        for p in 1..=PARTITIONS {
            // Balance edges plus nodes, so that edge-free stretches are split too.
            let goal = (m + n as u64) * p as u64 / PARTITIONS as u64;
            let end = if p == PARTITIONS {
                n
            } else {
                start
                    + offsets[start..n]
                        .iter()
                        .enumerate()
                        .position(|(i, &o)| o + (start + i) as u64 >= goal)
                        .unwrap_or(n - start)
            };
            if end > start {
                parts.push(start as Node..end as Node);
                start = end;
            }
        }
        CsrPropagator { graph, parts }
    }
}

impl Propagate for CsrPropagator<'_> {
    fn num_nodes(&self) -> usize {
        self.graph.num_nodes()
    }

    fn num_edges(&self) -> usize {
        self.graph.num_edges()
    }

    fn out_weights(&self, weighted: bool) -> Vec<f64> {
        let out = self.graph.out_edges();
        (0..self.graph.num_nodes() as Node)
            .map(|u| match (weighted, out.weights_of(u)) {
                (true, Some(w)) => w.iter().sum(),
                _ => out.degree(u) as f64,
            })
            .collect()
    }

    fn partitions(&self) -> &[Range<Node>] {
        &self.parts
    }

    fn pull(&self, part: Range<Node>, contrib: &[f64], weighted: bool, out: &mut [f64]) {
        let inc = self.graph.in_edges();
        let (offsets, sources) = (inc.offsets(), inc.targets());
        let weights = if weighted { inc.weights() } else { None };
        let base = part.start as usize;
        for v in part.start as usize..part.end as usize {
            let r = offsets[v] as usize..offsets[v + 1] as usize;
            out[v - base] = match weights {
                Some(w) => weighted_sum(&sources[r.clone()], &w[r], contrib),
                None => gather_sum(&sources[r], contrib),
            };
        }
    }
}

/// `Σ contrib[u]` over `sources`, in order.
#[inline]
fn gather_sum(sources: &[u32], contrib: &[f64]) -> f64 {
    let mut s = 0.0;
    for &u in sources {
        s += contrib[u as usize];
    }
    s
}

/// `Σ w · contrib[u]` over `sources`, in order.
#[inline]
fn weighted_sum(sources: &[u32], weights: &[f64], contrib: &[f64]) -> f64 {
    let mut s = 0.0;
    for (&u, &w) in sources.iter().zip(weights) {
        s += w * contrib[u as usize];
    }
    s
}

//! Structure statistics of a graph: counts, dangling nodes, reciprocity, degree distribution
//! summaries and weakly connected components; for a directed read, whether the file looks like
//! an undirected graph written one edge per pair.

use petgraph::unionfind::UnionFind;
use rayon::prelude::*;
use serde::Serialize;

use crate::graph::csr::common_neighbors;
use crate::graph::{Adjacency, Graph};
use crate::ingest::Node;

/// Summary of one degree distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DegreeSummary {
    pub min: u64,
    pub max: u64,
    pub mean: f64,
    pub median: u64,
    pub p90: u64,
    pub p99: u64,
    /// Nodes with degree zero.
    pub zeros: u64,
}

/// Statistics of a graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphStats {
    pub nodes: u64,
    /// Edges as read: undirected edges once each on an undirected graph.
    pub edges: u64,
    pub undirected: bool,
    pub weighted: bool,
    /// Nodes without out-edges (PageRank spreads their mass over all nodes).
    pub dangling: u64,
    pub self_loops: u64,
    /// Fraction of edges `u → v` (u ≠ v) whose reverse `v → u` exists (networkx's definition).
    pub reciprocity: f64,
    pub out_degree: DegreeSummary,
    pub in_degree: DegreeSummary,
    pub weak_components: u64,
    pub largest_weak_component: u64,
    /// A directed read of what looks like an undirected graph: every edge stored in both
    /// directions, or none reciprocated and every edge written from the smaller id to the larger
    /// (or every one the other way). Always false on an undirected read.
    pub looks_undirected: bool,
}

/// Computes [`GraphStats`].
pub fn graph_stats(g: &Graph) -> GraphStats {
    let n = g.num_nodes();
    let out = g.out_edges();
    // u → v is reciprocated when v → u exists, i.e. v is also an in-neighbour of u: count
    // |out(u) ∩ in(u)| by merging the two sorted rows (no per-edge searches).
    let (loops, reciprocated) = (0..n as Node)
        .into_par_iter()
        .map(|u| {
            let loops = out.neighbors(u).binary_search(&u).is_ok() as u64;
            let common =
                common_neighbors(out.neighbors(u), g.in_edges().neighbors(u)).count() as u64;
            (loops, common - loops)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let non_loop = g.num_edges() as u64 - loops;
    let (components, largest) = weak_components(g);
    let reciprocity = if non_loop == 0 {
        0.0
    } else {
        reciprocated as f64 / non_loop as f64
    };
    let looks_undirected = !g.is_undirected()
        && non_loop > 0
        && (reciprocated == non_loop || (reciprocated == 0 && one_orientation(g)));
    GraphStats {
        nodes: n as u64,
        edges: g.num_edges_as_read() as u64,
        undirected: g.is_undirected(),
        weighted: g.is_weighted(),
        dangling: (0..n as Node).filter(|&u| out.degree(u) == 0).count() as u64,
        self_loops: loops,
        reciprocity,
        out_degree: degree_summary(out),
        in_degree: degree_summary(g.in_edges()),
        weak_components: components,
        largest_weak_component: largest,
        looks_undirected,
    }
}

/// Whether every non-loop edge goes from the smaller external id to the larger, or every one
/// from the larger to the smaller.
fn one_orientation(g: &Graph) -> bool {
    use std::cmp::Ordering::{Greater, Less};
    let out = g.out_edges();
    let all = |want: std::cmp::Ordering| {
        (0..g.num_nodes() as Node).into_par_iter().all(|u| {
            out.neighbors(u)
                .iter()
                .all(|&v| u == v || g.ids().cmp_names(u, v) == want)
        })
    };
    all(Less) || all(Greater)
}

fn degree_summary(adj: &Adjacency) -> DegreeSummary {
    let mut d: Vec<u64> = adj.offsets().windows(2).map(|w| w[1] - w[0]).collect();
    if d.is_empty() {
        return DegreeSummary {
            min: 0,
            max: 0,
            mean: 0.0,
            median: 0,
            p90: 0,
            p99: 0,
            zeros: 0,
        };
    }
    d.par_sort_unstable();
    // Nearest-rank percentiles.
    let pct = |p: f64| d[((p * d.len() as f64).ceil() as usize).clamp(1, d.len()) - 1];
    DegreeSummary {
        min: d[0],
        max: d[d.len() - 1],
        mean: adj.num_entries() as f64 / d.len() as f64,
        median: pct(0.5),
        p90: pct(0.9),
        p99: pct(0.99),
        zeros: d.partition_point(|&x| x == 0) as u64,
    }
}

/// Number of weakly connected components and the size of the largest (petgraph's union-find).
pub fn weak_components(g: &Graph) -> (u64, u64) {
    let n = g.num_nodes();
    let mut sets = UnionFind::<Node>::new(n);
    for u in 0..n as Node {
        for &v in g.out_edges().neighbors(u) {
            sets.union(u, v);
        }
    }
    let mut size = vec![0u64; n];
    for root in sets.into_labeling() {
        size[root as usize] += 1;
    }
    let comps = size.iter().filter(|&&s| s > 0).count() as u64;
    (comps, size.into_iter().max().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::GraphBuilder;
    use crate::ingest::{EdgeList, IdMap};

    #[test]
    fn hand_counted_small_graph() {
        // 0⇄1, 1→2, 3→4, node 5 isolated (only a dropped self-loop).
        let e = [(0, 1), (1, 0), (1, 2), (3, 4), (5, 5)];
        let list = EdgeList {
            ids: IdMap::Numeric((0..6).collect()),
            src: e.iter().map(|x| x.0).collect(),
            dst: e.iter().map(|x| x.1).collect(),
            weights: None,
            skips: Default::default(),
            degree_ordered: false,
            undirected: false,
        };
        let (g, _) = GraphBuilder::new().build(list);
        let s = graph_stats(&g);
        assert_eq!((s.nodes, s.edges, s.dangling, s.self_loops), (6, 4, 3, 0));
        assert!((s.reciprocity - 0.5).abs() < 1e-12);
        assert_eq!((s.weak_components, s.largest_weak_component), (3, 3));
        assert_eq!(
            (s.out_degree.max, s.out_degree.zeros, s.in_degree.max),
            (2, 3, 1)
        );
        assert_eq!(s.out_degree.median, 0);
    }

    fn build(e: &[(u32, u32)], undirected: bool) -> Graph {
        let list = crate::metrics::pagerank::tests::edge_list(e, 5);
        GraphBuilder::new().undirected(undirected).build(list).0
    }

    #[test]
    fn undirected_counts_and_the_looks_undirected_warning() {
        // a-b given both ways is one undirected edge.
        let e = [(0, 1), (1, 0), (1, 2), (2, 3), (0, 1)];
        let s = graph_stats(&build(&e, true));
        assert_eq!((s.nodes, s.edges, s.undirected), (5, 3, true));
        assert_eq!((s.out_degree.max, s.in_degree.max), (2, 2));
        assert!(!s.looks_undirected);
        // Written once per pair, smaller id first: looks undirected.
        assert!(graph_stats(&build(&[(0, 1), (1, 2), (0, 3)], false)).looks_undirected);
        // Every edge both ways: looks undirected.
        assert!(graph_stats(&build(&[(0, 1), (1, 0)], false)).looks_undirected);
        // Mixed orientation, no reciprocity: a directed graph.
        assert!(!graph_stats(&build(&[(0, 1), (2, 1)], false)).looks_undirected);
    }
}

//! The in-edge half of a graph with every node's out-degree and out-weight: all that PageRank
//! reads, in about half the memory of a [`Graph`] (no out-edge rows).

use super::csr::{Adjacency, Graph};
use crate::ingest::{IdMap, Node};

/// In-edges, out-totals and external ids. Built by [`super::GraphBuilder::build_pull`] or cut
/// from a full graph by [`PullGraph::from_graph`]; never changed afterwards.
#[derive(Debug)]
pub struct PullGraph {
    pub(crate) ids: IdMap,
    pub(crate) inc: Adjacency,
    out_degree: Vec<u32>,
    /// Per node, the sum of its out-edges' weights (in ascending target order); weighted only.
    out_weight: Option<Vec<f64>>,
    undirected: bool,
}

impl PullGraph {
    /// Keeps the in-edges of `g` and its out-totals, dropping the out-edge rows.
    pub fn from_graph(g: Graph) -> PullGraph {
        let undirected = g.is_undirected();
        let out = &g.out;
        let out_degree = (0..out.num_rows() as Node)
            .map(|u| out.degree(u) as u32)
            .collect();
        let out_weight = out.weights.as_ref().map(|_| {
            (0..out.num_rows() as Node)
                .map(|u| out.weights_of(u).unwrap_or_default().iter().sum())
                .collect()
        });
        PullGraph {
            ids: g.ids,
            inc: g.inc,
            out_degree,
            out_weight,
            undirected,
        }
    }

    /// Counts the out-totals from the in-edges: visiting rows in ascending target order adds
    /// every node's weights in the same order as summing its out-edge row does.
    pub(super) fn from_in_edges(ids: IdMap, inc: Adjacency, undirected: bool) -> PullGraph {
        let n = inc.num_rows();
        let mut out_degree = vec![0u32; n];
        inc.targets()
            .iter()
            .for_each(|&u| out_degree[u as usize] += 1);
        let out_weight = inc.weights().map(|w| {
            let zero: f64 = std::iter::empty::<f64>().sum();
            let mut acc = vec![zero; n];
            inc.targets()
                .iter()
                .zip(w)
                .for_each(|(&u, &x)| acc[u as usize] += x);
            acc
        });
        PullGraph {
            ids,
            inc,
            out_degree,
            out_weight,
            undirected,
        }
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.inc.num_rows()
    }

    /// Number of (merged) edges.
    pub fn num_edges(&self) -> usize {
        self.inc.num_entries()
    }

    /// Number of edges as the reader sees them (see [`Graph::num_edges_as_read`]).
    pub fn num_edges_as_read(&self) -> usize {
        self.inc.num_edges_as_read(self.undirected)
    }

    /// Whether edges carry weights.
    pub fn is_weighted(&self) -> bool {
        self.inc.weights.is_some()
    }

    /// In-edges.
    pub fn in_edges(&self) -> &Adjacency {
        &self.inc
    }

    /// Out-degree of every node.
    pub fn out_degrees(&self) -> &[u32] {
        &self.out_degree
    }

    /// Total out-weight of every node, when weighted.
    pub fn out_weights(&self) -> Option<&[f64]> {
        self.out_weight.as_deref()
    }

    /// External ids.
    pub fn ids(&self) -> &IdMap {
        &self.ids
    }
}

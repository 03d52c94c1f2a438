//! The immutable graph: compressed sparse rows of out-edges and of in-edges (the transpose),
//! `u32` targets, optional `f64` weights, and the map back to external ids.

use super::buf::Buf;
use crate::ingest::{IdMap, Node};

/// One direction of adjacency in CSR form: the neighbours of `v` are
/// `targets[offsets[v]..offsets[v + 1]]`, sorted ascending, without duplicates.
#[derive(Debug)]
pub struct Adjacency {
    pub(crate) offsets: Buf<u64>,
    pub(crate) targets: Buf<u32>,
    pub(crate) weights: Option<Buf<f64>>,
}

impl Adjacency {
    /// Number of rows.
    pub fn num_rows(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of entries.
    pub fn num_entries(&self) -> usize {
        self.targets.len()
    }

    /// The neighbours of `v`.
    #[inline]
    pub fn neighbors(&self, v: Node) -> &[Node] {
        &self.targets[self.range(v)]
    }

    /// The weights of `v`'s edges, aligned with [`Adjacency::neighbors`].
    #[inline]
    pub fn weights_of(&self, v: Node) -> Option<&[f64]> {
        let r = self.range(v);
        self.weights.as_ref().map(|w| &w[r])
    }

    /// Number of neighbours of `v`.
    #[inline]
    pub fn degree(&self, v: Node) -> usize {
        let r = self.range(v);
        r.end - r.start
    }

    #[inline]
    pub(crate) fn range(&self, v: Node) -> std::ops::Range<usize> {
        self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize
    }

    /// Number of rows `v` holding `v` (self-loops).
    pub fn num_self_loops(&self) -> usize {
        (0..self.num_rows() as Node)
            .filter(|&v| self.neighbors(v).binary_search(&v).is_ok())
            .count()
    }

    /// Entries counted as edges: on `undirected` (symmetric) rows each pair once, a self-loop
    /// once.
    pub fn num_edges_as_read(&self, undirected: bool) -> usize {
        if !undirected {
            return self.num_entries();
        }
        let loops = self.num_self_loops();
        (self.num_entries() - loops) / 2 + loops
    }

    /// The raw row offsets (`num_rows + 1` entries).
    pub fn offsets(&self) -> &[u64] {
        &self.offsets
    }

    /// The raw targets.
    pub fn targets(&self) -> &[u32] {
        &self.targets
    }

    /// The raw weights, if any.
    pub fn weights(&self) -> Option<&[f64]> {
        self.weights.as_deref()
    }
}

/// The nodes in both of two ascending, duplicate-free neighbour rows, ascending (a merge).
pub fn common_neighbors<'a>(a: &'a [Node], b: &'a [Node]) -> impl Iterator<Item = Node> + 'a {
    let (mut i, mut j) = (0, 0);
    std::iter::from_fn(move || {
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                    return Some(a[i - 1]);
                }
            }
        }
        None
    })
}

/// A graph: out-edges, in-edges and external ids. Built by [`super::GraphBuilder`] or loaded
/// from a cache; never changed afterwards. An undirected graph stores every edge both ways (a
/// self-loop once), so its out- and in-edges are equal.
#[derive(Debug)]
pub struct Graph {
    pub(crate) ids: IdMap,
    pub(crate) out: Adjacency,
    pub(crate) inc: Adjacency,
    pub(crate) undirected: bool,
}

impl Graph {
    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.out.num_rows()
    }

    /// Number of (merged) directed edges: an undirected edge counts twice, a self-loop once.
    pub fn num_edges(&self) -> usize {
        self.out.num_entries()
    }

    /// Whether the graph was read as undirected (see [`super::GraphBuilder::undirected`]).
    pub fn is_undirected(&self) -> bool {
        self.undirected
    }

    /// Number of self-loops `v → v`.
    pub fn num_self_loops(&self) -> usize {
        self.out.num_self_loops()
    }

    /// Number of edges as the reader sees them: undirected edges once each (networkx's
    /// `Graph.number_of_edges`), else [`Graph::num_edges`].
    pub fn num_edges_as_read(&self) -> usize {
        self.out.num_edges_as_read(self.undirected)
    }

    /// Whether edges carry weights.
    pub fn is_weighted(&self) -> bool {
        self.out.weights.is_some()
    }

    /// Out-edges (`v` follows / points at its neighbours).
    pub fn out_edges(&self) -> &Adjacency {
        &self.out
    }

    /// In-edges (the transpose).
    pub fn in_edges(&self) -> &Adjacency {
        &self.inc
    }

    /// External ids.
    pub fn ids(&self) -> &IdMap {
        &self.ids
    }
}

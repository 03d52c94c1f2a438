//! petgraph's visit traits for the CSR [`Graph`], so that petgraph's algorithms (strongly
//! connected components, depth- and breadth-first search, topological order, reachability…)
//! run on clout's graph without a copy. Nodes are the dense `u32` node numbers; neighbours are
//! the out-edges (and, directed, the in-edges), in ascending order.

use std::iter::Copied;
use std::ops::Range;
use std::slice::Iter;

use fixedbitset::FixedBitSet;
use petgraph::visit::{
    GraphBase, GraphProp, IntoNeighbors, IntoNeighborsDirected, IntoNodeIdentifiers,
    NodeCompactIndexable, NodeCount, NodeIndexable, Visitable,
};
use petgraph::{Directed, Direction};

use super::csr::Graph;
use crate::ingest::Node;

impl GraphBase for Graph {
    /// An edge is its `(source, target)` pair (duplicates are merged, so it is unique).
    type EdgeId = (Node, Node);
    type NodeId = Node;
}

/// Directed: an undirected read stores each edge both ways, which is what petgraph's directed
/// algorithms then see.
impl GraphProp for Graph {
    type EdgeType = Directed;
}

impl NodeCount for Graph {
    fn node_count(&self) -> usize {
        self.num_nodes()
    }
}

impl NodeIndexable for Graph {
    fn node_bound(&self) -> usize {
        self.num_nodes()
    }

    fn to_index(&self, a: Node) -> usize {
        a as usize
    }

    fn from_index(&self, i: usize) -> Node {
        i as Node
    }
}

impl NodeCompactIndexable for Graph {}

impl Visitable for Graph {
    type Map = FixedBitSet;

    fn visit_map(&self) -> FixedBitSet {
        FixedBitSet::with_capacity(self.num_nodes())
    }

    fn reset_map(&self, map: &mut FixedBitSet) {
        map.clear();
        map.grow(self.num_nodes());
    }
}

impl<'a> IntoNeighbors for &'a Graph {
    type Neighbors = Copied<Iter<'a, Node>>;

    fn neighbors(self, a: Node) -> Self::Neighbors {
        self.out_edges().neighbors(a).iter().copied()
    }
}

impl<'a> IntoNeighborsDirected for &'a Graph {
    type NeighborsDirected = Copied<Iter<'a, Node>>;

    fn neighbors_directed(self, a: Node, d: Direction) -> Self::NeighborsDirected {
        let adj = match d {
            Direction::Outgoing => self.out_edges(),
            Direction::Incoming => self.in_edges(),
        };
        adj.neighbors(a).iter().copied()
    }
}

impl IntoNodeIdentifiers for &Graph {
    type NodeIdentifiers = Range<Node>;

    fn node_identifiers(self) -> Range<Node> {
        0..self.num_nodes() as Node
    }
}

#[cfg(test)]
mod tests {
    use petgraph::algo::{has_path_connecting, kosaraju_scc, tarjan_scc, toposort};
    use petgraph::visit::{Bfs, Dfs};

    use crate::metrics::centrality::tests::{directed, random};

    /// petgraph's algorithms on the CSR agree with the same algorithms on a petgraph copy.
    #[test]
    fn petgraph_algorithms_agree_with_a_petgraph_copy() {
        for seed in 1..6 {
            let g = random(200, 500, false, seed);
            let mut copy = petgraph::graph::DiGraph::<(), ()>::new();
            let nodes: Vec<_> = (0..g.num_nodes()).map(|_| copy.add_node(())).collect();
            for u in 0..g.num_nodes() as u32 {
                for &v in g.out_edges().neighbors(u) {
                    copy.add_edge(nodes[u as usize], nodes[v as usize], ());
                }
            }
            let canon = |mut sccs: Vec<Vec<u32>>| {
                sccs.iter_mut().for_each(|c| c.sort_unstable());
                sccs.sort();
                sccs
            };
            let ours = canon(tarjan_scc(&g));
            let theirs: Vec<Vec<u32>> = tarjan_scc(&copy)
                .into_iter()
                .map(|c| c.into_iter().map(|n| n.index() as u32).collect())
                .collect();
            assert_eq!(ours, canon(theirs));
            assert_eq!(ours, canon(kosaraju_scc(&g)));
            let reach = |start: u32| {
                let mut dfs = Dfs::new(&g, start);
                let mut seen = Vec::new();
                while let Some(v) = dfs.next(&g) {
                    seen.push(v);
                }
                seen.sort_unstable();
                seen
            };
            for s in [0u32, 17, 123] {
                let mut bfs = Bfs::new(&copy, nodes[s as usize]);
                let mut want = Vec::new();
                while let Some(v) = bfs.next(&copy) {
                    want.push(v.index() as u32);
                }
                want.sort_unstable();
                assert_eq!(reach(s), want);
                assert_eq!(
                    has_path_connecting(&g, s, 5, None),
                    has_path_connecting(&copy, nodes[s as usize], nodes[5], None)
                );
            }
        }
    }

    #[test]
    fn topological_order_of_a_dag_and_refusal_of_a_cycle() {
        let g = directed(&[(0, 1), (0, 2), (1, 3), (2, 3), (3, 4)], 5);
        let order = toposort(&g, None).unwrap();
        let pos = |v: u32| order.iter().position(|&x| x == v).unwrap();
        assert!(pos(0) < pos(1) && pos(1) < pos(3) && pos(2) < pos(3) && pos(3) < pos(4));
        let cyclic = directed(&[(0, 1), (1, 2), (2, 0)], 3);
        assert!(toposort(&cyclic, None).is_err());
    }
}

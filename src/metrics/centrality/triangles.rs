//! Triangles and local clustering as networkx defines them (`nx.triangles`, `nx.clustering`):
//! on an undirected graph, the triangles through each node and `2T / (d(d − 1))`; on a
//! directed graph, Fagiolo's directed clustering (all eight triangle orientations). Self-loops
//! are ignored. Each node's value is computed on its own, in parallel, from its neighbours
//! marked in a per-worker array and its neighbours' rows looked up in it.

use rayon::prelude::*;

use crate::graph::csr::common_neighbors;
use crate::graph::Graph;
use crate::ingest::Node;

/// Triangles through every node of an undirected graph.
pub fn triangles(g: &Graph) -> Vec<u64> {
    assert!(g.is_undirected(), "triangles need an undirected graph");
    let mut out = vec![0u64; g.num_nodes()];
    out.par_iter_mut().enumerate().for_each_init(
        || vec![0u8; g.num_nodes()],
        |marks, (v, slot)| *slot = undirected_triangles(g, v as Node, marks),
    );
    out
}

/// The local clustering coefficient of every node.
pub fn clustering(g: &Graph) -> Vec<f64> {
    let mut out = vec![0.0; g.num_nodes()];
    out.par_iter_mut().enumerate().for_each_init(
        || vec![0u8; g.num_nodes()],
        |marks, (v, slot)| {
            let v = v as Node;
            *slot = if g.is_undirected() {
                let d = without(g.out_edges().neighbors(v), v) as f64;
                let t = undirected_triangles(g, v, marks) as f64;
                if t == 0.0 {
                    0.0
                } else {
                    2.0 * t / (d * (d - 1.0))
                }
            } else {
                directed_clustering(g, v, marks)
            }
        },
    );
    out
}

/// Edges among the neighbours of `v` (loops aside): each neighbour `u`'s larger neighbours
/// that are marked as neighbours of `v`. `marks` is all zero before and after.
fn undirected_triangles(g: &Graph, v: Node, marks: &mut [u8]) -> u64 {
    let nv = g.out_edges().neighbors(v);
    nv.iter().for_each(|&u| marks[u as usize] = (u != v) as u8);
    let mut t = 0u64;
    for &u in nv.iter().filter(|&&u| u != v) {
        let row = g.out_edges().neighbors(u);
        let above = &row[row.partition_point(|&w| w <= u)..];
        t += above.iter().filter(|&&w| marks[w as usize] != 0).count() as u64;
    }
    nv.iter().for_each(|&u| marks[u as usize] = 0);
    t
}

/// networkx's `_directed_triangles_and_degree_iter` for one node, then its formula. The
/// triangles `Σ_j |(P_i ∪ S_i) ∩ (P_j ∪ S_j)|` over `j ∈ P_i ∪ S_i` (sets counted with
/// multiplicity) come from marks: `marks[k]` is how many of `i`'s rows hold `k`.
fn directed_clustering(g: &Graph, i: Node, marks: &mut [u8]) -> f64 {
    let (out, inc) = (g.out_edges(), g.in_edges());
    let (ip, is) = (inc.neighbors(i), out.neighbors(i));
    ip.iter()
        .chain(is)
        .filter(|&&k| k != i)
        .for_each(|&k| marks[k as usize] += 1);
    let mut t = 0u64;
    for &j in ip.iter().chain(is).filter(|&&j| j != i) {
        let row = inc.neighbors(j).iter().chain(out.neighbors(j));
        t += row
            .filter(|&&k| k != j)
            .map(|&k| marks[k as usize] as u64)
            .sum::<u64>();
    }
    ip.iter().chain(is).for_each(|&k| marks[k as usize] = 0);
    if t == 0 {
        return 0.0;
    }
    let total = (without(ip, i) + without(is, i)) as f64;
    let both = common(ip, is, i, i) as f64;
    t as f64 / ((total * (total - 1.0) - 2.0 * both) * 2.0)
}

/// Number of entries of `row` other than `v`.
fn without(row: &[Node], v: Node) -> usize {
    row.len() - row.binary_search(&v).is_ok() as usize
}

/// Size of the intersection of two ascending rows, leaving out `a` and `b`.
fn common(x: &[Node], y: &[Node], a: Node, b: Node) -> u64 {
    common_neighbors(x, y).filter(|&w| w != a && w != b).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::centrality::tests::{directed, undirected};

    #[test]
    fn triangle_with_a_tail() {
        // Triangle 0-1-2, tail 2-3, and 1-3 closing a second triangle 1-2-3.
        let g = undirected(&[(0, 1), (1, 2), (0, 2), (2, 3), (1, 3)], 5);
        assert_eq!(triangles(&g), vec![1, 2, 2, 1, 0]);
        let c = clustering(&g);
        // Node 1: neighbours 0, 2, 3 → 3 pairs, 2 closed.
        assert_eq!(c, vec![1.0, 2.0 / 3.0, 2.0 / 3.0, 1.0, 0.0]);
    }

    #[test]
    fn directed_clustering_of_a_cycle_and_a_full_triad() {
        // A directed 3-cycle: each node has one triangle of eight possible orientations…
        // networkx: c = T / ((dt(dt−1) − 2 d↔) · 2) with T = 2, dt = 2, d↔ = 0 → 0.5.
        let g = directed(&[(0, 1), (1, 2), (2, 0)], 3);
        assert_eq!(clustering(&g), vec![0.5, 0.5, 0.5]);
        // All six edges: every orientation present → 1.
        let g = directed(&[(0, 1), (1, 0), (1, 2), (2, 1), (2, 0), (0, 2)], 3);
        assert_eq!(clustering(&g), vec![1.0, 1.0, 1.0]);
    }
}

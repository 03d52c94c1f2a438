//! k-core numbers (networkx's `core_number`) by Batagelj and Zaveršnik's bucket algorithm,
//! O(n + m). On a directed graph a node's degree is its in- plus out-degree and its neighbours
//! are its predecessors and successors, a reciprocated pair counting twice, as networkx does.

use crate::graph::Graph;
use crate::ingest::Node;

/// The core number of every node. The graph must have no self-loops (checked with the
/// parameters; networkx refuses them too).
pub fn core_number(g: &Graph) -> Vec<u64> {
    let n = g.num_nodes();
    let nbrs = |v: Node| {
        let back: &[Node] = if g.is_undirected() {
            &[]
        } else {
            g.in_edges().neighbors(v)
        };
        g.out_edges().neighbors(v).iter().chain(back)
    };
    let mut deg: Vec<usize> = (0..n as Node).map(|v| nbrs(v).count()).collect();
    let max = deg.iter().copied().max().unwrap_or(0);
    // bin[d]: the first position of degree d in `vert`, which lists nodes by degree.
    let mut bin = vec![0usize; max + 2];
    deg.iter().for_each(|&d| bin[d + 1] += 1);
    for d in 1..bin.len() {
        bin[d] += bin[d - 1];
    }
    let mut next = bin.clone();
    let mut vert = vec![0 as Node; n];
    let mut pos = vec![0usize; n];
    for v in 0..n {
        pos[v] = next[deg[v]];
        vert[pos[v]] = v as Node;
        next[deg[v]] += 1;
    }
    for i in 0..n {
        let v = vert[i];
        for &u in nbrs(v) {
            let (u, dv) = (u as usize, deg[v as usize]);
            if deg[u] > dv {
                let (du, pu) = (deg[u], pos[u]);
                let pw = bin[du];
                let w = vert[pw] as usize;
                if u != w {
                    vert.swap(pu, pw);
                    pos[u] = pw;
                    pos[w] = pu;
                }
                bin[du] += 1;
                deg[u] -= 1;
            }
        }
    }
    deg.into_iter().map(|d| d as u64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::centrality::tests::{directed, undirected};

    #[test]
    fn triangle_with_a_tail_and_a_path() {
        // Triangle 0-1-2 with tail 2-3-4.
        let g = undirected(&[(0, 1), (1, 2), (0, 2), (2, 3), (3, 4)], 5);
        assert_eq!(core_number(&g), vec![2, 2, 2, 1, 1]);
        let g = undirected(&[(0, 1), (1, 2), (2, 3)], 5);
        assert_eq!(core_number(&g), vec![1, 1, 1, 1, 0]);
        // Directed 2-cycle: each node has total degree 2 → core 2 (networkx agrees).
        let g = directed(&[(0, 1), (1, 0), (1, 2)], 3);
        assert_eq!(core_number(&g), vec![2, 2, 1]);
    }
}

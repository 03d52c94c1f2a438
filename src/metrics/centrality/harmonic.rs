//! Harmonic closeness (`nx.harmonic_centrality`): `H(u) = Σ_{v ≠ u} 1 / d(v, u)`, distances in
//! hops, unreachable pairs adding 0. On a directed graph the distances run *to* `u`, so each
//! node's value is one breadth-first search from it over in-edges. With weights as distances
//! (`distance="weight"`) the search is Dijkstra's (`dijkstra.rs`). Nodes are independent: the
//! parallel kernels write each node's slot alone and equal their sequential twins bit for bit.

use rayon::prelude::*;

use super::dijkstra::Dijkstra;
use crate::graph::{Adjacency, Graph};
use crate::ingest::Node;

/// Breadth-first scratch for one worker: which nodes were seen (cleared after each search)
/// and the queue, whose levels give the distances.
struct Search {
    seen: Vec<bool>,
    queue: Vec<Node>,
}

impl Search {
    fn new(n: usize) -> Search {
        Search {
            seen: vec![false; n],
            queue: Vec::with_capacity(n),
        }
    }

    /// Marks `v` seen; whether it was new.
    #[inline]
    fn visit(&mut self, v: Node) -> bool {
        let seen = &mut self.seen[v as usize];
        let new = !*seen;
        if new {
            *seen = true;
        }
        new
    }

    /// `Σ 1/d` over the nodes reached from `u` along `adj`, in breadth-first order.
    fn harmonic_from(&mut self, adj: &Adjacency, u: Node) -> f64 {
        self.queue.clear();
        self.queue.push(u);
        self.visit(u);
        // Nodes found while the queue head is below `level_end` are at distance `d`.
        let (mut head, mut level_end, mut d, mut sum) = (0, 1, 1u32, 0.0);
        while head < self.queue.len() {
            if head == level_end {
                d += 1;
                level_end = self.queue.len();
            }
            let x = self.queue[head];
            head += 1;
            for &y in adj.neighbors(x) {
                if self.visit(y) {
                    self.queue.push(y);
                    sum += 1.0 / d as f64;
                }
            }
        }
        for &v in &self.queue {
            self.seen[v as usize] = false;
        }
        sum
    }
}

/// Harmonic closeness of every node, in parallel.
pub fn harmonic(g: &Graph) -> Vec<f64> {
    let n = g.num_nodes();
    let mut out = vec![0.0; n];
    out.par_iter_mut().enumerate().for_each_init(
        || Search::new(n),
        |s, (u, slot)| *slot = s.harmonic_from(g.in_edges(), u as Node),
    );
    out
}

/// The sequential twin of [`harmonic`]; the results are identical.
pub fn harmonic_sequential(g: &Graph) -> Vec<f64> {
    let mut s = Search::new(g.num_nodes());
    (0..g.num_nodes() as Node)
        .map(|u| s.harmonic_from(g.in_edges(), u))
        .collect()
}

/// Harmonic closeness with the edge weights as distances (`nx.harmonic_centrality(G,
/// distance="weight")`), in parallel. `g` must be weighted with finite weights `≥ 0` (checked
/// by `CentralityParams::check`).
pub fn harmonic_weighted(g: &Graph) -> Vec<f64> {
    let n = g.num_nodes();
    let mut out = vec![0.0; n];
    out.par_iter_mut().enumerate().for_each_init(
        || Dijkstra::new(n),
        |s, (u, slot)| *slot = s.harmonic_from(g.in_edges(), u as Node),
    );
    out
}

/// The sequential twin of [`harmonic_weighted`]; the results are identical.
pub fn harmonic_weighted_sequential(g: &Graph) -> Vec<f64> {
    let mut s = Dijkstra::new(g.num_nodes());
    (0..g.num_nodes() as Node)
        .map(|u| s.harmonic_from(g.in_edges(), u))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::centrality::tests::{directed, random, undirected};

    #[test]
    fn path_and_directed_path_by_hand() {
        // Path 0-1-2-3: H(0) = 1 + 1/2 + 1/3, H(1) = 1 + 1 + 1/2.
        let g = undirected(&[(0, 1), (1, 2), (2, 3)], 4);
        let h = harmonic(&g);
        assert_eq!(
            h,
            vec![1.0 + 0.5 + 1.0 / 3.0, 2.5, 2.5, 1.0 + 0.5 + 1.0 / 3.0]
        );
        // 0 → 1 → 2: distances *to* a node; nothing reaches 0.
        let g = directed(&[(0, 1), (1, 2)], 3);
        assert_eq!(harmonic(&g), vec![0.0, 1.0, 1.5]);
    }

    #[test]
    fn parallel_equals_sequential_across_sizes_and_threads() {
        for (n, m) in [(1, 0), (30, 60), (400, 2000)] {
            for undirected in [false, true] {
                let g = random(n, m, undirected, 7);
                let seq = harmonic_sequential(&g);
                for threads in [1, 2, 5] {
                    let pool = rayon::ThreadPoolBuilder::new()
                        .num_threads(threads)
                        .build()
                        .unwrap();
                    assert_eq!(pool.install(|| harmonic(&g)), seq);
                }
            }
        }
    }
}

//! Shortest paths with edge weights as distances (Dijkstra) for the weighted harmonic and
//! betweenness kernels, with networkx's semantics: a distance is the float sum of the weights
//! along the path, in path order, and two paths are equally short when those sums are equal
//! as floats (`_single_source_dijkstra_path_basic` counts a predecessor when
//! `vw_dist == dist[w]`). Also the check that the weights can be distances.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::betweenness::{Dependencies, Sums};
use super::error::CentralityError;
use super::params::Measure;
use crate::graph::{Adjacency, Graph};
use crate::ingest::Node;

/// One worker's single-source scratch. Per node: the distance from the source (`∞` = not
/// reached) and one number, the count of shortest paths during the search, then (betweenness)
/// the dependency coefficient `(1 + δ(w)) / σ(w)`. The heap holds `(distance bits, node)`:
/// distances are finite and `≥ 0`, so their bit patterns order as the numbers do; ties of
/// distance pop by node number, which changes no result.
pub(super) struct Dijkstra {
    dist: Vec<f64>,
    value: Vec<f64>,
    /// The nodes reached, in the order they were settled (non-decreasing distance).
    order: Vec<Node>,
    /// σ of `order[i]`, saved before the coefficients overwrite it.
    sigma: Vec<f64>,
    heap: BinaryHeap<Reverse<(u64, Node)>>,
}

impl Dijkstra {
    pub(super) fn new(n: usize) -> Dijkstra {
        Dijkstra {
            dist: vec![f64::INFINITY; n],
            value: vec![0.0; n],
            order: Vec::with_capacity(n),
            sigma: Vec::with_capacity(n),
            heap: BinaryHeap::new(),
        }
    }

    /// Distances and shortest-path counts from `s` along `adj` (which must carry weights).
    /// A node is pushed once per strict improvement, so the entry whose key equals its
    /// distance is unique and the node is settled once; the other entries are stale.
    fn search(&mut self, adj: &Adjacency, s: Node) {
        self.order.clear();
        (self.dist[s as usize], self.value[s as usize]) = (0.0, 1.0);
        self.heap.push(Reverse((0.0f64.to_bits(), s)));
        while let Some(Reverse((key, v))) = self.heap.pop() {
            let d = self.dist[v as usize];
            if key != d.to_bits() {
                continue;
            }
            self.order.push(v);
            let sv = self.value[v as usize];
            let weights = adj
                .weights_of(v)
                .expect("a weighted kernel on a weighted graph");
            for (&x, &w) in adj.neighbors(v).iter().zip(weights) {
                let nd = d + w;
                let dx = &mut self.dist[x as usize];
                if nd < *dx {
                    *dx = nd;
                    self.value[x as usize] = sv;
                    self.heap.push(Reverse((nd.to_bits(), x)));
                } else if nd == *dx {
                    self.value[x as usize] += sv;
                }
            }
        }
    }

    fn clear(&mut self) {
        for &w in &self.order {
            (self.dist[w as usize], self.value[w as usize]) = (f64::INFINITY, 0.0);
        }
    }

    /// `Σ 1/d` over the nodes reached from `u` along `adj` at a distance `d > 0`, in the order
    /// they were settled (networkx skips `d == 0`: `u` itself and zero-weight paths).
    pub(super) fn harmonic_from(&mut self, adj: &Adjacency, u: Node) -> f64 {
        self.search(adj, u);
        let mut sum = 0.0;
        for &v in &self.order {
            let d = self.dist[v as usize];
            if d > 0.0 {
                sum += 1.0 / d;
            }
        }
        self.clear();
        sum
    }
}

/// Brandes' step with Dijkstra: in reverse settling order each node pulls from its
/// successors on shortest paths, the `x` with `dist[w] + weight == dist[x]` (the same float
/// test as the search; with positive weights they were settled later, so they are done).
impl Dependencies for Dijkstra {
    fn new(n: usize) -> Self {
        Dijkstra::new(n)
    }

    fn accumulate(&mut self, g: &Graph, s: Node, acc: &mut Sums) {
        let adj = g.out_edges();
        self.search(adj, s);
        self.sigma.clear();
        self.sigma
            .extend(self.order.iter().map(|&w| self.value[w as usize]));
        for (i, &w) in self.order.iter().enumerate().rev() {
            let dw = self.dist[w as usize];
            let weights = adj
                .weights_of(w)
                .expect("a weighted kernel on a weighted graph");
            let mut pulled = 0.0;
            for (&x, &wt) in adj.neighbors(w).iter().zip(weights) {
                if dw + wt == self.dist[x as usize] {
                    pulled += self.value[x as usize];
                }
            }
            let sigma = self.sigma[i];
            self.value[w as usize] = 1.0 / sigma + pulled;
            if i > 0 {
                acc.add_dependency(w, sigma * pulled);
            }
        }
        self.clear();
    }
}

/// Refuses weights that cannot be distances for `m` (harmonic or betweenness): negative,
/// NaN or infinite ones (networkx's Dijkstra rejects negative weights), and for betweenness
/// zero ones too — networkx's path counts through zero-weight edges depend on the order it
/// settles nodes of equal distance, so there is no order-free value to match. Harmonic takes
/// zero weights: pairs at distance 0 add nothing, as in networkx.
pub(super) fn check_weights(g: &Graph, m: Measure) -> Result<(), CentralityError> {
    let adj = g.out_edges();
    let positive = m == Measure::Betweenness;
    let bad = |w: f64| !w.is_finite() || w < 0.0 || (positive && w == 0.0);
    for v in 0..g.num_nodes() as Node {
        let Some(weights) = adj.weights_of(v) else {
            return Ok(());
        };
        if let Some((&x, &weight)) = adj.neighbors(v).iter().zip(weights).find(|(_, &w)| bad(w)) {
            return Err(CentralityError::BadWeight {
                measure: m.name(),
                need: if positive {
                    "finite and > 0 (networkx's path counts through zero-weight edges depend on its node order)"
                } else {
                    "finite and ≥ 0"
                },
                from: g.ids().name(v).to_string(),
                to: g.ids().name(x).to_string(),
                weight,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "dijkstra_tests.rs"]
mod tests;

//! HITS hubs and authorities, normalised to sum 1 as `nx.hits` returns them. networkx takes
//! the leading singular vectors of the adjacency matrix from ARPACK; here the authorities are
//! found by power iteration on `AᵀA` from the uniform vector (hubs are then `A a`), stopping
//! when the L1 change of the sum-normalised authorities drops below `tol`.

use super::spectral::l1_change;
use super::Iterated;
use crate::graph::{Adjacency, Graph};
use crate::ingest::Node;

/// Hubs and authorities.
pub struct Hits {
    pub hubs: Vec<f64>,
    pub authorities: Iterated,
}

/// `y[v] = Σ w(v, u) x[u]` over the row of `v` in `adj`.
fn multiply(adj: &Adjacency, x: &[f64], weighted: bool) -> Vec<f64> {
    (0..adj.num_rows() as Node)
        .map(|v| {
            let nbrs = adj.neighbors(v);
            match adj.weights_of(v).filter(|_| weighted) {
                Some(w) => nbrs.iter().zip(w).map(|(&u, &w)| w * x[u as usize]).sum(),
                None => nbrs.iter().map(|&u| x[u as usize]).sum(),
            }
        })
        .collect()
}

fn normalise_sum(x: &mut [f64]) {
    let s: f64 = x.iter().sum();
    if s != 0.0 && s.is_finite() {
        x.iter_mut().for_each(|y| *y /= s);
    }
}

/// HITS of `g`.
pub fn hits(g: &Graph, weighted: bool, tol: f64, max_iter: usize) -> Hits {
    let n = g.num_nodes();
    let mut a = vec![1.0 / n as f64; n];
    let mut result = Iterated::start();
    while result.iterations < max_iter && !result.converged {
        let h = multiply(g.out_edges(), &a, weighted);
        let mut next = multiply(g.in_edges(), &h, weighted);
        normalise_sum(&mut next);
        result.step(l1_change(&next, &a), tol);
        a = next;
    }
    let mut hubs = multiply(g.out_edges(), &a, weighted);
    normalise_sum(&mut hubs);
    Hits {
        hubs,
        authorities: result.with(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::centrality::tests::directed;

    #[test]
    fn bipartite_by_hand() {
        // 0 → 2, 1 → 2, 1 → 3: authorities ∝ top eigenvector of AᵀA = [[2,1],[1,1]] on {2,3}.
        let g = directed(&[(0, 2), (1, 2), (1, 3)], 4);
        let r = hits(&g, false, 1e-15, 10_000);
        assert!(r.authorities.converged);
        let l = (3.0 + 5f64.sqrt()) / 2.0; // eigenvalue; eigenvector (1, l − 2)
        let (a2, a3) = (1.0, l - 2.0);
        let a = &r.authorities.values;
        approx::assert_relative_eq!(a[2], a2 / (a2 + a3), epsilon = 1e-12);
        approx::assert_relative_eq!(a[3], a3 / (a2 + a3), epsilon = 1e-12);
        // hubs ∝ A a: h0 = a2, h1 = a2 + a3.
        approx::assert_relative_eq!(r.hubs[0], a2 / (2.0 * a2 + a3), epsilon = 1e-12);
        assert_eq!((a[0], a[1], r.hubs[2]), (0.0, 0.0, 0.0));
    }
}

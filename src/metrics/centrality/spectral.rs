//! Eigenvector and Katz centrality by networkx's power iterations (`eigenvector_centrality`,
//! `katz_centrality`): both read in-edges, so on a directed graph a node is central when
//! central nodes point at it. Eigenvector iterates `x ← (A + I)ᵀ x` normalised to unit length;
//! Katz `x ← α Aᵀ x + β`, normalised at the end. Both stop when the L1 change drops below
//! `n · tol`, as networkx does, and say whether that happened (Katz stops early once its
//! values overflow: `alpha` was at least 1/λ_max).

use super::Iterated;
use crate::graph::{Adjacency, Graph};
use crate::ingest::Node;

/// `Σ w(u → v) x[u]` over the in-edges of `v` (weight 1 unweighted).
fn pull(inc: &Adjacency, v: Node, x: &[f64], weighted: bool) -> f64 {
    let nbrs = inc.neighbors(v);
    match inc.weights_of(v).filter(|_| weighted) {
        Some(w) => nbrs.iter().zip(w).map(|(&u, &w)| w * x[u as usize]).sum(),
        None => nbrs.iter().map(|&u| x[u as usize]).sum(),
    }
}

/// Eigenvector centrality, unit L2 norm.
pub fn eigenvector(g: &Graph, weighted: bool, tol: f64, max_iter: usize) -> Iterated {
    let n = g.num_nodes();
    let mut x = vec![1.0 / n as f64; n];
    let mut result = Iterated::start();
    while result.iterations < max_iter && !result.converged {
        let mut next: Vec<f64> = (0..n as Node)
            .map(|v| x[v as usize] + pull(g.in_edges(), v, &x, weighted))
            .collect();
        let norm = l2(&next);
        let norm = if norm == 0.0 { 1.0 } else { norm };
        next.iter_mut().for_each(|y| *y /= norm);
        result.step(l1_change(&next, &x), n as f64 * tol);
        x = next;
    }
    result.with(x)
}

/// Katz centrality with attenuation `alpha` and constant `beta`, unit L2 norm.
pub fn katz(
    g: &Graph,
    weighted: bool,
    alpha: f64,
    beta: f64,
    tol: f64,
    max_iter: usize,
) -> Iterated {
    let n = g.num_nodes();
    let mut x = vec![0.0; n];
    let mut result = Iterated::start();
    while result.iterations < max_iter && !result.converged {
        let next: Vec<f64> = (0..n as Node)
            .map(|v| alpha * pull(g.in_edges(), v, &x, weighted) + beta)
            .collect();
        let change = l1_change(&next, &x);
        result.step(change, n as f64 * tol);
        x = next;
        if !change.is_finite() {
            break; // diverged: alpha ≥ 1/λ_max
        }
    }
    let norm = l2(&x);
    if norm > 0.0 && norm.is_finite() {
        x.iter_mut().for_each(|y| *y /= norm);
    }
    result.with(x)
}

/// Euclidean norm without overflow for large entries (networkx uses `math.hypot`).
pub(super) fn l2(x: &[f64]) -> f64 {
    let max = x.iter().fold(0.0f64, |m, y| m.max(y.abs()));
    if max == 0.0 || !max.is_finite() {
        return max;
    }
    max * x.iter().map(|y| (y / max) * (y / max)).sum::<f64>().sqrt()
}

pub(super) fn l1_change(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::centrality::tests::undirected;
    use approx::assert_relative_eq;

    #[test]
    fn star_by_hand() {
        // Star with k = 4 leaves: λ = 2, centre 1/√2, each leaf 1/(2√2).
        let g = undirected(&[(0, 1), (0, 2), (0, 3), (0, 4)], 5);
        let e = eigenvector(&g, false, 1e-15, 10_000);
        assert!(e.converged);
        assert_relative_eq!(e.values[0], 0.5f64.sqrt(), epsilon = 1e-12);
        assert_relative_eq!(e.values[1], 0.125f64.sqrt(), epsilon = 1e-12);
        // Katz: leaf = β + α·c, c = β + 4α·leaf → c = β(1 + 4α)/(1 − 4α²).
        let (a, b) = (0.1, 1.0);
        let k = katz(&g, false, a, b, 1e-15, 10_000);
        let c = b * (1.0 + 4.0 * a) / (1.0 - 4.0 * a * a);
        let leaf = b + a * c;
        let norm = (c * c + 4.0 * leaf * leaf).sqrt();
        assert_relative_eq!(k.values[0], c / norm, epsilon = 1e-12);
        assert_relative_eq!(k.values[3], leaf / norm, epsilon = 1e-12);
    }

    #[test]
    fn katz_beyond_its_radius_does_not_converge() {
        let g = undirected(&[(0, 1), (0, 2), (0, 3), (0, 4)], 5);
        let k = katz(&g, false, 0.9, 1.0, 1e-6, 50);
        assert_eq!((k.converged, k.iterations), (false, 50));
    }
}

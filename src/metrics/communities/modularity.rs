//! Modularity of a partition, with networkx's definition: Q = Σ_c [ L_c / m − γ (d_c / 2m)² ],
//! L_c the weight of the edges inside community c (a self-loop once), d_c the sum of its degrees.

use super::net::Net;

/// The modularity of `membership` (a community number per node) at resolution `gamma`.
pub(super) fn modularity(net: &Net, membership: &[u32], gamma: f64) -> f64 {
    let k = membership.iter().max().map_or(0, |&c| c as usize + 1);
    let mut inner = vec![0.0; k];
    let mut degree = vec![0.0; k];
    for (v, &c) in membership.iter().enumerate() {
        let c = c as usize;
        degree[c] += net.degree(v);
        inner[c] += net.self_loop(v);
        for (u, w) in net.row(v) {
            if membership[u] as usize == c {
                inner[c] += w / 2.0;
            }
        }
    }
    let two_m = net.total();
    inner
        .iter()
        .zip(&degree)
        .map(|(l, d)| 2.0 * l / two_m - gamma * (d / two_m).powi(2))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::centrality::tests::undirected;
    use approx::assert_relative_eq;

    /// Two triangles joined by one edge, split into the two triangles: m = 7, each community has
    /// L = 3 and degree 7, so Q = 2 (3/7 − (7/14)²) = 6/7 − 1/2 (hand-computed).
    #[test]
    fn two_triangles_by_hand() {
        let g = undirected(&[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)], 6);
        let net = Net::from_graph(&g);
        let q = modularity(&net, &[0, 0, 0, 1, 1, 1], 1.0);
        assert_relative_eq!(q, 6.0 / 7.0 - 0.5, epsilon = 1e-15);
        // One community: L = m, degree 2m: Q = 1 − γ.
        assert_relative_eq!(modularity(&net, &[0; 6], 1.0), 0.0, epsilon = 1e-15);
        assert_relative_eq!(modularity(&net, &[0; 6], 0.5), 0.5, epsilon = 1e-15);
        // Singletons: Q = −γ Σ (k_v / 2m)² = −(4·4 + 2·9) / 196.
        let single: Vec<u32> = (0..6).collect();
        assert_relative_eq!(
            modularity(&net, &single, 1.0),
            -34.0 / 196.0,
            epsilon = 1e-15
        );
    }

    /// Modularity is invariant under aggregation: the aggregated graph with each community a
    /// node has the partition's modularity (what Louvain's levels rely on).
    #[test]
    fn aggregation_keeps_modularity() {
        let g = crate::metrics::centrality::tests::random(60, 300, true, 7);
        let net = Net::from_graph(&g);
        let membership: Vec<u32> = (0..60).map(|v| v % 5).collect();
        let agg = net.aggregate(&membership, 5);
        let own: Vec<u32> = (0..5).collect();
        assert_relative_eq!(
            modularity(&agg, &own, 0.8),
            modularity(&net, &membership, 0.8),
            epsilon = 1e-14
        );
    }
}

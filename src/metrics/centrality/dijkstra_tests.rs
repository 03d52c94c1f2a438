//! Tests of the weighted (Dijkstra) harmonic and betweenness kernels: hand-computed graphs with
//! ties of equal-length paths, a brute-force all-pairs oracle, the weight checks, and the
//! parallel kernels against their sequential twins.

use approx::assert_relative_eq;

use crate::graph::Graph;
use crate::ingest::Node;
use crate::metrics::centrality::tests::{random, random_weighted, weighted};
use crate::metrics::centrality::{
    betweenness, betweenness_weighted, betweenness_weighted_sequential, centrality, harmonic,
    harmonic_weighted, harmonic_weighted_sequential, CentralityError, CentralityParams, Measure,
};

fn close(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert_relative_eq!(g, w, epsilon = 1e-14, max_relative = 1e-12);
    }
}

#[test]
fn directed_diamond_with_a_tie_by_hand() {
    // 0 → 1 → 3 and 0 → 2 → 3 (length 2 each) beat the direct 0 → 3 (length 5); 3 → 4.
    let e = [
        (0, 1, 1.0),
        (1, 3, 1.0),
        (0, 2, 1.0),
        (2, 3, 1.0),
        (0, 3, 5.0),
        (3, 4, 1.0),
    ];
    let g = weighted(&e, 5, false);
    // Pairs through 1 and 2: half of 0→3 and of 0→4 each; through 3: 0→4, 1→4, 2→4.
    // Normalised by (n − 1)(n − 2) = 12.
    let b = betweenness_weighted(&g, None, 0).values;
    close(&b, &[0.0, 1.0 / 12.0, 1.0 / 12.0, 3.0 / 12.0, 0.0]);
    // By hops the direct edge wins: only 3 is between.
    let b = betweenness(&g, None, 0).values;
    close(&b, &[0.0, 0.0, 0.0, 3.0 / 12.0, 0.0]);
    // Distances to each node: H(3) = 1 + 1 + 1/2, H(4) = 1 + 1/2 + 1/2 + 1/3.
    let h = harmonic_weighted(&g);
    close(&h, &[0.0, 1.0, 1.0, 2.5, 2.0 + 1.0 / 3.0]);
}

#[test]
fn undirected_square_with_a_diagonal_of_equal_length_by_hand() {
    // 0-1-2 and 0-3-2 (length 2) tie with the diagonal 0-2 (weight 2): three paths for 0–2,
    // two for 1–3 (through 0 and 2).
    let e = [
        (0, 1, 1.0),
        (1, 2, 1.0),
        (0, 3, 1.0),
        (3, 2, 1.0),
        (0, 2, 2.0),
    ];
    let g = weighted(&e, 4, true);
    // 0 and 2: 1/2 of the pair 1–3, both ways: 1 / 6; 1 and 3: 1/3 of 0–2, both ways: 2/3 / 6.
    let b = betweenness_weighted(&g, None, 0).values;
    close(&b, &[1.0 / 6.0, 1.0 / 9.0, 1.0 / 6.0, 1.0 / 9.0]);
    assert_eq!(harmonic_weighted(&g), vec![2.5; 4]);
}

#[test]
fn equal_lengths_are_equal_floats_as_in_networkx() {
    // 0.5 + 0.25 == 0.75 exactly: two shortest paths 0 → 2, node 1 on half of them (n = 3:
    // scale 1/2).
    let g = weighted(&[(0, 1, 0.5), (1, 2, 0.25), (0, 2, 0.75)], 3, false);
    assert_eq!(
        betweenness_weighted(&g, None, 0).values,
        vec![0.0, 0.25, 0.0]
    );
    // 0.1 + 0.2 = 0.30000000000000004 > 0.3: the direct edge alone is shortest.
    let g = weighted(&[(0, 1, 0.1), (1, 2, 0.2), (0, 2, 0.3)], 3, false);
    assert_eq!(betweenness_weighted(&g, None, 0).values, vec![0.0; 3]);
    assert_eq!(
        harmonic_weighted(&g),
        vec![0.0, 1.0 / 0.1, 1.0 / 0.2 + 1.0 / 0.3]
    );
}

#[test]
fn harmonic_skips_zero_distances_as_networkx_does() {
    // 0 → 1 costs nothing: the pair adds 0 (networkx skips d == 0), 1 → 2 costs 2.
    let g = weighted(&[(0, 1, 0.0), (1, 2, 2.0)], 3, false);
    assert_eq!(harmonic_weighted(&g), vec![0.0, 0.0, 1.0]);
}

/// Shortest distances by Floyd–Warshall and path counts in order of distance, from the
/// graph's merged weighted edges (integer weights, so every sum is exact).
fn brute_force(g: &Graph) -> (Vec<f64>, Vec<f64>) {
    let n = g.num_nodes();
    let mut d = vec![vec![f64::INFINITY; n]; n];
    let mut edges = Vec::new();
    for v in 0..n as Node {
        let ws = g.out_edges().weights_of(v).unwrap();
        for (&x, &w) in g.out_edges().neighbors(v).iter().zip(ws) {
            if x != v {
                edges.push((v as usize, x as usize, w));
                d[v as usize][x as usize] = d[v as usize][x as usize].min(w);
            }
        }
    }
    (0..n).for_each(|v| d[v][v] = 0.0);
    for k in 0..n {
        for i in 0..n {
            for j in 0..n {
                d[i][j] = d[i][j].min(d[i][k] + d[k][j]);
            }
        }
    }
    let mut sigma = vec![vec![0.0; n]; n];
    for s in 0..n {
        let mut by_dist: Vec<usize> = (0..n).filter(|&t| d[s][t].is_finite()).collect();
        by_dist.sort_by(|&a, &b| d[s][a].total_cmp(&d[s][b]));
        sigma[s][s] = 1.0;
        for &t in by_dist.iter().skip(1) {
            sigma[s][t] = edges
                .iter()
                .filter(|e| e.1 == t && d[s][e.0] + e.2 == d[s][t])
                .map(|e| sigma[s][e.0])
                .sum();
        }
    }
    let mut bet = vec![0.0; n];
    let mut harm = vec![0.0; n];
    for s in 0..n {
        for t in (0..n).filter(|&t| t != s && d[s][t].is_finite()) {
            harm[t] += 1.0 / d[s][t];
            for v in (0..n).filter(|&v| v != s && v != t) {
                if d[s][v] + d[v][t] == d[s][t] {
                    bet[v] += sigma[s][v] * sigma[v][t] / sigma[s][t];
                }
            }
        }
    }
    if n > 2 {
        let scale = 1.0 / ((n - 1) as f64 * (n - 2) as f64);
        bet.iter_mut().for_each(|b| *b *= scale);
    }
    (bet, harm)
}

#[test]
fn random_graphs_with_many_ties_match_brute_force() {
    for seed in 1..=6 {
        for undirected in [false, true] {
            // Weights 1..=3: many paths of equal length.
            let g = random_weighted(40, 120, undirected, seed, |r| (1 + r % 3) as f64);
            let (bet, harm) = brute_force(&g);
            close(&betweenness_weighted(&g, None, 0).values, &bet);
            close(&harmonic_weighted(&g), &harm);
        }
    }
}

/// `g` (merged, without reordering) again with every weight 1.
fn unit_weights(g: &Graph) -> Graph {
    let mut edges = Vec::new();
    for v in 0..g.num_nodes() as Node {
        for &x in g.out_edges().neighbors(v) {
            if !g.is_undirected() || v <= x {
                edges.push((v, x, 1.0));
            }
        }
    }
    weighted(&edges, g.num_nodes() as u32, g.is_undirected())
}

#[test]
fn unit_weights_give_the_hop_values() {
    for undirected in [false, true] {
        let g = unit_weights(&random(200, 900, undirected, 4));
        // Both sum 1/d level by level, equal terms within a level: the same bits.
        assert_eq!(harmonic_weighted(&g), harmonic(&g));
        close(
            &betweenness_weighted(&g, None, 0).values,
            &betweenness(&g, None, 0).values,
        );
    }
}

#[test]
fn parallel_equals_sequential_across_sizes_and_threads() {
    let integer = |r: u64| (1 + r % 4) as f64;
    let fraction = |r: u64| (1 + r % 1000) as f64 / 64.0 + 0.1;
    for (n, m) in [(2, 1), (40, 90), (300, 1500)] {
        for undirected in [false, true] {
            for g in [
                random_weighted(n, m, undirected, 11, integer),
                random_weighted(n, m, undirected, 12, fraction),
            ] {
                let harm = harmonic_weighted_sequential(&g);
                for samples in [None, Some(n.min(25) as usize)] {
                    let seq = betweenness_weighted_sequential(&g, samples, 3);
                    for threads in [1, 3, 8] {
                        let pool = rayon::ThreadPoolBuilder::new()
                            .num_threads(threads)
                            .build()
                            .unwrap();
                        assert_eq!(pool.install(|| betweenness_weighted(&g, samples, 3)), seq);
                        assert_eq!(pool.install(|| harmonic_weighted(&g)), harm);
                    }
                }
            }
        }
    }
}

#[test]
fn sampling_every_source_is_exact() {
    let g = random_weighted(150, 600, false, 8, |r| (1 + r % 5) as f64);
    let exact = betweenness_weighted(&g, None, 0).values;
    let all = betweenness_weighted(&g, Some(150), 1);
    close(&all.values, &exact);
    let est = betweenness_weighted(&g, Some(50), 9);
    assert!(est.sampling.unwrap().error_bound > 0.0);
}

fn check(g: &Graph, m: Measure) -> Result<(), CentralityError> {
    let p = CentralityParams {
        measures: vec![m],
        weighted: true,
        ..Default::default()
    };
    p.check(g).map(|_| ())
}

#[test]
fn weights_that_cannot_be_distances_are_refused() {
    let zero = weighted(&[(0, 1, 0.0), (1, 2, 2.0)], 3, false);
    check(&zero, Measure::Harmonic).unwrap();
    let err = check(&zero, Measure::Betweenness).unwrap_err();
    assert!(matches!(err, CentralityError::BadWeight { weight, .. } if weight == 0.0));
    let text = err.to_string();
    assert!(
        text.contains("betweenness") && text.contains("edge 0 → 1"),
        "{text}"
    );
    for bad in [-1.0, f64::NAN, f64::INFINITY] {
        let g = weighted(&[(0, 1, 1.0), (2, 1, bad)], 3, false);
        for m in [Measure::Harmonic, Measure::Betweenness] {
            let err = check(&g, m).unwrap_err();
            assert!(matches!(err, CentralityError::BadWeight { .. }), "{err}");
            assert!(err.to_string().contains("edge 2 → 1"), "{err}");
        }
    }
    // Unweighted runs do not look at the weights; core still takes none.
    let g = weighted(&[(0, 1, -1.0)], 2, false);
    CentralityParams {
        measures: vec![Measure::Betweenness],
        ..Default::default()
    }
    .check(&g)
    .unwrap();
    let err = check(&g, Measure::Core).unwrap_err();
    assert_eq!(err, CentralityError::Unweighted { measure: "core" });
}

#[test]
fn centrality_uses_the_weights_only_when_asked_and_present() {
    let e = [
        (0, 1, 1.0),
        (1, 3, 1.0),
        (0, 2, 1.0),
        (2, 3, 1.0),
        (0, 3, 5.0),
    ];
    let g = weighted(&e, 4, false);
    let run = |g: &Graph, weighted: bool| {
        let p = CentralityParams {
            measures: vec![Measure::Betweenness, Measure::Harmonic],
            weighted,
            ..Default::default()
        };
        let c = centrality(g, &p.check(g).unwrap()).unwrap();
        (c.columns[0].values.to_f64(), c.columns[1].values.to_f64())
    };
    assert_eq!(
        run(&g, true),
        (
            betweenness_weighted(&g, None, 0).values,
            harmonic_weighted(&g)
        )
    );
    assert_eq!(
        run(&g, false),
        (betweenness(&g, None, 0).values, harmonic(&g))
    );
    // --weighted on a graph without weights: every distance is 1.
    let plain = random(30, 80, false, 2);
    assert_eq!(
        run(&plain, true),
        (betweenness(&plain, None, 0).values, harmonic(&plain))
    );
}

//! Hand-computed cases and the properties each method guarantees.

use super::net::Net;
use super::*;
use crate::metrics::centrality::tests::{directed, random, undirected};
use approx::assert_relative_eq;

fn run(g: &Graph, method: Method, seed: u64) -> Communities {
    let p = CommunityParams {
        method,
        seed,
        ..Default::default()
    };
    communities(g, &p.check().unwrap()).unwrap()
}

/// Two 5-cliques joined by one edge.
fn two_cliques() -> Graph {
    let mut edges = Vec::new();
    for base in [0, 5] {
        for a in 0..5 {
            for b in a + 1..5 {
                edges.push((base + a, base + b));
            }
        }
    }
    edges.push((4, 5));
    undirected(&edges, 10)
}

/// `blocks` groups of `size` nodes, dense inside (p = 0.5) and sparse between (about one edge
/// per node), from a fixed seed.
fn planted(blocks: u32, size: u32, seed: u64) -> (Graph, Vec<u32>) {
    let mut rng = crate::rng::SplitMix(seed);
    let n = blocks * size;
    let mut edges = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let p = if a / size == b / size {
                0.5
            } else {
                1.0 / n as f64
            };
            if rng.chance(p) {
                edges.push((a, b));
            }
        }
    }
    (undirected(&edges, n), (0..n).map(|v| v / size).collect())
}

/// Whether two partitions group the nodes the same way, whatever their numbers.
fn same_grouping(a: &[u32], b: &[u32]) -> bool {
    let mut x = a.to_vec();
    let mut y = b.to_vec();
    dense(&mut x);
    dense(&mut y);
    x == y
}

#[test]
fn two_cliques_by_hand_for_every_method() {
    let g = two_cliques();
    for m in Method::ALL {
        let c = run(&g, m, 3);
        assert_eq!(c.membership, vec![0, 0, 0, 0, 0, 1, 1, 1, 1, 1], "{m:?}");
        assert_eq!(c.sizes, vec![5, 5]);
        // m = 21; each clique holds 10 edges and degree 21: Q = 2 (10/21 − 1/4).
        assert_relative_eq!(c.modularity, 20.0 / 21.0 - 0.5, epsilon = 1e-14);
        assert!(c.converged);
    }
}

#[test]
fn planted_blocks_are_recovered() {
    let (g, truth) = planted(4, 25, 11);
    for m in Method::ALL {
        for seed in 0..3 {
            let c = run(&g, m, seed);
            assert!(
                same_grouping(&c.membership, &truth),
                "{m:?} seed {seed}: {:?}",
                c.sizes
            );
        }
    }
}

#[test]
fn a_directed_read_gives_the_undirected_communities() {
    let (g, _) = planted(3, 20, 5);
    let edges: Vec<(u32, u32)> = (0..g.num_nodes() as u32)
        .flat_map(|v| {
            g.out_edges()
                .neighbors(v)
                .iter()
                .filter(move |&&u| u > v)
                .map(move |&u| if (u + v) % 2 == 0 { (v, u) } else { (u, v) })
        })
        .collect();
    let d = directed(&edges, g.num_nodes() as u32);
    for m in Method::ALL {
        assert_eq!(run(&d, m, 1), run(&g, m, 1), "{m:?}");
    }
}

#[test]
fn the_same_seed_gives_the_same_communities() {
    let g = random(400, 1600, true, 9);
    for m in Method::ALL {
        assert_eq!(run(&g, m, 42), run(&g, m, 42), "{m:?}");
    }
}

/// Leiden's guarantee once a pass changes nothing: every community is connected, and no single
/// node can raise modularity by moving to a neighbouring community.
#[test]
fn leiden_communities_are_connected_and_node_optimal() {
    for seed in 0..4 {
        let g = random(300, 900, true, seed + 1);
        let p = CommunityParams {
            seed,
            iterations: None,
            ..Default::default()
        };
        let c = communities(&g, &p.check().unwrap()).unwrap();
        assert!(c.converged);
        let net = Net::from_graph(&g);
        assert_connected(&net, &c.membership);
        assert_node_optimal(&net, &c.membership);
    }
}

/// Louvain's levels end in a partition no single node move improves at the first level's
/// granularity too often to matter; what is guaranteed is that it beats singletons and one
/// community, and that each level raised modularity.
#[test]
fn louvain_beats_the_trivial_partitions_and_lpa_ends_at_a_consensus() {
    let g = random(300, 900, true, 2);
    let net = Net::from_graph(&g);
    let c = run(&g, Method::Louvain, 0);
    let singletons: Vec<u32> = (0..300).collect();
    assert!(c.modularity > modularity::modularity(&net, &singletons, 1.0));
    assert!(c.modularity > 0.0);
    let l = run(&g, Method::LabelPropagation, 0);
    assert!(l.converged);
    for v in 0..net.len() {
        let mut weight = std::collections::HashMap::new();
        for (u, w) in net.row(v) {
            *weight.entry(l.membership[u]).or_insert(0.0) += w;
        }
        let most = weight.values().cloned().fold(0.0, f64::max);
        if !weight.is_empty() {
            assert_eq!(
                weight.get(&l.membership[v]).copied(),
                Some(most),
                "node {v}"
            );
        }
    }
}

#[test]
fn resolution_moves_the_scale() {
    let g = random(500, 2500, true, 4);
    let small = run_at(&g, 0.3).sizes.len();
    let large = run_at(&g, 3.0).sizes.len();
    assert!(
        small < large,
        "{small} communities at γ 0.3, {large} at γ 3"
    );
}

fn run_at(g: &Graph, resolution: f64) -> Communities {
    let p = CommunityParams {
        resolution,
        ..Default::default()
    };
    communities(g, &p.check().unwrap()).unwrap()
}

#[test]
fn sizes_are_ordered_and_bad_parameters_refused() {
    let (a, b) = by_size(&[7, 7, 3, 9, 9, 9, 3]);
    assert_eq!(a, vec![1, 1, 2, 0, 0, 0, 2]);
    assert_eq!(b, vec![3, 2, 2]);
    for r in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let p = CommunityParams {
            resolution: r,
            ..Default::default()
        };
        assert!(
            matches!(p.check(), Err(CommunityError::Param { .. })),
            "{r}"
        );
    }
    let err = "walktrap".parse::<Method>().unwrap_err().to_string();
    assert!(err.contains("leiden, louvain, label-propagation"), "{err}");
    assert_eq!("LPA".parse::<Method>(), Ok(Method::LabelPropagation));
    let g = two_cliques();
    assert!(matches!(
        super::modularity(&g, &[0, 1], 1.0),
        Err(CommunityError::Membership {
            nodes: 10,
            given: 2
        })
    ));
}

fn assert_connected(net: &Net, membership: &[u32]) {
    let n = net.len();
    let mut seen = vec![false; n];
    let mut found = vec![false; membership.iter().max().map_or(0, |&c| c as usize + 1)];
    for s in 0..n {
        if seen[s] {
            continue;
        }
        let c = membership[s] as usize;
        assert!(!found[c], "community {c} is in two pieces");
        found[c] = true;
        let mut stack = vec![s];
        seen[s] = true;
        while let Some(v) = stack.pop() {
            for (u, _) in net.row(v) {
                if !seen[u] && membership[u] as usize == c {
                    seen[u] = true;
                    stack.push(u);
                }
            }
        }
    }
}

fn assert_node_optimal(net: &Net, membership: &[u32]) {
    let q = modularity::modularity(net, membership, 1.0);
    let mut m = membership.to_vec();
    for v in 0..net.len() {
        let own = m[v];
        let targets: Vec<u32> = net.row(v).map(|(u, _)| membership[u]).collect();
        for c in targets {
            m[v] = c;
            let moved = modularity::modularity(net, &m, 1.0);
            assert!(moved <= q + 1e-12, "node {v} to {c}: {moved} > {q}");
        }
        m[v] = own;
    }
}

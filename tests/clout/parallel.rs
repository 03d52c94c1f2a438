//! The parallel PageRank kernel against its sequential twin, across thread counts and sizes.

use clout::generate::KroneckerParams;
use clout::graph::GraphBuilder;
use clout::ingest::{edges::parse_edge_list, EdgeListOptions, Source};
use clout::metrics::{pagerank, pagerank_sequential, CsrPropagator, PageRankParams};

fn kronecker_graph(scale: u32, weighted: bool) -> clout::graph::Graph {
    let k = KroneckerParams {
        scale,
        edge_factor: 8,
        seed: scale as u64,
    }
    .check()
    .unwrap();
    let mut text = k.write_text(0..k.num_edges());
    if weighted {
        // Give every line a weight derived from its position.
        let lines: Vec<String> = String::from_utf8(text)
            .unwrap()
            .lines()
            .enumerate()
            .map(|(i, l)| format!("{l} {}", 1 + i % 5))
            .collect();
        text = (lines.join("\n") + "\n").into_bytes();
    }
    let list = parse_edge_list(
        &Source::from_bytes("k.txt", text),
        EdgeListOptions {
            weighted,
            lenient: false,
        },
    )
    .unwrap();
    GraphBuilder::new().build(list).0
}

#[test]
fn identical_across_thread_counts_and_to_the_sequential_twin() {
    for (scale, weighted) in [(4, false), (12, false), (12, true)] {
        let g = kronecker_graph(scale, weighted);
        let prop = CsrPropagator::new(&g);
        let params = PageRankParams {
            tol: 1e-10,
            max_iter: 500,
            weighted,
            ..Default::default()
        }
        .check(g.num_nodes())
        .unwrap();
        let seq = pagerank_sequential(&prop, &params);
        for threads in [1, 2, 3, 7] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let par = pool.install(|| pagerank(&prop, &params));
            assert_eq!(par.iterations, seq.iterations);
            let max_diff = par
                .ranks
                .iter()
                .zip(&seq.ranks)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(
                max_diff <= 1e-12,
                "scale {scale}, {threads} threads: differs by {max_diff:e}"
            );
        }
        let total: f64 = seq.ranks.iter().sum();
        approx::assert_abs_diff_eq!(total, 1.0, epsilon = 1e-9);
    }
}

#[test]
fn graph_build_is_the_same_whatever_the_thread_count() {
    let build = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| kronecker_graph(11, true))
    };
    let (a, b) = (build(1), build(3));
    assert_eq!(a.out_edges().offsets(), b.out_edges().offsets());
    assert_eq!(a.out_edges().targets(), b.out_edges().targets());
    assert_eq!(a.in_edges().weights(), b.in_edges().weights());
    assert_eq!(a.ids(), b.ids());
}

/// Teleports for `k` vectors on `n` nodes: uniform, and sparse ones over scattered nodes with
/// deterministic weights (some nodes listed twice).
fn teleports(n: usize, k: usize) -> Vec<clout::metrics::Teleport> {
    use clout::metrics::Teleport;
    (0..k)
        .map(|j| {
            if j == 0 {
                return Teleport::Uniform;
            }
            let w = (0..n)
                .filter(|v| (v * 7 + j * 13) % (j + 3) == 0)
                .map(|v| (v as u32, 1.0 + ((v * j) % 5) as f64))
                .chain([(j as u32 % n as u32, 2.0)])
                .collect();
            Teleport::Weights(w)
        })
        .collect()
}

#[test]
fn multi_vector_pagerank_equals_separate_runs_and_is_thread_independent() {
    use clout::metrics::{
        multi_pagerank, multi_pagerank_sequential, MultiPageRankParams, Teleport,
    };
    for (scale, weighted, k) in [(4, false, 3), (11, false, 16), (11, true, 5)] {
        let g = kronecker_graph(scale, weighted);
        let n = g.num_nodes();
        let prop = CsrPropagator::new(&g);
        let tele = teleports(n, k);
        let params = MultiPageRankParams {
            tol: 1e-10,
            max_iter: 500,
            weighted,
            teleports: tele.clone(),
            ..Default::default()
        }
        .check(n)
        .unwrap();
        let seq = multi_pagerank_sequential(&prop, &params);
        // Each vector against a separate single-vector run with the same personalization.
        for (j, t) in tele.iter().enumerate() {
            let personalization = match t {
                Teleport::Uniform => None,
                Teleport::Weights(w) => {
                    let mut p = vec![0.0; n];
                    w.iter().for_each(|&(v, x)| p[v as usize] += x);
                    Some(p)
                }
            };
            let single = pagerank_sequential(
                &prop,
                &PageRankParams {
                    tol: 1e-10,
                    max_iter: 500,
                    weighted,
                    personalization,
                    ..Default::default()
                }
                .check(n)
                .unwrap(),
            );
            assert_eq!(seq.iterations[j], single.iterations, "vector {j}");
            assert_eq!(seq.converged[j], single.converged);
            let got = seq.vector(j);
            let max_diff = got
                .iter()
                .zip(&single.ranks)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(max_diff <= 1e-12, "scale {scale}, vector {j}: {max_diff:e}");
        }
        for threads in [1, 2, 3, 7] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let par = pool.install(|| multi_pagerank(&prop, &params));
            assert_eq!(par.iterations, seq.iterations);
            for j in 0..k {
                assert_eq!(
                    par.vector(j),
                    seq.vector(j),
                    "{threads} threads, vector {j}"
                );
            }
        }
    }
}

#[test]
fn pagerank_only_build_gives_the_same_ranks_on_any_thread_count() {
    for weighted in [false, true] {
        let k = KroneckerParams {
            scale: 11,
            edge_factor: 8,
            seed: 3,
        }
        .check()
        .unwrap();
        let mut text = String::from_utf8(k.write_text(0..k.num_edges())).unwrap();
        if weighted {
            text = text
                .lines()
                .enumerate()
                .map(|(i, l)| format!("{l} {}\n", 0.5 + (i % 3) as f64))
                .collect();
        }
        let list = || {
            let src = Source::from_bytes("k.txt", text.clone().into_bytes());
            let opts = EdgeListOptions {
                weighted,
                lenient: false,
            };
            parse_edge_list(&src, opts).unwrap()
        };
        let full = GraphBuilder::new().build(list()).0;
        let params = PageRankParams {
            tol: 1e-10,
            max_iter: 500,
            weighted,
            ..Default::default()
        }
        .check(full.num_nodes())
        .unwrap();
        let want = pagerank(&CsrPropagator::new(&full), &params);
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let pull = pool.install(|| GraphBuilder::new().build_pull(list()).0);
            assert_eq!(pull.ids(), full.ids());
            assert_eq!(pull.in_edges().targets(), full.in_edges().targets());
            assert_eq!(pull.in_edges().weights(), full.in_edges().weights());
            let got = pagerank_sequential(&CsrPropagator::pull_only(&pull), &params);
            assert_eq!(got.iterations, want.iterations);
            let diff = got
                .ranks
                .iter()
                .zip(&want.ranks)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(
                diff <= 1e-12,
                "{threads} threads, weighted {weighted}: {diff:e}"
            );
        }
    }
}

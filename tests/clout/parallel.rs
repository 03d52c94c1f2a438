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

//! Criterion bench: 16 topic-sensitive PageRank vectors on a generated Graph500 Kronecker graph,
//! in one multi-vector pass versus 16 separate single-vector runs (20 iterations each, so both
//! do the same arithmetic). Scale from `CLOUT_BENCH_SCALE` (default 18: 262k ids, 4.2M edges).
//! Each bench checks its own output so that a broken kernel cannot post a good time.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use clout::graph::GraphBuilder;
use clout::ingest::{edges::parse_edge_list, EdgeListOptions, Source};
use clout::metrics::{
    multi_pagerank, pagerank, CsrPropagator, MultiPageRankParams, PageRankParams, Teleport,
};

const K: usize = 16;
const ITERATIONS: usize = 20;

/// Vector `j` teleports to every node `v` with `v % 97 == j` (a topic's "experts").
fn experts(n: usize, j: usize) -> Vec<(u32, f64)> {
    (j..n).step_by(97).map(|v| (v as u32, 1.0)).collect()
}

fn bench(c: &mut Criterion) {
    let (_, text) = common::kronecker(common::scale(18));
    let list = parse_edge_list(
        &Source::from_bytes("kron.txt", text),
        EdgeListOptions::default(),
    )
    .unwrap();
    let (graph, _) = GraphBuilder::new().build(list);
    let n = graph.num_nodes();
    let prop = CsrPropagator::new(&graph);
    let multi = MultiPageRankParams {
        tol: 1e-300,
        max_iter: ITERATIONS,
        teleports: (0..K).map(|j| Teleport::Weights(experts(n, j))).collect(),
        ..Default::default()
    }
    .check(n)
    .unwrap();
    let singles: Vec<_> = (0..K)
        .map(|j| {
            let mut p = vec![0.0; n];
            experts(n, j).iter().for_each(|&(v, x)| p[v as usize] = x);
            PageRankParams {
                iterations: Some(ITERATIONS),
                personalization: Some(p),
                ..Default::default()
            }
            .check(n)
            .unwrap()
        })
        .collect();

    let mut g = c.benchmark_group("topic_pagerank_16_vectors_20_iterations");
    g.sample_size(10);
    g.throughput(Throughput::Elements(
        (K * ITERATIONS * graph.num_edges()) as u64,
    ));
    g.bench_function("multi_vector_one_pass", |b| {
        b.iter(|| {
            let r = multi_pagerank(&prop, &multi);
            assert!(r.iterations.iter().all(|&i| i == ITERATIONS));
            assert!((r.vector(K - 1).iter().sum::<f64>() - 1.0).abs() < 1e-9);
        })
    });
    g.bench_function("sixteen_single_runs", |b| {
        b.iter(|| {
            for p in &singles {
                let r = pagerank(&prop, p);
                assert!((r.ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

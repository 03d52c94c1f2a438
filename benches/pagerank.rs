//! Criterion benches for the engine's hot paths on a generated Graph500 Kronecker graph:
//! text parsing, graph building, and 20 PageRank iterations (parallel and sequential pull,
//! propagation blocking and its layout, and the pull on a randomly numbered graph to show what
//! the degree order is worth).
//! Scale from `CLOUT_BENCH_SCALE` (default 18: 262k ids, 4.2M edges). Each bench checks its
//! own output so that a broken kernel cannot post a good time.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use clout::graph::GraphBuilder;
use clout::ingest::EdgeList;
use clout::ingest::{edges::parse_edge_list, EdgeListOptions, Source};
use clout::metrics::{
    pagerank, pagerank_sequential, BlockedPropagator, CsrPropagator, PageRankParams, Propagate,
};
use clout::rng::SplitMix;

fn bench(c: &mut Criterion) {
    let (k, text) = common::kronecker(common::scale(18));
    let source = Source::from_bytes("kron.txt", text);
    let parse = || parse_edge_list(&source, EdgeListOptions::default()).unwrap();
    let list = parse();
    assert_eq!(list.len() as u64, k.num_edges());

    let mut g = c.benchmark_group("ingest");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(source.stored_len()));
    g.bench_function("parse_text", |b| {
        b.iter(|| assert_eq!(parse().len() as u64, k.num_edges()))
    });
    g.throughput(Throughput::Elements(k.num_edges()));
    g.bench_function("build_csr", |b| {
        b.iter(|| GraphBuilder::new().build(list.clone()).0.num_edges())
    });
    g.finish();

    let shuffled = random_order(&list);
    let (graph, report) = GraphBuilder::new().build(list);
    assert_eq!(
        graph.num_edges() as u64 + report.self_loops_dropped + report.duplicates_merged,
        k.num_edges()
    );
    let prop = CsrPropagator::new(&graph);
    let params = PageRankParams {
        iterations: Some(20),
        ..Default::default()
    }
    .check(graph.num_nodes())
    .unwrap();
    let mut g = c.benchmark_group("pagerank_20_iterations");
    g.sample_size(10);
    g.throughput(Throughput::Elements(20 * graph.num_edges() as u64));
    g.bench_function("parallel", |b| {
        b.iter(|| {
            let r = pagerank(&prop, &params);
            assert!((r.ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        })
    });
    g.bench_function("sequential", |b| {
        b.iter(|| {
            let r = pagerank_sequential(&prop, &params);
            assert!((r.ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        })
    });
    let want = pagerank(&prop, &params).ranks;
    let blocked = BlockedPropagator::new(CsrPropagator::new(&graph));
    g.bench_function("blocked", |b| {
        b.iter(|| assert_eq!(pagerank(&blocked, &params).ranks, want))
    });
    let (random, _) = GraphBuilder::new().reorder_by_degree(false).build(shuffled);
    let random_prop = CsrPropagator::new(&random);
    g.bench_function("parallel_random_order", |b| {
        b.iter(|| {
            let r = pagerank(&random_prop, &params);
            assert!((r.ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        })
    });
    g.finish();

    let mut g = c.benchmark_group("blocked_layout");
    g.sample_size(10);
    g.throughput(Throughput::Elements(graph.num_edges() as u64));
    g.bench_function("build", |b| {
        b.iter(|| {
            let p = BlockedPropagator::new(CsrPropagator::new(&graph));
            assert_eq!(p.num_edges(), graph.num_edges());
        })
    });
    g.finish();
}

/// `list` with its nodes renumbered at random (seeded), marked as not degree-ordered.
fn random_order(list: &EdgeList) -> EdgeList {
    let n = list.ids.len();
    let mut new_of: Vec<u32> = (0..n as u32).collect();
    SplitMix::stream(1, 24, 0).shuffle(&mut new_of);
    let mut out = list.clone();
    for u in out.src.iter_mut().chain(out.dst.iter_mut()) {
        *u = new_of[*u as usize];
    }
    out.degree_ordered = false;
    out
}

criterion_group!(benches, bench);
criterion_main!(benches);

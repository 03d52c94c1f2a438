//! Measures one plain PageRank against one 16-vector topic-sensitive pass on a Graph500
//! Kronecker graph generated in memory (no edge-list file), 20 iterations each, interleaved in
//! one process, and prints every time and the median ratio.
//!
//! `cargo run --release --example topic_pagerank_scale -- [scale] [reps] [both|single|multi]
//! [f64|f32]` (defaults 20, 3, both, f64: the precision of the multi-vector contributions). `single` or `multi` alone runs only that kernel, for measuring its
//! peak memory with `/usr/bin/time -v`.

use std::time::Instant;

use clout::generate::KroneckerParams;
use clout::graph::{GraphBuilder, PullGraph};
use clout::metrics::{
    multi_pagerank, pagerank, CsrPropagator, MultiPageRankParams, PageRankParams, Precision,
    Teleport,
};

const K: usize = 16;
const ITERATIONS: usize = 20;

/// Vector `j` teleports to every node `v` with `v % 97 == j` (as in `benches/multi_pagerank`).
fn experts(n: usize, j: usize) -> Vec<(u32, f64)> {
    (j..n).step_by(97).map(|v| (v as u32, 1.0)).collect()
}

/// The Graph500 Kronecker graph at `scale` (edge factor 16, seed 1), built for PageRank only.
fn kronecker_graph(scale: u32) -> PullGraph {
    let k = KroneckerParams {
        scale,
        edge_factor: 16,
        seed: 1,
    }
    .check()
    .expect("valid Kronecker parameters");
    GraphBuilder::new().build_pull(k.edge_list()).0
}

fn arg<T: std::str::FromStr>(i: usize, default: T) -> T {
    std::env::args()
        .nth(i)
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let scale: u32 = arg(1, 20);
    let reps: usize = arg(2, 3);
    let mode: String = arg(3, "both".to_string());
    let precision = match arg(4, "f64".to_string()).as_str() {
        "f32" => Precision::F32,
        _ => Precision::F64,
    };
    let t = Instant::now();
    let graph = kronecker_graph(scale);
    let (n, m) = (graph.num_nodes(), graph.num_edges());
    println!(
        "scale {scale}: {n} nodes, {m} edges, built in {:.1} s, {} threads",
        t.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );
    let prop = CsrPropagator::pull_only(&graph);
    let single = PageRankParams {
        iterations: Some(ITERATIONS),
        ..Default::default()
    }
    .check(n)
    .unwrap();
    let multi = MultiPageRankParams {
        tol: 1e-300,
        max_iter: ITERATIONS,
        teleports: (0..K).map(|j| Teleport::Weights(experts(n, j))).collect(),
        precision,
        ..Default::default()
    }
    .check(n)
    .unwrap();
    let (mut ts, mut tm) = (Vec::new(), Vec::new());
    for rep in 0..reps {
        if mode != "multi" {
            let t = Instant::now();
            let r = pagerank(&prop, &single);
            ts.push(t.elapsed().as_secs_f64());
            assert!((r.ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
            println!("rep {rep}: plain PageRank {:.2} s", ts[rep]);
        }
        if mode != "single" {
            let t = Instant::now();
            let r = multi_pagerank(&prop, &multi);
            tm.push(t.elapsed().as_secs_f64());
            assert!(r.iterations.iter().all(|&i| i == ITERATIONS));
            assert!((r.vector(K - 1).iter().sum::<f64>() - 1.0).abs() < 1e-9);
            println!("rep {rep}: 16-vector pass ({precision:?}) {:.2} s", tm[rep]);
        }
    }
    if !ts.is_empty() && !tm.is_empty() {
        let (s, mu) = (median(ts), median(tm));
        println!(
            "median: plain {s:.2} s, 16-vector {mu:.2} s, ratio {:.2}",
            mu / s
        );
    }
}

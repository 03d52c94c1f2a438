//! The cluster computation in one process (timely's threads, no network) against the
//! single-machine kernel, for several worker counts.

use std::collections::HashMap;
use std::path::Path;

use super::{pagerank_in_process, Input};
use crate::graph::{load_pull, LoadOptions};
use crate::metrics::{pagerank, CsrPropagator, PageRankParams, ValidPageRankParams};

fn input(path: &Path, weighted: bool) -> Input {
    Input {
        path: path.to_path_buf(),
        weighted,
        lenient: false,
        keep_self_loops: false,
        undirected: false,
    }
}

/// `(iterations, converged, id → rank)` on one machine.
fn one_machine(inp: &Input, p: &ValidPageRankParams) -> (usize, bool, HashMap<String, f64>) {
    let opts = LoadOptions {
        weighted: inp.weighted,
        cache_dir: None,
        ..Default::default()
    };
    let g = load_pull(&inp.path, &opts).unwrap().graph;
    let pr = pagerank(&CsrPropagator::pull_only(&g), p);
    let ranks = (0..g.num_nodes() as u32)
        .map(|v| (g.ids().name(v).to_string(), pr.ranks[v as usize]))
        .collect();
    (pr.iterations, pr.converged, ranks)
}

#[test]
fn every_worker_count_gives_the_single_machine_answer_and_the_same_bits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.txt");
    let mut text = String::from("# comment\n");
    let mut x = 3u64;
    for _ in 0..600 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        text += &format!(
            "u{} u{} {}\n",
            (x >> 40) % 150,
            (x >> 20) % 170,
            1 + (x >> 60)
        );
    }
    std::fs::write(&path, text).unwrap();
    for weighted in [false, true] {
        let inp = input(&path, weighted);
        let p = PageRankParams {
            tol: 1e-13,
            max_iter: 500,
            weighted,
            ..Default::default()
        }
        .check(1)
        .unwrap();
        let (iterations, converged, want) = one_machine(&inp, &p);
        let mut first: Option<Vec<(String, f64)>> = None;
        for workers in 1..=4 {
            let r = pagerank_in_process(workers, &inp, &p, None)
                .unwrap()
                .unwrap();
            assert_eq!((r.iterations, r.converged), (iterations, converged));
            assert_eq!(r.nodes as usize, want.len());
            let l1: f64 = r.rows.iter().map(|(id, x)| (x - want[id]).abs()).sum();
            assert!(
                l1 < 1e-12,
                "{workers} workers, weighted {weighted}: L1 {l1:e}"
            );
            match &first {
                None => first = Some(r.rows),
                Some(f) => assert_eq!(f, &r.rows, "{workers} workers: not the same bits"),
            }
        }
    }
}

#[test]
fn top_k_is_the_prefix_of_the_full_listing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.txt");
    let text: String = (0..50)
        .map(|i| format!("{} {}\n", i, (i * i) % 17))
        .collect();
    std::fs::write(&path, text).unwrap();
    let p = PageRankParams::default().check(1).unwrap();
    let inp = input(&path, false);
    let all = pagerank_in_process(3, &inp, &p, None).unwrap().unwrap();
    let top = pagerank_in_process(3, &inp, &p, Some(5)).unwrap().unwrap();
    assert_eq!(top.rows, all.rows[..5]);
    assert!(all.rows.windows(2).all(|w| w[0].1 >= w[1].1));
}

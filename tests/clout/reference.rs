//! PageRank against networkx 3.x reference values (tests/reference/pagerank, made by
//! scripts/reference/pagerank_networkx.py with tol 1e-12), and against petgraph's `page_rank`
//! as an oracle on tiny graphs.

use std::collections::HashMap;
use std::io::Read;

use clout::graph::{load, load_pull, LoadOptions};
use clout::metrics::{pagerank, CsrPropagator, PageRankParams};

use crate::common::{repo, shared_data};

/// `id → rank` and networkx's header fields from a reference file.
fn reference(name: &str) -> HashMap<String, f64> {
    let path = repo(&format!("tests/reference/pagerank/{name}.tsv.gz"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (id, r) = l.split_once('\t').unwrap();
            (id.to_string(), r.parse().unwrap())
        })
        .collect()
}

fn check(name: &str, rel: &str, weighted: bool, nx_iterations: usize) {
    let Some(path) = shared_data(rel) else { return };
    let want = reference(name);
    let loaded = load(
        &path,
        &LoadOptions {
            weighted,
            ..Default::default()
        },
    )
    .unwrap();
    let g = &loaded.graph;
    assert_eq!(g.num_nodes(), want.len(), "{name}: node count");
    let params = PageRankParams {
        tol: 1e-12,
        max_iter: 10_000,
        weighted,
        ..Default::default()
    };
    let valid = params.check(g.num_nodes()).unwrap();
    let pr = pagerank(&CsrPropagator::new(g), &valid);
    let opts = LoadOptions {
        weighted,
        ..Default::default()
    };
    let pull = load_pull(&path, &opts).unwrap().graph;
    let pr_pull = pagerank(&CsrPropagator::pull_only(&pull), &valid);
    assert_eq!(pr_pull.ranks, pr.ranks, "{name}: the PageRank-only build");
    assert!(pr.converged);
    assert_eq!(
        pr.iterations, nx_iterations,
        "{name}: same stopping rule, same iteration count"
    );
    let l1: f64 = (0..g.num_nodes() as u32)
        .map(|v| (pr.ranks[v as usize] - want[&g.ids().name(v).to_string()]).abs())
        .sum();
    assert!(l1 < 1e-9, "{name}: L1 distance to networkx {l1:e}");
    eprintln!(
        "{name}: L1 distance to networkx {l1:e} over {} nodes",
        g.num_nodes()
    );
}

#[test]
fn wiki_vote_matches_networkx() {
    check("wiki-vote", "graphs/wiki-vote/Wiki-Vote.txt", false, 23);
}

#[test]
fn slashdot_matches_networkx() {
    check(
        "slashdot",
        "graphs/slashdot/soc-Slashdot0902.txt.gz",
        false,
        59,
    );
}

#[test]
fn weighted_higgs_retweets_match_networkx() {
    check(
        "higgs-retweet-weighted",
        "higgs/higgs-retweet_network.edgelist.gz",
        true,
        68,
    );
}

/// A direct solve of the PageRank linear system, `(I − d·M) x = (1 − d) p`, by Gaussian
/// elimination on the dense Google matrix: an independent method (no power iteration) on small
/// random graphs with dangling nodes, weights and a personalization vector. (petgraph's
/// `page_rank` is no oracle here: it adds the teleport term only between nodes that are not
/// linked, a different model.)
#[test]
fn small_graphs_match_a_direct_linear_solve() {
    let mut x = 99u64;
    let mut rnd = |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    for n in [2usize, 9, 40] {
        let mut text = String::new();
        for _ in 0..2 * n {
            let (a, b, w) = (rnd(n as u64), rnd(n as u64), 1 + rnd(4));
            text.push_str(&format!("{a} {b} {w}\n"));
        }
        let src = clout::ingest::Source::from_bytes("small.txt", text.clone().into_bytes());
        let opts = clout::ingest::EdgeListOptions {
            weighted: true,
            lenient: false,
        };
        let list = clout::ingest::edges::parse_edge_list(&src, opts).unwrap();
        let (g, _) = clout::graph::GraphBuilder::new().build(list);
        let n = g.num_nodes();
        let p: Vec<f64> = (0..n).map(|i| 1.0 + (i % 3) as f64).collect();
        let params = PageRankParams {
            tol: 1e-15,
            max_iter: 5000,
            weighted: true,
            personalization: Some(p.clone()),
            ..Default::default()
        };
        let ours = pagerank(&CsrPropagator::new(&g), &params.check(n).unwrap());
        let want = direct_solve(&text, &g, &p, 0.85);
        for v in 0..n {
            approx::assert_abs_diff_eq!(ours.ranks[v], want[v], epsilon = 1e-12);
        }
    }
}

/// Builds the dense system from the raw text (not from our graph's CSR) and solves it.
fn direct_solve(text: &str, g: &clout::graph::Graph, p: &[f64], d: f64) -> Vec<f64> {
    let n = g.num_nodes();
    let sum_p: f64 = p.iter().sum();
    let p: Vec<f64> = p.iter().map(|x| x / sum_p).collect();
    let idx = |s: &str| g.ids().find(s).unwrap() as usize;
    let mut w = vec![vec![0.0; n]; n]; // w[u][v]
    for line in text.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        let (u, v) = (idx(f[0]), idx(f[1]));
        if u != v {
            w[u][v] += f[2].parse::<f64>().unwrap();
        }
    }
    // a = I − d·M, with M[v][u] = w[u][v] / out(u), or p[v] when u is dangling.
    let mut a = vec![vec![0.0; n + 1]; n];
    for u in 0..n {
        let out: f64 = w[u].iter().sum();
        for v in 0..n {
            let m = if out > 0.0 { w[u][v] / out } else { p[v] };
            a[v][u] -= d * m;
        }
    }
    for v in 0..n {
        a[v][v] += 1.0;
        a[v][n] = (1.0 - d) * p[v];
    }
    for c in 0..n {
        let piv = (c..n)
            .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
            .unwrap();
        a.swap(c, piv);
        for r in 0..n {
            if r != c {
                let f = a[r][c] / a[c][c];
                for k in c..=n {
                    a[r][k] -= f * a[c][k];
                }
            }
        }
    }
    (0..n).map(|v| a[v][n] / a[v][v]).collect()
}

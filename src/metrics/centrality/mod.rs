//! Per-node centrality measures with networkx's definitions, one family per file: degrees,
//! PageRank (the engine in `metrics::pagerank`), HITS, eigenvector and Katz, k-core numbers,
//! triangles and clustering, harmonic closeness and betweenness (by hops, or with weights as
//! distances by Dijkstra). [`centrality`] runs a checked
//! list of them into named columns; reading the graph and printing are left to others.

mod betweenness;
mod core;
mod degree;
mod dijkstra;
mod error;
mod harmonic;
mod hits;
mod params;
mod spectral;
mod table;
mod triangles;

pub use betweenness::{
    betweenness, betweenness_sequential, betweenness_weighted, betweenness_weighted_sequential,
    Betweenness, Sampling,
};
pub use core::core_number;
pub use degree::degree_columns;
pub use error::CentralityError;
pub use harmonic::{
    harmonic, harmonic_sequential, harmonic_weighted, harmonic_weighted_sequential,
};
pub use hits::{hits, Hits};
pub use params::{CentralityParams, Measure, ValidCentralityParams};
pub use spectral::{eigenvector, katz};
pub use table::{Centrality, Column, Convergence, Values};
pub use triangles::{clustering, triangles};

use crate::graph::Graph;
use crate::metrics::{pagerank, CsrPropagator, PageRankParams};

/// The values of an iterative measure and how the iteration ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Iterated {
    pub values: Vec<f64>,
    pub iterations: usize,
    /// Whether the change fell below the tolerance within `max_iter` iterations.
    pub converged: bool,
}

impl Iterated {
    fn start() -> Iterated {
        Iterated {
            values: Vec::new(),
            iterations: 0,
            converged: false,
        }
    }

    /// Counts one iteration whose change was `change`, against the threshold `limit`.
    fn step(&mut self, change: f64, limit: f64) {
        self.iterations += 1;
        self.converged = change < limit;
    }

    fn with(mut self, values: Vec<f64>) -> Iterated {
        self.values = values;
        self
    }
}

/// Every measure of `params` on `g`, in order; an error when Katz diverges (no finite values
/// to report).
pub fn centrality(
    g: &Graph,
    params: &ValidCentralityParams,
) -> Result<Centrality, CentralityError> {
    let mut out = Centrality {
        columns: Vec::new(),
        convergence: Vec::new(),
        sampling: None,
    };
    for &m in params.measures() {
        measure(g, params, m, &mut out)?;
    }
    Ok(out)
}

fn measure(
    g: &Graph,
    p: &ValidCentralityParams,
    m: Measure,
    out: &mut Centrality,
) -> Result<(), CentralityError> {
    let (tol, max_iter) = p.tolerance(m);
    let (w, real) = (p.weighted, Values::Real);
    match m {
        Measure::Degree => out.columns.extend(degree_columns(g, w)),
        Measure::PageRank => out.iterated(m, "pagerank", pagerank_of(g, w, tol, max_iter)),
        Measure::Hits => {
            let h = hits(g, w, tol, max_iter);
            out.push("hub", real(h.hubs));
            out.iterated(m, "authority", h.authorities);
        }
        Measure::Eigenvector => out.iterated(m, "eigenvector", eigenvector(g, w, tol, max_iter)),
        Measure::Katz => {
            let k = katz(g, w, p.katz_alpha, p.katz_beta, tol, max_iter);
            if k.values.iter().any(|v| !v.is_finite()) {
                return Err(CentralityError::Diverged {
                    alpha: p.katz_alpha,
                    iterations: k.iterations,
                });
            }
            out.iterated(m, "katz", k)
        }
        Measure::Core => out.push("core", Values::Count(core_number(g))),
        Measure::Clustering => out.push("clustering", real(clustering(g))),
        Measure::Triangles => out.push("triangles", Values::Count(triangles(g))),
        // Without weights on the graph, every distance is 1: the hop kernels.
        Measure::Harmonic if w && g.is_weighted() => {
            out.push("harmonic", real(harmonic_weighted(g)))
        }
        Measure::Harmonic => out.push("harmonic", real(harmonic(g))),
        Measure::Betweenness => {
            let b = if w && g.is_weighted() {
                betweenness_weighted(g, p.samples, p.seed)
            } else {
                betweenness(g, p.samples, p.seed)
            };
            out.sampling = b.sampling;
            out.push("betweenness", real(b.values));
        }
    }
    Ok(())
}

impl Centrality {
    fn push(&mut self, name: &'static str, values: Values) {
        self.columns.push(Column::new(name, values));
    }

    /// Adds an iterative measure's column and how its iteration ended.
    fn iterated(&mut self, measure: Measure, name: &'static str, it: Iterated) {
        self.convergence.push(Convergence {
            measure,
            iterations: it.iterations,
            converged: it.converged,
        });
        self.push(name, Values::Real(it.values));
    }
}

/// PageRank by the engine of `metrics::pagerank` (damping 0.85, uniform teleport).
fn pagerank_of(g: &Graph, weighted: bool, tol: f64, max_iter: usize) -> Iterated {
    let params = PageRankParams {
        tol,
        max_iter,
        weighted: weighted && g.is_weighted(),
        ..Default::default()
    }
    .check(g.num_nodes())
    .expect("tol and max_iter were checked with the centrality parameters");
    let pr = pagerank(&CsrPropagator::new(g), &params);
    Iterated {
        values: pr.ranks,
        iterations: pr.iterations,
        converged: pr.converged,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::graph::{Graph, GraphBuilder};

    fn build(edges: &[(u32, u32)], n: u32, undirected: bool) -> Graph {
        let list = crate::metrics::pagerank::tests::edge_list(edges, n);
        let b = GraphBuilder::new().reorder_by_degree(false);
        b.undirected(undirected).build(list).0
    }

    /// A directed graph on nodes `0..n`, numbered as given.
    pub(crate) fn directed(edges: &[(u32, u32)], n: u32) -> Graph {
        build(edges, n, false)
    }

    /// An undirected graph on nodes `0..n`, numbered as given.
    pub(crate) fn undirected(edges: &[(u32, u32)], n: u32) -> Graph {
        build(edges, n, true)
    }

    /// A weighted graph on nodes `0..n`, numbered as given; duplicate edges add weights.
    pub(crate) fn weighted(edges: &[(u32, u32, f64)], n: u32, undirected: bool) -> Graph {
        let pairs: Vec<(u32, u32)> = edges.iter().map(|e| (e.0, e.1)).collect();
        let mut list = crate::metrics::pagerank::tests::edge_list(&pairs, n);
        list.weights = Some(edges.iter().map(|e| e.2).collect());
        let b = GraphBuilder::new().reorder_by_degree(false);
        b.undirected(undirected).build(list).0
    }

    /// A random weighted graph with `m` edge records, weights drawn by `weight` from a random
    /// `u64` (xorshift from `seed`).
    pub(crate) fn random_weighted(
        n: u32,
        m: usize,
        undirected: bool,
        seed: u64,
        weight: impl Fn(u64) -> f64,
    ) -> Graph {
        let mut rnd = crate::graph::test_rng(seed);
        let edges: Vec<(u32, u32, f64)> = (0..m)
            .map(|_| {
                let (a, b) = (rnd(n as u64) as u32, rnd(n as u64) as u32);
                (a, b, weight(rnd(1 << 30)))
            })
            .collect();
        weighted(&edges, n, undirected)
    }

    /// A random graph with `m` edge records (xorshift from `seed`).
    pub(crate) fn random(n: u32, m: usize, undirected: bool, seed: u64) -> Graph {
        let mut rnd = crate::graph::test_rng(seed);
        let edges: Vec<(u32, u32)> = (0..m)
            .map(|_| (rnd(n as u64) as u32, rnd(n as u64) as u32))
            .collect();
        build(&edges, n, undirected)
    }

    /// Katz beyond 1/λ_max overflows: an error naming alpha, never `inf` values (networkx
    /// raises too); below it, finite values.
    #[test]
    fn diverging_katz_is_an_error() {
        use super::{centrality, CentralityError, CentralityParams, Measure};
        let g = directed(&[(0, 1), (1, 2), (2, 0), (2, 3)], 4);
        let params = |alpha| {
            CentralityParams {
                measures: vec![Measure::Katz],
                katz_alpha: alpha,
                ..Default::default()
            }
            .check(&g)
            .unwrap()
        };
        let err = centrality(&g, &params(5.0)).unwrap_err();
        assert!(matches!(err, CentralityError::Diverged { .. }), "{err}");
        assert!(err.to_string().contains("alpha 5"), "{err}");
        let ok = centrality(&g, &params(0.1)).unwrap();
        assert!(ok.columns[0].values.to_f64().iter().all(|v| v.is_finite()));
    }
}

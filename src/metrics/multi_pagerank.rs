//! Many personalized PageRank vectors in one pass over the graph (topic-sensitive Network
//! Impact: one vector per topic, each teleporting to that topic's experts). The `k` vectors are
//! stored row-major as an `n × k` block, so each iteration reads every edge once for all of them
//! ([`Propagate::pull_multi`]). Each vector follows networkx's semantics exactly as
//! [`super::pagerank`] does — dangling mass and teleport follow its personalization, start at
//! uniform, stop when its L1 change drops below `N · tol` — and a vector that has converged is
//! frozen while the others go on, so every column equals a separate single-vector run. A
//! parallel kernel and its sequential twin give identical results (per-node sums in a fixed
//! order, global sums per partition added in order). Each iteration is one fused pass
//! (`metrics::multi_step`) that pulls through [`Propagate::pull_multi`] (or
//! [`Propagate::pull_multi_f32`] with [`Precision::F32`]) a few rows at a time, so a
//! propagator's `propagate_multi` (propagation blocking) is not used here. Choosing the
//! teleports is left to the caller.

use super::dense::{DenseBuf, DenseVec};
use super::multi_step::{over_partitions, start_part, Pull, Step, TeleportRows};
use super::pagerank::PageRankParams;
use super::propagate::Propagate;
use crate::error::{Error, Result};
use crate::ingest::Node;

/// Where one vector teleports (and sends dangling mass).
#[derive(Debug, Clone, PartialEq)]
pub enum Teleport {
    /// Every node alike (plain PageRank).
    Uniform,
    /// To these nodes in proportion to their weights (`≥ 0`, positive sum; a node listed twice
    /// gets the sum). Nodes not listed get nothing.
    Weights(Vec<(Node, f64)>),
}

/// How the contributions each pull reads are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// `f64`: every vector equals a separate single-vector run to rounding (1e-12).
    #[default]
    F64,
    /// `f32`: half the bytes per in-edge (16 vectors fill one 64-byte cache line), sums still
    /// in `f64`; each contribution is rounded to 24 bits, and the rounding errors compound over
    /// the iterations: ranks differ from `f64` runs by a relative error of up to about 2e-5 per
    /// node on the tests' random graphs (asserted bound: [`F32_REL_ERROR`]).
    F32,
}

/// The largest relative difference, per node, between an [`Precision::F32`] vector and the
/// same vector in `f64` that the tests accept on random graphs (measured: 1.9e-5).
pub const F32_REL_ERROR: f64 = 1e-4;

/// Parameters of a multi-vector run, unchecked; [`check`](MultiPageRankParams::check) turns
/// them into [`ValidMultiPageRankParams`].
///
/// | name | default | range |
/// |---|---|---|
/// | `damping` | 0.85 | `[0, 1)` |
/// | `tol` | 1e-6 | `> 0`, finite (a vector stops when its L1 change < N·tol) |
/// | `max_iter` | 100 | `≥ 1` |
/// | `weighted` | false | use edge weights |
/// | `teleports` | none | one per vector, at least one |
/// | `precision` | `F64` | how contributions are stored ([`Precision`]) |
#[derive(Debug, Clone)]
pub struct MultiPageRankParams {
    pub damping: f64,
    pub tol: f64,
    pub max_iter: usize,
    pub weighted: bool,
    pub teleports: Vec<Teleport>,
    pub precision: Precision,
}

impl Default for MultiPageRankParams {
    fn default() -> Self {
        let single = PageRankParams::default();
        MultiPageRankParams {
            damping: single.damping,
            tol: single.tol,
            max_iter: single.max_iter,
            weighted: single.weighted,
            teleports: Vec::new(),
            precision: Precision::F64,
        }
    }
}

/// Checked parameters for a graph of a given size.
#[derive(Debug, Clone)]
pub struct ValidMultiPageRankParams {
    damping: f64,
    tol: f64,
    max_iter: usize,
    weighted: bool,
    /// Normalised teleport entries sorted by node (`None`: uniform).
    teleports: Vec<Option<Vec<(Node, f64)>>>,
    precision: Precision,
}

impl ValidMultiPageRankParams {
    /// Number of vectors.
    pub fn k(&self) -> usize {
        self.teleports.len()
    }
}

impl MultiPageRankParams {
    /// Validates the parameters for a graph of `n` nodes.
    pub fn check(self, n: usize) -> Result<ValidMultiPageRankParams> {
        // The scalar ranges are those of the single-vector run.
        PageRankParams {
            damping: self.damping,
            tol: self.tol,
            max_iter: self.max_iter,
            ..Default::default()
        }
        .check(n)?;
        if self.teleports.is_empty() {
            return Err(Error::param("teleports", "at least one vector is needed"));
        }
        let teleports = self
            .teleports
            .into_iter()
            .enumerate()
            .map(|(j, t)| match t {
                Teleport::Uniform => Ok(None),
                Teleport::Weights(w) => normalise(w, n, j).map(Some),
            })
            .collect::<Result<_>>()?;
        Ok(ValidMultiPageRankParams {
            damping: self.damping,
            tol: self.tol,
            max_iter: self.max_iter,
            weighted: self.weighted,
            teleports,
            precision: self.precision,
        })
    }
}

fn normalise(mut w: Vec<(Node, f64)>, n: usize, j: usize) -> Result<Vec<(Node, f64)>> {
    let bad = |reason: String| Error::param("teleports", format!("vector {j}: {reason}"));
    if let Some(&(v, _)) = w.iter().find(|(v, _)| *v as usize >= n) {
        return Err(bad(format!("node {v} is not below the node count {n}")));
    }
    if let Some(&(_, x)) = w.iter().find(|(_, x)| !(x.is_finite() && *x >= 0.0)) {
        return Err(bad(format!("weight {x} is not a finite number ≥ 0")));
    }
    w.sort_by_key(|e| e.0);
    let mut merged: Vec<(Node, f64)> = Vec::with_capacity(w.len());
    for (v, x) in w {
        match merged.last_mut() {
            Some(last) if last.0 == v => last.1 += x,
            _ => merged.push((v, x)),
        }
    }
    merged.retain(|e| e.1 > 0.0);
    let sum: f64 = merged.iter().map(|e| e.1).sum();
    if sum <= 0.0 {
        return Err(bad("weights sum to zero".into()));
    }
    merged.iter_mut().for_each(|e| e.1 /= sum);
    Ok(merged)
}

/// The outcome of a multi-vector run.
#[derive(Debug, Clone)]
pub struct MultiPageRank {
    k: usize,
    /// Row-major `n × k`: `ranks[v * k + j]`.
    ranks: Vec<f64>,
    /// Iterations each vector ran before it converged (or `max_iter`).
    pub iterations: Vec<usize>,
    /// Whether each vector's L1 change fell below `N · tol`.
    pub converged: Vec<bool>,
    /// Each vector's last L1 change.
    pub last_change: Vec<f64>,
}

impl MultiPageRank {
    /// Number of vectors.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Number of nodes.
    pub fn num_nodes(&self) -> usize {
        self.ranks.len().checked_div(self.k).unwrap_or(0)
    }

    /// Rank of node `v` in vector `j`.
    pub fn rank(&self, v: Node, j: usize) -> f64 {
        self.ranks[v as usize * self.k + j]
    }

    /// Vector `j` as one rank per node (sums to 1).
    pub fn vector(&self, j: usize) -> Vec<f64> {
        assert!(j < self.k, "vector {j} of {}", self.k);
        self.ranks.iter().skip(j).step_by(self.k).copied().collect()
    }

    /// The ranks of node `v` in every vector.
    pub fn row(&self, v: Node) -> &[f64] {
        &self.ranks[v as usize * self.k..][..self.k]
    }
}

/// Every vector with the parallel kernel (rayon's current pool).
pub fn multi_pagerank<P: Propagate>(g: &P, params: &ValidMultiPageRankParams) -> MultiPageRank {
    run(g, params, true)
}

/// The sequential twin of [`multi_pagerank`]; the results are identical.
pub fn multi_pagerank_sequential<P: Propagate>(
    g: &P,
    params: &ValidMultiPageRankParams,
) -> MultiPageRank {
    run(g, params, false)
}

fn run<P: Propagate>(g: &P, params: &ValidMultiPageRankParams, par: bool) -> MultiPageRank {
    match params.precision {
        Precision::F64 => run_with::<f64, P>(g, params, par),
        Precision::F32 => run_with::<f32, P>(g, params, par),
    }
}

fn run_with<C: Pull, P: Propagate>(
    g: &P,
    params: &ValidMultiPageRankParams,
    par: bool,
) -> MultiPageRank {
    let (n, k) = (g.num_nodes(), params.k());
    if n == 0 {
        return MultiPageRank {
            k,
            ranks: Vec::new(),
            iterations: vec![0; k],
            converged: vec![true; k],
            last_change: vec![0.0; k],
        };
    }
    let d = params.damping;
    let uniform = 1.0 / n as f64;
    let inv_out: Vec<f64> = g
        .out_weights(params.weighted)
        .iter()
        .map(|&s| if s > 0.0 { 1.0 / s } else { 0.0 })
        .collect();
    let tele = TeleportRows::new(n, &params.teleports);
    let parts = g.partitions();
    let mut x = DenseVec::filled(n * k, uniform);
    let mut old = DenseBuf::<C>::zeros(n * k);
    let mut new = DenseBuf::<C>::zeros(n * k);
    let start = |part, x: &mut [f64], c: &mut [C]| start_part(&inv_out, k, part, x, c);
    let mut dangling = over_partitions(parts, k, par, &mut x, &mut old, start).split_off(k);
    let mut active = vec![true; k];
    let mut iterations = vec![0usize; k];
    let mut change = vec![f64::INFINITY; k];
    let limit = n as f64 * params.tol;
    let mut it = 0;
    while it < params.max_iter && active.iter().any(|&a| a) {
        let mass: Vec<f64> = dangling.iter().map(|&s| d * s + (1.0 - d)).collect();
        let spread: Vec<f64> = (0..k)
            .map(|j| match &params.teleports[j] {
                None => mass[j] * uniform,
                Some(_) => 0.0,
            })
            .collect();
        let step = Step {
            k,
            damping: d,
            weighted: params.weighted,
            inv_out: &inv_out,
            tele: &tele,
            active: &active,
            mass: &mass,
            spread: &spread,
        };
        let pass = |part, x: &mut [f64], c: &mut [C]| step.part(g, &old, part, x, c);
        let mut sums = over_partitions(parts, k, par, &mut x, &mut new, pass);
        dangling = sums.split_off(k);
        std::mem::swap(&mut old, &mut new);
        for j in 0..k {
            if !active[j] {
                continue;
            }
            change[j] = sums[j];
            iterations[j] += 1;
            active[j] = change[j] >= limit;
        }
        it += 1;
    }
    drop((old, new));
    MultiPageRank {
        k,
        ranks: x.into_vec(),
        iterations,
        converged: change.iter().map(|&c| c < limit).collect(),
        last_change: change,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::pagerank::tests::graph;
    use crate::metrics::{pagerank, CsrPropagator};
    use approx::assert_relative_eq;

    #[test]
    fn hand_computed_teleport_to_one_node() {
        // Star into 0 (dangling), teleport to 2: x2 = 0.15/(1 − 0.7225), x0 = 0.85·x2.
        let g = graph(&[(1, 0), (2, 0)], 3);
        let p = MultiPageRankParams {
            tol: 1e-15,
            max_iter: 1000,
            teleports: vec![Teleport::Weights(vec![(2, 5.0)]), Teleport::Uniform],
            ..Default::default()
        }
        .check(3)
        .unwrap();
        let r = multi_pagerank(&CsrPropagator::new(&g), &p);
        assert!(r.converged.iter().all(|&c| c));
        let x2 = 0.15 / (1.0 - 0.7225);
        assert_relative_eq!(r.rank(2, 0), x2, epsilon = 1e-12);
        assert_relative_eq!(r.rank(0, 0), 0.85 * x2, epsilon = 1e-12);
        assert_relative_eq!(r.rank(1, 0), 0.0, epsilon = 1e-15);
        let single = pagerank(
            &CsrPropagator::new(&g),
            &PageRankParams {
                tol: 1e-15,
                max_iter: 1000,
                ..Default::default()
            }
            .check(3)
            .unwrap(),
        );
        for v in 0..3 {
            assert_relative_eq!(r.rank(v, 1), single.ranks[v as usize], epsilon = 1e-12);
        }
    }

    #[test]
    fn parameters_are_validated() {
        let bad = |t: Vec<Teleport>| {
            MultiPageRankParams {
                teleports: t,
                ..Default::default()
            }
            .check(2)
            .unwrap_err()
            .to_string()
        };
        assert!(bad(vec![]).contains("at least one"));
        assert!(bad(vec![Teleport::Weights(vec![(2, 1.0)])]).contains("node 2"));
        assert!(
            bad(vec![Teleport::Uniform, Teleport::Weights(vec![(0, 0.0)])])
                .contains("vector 1: weights sum to zero")
        );
        assert!(bad(vec![Teleport::Weights(vec![(0, f64::NAN)])]).contains("finite"));
        let err = MultiPageRankParams {
            damping: 1.0,
            teleports: vec![Teleport::Uniform],
            ..Default::default()
        }
        .check(2)
        .unwrap_err();
        assert!(err.to_string().contains("damping"));
    }

    #[test]
    fn duplicate_teleport_nodes_add_up() {
        let g = graph(&[(0, 1), (1, 2), (2, 0)], 3);
        let run = |t: Vec<(Node, f64)>| {
            let p = MultiPageRankParams {
                tol: 1e-14,
                max_iter: 1000,
                teleports: vec![Teleport::Weights(t)],
                ..Default::default()
            }
            .check(3)
            .unwrap();
            multi_pagerank(&CsrPropagator::new(&g), &p).vector(0)
        };
        let a = run(vec![(1, 1.0), (0, 1.0), (1, 2.0)]);
        let b = run(vec![(0, 1.0), (1, 3.0)]);
        assert_eq!(a, b);
    }

    /// A random graph: `n` nodes, about `3n` edges among the first `n - n/5` nodes as sources
    /// (so the last fifth are dangling), weights in `(0, 2]` when `weighted`; multiplied-out
    /// duplicates merge.
    fn random_graph(seed: u64, n: u32, weighted: bool) -> crate::graph::Graph {
        use crate::rng::SplitMix;
        let mut rng = SplitMix(seed);
        let live = (n - n / 5) as u64;
        let edges: Vec<(u32, u32)> = (0..3 * n)
            .map(|_| (rng.below(live) as u32, rng.below(n as u64) as u32))
            .collect();
        let mut list = crate::metrics::pagerank::tests::edge_list(&edges, n);
        if weighted {
            list.weights = Some(edges.iter().map(|_| 2.0 - rng.unit()).collect());
        }
        crate::graph::GraphBuilder::new().build(list).0
    }

    /// Uniform, then vectors teleporting to a few nodes each with unequal weights.
    fn some_teleports(n: u32, k: usize) -> Vec<Teleport> {
        (0..k)
            .map(|j| match j {
                0 => Teleport::Uniform,
                _ => Teleport::Weights(
                    (0..1 + j as u32)
                        .map(|i| ((i * 7 + j as u32 * 13) % n, 1.0 + i as f64))
                        .collect(),
                ),
            })
            .collect()
    }

    fn params(n: u32, k: usize, weighted: bool, precision: Precision) -> ValidMultiPageRankParams {
        MultiPageRankParams {
            tol: 1e-10,
            max_iter: 500,
            weighted,
            teleports: some_teleports(n, k),
            precision,
            ..Default::default()
        }
        .check(n as usize)
        .unwrap()
    }

    /// The single-vector run that vector `j` of `p` stands for.
    fn single(g: &crate::graph::Graph, p: &ValidMultiPageRankParams, j: usize) -> Vec<f64> {
        let n = g.num_nodes();
        let personalization = p.teleports[j].as_ref().map(|t| {
            let mut x = vec![0.0; n];
            t.iter().for_each(|&(v, w)| x[v as usize] = w);
            x
        });
        let sp = PageRankParams {
            tol: p.tol,
            max_iter: p.max_iter,
            weighted: p.weighted,
            personalization,
            ..Default::default()
        }
        .check(n)
        .unwrap();
        crate::metrics::pagerank_sequential(&CsrPropagator::new(g), &sp).ranks
    }

    #[test]
    fn fused_kernel_parallel_equals_sequential_bit_for_bit() {
        for (seed, weighted) in [(1, false), (2, true)] {
            let g = random_graph(seed, 3000, weighted);
            for precision in [Precision::F64, Precision::F32] {
                for k in [1, 5, 16, 19] {
                    let p = params(3000, k, weighted, precision);
                    let prop = CsrPropagator::new(&g);
                    let seq = multi_pagerank_sequential(&prop, &p);
                    for threads in [1, 2, 3] {
                        let pool = rayon::ThreadPoolBuilder::new()
                            .num_threads(threads)
                            .build()
                            .unwrap();
                        let par = pool.install(|| multi_pagerank(&prop, &p));
                        assert_eq!(par.ranks, seq.ranks, "{precision:?} k={k} {threads}");
                        assert_eq!(par.iterations, seq.iterations);
                    }
                }
            }
        }
    }

    #[test]
    fn f64_vectors_equal_single_runs_with_dangling_nodes() {
        for (seed, weighted) in [(3, false), (4, true)] {
            let g = random_graph(seed, 2000, weighted);
            let p = params(2000, 17, weighted, Precision::F64);
            let r = multi_pagerank(&CsrPropagator::new(&g), &p);
            for j in 0..p.k() {
                let want = single(&g, &p, j);
                let diff = r
                    .vector(j)
                    .iter()
                    .zip(&want)
                    .map(|(a, b)| (a - b).abs())
                    .fold(0.0, f64::max);
                assert!(diff <= 1e-12, "weighted {weighted}, vector {j}: {diff:e}");
            }
        }
    }

    #[test]
    fn f32_vectors_stay_within_the_documented_bound() {
        let mut worst: f64 = 0.0;
        for (seed, weighted) in [(5, false), (6, true)] {
            let g = random_graph(seed, 2000, weighted);
            let p = params(2000, 16, weighted, Precision::F32);
            let r = multi_pagerank(&CsrPropagator::new(&g), &p);
            assert!(r.converged.iter().all(|&c| c));
            for j in 0..p.k() {
                let got = r.vector(j);
                assert!((got.iter().sum::<f64>() - 1.0).abs() < 1e-6);
                for (a, b) in got.iter().zip(single(&g, &p, j)) {
                    if b > 1e-300 {
                        worst = worst.max((a - b).abs() / b);
                    } else {
                        assert!(a.abs() < 1e-300, "{a:e} where f64 has {b:e}");
                    }
                }
            }
        }
        assert!(worst <= F32_REL_ERROR, "max relative difference {worst:e}");
        eprintln!("f32 contributions: max relative difference {worst:e}");
    }

    #[test]
    fn blocked_propagator_gives_the_same_f32_result() {
        let g = random_graph(7, 1500, true);
        let p = params(1500, 16, true, Precision::F32);
        let want = multi_pagerank(&CsrPropagator::new(&g), &p);
        let blocked = crate::metrics::BlockedPropagator::new(CsrPropagator::new(&g));
        assert_eq!(multi_pagerank(&blocked, &p).ranks, want.ranks);
    }
}

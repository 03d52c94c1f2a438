//! PageRank (Network Impact) by power iteration, with networkx's semantics so that results are
//! comparable: dangling nodes' mass and the teleport both follow the personalization vector
//! (uniform by default), and convergence is declared when the L1 change between two iterates
//! drops below `N · tol`. A parallel kernel and its sequential twin give bit-identical results:
//! every node's sum runs in a fixed order and global sums use fixed blocks.

use rayon::prelude::*;

use super::dense::DenseVec;
use super::propagate::Propagate;
use crate::error::{Error, Result};

/// PageRank parameters, unchecked. Turn them into [`ValidPageRankParams`] with [`check`].
///
/// | name | default | range |
/// |---|---|---|
/// | `damping` | 0.85 | `[0, 1)` |
/// | `tol` | 1e-6 | `> 0`, finite (stop when L1 change < N·tol) |
/// | `max_iter` | 100 | `≥ 1` |
/// | `iterations` | none | `≥ 1`: run exactly this many, ignoring `tol` for stopping |
/// | `weighted` | false | use edge weights |
/// | `personalization` | uniform | one value `≥ 0` per node, positive sum |
///
/// [`check`]: PageRankParams::check
#[derive(Debug, Clone)]
pub struct PageRankParams {
    pub damping: f64,
    pub tol: f64,
    pub max_iter: usize,
    pub iterations: Option<usize>,
    pub weighted: bool,
    pub personalization: Option<Vec<f64>>,
}

impl Default for PageRankParams {
    fn default() -> Self {
        PageRankParams {
            damping: 0.85,
            tol: 1e-6,
            max_iter: 100,
            iterations: None,
            weighted: false,
            personalization: None,
        }
    }
}

/// Checked PageRank parameters for a graph of a given size.
#[derive(Debug, Clone)]
pub struct ValidPageRankParams {
    damping: f64,
    tol: f64,
    max_iter: usize,
    fixed: bool,
    weighted: bool,
    /// Normalised teleport (and dangling) distribution; `None` is uniform.
    teleport: Option<Vec<f64>>,
    /// Start from the teleport distribution instead of the uniform vector.
    start_at_teleport: bool,
    /// The N of the stopping rule `L1 change < N·tol` (default: the node count).
    stop_nodes: Option<usize>,
}

impl ValidPageRankParams {
    /// Starts the iteration from the teleport distribution (the fixed point is the same): nodes
    /// with no teleport share and no in-links then hold 0 from the start, so adding such nodes
    /// changes nothing.
    pub fn start_at_teleport(mut self) -> Self {
        self.start_at_teleport = true;
        self
    }

    /// Stops when the L1 change is below `nodes · tol` (networkx counts every node; a caller
    /// whose graph holds inert nodes counts the live ones).
    pub fn stop_over(mut self, nodes: usize) -> Self {
        self.stop_nodes = Some(nodes.max(1));
        self
    }
}

impl ValidPageRankParams {
    /// The damping factor.
    pub(crate) fn damping(&self) -> f64 {
        self.damping
    }

    /// The tolerance of the stopping rule `L1 change < N·tol`.
    pub(crate) fn tol(&self) -> f64 {
        self.tol
    }

    /// The most iterations to run (exactly this many when [`Self::fixed`]).
    pub(crate) fn max_iter(&self) -> usize {
        self.max_iter
    }

    /// Whether the iteration count is fixed (`tol` does not stop it).
    pub(crate) fn fixed(&self) -> bool {
        self.fixed
    }

    /// Whether edge weights are used.
    pub(crate) fn weighted(&self) -> bool {
        self.weighted
    }

    /// Whether the teleport is uniform and the stopping rule counts every node: all that the
    /// cluster backend implements.
    pub(crate) fn is_plain(&self) -> bool {
        self.teleport.is_none() && self.stop_nodes.is_none()
    }
}

impl PageRankParams {
    /// Validates the parameters for a graph of `n` nodes.
    pub fn check(self, n: usize) -> Result<ValidPageRankParams> {
        if !(0.0..1.0).contains(&self.damping) {
            return Err(Error::param(
                "damping",
                format!("{} is not in [0, 1)", self.damping),
            ));
        }
        if !(self.tol.is_finite() && self.tol > 0.0) {
            return Err(Error::param(
                "tol",
                format!("{} is not a positive number", self.tol),
            ));
        }
        if self.max_iter == 0 {
            return Err(Error::param("max_iter", "must be at least 1"));
        }
        if self.iterations == Some(0) {
            return Err(Error::param("iterations", "must be at least 1"));
        }
        let teleport = self.personalization.map(|p| normalise(p, n)).transpose()?;
        Ok(ValidPageRankParams {
            damping: self.damping,
            tol: self.tol,
            max_iter: self.iterations.unwrap_or(self.max_iter),
            fixed: self.iterations.is_some(),
            weighted: self.weighted,
            teleport,
            start_at_teleport: false,
            stop_nodes: None,
        })
    }
}

fn normalise(mut p: Vec<f64>, n: usize) -> Result<Vec<f64>> {
    if p.len() != n {
        return Err(Error::param(
            "personalization",
            format!("has {} values for {n} nodes", p.len()),
        ));
    }
    if let Some(bad) = p.iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
        return Err(Error::param(
            "personalization",
            format!("value {bad} is not a finite number ≥ 0"),
        ));
    }
    // Scaled by the largest value first, so that values near f64::MAX cannot overflow the sum.
    let max = p.iter().copied().fold(0.0, f64::max);
    if max <= 0.0 {
        return Err(Error::param("personalization", "values sum to zero"));
    }
    p.iter_mut().for_each(|x| *x /= max);
    let sum: f64 = p.iter().sum();
    p.iter_mut().for_each(|x| *x /= sum);
    let total: f64 = p.iter().sum();
    if (total - 1.0).abs() > 1e-9 {
        return Err(Error::param(
            "personalization",
            format!("values cannot be normalised (they sum to {total} after scaling)"),
        ));
    }
    Ok(p)
}

/// The outcome of a PageRank run.
#[derive(Debug, Clone)]
pub struct PageRank {
    /// Rank of every node; sums to 1.
    pub ranks: Vec<f64>,
    /// Iterations run.
    pub iterations: usize,
    /// Whether the L1 change fell below `N · tol`.
    pub converged: bool,
    /// The L1 change of the last iteration.
    pub last_change: f64,
}

/// Nodes per block in global sums; fixed so that sums do not depend on the thread count.
const BLOCK: usize = 4096;

/// How the kernel runs its loops: in parallel over partitions, or sequentially.
trait Exec {
    fn block_sums(&self, xs: &[f64], f: impl Fn(usize, f64) -> f64 + Sync) -> f64;
    fn each_part<P: Propagate>(&self, g: &P, contrib: &[f64], weighted: bool, out: &mut [f64]);
    fn update(&self, out: &mut [f64], f: impl Fn(usize, f64) -> f64 + Sync);
}

struct Parallel;
struct Sequential;

impl Exec for Parallel {
    fn block_sums(&self, xs: &[f64], f: impl Fn(usize, f64) -> f64 + Sync) -> f64 {
        let parts: Vec<f64> = xs
            .par_chunks(BLOCK)
            .enumerate()
            .map(|(b, c)| block_sum(b, c, &f))
            .collect();
        parts.iter().sum()
    }
    fn each_part<P: Propagate>(&self, g: &P, contrib: &[f64], weighted: bool, out: &mut [f64]) {
        g.propagate(contrib, weighted, true, out);
    }
    fn update(&self, out: &mut [f64], f: impl Fn(usize, f64) -> f64 + Sync) {
        out.par_iter_mut()
            .enumerate()
            .for_each(|(i, o)| *o = f(i, *o));
    }
}

impl Exec for Sequential {
    fn block_sums(&self, xs: &[f64], f: impl Fn(usize, f64) -> f64 + Sync) -> f64 {
        let parts: Vec<f64> = xs
            .chunks(BLOCK)
            .enumerate()
            .map(|(b, c)| block_sum(b, c, &f))
            .collect();
        parts.iter().sum()
    }
    fn each_part<P: Propagate>(&self, g: &P, contrib: &[f64], weighted: bool, out: &mut [f64]) {
        g.propagate(contrib, weighted, false, out);
    }
    fn update(&self, out: &mut [f64], f: impl Fn(usize, f64) -> f64 + Sync) {
        out.iter_mut().enumerate().for_each(|(i, o)| *o = f(i, *o));
    }
}

#[inline]
fn block_sum(block: usize, xs: &[f64], f: impl Fn(usize, f64) -> f64) -> f64 {
    let base = block * BLOCK;
    xs.iter().enumerate().map(|(i, &x)| f(base + i, x)).sum()
}

/// PageRank with the parallel kernel (rayon's current pool).
pub fn pagerank<P: Propagate>(g: &P, params: &ValidPageRankParams) -> PageRank {
    run(g, params, &Parallel, &mut |_| {})
}

/// PageRank with a progress callback, called with the iteration number after each iteration.
pub fn pagerank_with_progress<P: Propagate>(
    g: &P,
    params: &ValidPageRankParams,
    progress: &mut dyn FnMut(usize),
) -> PageRank {
    run(g, params, &Parallel, progress)
}

/// The sequential twin of [`pagerank`]; the results are identical.
pub fn pagerank_sequential<P: Propagate>(g: &P, params: &ValidPageRankParams) -> PageRank {
    run(g, params, &Sequential, &mut |_| {})
}

fn run<P: Propagate>(
    g: &P,
    params: &ValidPageRankParams,
    exec: &impl Exec,
    progress: &mut dyn FnMut(usize),
) -> PageRank {
    let n = g.num_nodes();
    if n == 0 {
        return PageRank {
            ranks: Vec::new(),
            iterations: 0,
            converged: true,
            last_change: 0.0,
        };
    }
    let d = params.damping;
    let uniform = 1.0 / n as f64;
    let tele = |v: usize| params.teleport.as_ref().map_or(uniform, |p| p[v]);
    let out_w = g.out_weights(params.weighted);
    let inv_out: Vec<f64> = out_w
        .iter()
        .map(|&s| if s > 0.0 { 1.0 / s } else { 0.0 })
        .collect();
    let mut x = match (&params.teleport, params.start_at_teleport) {
        (Some(t), true) => {
            let mut x = DenseVec::zeros(n);
            x.copy_from_slice(t);
            x
        }
        _ => DenseVec::filled(n, uniform),
    };
    let stop = params.stop_nodes.unwrap_or(n) as f64 * params.tol;
    let mut contrib = DenseVec::zeros(n);
    let mut next = DenseVec::zeros(n);
    let (mut iterations, mut change) = (0, f64::INFINITY);
    while iterations < params.max_iter {
        exec.update(&mut contrib, |u, _| x[u] * inv_out[u]);
        let dangling = exec.block_sums(&x, |u, xu| if inv_out[u] > 0.0 { 0.0 } else { xu });
        exec.each_part(g, &contrib, params.weighted, &mut next);
        exec.update(&mut next, |v, pulled| {
            d * (pulled + dangling * tele(v)) + (1.0 - d) * tele(v)
        });
        change = exec.block_sums(&next, |v, nv| (nv - x[v]).abs());
        std::mem::swap(&mut x, &mut next);
        iterations += 1;
        progress(iterations);
        if !params.fixed && change < stop {
            break;
        }
    }
    PageRank {
        ranks: x.into_vec(),
        iterations,
        converged: change < stop,
        last_change: change,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::graph::GraphBuilder;
    use crate::ingest::{EdgeList, IdMap};
    use crate::metrics::CsrPropagator;
    use approx::assert_relative_eq;

    /// An unweighted edge list over the nodes `0..n`.
    pub(crate) fn edge_list(edges: &[(u32, u32)], n: u32) -> EdgeList {
        EdgeList {
            ids: IdMap::Numeric((0..n as u64).collect()),
            src: edges.iter().map(|e| e.0).collect(),
            dst: edges.iter().map(|e| e.1).collect(),
            weights: None,
            skips: Default::default(),
            degree_ordered: false,
            undirected: false,
        }
    }

    /// A graph of `n` nodes `0..n` with these edges, in id order (no reordering).
    pub(crate) fn graph(edges: &[(u32, u32)], n: u32) -> crate::graph::Graph {
        let list = edge_list(edges, n);
        GraphBuilder::new().reorder_by_degree(false).build(list).0
    }

    #[test]
    fn hand_computed_two_node_cycle_and_dangling() {
        // 0 -> 1, 1 dangling: x1 = 0.85*(x0 + x1/2) + 0.075, x0 = 0.85*x1/2 + 0.075, sum 1.
        // Solving: x0 = 0.075 + 0.425*x1, x1 = 1 - x0 → x1 = 0.925/1.425.
        let g = graph(&[(0, 1)], 2);
        let p = PageRankParams {
            tol: 1e-15,
            max_iter: 1000,
            ..Default::default()
        }
        .check(2)
        .unwrap();
        let r = pagerank(&CsrPropagator::new(&g), &p);
        assert!(r.converged);
        assert_relative_eq!(r.ranks[1], 0.925 / 1.425, epsilon = 1e-12);
        assert_relative_eq!(r.ranks[0], 1.0 - 0.925 / 1.425, epsilon = 1e-12);
    }

    #[test]
    fn reports_non_convergence_and_fixed_iterations() {
        let g = graph(&[(0, 1), (1, 2), (2, 0), (2, 1)], 3);
        let prop = CsrPropagator::new(&g);
        let p = PageRankParams {
            tol: 1e-15,
            max_iter: 3,
            ..Default::default()
        }
        .check(3)
        .unwrap();
        let r = pagerank(&prop, &p);
        assert_eq!((r.iterations, r.converged), (3, false));
        let p = PageRankParams {
            iterations: Some(50),
            tol: 1e-3,
            ..Default::default()
        }
        .check(3)
        .unwrap();
        let r = pagerank(&prop, &p);
        assert_eq!((r.iterations, r.converged), (50, true));
    }

    #[test]
    fn parameters_are_validated() {
        let bad = |p: PageRankParams| p.check(2).unwrap_err().to_string();
        assert!(bad(PageRankParams {
            damping: 1.0,
            ..Default::default()
        })
        .contains("damping"));
        assert!(bad(PageRankParams {
            tol: 0.0,
            ..Default::default()
        })
        .contains("tol"));
        assert!(bad(PageRankParams {
            max_iter: 0,
            ..Default::default()
        })
        .contains("max_iter"));
        assert!(bad(PageRankParams {
            personalization: Some(vec![0.0, 0.0]),
            ..Default::default()
        })
        .contains("zero"));
        assert!(bad(PageRankParams {
            personalization: Some(vec![1.0]),
            ..Default::default()
        })
        .contains("1 values"));
    }

    #[test]
    fn personalization_teleports_and_catches_dangling_mass() {
        // Star into 0, which is dangling; all teleport to node 2.
        let g = graph(&[(1, 0), (2, 0)], 3);
        let p = PageRankParams {
            tol: 1e-15,
            max_iter: 1000,
            personalization: Some(vec![0.0, 0.0, 5.0]),
            ..Default::default()
        };
        let r = pagerank(&CsrPropagator::new(&g), &p.check(3).unwrap());
        assert_relative_eq!(r.ranks[1], 0.0, epsilon = 1e-15);
        // x2 = 0.15 + 0.85*x0, x0 = 0.85*x2 → x2 = 0.15/(1-0.7225)
        assert_relative_eq!(r.ranks[2], 0.15 / (1.0 - 0.7225), epsilon = 1e-12);
        assert_relative_eq!(r.ranks.iter().sum::<f64>(), 1.0, epsilon = 1e-12);
    }
}

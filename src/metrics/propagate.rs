//! The propagation step behind every PageRank-style metric, as a small interface: the graph is
//! split into destination partitions, and a step pulls a contribution vector along the in-edges
//! of one partition; a whole step pulls every partition, unless the propagator stages the
//! contributions first (propagation blocking, [`super::blocked`]). The in-memory CSR implements
//! it; a distributed backend would implement the same trait (each worker owning some
//! partitions) without touching the metrics.

use std::ops::Range;

use rayon::prelude::*;

use super::dense::Contribution;
use crate::graph::{Adjacency, Graph, PullGraph};
use crate::ingest::Node;

/// A weighted directed graph that can propagate a vector along its edges.
pub trait Propagate: Sync {
    /// Number of nodes.
    fn num_nodes(&self) -> usize;

    /// Number of edges.
    fn num_edges(&self) -> usize;

    /// Total outgoing weight of every node (its out-degree when unweighted). A node whose total
    /// is zero is dangling.
    fn out_weights(&self, weighted: bool) -> Vec<f64>;

    /// Disjoint destination ranges that cover `0..num_nodes` in order, balanced by edge count.
    fn partitions(&self) -> &[Range<Node>];

    /// For every `v` in `part`: `out[v - part.start] = Σ_{u→v} w(u,v) · contrib[u]`
    /// (`w = 1` when `weighted` is false). Sums run over in-neighbours in ascending order, so the
    /// result does not depend on how partitions are scheduled.
    fn pull(&self, part: Range<Node>, contrib: &[f64], weighted: bool, out: &mut [f64]);

    /// The same for `k` vectors at once, stored row-major (`contrib[u * k + j]` is vector `j`
    /// at node `u`): for every `v` in `part` and every `j`,
    /// `out[(v - part.start) * k + j] = Σ_{u→v} w(u,v) · contrib[u * k + j]`, each edge read once
    /// for all `k` vectors. Sums run over in-neighbours in ascending order.
    fn pull_multi(
        &self,
        part: Range<Node>,
        contrib: &[f64],
        k: usize,
        weighted: bool,
        out: &mut [f64],
    );

    /// [`Propagate::pull_multi`] with the contributions stored as `f32` (each widened to `f64`
    /// before it is weighted and added, in the same order). `part` may be any sub-range of a
    /// partition, here as in [`Propagate::pull_multi`].
    fn pull_multi_f32(
        &self,
        part: Range<Node>,
        contrib: &[f32],
        k: usize,
        weighted: bool,
        out: &mut [f64],
    );

    /// One whole step: `out[v]` as [`Propagate::pull`] gives it, for every node at once. The
    /// default pulls every partition (in parallel when `parallel`); a propagator that stages the
    /// contributions first (propagation blocking) overrides it, with identical results.
    fn propagate(&self, contrib: &[f64], weighted: bool, parallel: bool, out: &mut [f64]) {
        each_partition(self.partitions(), 1, parallel, out, |part, slot| {
            self.pull(part, contrib, weighted, slot)
        });
    }

    /// One whole step for `k` vectors at once: `out` as [`Propagate::pull_multi`] gives it, for
    /// every node. Overridden like [`Propagate::propagate`], with identical results.
    fn propagate_multi(
        &self,
        contrib: &[f64],
        k: usize,
        weighted: bool,
        parallel: bool,
        out: &mut [f64],
    ) {
        each_partition(self.partitions(), k, parallel, out, |part, slot| {
            self.pull_multi(part, contrib, k, weighted, slot)
        });
    }
}

/// Cuts `out` (`k` values per node) into the slices of `parts` and calls `pull` on each, in
/// parallel on rayon's pool when `parallel`.
fn each_partition(
    parts: &[Range<Node>],
    k: usize,
    parallel: bool,
    out: &mut [f64],
    pull: impl Fn(Range<Node>, &mut [f64]) + Sync,
) {
    let mut rest = out;
    let mut jobs: Vec<(Range<Node>, &mut [f64])> = Vec::with_capacity(parts.len());
    for part in parts {
        let len = (part.end - part.start) as usize * k;
        let (slot, tail) = std::mem::take(&mut rest).split_at_mut(len);
        jobs.push((part.clone(), slot));
        rest = tail;
    }
    let job = |(part, slot): (Range<Node>, &mut [f64])| pull(part, slot);
    if parallel {
        jobs.into_par_iter().for_each(job);
    } else {
        jobs.into_iter().for_each(job);
    }
}

/// A CSR graph (its in-edges and out-totals) with its partitions precomputed.
pub struct CsrPropagator<'g> {
    inc: &'g Adjacency,
    out: OutTotals<'g>,
    parts: Vec<Range<Node>>,
}

/// Where the out-totals come from: the out-edge rows, or counted at build time.
enum OutTotals<'g> {
    Rows(&'g Adjacency),
    Given {
        degree: &'g [u32],
        weight: Option<&'g [f64]>,
    },
}

/// Partitions per propagator: enough for load balance on many cores; results do not depend on it.
const PARTITIONS: usize = 256;

impl<'g> CsrPropagator<'g> {
    /// Wraps `graph`, splitting it into partitions of similar in-edge counts.
    pub fn new(graph: &'g Graph) -> Self {
        Self::with(graph.in_edges(), OutTotals::Rows(graph.out_edges()))
    }

    /// Wraps a graph built for PageRank only; the same results as [`CsrPropagator::new`] on
    /// the full graph.
    pub fn pull_only(graph: &'g PullGraph) -> Self {
        let out = OutTotals::Given {
            degree: graph.out_degrees(),
            weight: graph.out_weights(),
        };
        Self::with(graph.in_edges(), out)
    }

    /// The in-edges this propagator pulls along.
    pub(crate) fn in_edges(&self) -> &'g Adjacency {
        self.inc
    }

    fn with(inc: &'g Adjacency, out: OutTotals<'g>) -> Self {
        let offsets = inc.offsets();
        let n = inc.num_rows();
        let m = offsets[n];
        let mut parts = Vec::with_capacity(PARTITIONS);
        let mut start = 0usize;
        for p in 1..=PARTITIONS {
            // Balance edges plus nodes, so that edge-free stretches are split too.
            let goal = (m + n as u64) * p as u64 / PARTITIONS as u64;
            let end = if p == PARTITIONS {
                n
            } else {
                start
                    + offsets[start..n]
                        .iter()
                        .enumerate()
                        .position(|(i, &o)| o + (start + i) as u64 >= goal)
                        .unwrap_or(n - start)
            };
            if end > start {
                parts.push(start as Node..end as Node);
                start = end;
            }
        }
        CsrPropagator { inc, out, parts }
    }
}

impl Propagate for CsrPropagator<'_> {
    fn num_nodes(&self) -> usize {
        self.inc.num_rows()
    }

    fn num_edges(&self) -> usize {
        self.inc.num_entries()
    }

    fn out_weights(&self, weighted: bool) -> Vec<f64> {
        match self.out {
            OutTotals::Rows(out) => (0..out.num_rows() as Node)
                .map(|u| match (weighted, out.weights_of(u)) {
                    (true, Some(w)) => w.iter().sum(),
                    _ => out.degree(u) as f64,
                })
                .collect(),
            OutTotals::Given {
                weight: Some(w), ..
            } if weighted => w.to_vec(),
            OutTotals::Given { degree, .. } => degree.iter().map(|&d| d as f64).collect(),
        }
    }

    fn partitions(&self) -> &[Range<Node>] {
        &self.parts
    }

    fn pull(&self, part: Range<Node>, contrib: &[f64], weighted: bool, out: &mut [f64]) {
        assert_eq!(contrib.len(), self.num_nodes(), "one contribution per node");
        let inc = self.inc;
        let (offsets, sources) = (inc.offsets(), inc.targets());
        let weights = if weighted { inc.weights() } else { None };
        let base = part.start as usize;
        for v in part.start as usize..part.end as usize {
            let r = offsets[v] as usize..offsets[v + 1] as usize;
            out[v - base] = match weights {
                Some(w) => weighted_sum(&sources[r.clone()], &w[r], contrib),
                None => gather_sum(&sources[r], contrib),
            };
        }
    }

    fn pull_multi(
        &self,
        part: Range<Node>,
        contrib: &[f64],
        k: usize,
        weighted: bool,
        out: &mut [f64],
    ) {
        self.pull_rows(part, contrib, k, weighted, out)
    }

    fn pull_multi_f32(
        &self,
        part: Range<Node>,
        contrib: &[f32],
        k: usize,
        weighted: bool,
        out: &mut [f64],
    ) {
        self.pull_rows(part, contrib, k, weighted, out)
    }
}

/// Columns summed together in registers by the multi-vector pull.
const LANES: usize = 16;

/// How many in-neighbours ahead the multi-vector pull prefetches contribution rows.
const AHEAD: usize = 8;

impl CsrPropagator<'_> {
    /// [`Propagate::pull_multi`] over contributions of type `C`.
    fn pull_rows<C: Contribution>(
        &self,
        part: Range<Node>,
        contrib: &[C],
        k: usize,
        weighted: bool,
        out: &mut [f64],
    ) {
        assert_eq!(
            contrib.len(),
            self.num_nodes() * k,
            "k contributions per node"
        );
        let inc = self.inc;
        let offsets = inc.offsets();
        let weights = inc.weights().filter(|_| weighted);
        let base = part.start as usize;
        let end = offsets[part.end as usize] as usize;
        for v in part.start as usize..part.end as usize {
            let r = offsets[v] as usize..offsets[v + 1] as usize;
            let sources = &inc.targets()[r.clone()];
            // The sources AHEAD edges on, across rows, whose contributions are prefetched.
            let ahead = &inc.targets()[(r.start + AHEAD).min(end)..end];
            let w = weights.map(|w| &w[r]);
            let row = &mut out[(v - base) * k..][..k];
            pull_row(Edges { sources, ahead }, w, contrib, k, row);
        }
    }
}

/// One row's in-neighbours, and the in-neighbours from [`AHEAD`] edges on.
#[derive(Clone, Copy)]
struct Edges<'a> {
    sources: &'a [u32],
    ahead: &'a [u32],
}

/// `row = Σ w · contrib[u * k ..][..k]` over `sources` (in order), [`LANES`] columns at a time
/// with their sums in registers; each column's additions run in the order of `sources`.
#[inline]
fn pull_row<C: Contribution>(
    sources: Edges,
    weights: Option<&[f64]>,
    contrib: &[C],
    k: usize,
    row: &mut [f64],
) {
    let mut c0 = 0;
    while c0 + LANES <= k {
        let acc = lane_sums::<C, LANES>(sources, weights, contrib, k, c0, LANES);
        row[c0..c0 + LANES].copy_from_slice(&acc);
        c0 += LANES;
    }
    if c0 < k {
        let width = k - c0;
        let acc = lane_sums::<C, LANES>(sources, weights, contrib, k, c0, width);
        row[c0..].copy_from_slice(&acc[..width]);
    }
}

/// The sums of columns `c0..c0 + width` (`width ≤ L`) over `sources`.
#[inline(always)]
fn lane_sums<C: Contribution, const L: usize>(
    edges: Edges,
    weights: Option<&[f64]>,
    contrib: &[C],
    k: usize,
    c0: usize,
    width: usize,
) -> [f64; L] {
    let mut acc = [0.0f64; L];
    let sources = edges.sources;
    let lanes = |u: u32| {
        let start = u as usize * k + c0;
        debug_assert!(start + width <= contrib.len());
        // SAFETY: every source < num_nodes (see `at`) and `c0 + width ≤ k`.
        unsafe { contrib.get_unchecked(start..start + width) }
    };
    let fetch = |i: usize| {
        if let Some(&u) = edges.ahead.get(i) {
            prefetch(contrib, u as usize * k + c0, width);
        }
    };
    match weights {
        Some(ws) if width == L => {
            for (i, (&u, &w)) in sources.iter().zip(ws).enumerate() {
                fetch(i);
                let c: &[C; L] = lanes(u).try_into().unwrap();
                for l in 0..L {
                    acc[l] += w * c[l].widen();
                }
            }
        }
        None if width == L => {
            for (i, &u) in sources.iter().enumerate() {
                fetch(i);
                let c: &[C; L] = lanes(u).try_into().unwrap();
                for l in 0..L {
                    acc[l] += c[l].widen();
                }
            }
        }
        Some(ws) => {
            for (i, (&u, &w)) in sources.iter().zip(ws).enumerate() {
                fetch(i);
                for (a, c) in acc.iter_mut().zip(lanes(u)) {
                    *a += w * c.widen();
                }
            }
        }
        None => {
            for (i, &u) in sources.iter().enumerate() {
                fetch(i);
                for (a, c) in acc.iter_mut().zip(lanes(u)) {
                    *a += c.widen();
                }
            }
        }
    }
    acc
}

/// Asks the cache for the cache lines of `xs[start..start + len]` (a hint only: no effect on
/// results; see [`crate::cache_hint`]).
#[inline(always)]
fn prefetch<T>(xs: &[T], start: usize, len: usize) {
    let p = xs.as_ptr().wrapping_add(start).cast::<u8>();
    let bytes = len * std::mem::size_of::<T>();
    for off in (0..bytes).step_by(64) {
        crate::cache_hint::prefetch(p.wrapping_add(off));
    }
}

/// `Σ contrib[u]` over `sources`, with four interleaved partial sums (lanes `i mod 4`, then
/// added as `(s0 + s1) + (s2 + s3)`) so that the additions do not wait on each other. The order
/// is fixed, so the result is the same on every run and thread count.
#[inline]
pub(crate) fn gather_sum(sources: &[u32], contrib: &[f64]) -> f64 {
    let mut s = [0.0f64; 4];
    let mut quads = sources.chunks_exact(4);
    for q in &mut quads {
        for lane in 0..4 {
            s[lane] += at(contrib, q[lane]);
        }
    }
    for (lane, &u) in quads.remainder().iter().enumerate() {
        s[lane] += at(contrib, u);
    }
    (s[0] + s[1]) + (s[2] + s[3])
}

/// `Σ w · contrib[u]` over `sources`, with the same four-lane order as [`gather_sum`].
#[inline]
pub(crate) fn weighted_sum(sources: &[u32], weights: &[f64], contrib: &[f64]) -> f64 {
    let mut s = [0.0f64; 4];
    let mut quads = sources.chunks_exact(4).zip(weights.chunks_exact(4));
    for (q, w) in &mut quads {
        for lane in 0..4 {
            s[lane] += w[lane] * at(contrib, q[lane]);
        }
    }
    let done = sources.len() / 4 * 4;
    for (lane, (&u, &w)) in sources[done..].iter().zip(&weights[done..]).enumerate() {
        s[lane] += w * at(contrib, u);
    }
    (s[0] + s[1]) + (s[2] + s[3])
}

/// `contrib[u]`; every target of a graph is below its node count (checked by the builder and
/// by the cache loader), so the bounds check is a debug assertion only.
#[inline(always)]
fn at(contrib: &[f64], u: u32) -> f64 {
    debug_assert!((u as usize) < contrib.len());
    // SAFETY: `Graph` guarantees every target < num_nodes == contrib.len() (see above).
    unsafe { *contrib.get_unchecked(u as usize) }
}

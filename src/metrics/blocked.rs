//! Propagation blocking (Beamer, Asanović, Patterson, "Reducing PageRank communication via
//! propagation blocking", IPDPS 2017), deterministic variant: a [`Propagate`] whose whole step
//! first copies every source's contribution into bins by destination block, reading the sources
//! one cache-sized chunk at a time, then adds each bin into its block's sums, which stay in cache.
//! The random reads of the pull become sequential streams. The first (hottest: nodes are
//! numbered by out-degree) chunks are not binned but read in place while a bin is added, as
//! their contributions stay in cache. The bins' layout (where each edge's value goes, and which
//! destination and lane it feeds) is computed once from the in-edges; each step writes only
//! values. Results are bit-identical to [`CsrPropagator`]'s: each destination's sum runs over
//! its in-neighbours in ascending order, in the same four lanes. Per-partition pulls and the
//! out-totals are left to the wrapped [`CsrPropagator`].

use std::ops::Range;
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use super::dense::DenseVec;
use super::propagate::{CsrPropagator, Propagate};
use crate::error::{Error, Result};
use crate::graph::Adjacency;
use crate::ingest::Node;

/// Block and chunk sizes of a [`BlockedPropagator`].
///
/// | name | default | range |
/// |---|---|---|
/// | `block_bits` | 14: `2^14` destinations, four lanes of sums in 512 KiB of L2 | `0..=14` (a slot `offset · 4 + lane` fits a `u16`) |
/// | `chunk_bits` | 16: `2^16` sources, 512 KiB of contributions | `0..=16` (an offset fits a `u16`) |
/// | `hot_chunks` | 4: the first 2 MiB of contributions (the most-read: nodes are numbered by out-degree), read in place | any |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockSizes {
    pub block_bits: u32,
    pub chunk_bits: u32,
    pub hot_chunks: usize,
}

impl Default for BlockSizes {
    fn default() -> Self {
        BlockSizes {
            block_bits: 14,
            chunk_bits: 16,
            hot_chunks: 4,
        }
    }
}

impl BlockSizes {
    fn check(self) -> Result<Self> {
        if self.block_bits > 14 {
            return Err(Error::param(
                "block_bits",
                format!("{} > 14", self.block_bits),
            ));
        }
        if self.chunk_bits > 16 {
            return Err(Error::param(
                "chunk_bits",
                format!("{} > 16", self.chunk_bits),
            ));
        }
        Ok(self)
    }
}

/// Edges per binning task, at least: enough work per task to amortise scheduling.
const MIN_TASK_EDGES: u64 = 1 << 16;

/// A graph's in-edges laid out in bins for propagation blocking, with the bins' value buffer.
///
/// Bin `b` holds the in-edges of destination block `b`, grouped by the source's chunk `c` in
/// ascending order (region `b · chunks + c`), and within a region by destination, each
/// destination's sources ascending. So a destination meets its in-neighbours in ascending
/// order, as the pull does.
pub struct BlockedPropagator<'g> {
    csr: CsrPropagator<'g>,
    layout: Layout,
    /// The binned values (`k` per edge from a cold chunk), reused across steps; allocated on
    /// the first step. Locked once per step (so that [`Propagate`] keeps `&self`); the tasks
    /// inside a step write disjoint ranges of it without locks.
    values: Mutex<DenseVec>,
}

/// Where every edge sits in the bins.
struct Layout {
    n: usize,
    sizes: BlockSizes,
    blocks: usize,
    chunks: usize,
    /// Start of region `b · chunks + c` (the edges from chunk `c` into block `b`); one more entry
    /// for the end.
    region: Vec<u64>,
    /// Per bin, how many hot edges sit in it and the bins before it: a cold edge at position
    /// `p` in bin `b` has its value at `p − hot_before[b + 1]`.
    hot_before: Vec<u64>,
    /// Per edge in bin order: the source's offset in its chunk.
    src: Vec<u16>,
    /// Per edge in bin order: `(destination − block start) · 4 + lane`, the lane being the
    /// edge's position in the destination's in-row modulo 4 (the pull's partial sums).
    slot: Vec<u16>,
    /// Per edge in bin order: its weight, when the graph has weights.
    weight: Option<Vec<f64>>,
    /// Binning tasks: a cold chunk and a range of blocks, balanced by edge count; together they
    /// cover every cold region once.
    tasks: Vec<(usize, Range<usize>)>,
}

impl<'g> BlockedPropagator<'g> {
    /// Lays out `csr`'s in-edges in bins with the default [`BlockSizes`].
    pub fn new(csr: CsrPropagator<'g>) -> Self {
        Self::with_sizes(csr, BlockSizes::default()).expect("the default sizes are in range")
    }

    /// Lays out `csr`'s in-edges in bins of the given sizes.
    ///
    /// # Complexity
    /// Two passes over the in-edges; 4 bytes per edge (12 when weighted) for the layout, and 8
    /// bytes per edge from a cold chunk and per vector for the binned values, from the first
    /// step on.
    pub fn with_sizes(csr: CsrPropagator<'g>, sizes: BlockSizes) -> Result<Self> {
        let layout = Layout::build(csr.in_edges(), sizes.check()?);
        Ok(BlockedPropagator {
            csr,
            layout,
            values: Mutex::new(DenseVec::zeros(0)),
        })
    }

    /// Bins `contrib` (`k` per node) and adds every bin into `out`.
    fn step(&self, contrib: &[f64], k: usize, weighted: bool, parallel: bool, out: &mut [f64]) {
        let l = &self.layout;
        assert_eq!(contrib.len(), l.n * k, "k contributions per node");
        assert_eq!(out.len(), l.n * k, "k outputs per node");
        let weight = l.weight.as_deref().filter(|_| weighted);
        let cold = (l.src.len() - l.hot_before[l.blocks] as usize) * k;
        let mut values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        if values.len() < cold {
            *values = DenseVec::zeros(cold);
        }
        let values = &mut values[..cold];
        l.bin(contrib, k, weight, parallel, values);
        let input = Input {
            contrib,
            values,
            weight,
            k,
        };
        l.apply(&input, parallel, out);
    }
}

/// What adding the bins reads.
struct Input<'a> {
    contrib: &'a [f64],
    values: &'a [f64],
    weight: Option<&'a [f64]>,
    k: usize,
}

impl Layout {
    fn build(inc: &Adjacency, sizes: BlockSizes) -> Layout {
        let n = inc.num_rows();
        let blocks = n.div_ceil(1 << sizes.block_bits);
        let chunks = n.div_ceil(1 << sizes.chunk_bits);
        let mut l = Layout {
            n,
            sizes,
            blocks,
            chunks,
            region: count_regions(inc, sizes, blocks, chunks),
            hot_before: Vec::new(),
            src: vec![0; inc.num_entries()],
            slot: vec![0; inc.num_entries()],
            weight: inc.weights().map(|_| vec![0.0; inc.num_entries()]),
            tasks: Vec::new(),
        };
        l.hot_before = l.hot_prefix();
        l.fill(inc);
        l.tasks = l.binning_tasks();
        l
    }

    /// Chunks read in place.
    fn hot(&self) -> usize {
        self.sizes.hot_chunks.min(self.chunks)
    }

    /// The destinations of block `b`.
    fn block_nodes(&self, b: usize) -> Range<usize> {
        b << self.sizes.block_bits..((b + 1) << self.sizes.block_bits).min(self.n)
    }

    /// The sources of chunk `c`.
    fn chunk_nodes(&self, c: usize) -> Range<usize> {
        c << self.sizes.chunk_bits..((c + 1) << self.sizes.chunk_bits).min(self.n)
    }

    /// The positions of region `(b, c)`.
    fn region_range(&self, b: usize, c: usize) -> Range<usize> {
        let r = b * self.chunks + c;
        self.region[r] as usize..self.region[r + 1] as usize
    }

    /// The positions of bin `b` (all its regions).
    fn bin_range(&self, b: usize) -> Range<usize> {
        self.region[b * self.chunks] as usize..self.region[(b + 1) * self.chunks] as usize
    }

    /// [`Layout::hot_before`] from the regions.
    fn hot_prefix(&self) -> Vec<u64> {
        let mut before = vec![0u64; self.blocks + 1];
        for b in 0..self.blocks {
            let hot = self.region[b * self.chunks + self.hot()] - self.region[b * self.chunks];
            before[b + 1] = before[b] + hot;
        }
        before
    }

    /// Writes every edge's source offset, slot and weight at its place in the bins.
    fn fill(&mut self, inc: &Adjacency) {
        let (mut src, mut slot) = (
            std::mem::take(&mut self.src),
            std::mem::take(&mut self.slot),
        );
        let mut weight = self.weight.take();
        let mut jobs = Vec::with_capacity(self.blocks);
        let (mut s_rest, mut t_rest) = (&mut src[..], &mut slot[..]);
        let mut w_rest = weight.as_deref_mut();
        for b in 0..self.blocks {
            let len = self.bin_range(b).len();
            let (s, s_tail) = std::mem::take(&mut s_rest).split_at_mut(len);
            let (t, t_tail) = std::mem::take(&mut t_rest).split_at_mut(len);
            let (w, w_tail) = match w_rest.take().map(|w| w.split_at_mut(len)) {
                Some((w, tail)) => (Some(w), Some(tail)),
                None => (None, None),
            };
            jobs.push((b, s, t, w));
            (s_rest, t_rest, w_rest) = (s_tail, t_tail, w_tail);
        }
        let this = &*self;
        jobs.into_par_iter()
            .for_each(|(b, s, t, w)| this.fill_bin(inc, b, s, t, w));
        (self.src, self.slot, self.weight) = (src, slot, weight);
    }

    /// [`Layout::fill`] for bin `b`, whose positions start at `src[0]`.
    fn fill_bin(
        &self,
        inc: &Adjacency,
        b: usize,
        src: &mut [u16],
        slot: &mut [u16],
        mut weight: Option<&mut [f64]>,
    ) {
        let start = self.region[b * self.chunks];
        let mut cursor: Vec<usize> = self.region[b * self.chunks..(b + 1) * self.chunks]
            .iter()
            .map(|&r| (r - start) as usize)
            .collect();
        let (offsets, sources, weights) = (inc.offsets(), inc.targets(), inc.weights());
        let nodes = self.block_nodes(b);
        let chunk_bits = self.sizes.chunk_bits;
        let chunk_mask = (1usize << chunk_bits) - 1;
        for v in nodes.clone() {
            let row = offsets[v] as usize..offsets[v + 1] as usize;
            for (i, e) in row.enumerate() {
                let u = sources[e] as usize;
                let p = &mut cursor[u >> chunk_bits];
                src[*p] = (u & chunk_mask) as u16;
                slot[*p] = ((v - nodes.start) * 4 + (i & 3)) as u16;
                if let (Some(w), Some(ws)) = (weight.as_deref_mut(), weights) {
                    w[*p] = ws[e];
                }
                *p += 1;
            }
        }
    }

    /// Cuts every cold chunk's row of regions into tasks of at least [`MIN_TASK_EDGES`] edges.
    fn binning_tasks(&self) -> Vec<(usize, Range<usize>)> {
        let goal = MIN_TASK_EDGES.max(self.src.len() as u64 / 1024);
        let mut tasks = Vec::new();
        for c in self.hot()..self.chunks {
            let (mut first, mut edges) = (0, 0);
            for b in 0..self.blocks {
                edges += self.region_range(b, c).len() as u64;
                if edges >= goal || b + 1 == self.blocks {
                    tasks.push((c, first..b + 1));
                    (first, edges) = (b + 1, 0);
                }
            }
        }
        tasks
    }

    /// Every cold edge's value (`w · contrib[u]`, `k` per edge) at its place in `values`.
    fn bin(
        &self,
        contrib: &[f64],
        k: usize,
        weight: Option<&[f64]>,
        par: bool,
        values: &mut [f64],
    ) {
        let bins = Bins(values.as_mut_ptr());
        let task = |(c, blocks): &(usize, Range<usize>)| {
            let nodes = self.chunk_nodes(*c);
            let chunk = &contrib[nodes.start * k..nodes.end * k];
            for b in blocks.clone() {
                let r = self.region_range(b, *c);
                let at = (r.start - self.hot_before[b + 1] as usize) * k;
                // SAFETY: cold regions map to disjoint ranges of `values` (regions ascend, and
                // `hot_before` removes exactly the hot positions before each), each task owns
                // its (chunk, block) regions alone, and `values` holds `k` per cold edge.
                let dst = unsafe { bins.range(at, r.len() * k) };
                let w = weight.map(|w| &w[r.clone()]);
                bin_region(&self.src[r], w, chunk, k, dst);
            }
        };
        if par {
            self.tasks.par_iter().for_each(task);
        } else {
            self.tasks.iter().for_each(task);
        }
    }

    /// Adds every bin (its hot regions read in place, then its binned values) into its block's
    /// sums and writes them to `out`.
    fn apply(&self, input: &Input, par: bool, out: &mut [f64]) {
        let k = input.k;
        let block = (1usize << self.sizes.block_bits) * k;
        let lanes = if k == 1 { 4 } else { k };
        let task = |acc: &mut Vec<f64>, (b, out): (usize, &mut [f64])| {
            acc.clear();
            acc.resize(out.len() / k * lanes, 0.0);
            self.add_bin(b, input, acc);
            if k == 1 {
                for (o, s) in out.iter_mut().zip(acc.chunks_exact(4)) {
                    *o = (s[0] + s[1]) + (s[2] + s[3]);
                }
            } else {
                out.copy_from_slice(acc);
            }
        };
        if par {
            out.par_chunks_mut(block)
                .enumerate()
                .for_each_init(Vec::new, task);
        } else {
            let mut acc = Vec::new();
            out.chunks_mut(block)
                .enumerate()
                .for_each(|job| task(&mut acc, job));
        }
    }

    /// Adds bin `b` into `acc`: four lanes per destination when `k` is 1, else `k` sums.
    fn add_bin(&self, b: usize, input: &Input, acc: &mut [f64]) {
        let k = input.k;
        for c in 0..self.hot() {
            let r = self.region_range(b, c);
            let nodes = self.chunk_nodes(c);
            let chunk = &input.contrib[nodes.start * k..nodes.end * k];
            let w = input.weight.map(|w| &w[r.clone()]);
            let (src, slot) = (&self.src[r.clone()], &self.slot[r]);
            match k {
                1 => add_in_place(src, slot, w, chunk, acc),
                _ => add_rows_in_place(src, slot, w, chunk, k, acc),
            }
        }
        let cold = self.region[b * self.chunks + self.hot()] as usize..self.bin_range(b).end;
        let at = cold.start - self.hot_before[b + 1] as usize;
        let values = &input.values[at * k..(at + cold.len()) * k];
        match k {
            1 => add_lanes(&self.slot[cold], values, acc),
            _ => add_rows(&self.slot[cold], values, k, acc),
        }
    }
}

/// Counts the edges of every region; returns their starts (and the end), block-major.
fn count_regions(inc: &Adjacency, sizes: BlockSizes, blocks: usize, chunks: usize) -> Vec<u64> {
    let (offsets, sources, n) = (inc.offsets(), inc.targets(), inc.num_rows());
    let mut region = vec![0u64; blocks * chunks + 1];
    region[1..]
        .par_chunks_mut(chunks.max(1))
        .enumerate()
        .for_each(|(b, counts)| {
            let first = offsets[b << sizes.block_bits] as usize;
            let last = offsets[((b + 1) << sizes.block_bits).min(n)] as usize;
            for &u in &sources[first..last] {
                counts[u as usize >> sizes.chunk_bits] += 1;
            }
        });
    for i in 1..region.len() {
        region[i] += region[i - 1];
    }
    region
}

/// `dst[i·k + j] = w[i] · chunk[src[i]·k + j]` (no product when unweighted).
#[inline]
fn bin_region(src: &[u16], w: Option<&[f64]>, chunk: &[f64], k: usize, dst: &mut [f64]) {
    match (k, w) {
        (1, None) => {
            for (d, &s) in dst.iter_mut().zip(src) {
                *d = chunk[s as usize];
            }
        }
        (1, Some(w)) => {
            for ((d, &s), &w) in dst.iter_mut().zip(src).zip(w) {
                *d = w * chunk[s as usize];
            }
        }
        (_, None) => {
            for (d, &s) in dst.chunks_exact_mut(k).zip(src) {
                d.copy_from_slice(&chunk[s as usize * k..][..k]);
            }
        }
        (_, Some(w)) => {
            for ((d, &s), &w) in dst.chunks_exact_mut(k).zip(src).zip(w) {
                let c = &chunk[s as usize * k..][..k];
                d.iter_mut().zip(c).for_each(|(d, &c)| *d = w * c);
            }
        }
    }
}

/// `acc[slot[i]] += w[i] · chunk[src[i]]`: a hot region, read in place, into the lanes.
#[inline]
fn add_in_place(src: &[u16], slot: &[u16], w: Option<&[f64]>, chunk: &[f64], acc: &mut [f64]) {
    match w {
        None => {
            for (&s, &t) in src.iter().zip(slot) {
                acc[t as usize] += chunk[s as usize];
            }
        }
        Some(w) => {
            for ((&s, &t), &w) in src.iter().zip(slot).zip(w) {
                acc[t as usize] += w * chunk[s as usize];
            }
        }
    }
}

/// `acc[(slot[i] / 4)·k + j] += w[i] · chunk[src[i]·k + j]`: a hot region, `k` vectors.
#[inline]
fn add_rows_in_place(
    src: &[u16],
    slot: &[u16],
    w: Option<&[f64]>,
    chunk: &[f64],
    k: usize,
    acc: &mut [f64],
) {
    for (i, (&s, &t)) in src.iter().zip(slot).enumerate() {
        let row = &mut acc[(t as usize >> 2) * k..][..k];
        let c = &chunk[s as usize * k..][..k];
        match w {
            None => row.iter_mut().zip(c).for_each(|(a, &c)| *a += c),
            Some(w) => row.iter_mut().zip(c).for_each(|(a, &c)| *a += w[i] * c),
        }
    }
}

/// `acc[slot[i]] += values[i]`: the four lanes of every destination of a block.
#[inline]
fn add_lanes(slot: &[u16], values: &[f64], acc: &mut [f64]) {
    for (&s, &x) in slot.iter().zip(values) {
        acc[s as usize] += x;
    }
}

/// `acc[(slot[i] / 4)·k + j] += values[i·k + j]`: one sum per destination and vector (the
/// multi-vector pull has no lanes).
#[inline]
fn add_rows(slot: &[u16], values: &[f64], k: usize, acc: &mut [f64]) {
    for (&s, x) in slot.iter().zip(values.chunks_exact(k)) {
        let row = &mut acc[(s as usize >> 2) * k..][..k];
        row.iter_mut().zip(x).for_each(|(a, &x)| *a += x);
    }
}

/// The binned values, shared by binning tasks that write disjoint ranges of them.
#[derive(Clone, Copy)]
struct Bins(*mut f64);

// SAFETY: tasks write disjoint ranges only (see `Layout::bin`).
unsafe impl Send for Bins {}
unsafe impl Sync for Bins {}

impl Bins {
    /// The `len` values from `start`.
    ///
    /// # Safety
    /// `start + len` is within the buffer and no other live slice overlaps the range.
    #[allow(clippy::mut_from_ref)]
    unsafe fn range(&self, start: usize, len: usize) -> &mut [f64] {
        std::slice::from_raw_parts_mut(self.0.add(start), len)
    }
}

impl Propagate for BlockedPropagator<'_> {
    fn num_nodes(&self) -> usize {
        self.csr.num_nodes()
    }

    fn num_edges(&self) -> usize {
        self.csr.num_edges()
    }

    fn out_weights(&self, weighted: bool) -> Vec<f64> {
        self.csr.out_weights(weighted)
    }

    fn partitions(&self) -> &[Range<Node>] {
        self.csr.partitions()
    }

    fn pull(&self, part: Range<Node>, contrib: &[f64], weighted: bool, out: &mut [f64]) {
        self.csr.pull(part, contrib, weighted, out)
    }

    fn pull_multi(
        &self,
        part: Range<Node>,
        contrib: &[f64],
        k: usize,
        weighted: bool,
        out: &mut [f64],
    ) {
        self.csr.pull_multi(part, contrib, k, weighted, out)
    }

    fn pull_multi_f32(
        &self,
        part: Range<Node>,
        contrib: &[f32],
        k: usize,
        weighted: bool,
        out: &mut [f64],
    ) {
        self.csr.pull_multi_f32(part, contrib, k, weighted, out)
    }

    fn propagate(&self, contrib: &[f64], weighted: bool, parallel: bool, out: &mut [f64]) {
        self.step(contrib, 1, weighted, parallel, out)
    }

    fn propagate_multi(
        &self,
        contrib: &[f64],
        k: usize,
        weighted: bool,
        parallel: bool,
        out: &mut [f64],
    ) {
        self.step(contrib, k, weighted, parallel, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Graph, GraphBuilder};
    use crate::metrics::pagerank::tests::edge_list;
    use crate::metrics::{
        multi_pagerank, multi_pagerank_sequential, pagerank, pagerank_sequential,
        MultiPageRankParams, PageRankParams, Teleport,
    };
    use crate::rng::SplitMix;

    /// A random graph of `n` nodes and about `m` edges, skewed towards low ids (hubs), with
    /// some nodes left dangling; weighted when asked. Renumbered by degree as the CLI does.
    fn random_graph(n: u32, m: usize, weighted: bool, seed: u64) -> Graph {
        let mut rng = SplitMix::stream(seed, 16, n as u64);
        let mut edges = Vec::with_capacity(m);
        for _ in 0..m {
            let u = (rng.below(n as u64) * rng.below(n as u64) / n as u64) as u32;
            let v = rng.below(n as u64) as u32;
            // Every fifth node has no out-edges.
            if u % 5 != 3 {
                edges.push((u, v));
            }
        }
        let mut list = edge_list(&edges, n);
        if weighted {
            list.weights = Some(edges.iter().map(|_| 0.1 + rng.unit() * 3.0).collect());
        }
        GraphBuilder::new().build(list).0
    }

    /// Block and chunk sizes (and hot chunks) from one node up to the defaults.
    const BITS: [(u32, u32, usize); 7] = [
        (0, 0, 0),
        (2, 3, 0),
        (2, 3, 1),
        (3, 1, 3),
        (5, 7, 2),
        (14, 16, 0),
        (14, 16, 2),
    ];

    fn blocked(
        g: &Graph,
        (block_bits, chunk_bits, hot_chunks): (u32, u32, usize),
    ) -> BlockedPropagator<'_> {
        let sizes = BlockSizes {
            block_bits,
            chunk_bits,
            hot_chunks,
        };
        BlockedPropagator::with_sizes(CsrPropagator::new(g), sizes).unwrap()
    }

    fn params(weighted: bool, n: usize) -> crate::metrics::ValidPageRankParams {
        PageRankParams {
            iterations: Some(15),
            weighted,
            ..Default::default()
        }
        .check(n)
        .unwrap()
    }

    #[test]
    fn ranks_equal_the_pull_bit_for_bit() {
        for (seed, &(n, m)) in [(1, 0), (1, 3), (7, 40), (300, 2500), (2000, 30000)]
            .iter()
            .enumerate()
        {
            for weighted in [false, true] {
                let g = random_graph(n, m, weighted, seed as u64);
                let p = params(weighted, g.num_nodes());
                let want = pagerank(&CsrPropagator::new(&g), &p);
                for bits in BITS {
                    let blocked = blocked(&g, bits);
                    let got = pagerank(&blocked, &p);
                    assert_eq!(got.ranks, want.ranks, "n {n} weighted {weighted} {bits:?}");
                    assert_eq!(got.last_change, want.last_change);
                    assert_eq!(pagerank_sequential(&blocked, &p).ranks, want.ranks);
                }
            }
        }
    }

    #[test]
    fn converges_in_the_same_iterations_as_the_pull() {
        let g = random_graph(500, 4000, true, 9);
        let p = PageRankParams {
            tol: 1e-12,
            weighted: true,
            ..Default::default()
        }
        .check(g.num_nodes())
        .unwrap();
        let want = pagerank(&CsrPropagator::new(&g), &p);
        let got = pagerank(&BlockedPropagator::new(CsrPropagator::new(&g)), &p);
        assert_eq!(
            (got.ranks, got.iterations, got.converged),
            (want.ranks, want.iterations, want.converged)
        );
    }

    #[test]
    fn multi_vectors_equal_the_pull_bit_for_bit() {
        for weighted in [false, true] {
            let g = random_graph(700, 9000, weighted, 3);
            let n = g.num_nodes();
            let p = MultiPageRankParams {
                tol: 1e-10,
                weighted,
                teleports: vec![
                    Teleport::Uniform,
                    Teleport::Weights(vec![(0, 1.0), (5, 2.0)]),
                    Teleport::Weights((0..n as Node).map(|v| (v, (v % 7) as f64)).collect()),
                ],
                ..Default::default()
            }
            .check(n)
            .unwrap();
            let want = multi_pagerank(&CsrPropagator::new(&g), &p);
            for bits in BITS {
                let blocked = blocked(&g, bits);
                for got in [
                    multi_pagerank(&blocked, &p),
                    multi_pagerank_sequential(&blocked, &p),
                ] {
                    assert_eq!(got.iterations, want.iterations);
                    for j in 0..3 {
                        assert_eq!(got.vector(j), want.vector(j), "vector {j} {bits:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn one_step_equals_the_pull_in_parallel_and_sequentially() {
        let g = random_graph(3000, 50000, true, 5);
        let n = g.num_nodes();
        let mut rng = SplitMix::stream(5, 1, 1);
        let contrib: Vec<f64> = (0..n).map(|_| rng.unit()).collect();
        let csr = CsrPropagator::new(&g);
        let blocked = blocked(&g, (6, 8, 1));
        for weighted in [false, true] {
            let mut want = vec![0.0; n];
            csr.propagate(&contrib, weighted, false, &mut want);
            for parallel in [false, true] {
                let mut got = vec![1.0; n];
                blocked.propagate(&contrib, weighted, parallel, &mut got);
                assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn sizes_out_of_range_are_refused() {
        let g = random_graph(10, 20, false, 1);
        let err = |block_bits, chunk_bits| {
            let sizes = BlockSizes {
                block_bits,
                chunk_bits,
                ..Default::default()
            };
            BlockedPropagator::with_sizes(CsrPropagator::new(&g), sizes)
                .err()
                .map(|e| e.to_string())
        };
        assert!(err(15, 16).unwrap().contains("block_bits"));
        assert!(err(14, 17).unwrap().contains("chunk_bits"));
        assert!(err(14, 16).is_none());
    }
}

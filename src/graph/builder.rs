//! Builds the immutable [`Graph`] from an edge list by stable counting sorts (no hash maps):
//! self-loops are dropped unless asked for, the in-edge rows come first (bucketed so that the
//! edge list is freed as it is consumed, see `by_target`), duplicate edges merge with their
//! weights added (in file order, so the sums are reproducible), and the out-edge rows are the
//! transpose. A PageRank-only build ([`GraphBuilder::build_pull`]) stops before the transpose.
//! An undirected build adds every edge's reverse before the merge, so `a b` and `b a` become
//! one undirected edge stored both ways.

use rayon::prelude::*;

use super::buf::Buf;
use super::csr::{Adjacency, Graph};
use super::pull::PullGraph;
use crate::ingest::{EdgeList, IdMap, Node};

/// What the builder did to the edge list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct BuildReport {
    /// Edge records read.
    pub records: u64,
    /// Self-loops dropped (0 when kept).
    pub self_loops_dropped: u64,
    /// Duplicate edges merged into an earlier one.
    pub duplicates_merged: u64,
}

/// Turns edge lists into graphs.
#[derive(Debug, Clone, Copy)]
pub struct GraphBuilder {
    keep_self_loops: bool,
    reorder: bool,
    undirected: bool,
}

impl Default for GraphBuilder {
    fn default() -> Self {
        GraphBuilder {
            keep_self_loops: false,
            reorder: true,
            undirected: false,
        }
    }
}

impl GraphBuilder {
    /// A builder with the defaults: self-loops dropped, nodes renumbered by out-degree.
    pub fn new() -> Self {
        Self::default()
    }

    /// Renumber nodes by descending out-degree (ties by first numbering), the default. The
    /// contributions PageRank reads most often then sit together in cache; ids map back as ever.
    pub fn reorder_by_degree(mut self, yes: bool) -> Self {
        self.reorder = yes;
        self
    }

    /// Keep self-loops (`v → v`) instead of dropping them.
    pub fn keep_self_loops(mut self, yes: bool) -> Self {
        self.keep_self_loops = yes;
        self
    }

    /// Read edges as undirected: each edge both ways, duplicates merged first, so that `a b`
    /// and `b a` are one edge (weights of all its lines added, as for directed duplicates); a
    /// self-loop is stored once. The report then counts undirected edges.
    pub fn undirected(mut self, yes: bool) -> Self {
        self.undirected = yes;
        self
    }

    /// Builds the graph, consuming the edge list.
    pub fn build(&self, list: EdgeList) -> (Graph, BuildReport) {
        let undirected = self.undirected || list.undirected;
        let (ids, inc, report) = self.in_rows(list);
        let n = ids.len();
        let out = transpose(n, &inc);
        let graph = Graph {
            ids,
            out: out.into_adjacency(),
            inc: inc.into_adjacency(),
            undirected,
        };
        (graph, report)
    }

    /// Builds only what PageRank reads: the in-edge rows and every node's out-degree and
    /// out-weight. Equal to [`PullGraph::from_graph`] of [`GraphBuilder::build`], in about half
    /// the memory.
    pub fn build_pull(&self, list: EdgeList) -> (PullGraph, BuildReport) {
        let undirected = self.undirected || list.undirected;
        let (ids, inc, report) = self.in_rows(list);
        (
            PullGraph::from_in_edges(ids, inc.into_adjacency(), undirected),
            report,
        )
    }

    /// The node ids (renumbered if asked) and the merged in-edge rows; undirected when asked
    /// or when the file says so.
    fn in_rows(&self, list: EdgeList) -> (IdMap, Rows, BuildReport) {
        let undirected = self.undirected || list.undirected;
        let n = list.ids.len();
        let mut report = BuildReport {
            records: list.src.len() as u64,
            ..BuildReport::default()
        };
        let (mut src, mut dst, mut weights) = (list.src, list.dst, list.weights);
        if !self.keep_self_loops {
            report.self_loops_dropped = drop_self_loops(&mut src, &mut dst, weights.as_mut());
        }
        if undirected {
            add_reverse_edges(&mut src, &mut dst, weights.as_mut());
        }
        let mut ids = list.ids;
        if self.reorder && (undirected || !list.degree_ordered) {
            ids = super::reorder::by_out_degree(n, &mut src, &mut dst, ids);
        }
        let sorted = super::by_target::rows_by_target(n, src, dst, weights);
        let (inc, merged) = merge_rows(sorted);
        report.duplicates_merged = if undirected {
            report.records - report.self_loops_dropped - undirected_edges(&inc)
        } else {
            merged
        };
        (ids, inc, report)
    }
}

/// Appends the reverse of every edge that is not a self-loop (same weight).
fn add_reverse_edges(src: &mut Vec<Node>, dst: &mut Vec<Node>, mut weights: Option<&mut Vec<f64>>) {
    for i in 0..src.len() {
        if src[i] != dst[i] {
            src.push(dst[i]);
            dst.push(src[i]);
            if let Some(w) = weights.as_deref_mut() {
                w.push(w[i]);
            }
        }
    }
}

/// Undirected edges in merged symmetric rows: each non-loop entry is half an edge.
fn undirected_edges(rows: &Rows) -> u64 {
    let n = rows.offsets.len() - 1;
    let loops = (0..n)
        .filter(|&v| {
            let r = rows.offsets[v] as usize..rows.offsets[v + 1] as usize;
            rows.targets[r].binary_search(&(v as u32)).is_ok()
        })
        .count() as u64;
    (rows.targets.len() as u64 - loops) / 2 + loops
}

fn drop_self_loops(
    src: &mut Vec<Node>,
    dst: &mut Vec<Node>,
    weights: Option<&mut Vec<f64>>,
) -> u64 {
    let before = src.len();
    let mut keep = 0;
    let mut ws = weights;
    for i in 0..before {
        if src[i] != dst[i] {
            src[keep] = src[i];
            dst[keep] = dst[i];
            if let Some(w) = ws.as_deref_mut() {
                w[keep] = w[i];
            }
            keep += 1;
        }
    }
    src.truncate(keep);
    dst.truncate(keep);
    if let Some(w) = ws {
        w.truncate(keep);
    }
    (before - keep) as u64
}

/// CSR under construction.
pub(super) struct Rows {
    pub offsets: Vec<u64>,
    pub targets: Vec<u32>,
    pub weights: Option<Vec<f64>>,
}

impl Rows {
    fn into_adjacency(self) -> Adjacency {
        Adjacency {
            offsets: Buf::from(self.offsets),
            targets: Buf::from(self.targets),
            weights: self.weights.map(Buf::from),
        }
    }
}

/// A source of `(key, value, weight)` triples split into chunks that are visited in order.
trait Triples: Sync {
    fn chunks(&self) -> usize;
    fn has_weights(&self) -> bool;
    fn visit(&self, chunk: usize, f: impl FnMut(u32, u32, f64));
}

/// Chunks per counting sort: one per worker thread (each holds an `n`-sized cursor array). The
/// sort is stable, so the result is the same whatever the number of chunks.
pub(super) fn chunk_count() -> usize {
    rayon::current_num_threads().max(1)
}

/// The `i`-th of `parts` near-equal pieces of `0..len`.
pub(super) fn split(len: usize, i: usize, parts: usize) -> std::ops::Range<usize> {
    (len * i / parts)..(len * (i + 1) / parts)
}

/// Stable counting sort by key: within a row, values keep the order of the chunks and of the
/// triples inside them. Chunks are counted and scattered in parallel into disjoint slots.
fn counting_sort(n: usize, input: &impl Triples) -> Rows {
    let chunks = input.chunks();
    // Per-chunk histograms; afterwards each becomes the chunk's write cursor per row.
    let mut cursors: Vec<Vec<u64>> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut h = vec![0u64; n];
            input.visit(c, |k, _, _| h[k as usize] += 1);
            h
        })
        .collect();
    let mut offsets = vec![0u64; n + 1];
    let mut pos = 0u64;
    for v in 0..n {
        offsets[v] = pos;
        for h in cursors.iter_mut() {
            let count = h[v];
            h[v] = pos;
            pos += count;
        }
    }
    offsets[n] = pos;
    let m = pos as usize;
    let mut targets = vec![0u32; m];
    let mut weights = input.has_weights().then(|| vec![0f64; m]);
    let t_out = SharedMut(targets.as_mut_ptr());
    let w_out = weights.as_mut().map(|w| SharedMut(w.as_mut_ptr()));
    cursors.par_iter_mut().enumerate().for_each(|(c, cur)| {
        input.visit(c, |k, v, w| {
            let slot = cur[k as usize] as usize;
            cur[k as usize] += 1;
            // SAFETY: the cursors of different chunks cover disjoint slot ranges of each row
            // (prefix sums of their own counts), and every slot is below `m`.
            unsafe {
                *t_out.at(slot) = v;
                if let Some(w_out) = &w_out {
                    *w_out.at(slot) = w;
                }
            }
        });
    });
    Rows {
        offsets,
        targets,
        weights,
    }
}

/// A raw pointer shared by parallel writers that touch disjoint slots.
pub(super) struct SharedMut<T>(pub *mut T);
unsafe impl<T: Send> Sync for SharedMut<T> {}
unsafe impl<T: Send> Send for SharedMut<T> {}
impl<T> SharedMut<T> {
    /// # Safety
    /// `i` is in bounds and no other thread touches slot `i` concurrently.
    #[inline]
    pub unsafe fn at(&self, i: usize) -> *mut T {
        self.0.add(i)
    }
}

/// Sorts each row by target and merges duplicates (adding weights in their stable order).
/// Returns the compacted rows and the number of duplicates merged.
fn merge_rows(mut rows: Rows) -> (Rows, u64) {
    let n = rows.offsets.len() - 1;
    let blocks = row_blocks(&rows.offsets, 256);
    // Sort and dedup each block of rows in place; remember each row's new length.
    let mut new_len = vec![0u64; n];
    {
        let mut t_rest: &mut [u32] = &mut rows.targets;
        let mut w_rest: Option<&mut [f64]> = rows.weights.as_deref_mut();
        let mut l_rest: &mut [u64] = &mut new_len;
        let mut jobs = Vec::with_capacity(blocks.len());
        let mut consumed = 0u64;
        for b in &blocks {
            let end = rows.offsets[b.end] - consumed;
            let (t, tr) = std::mem::take(&mut t_rest).split_at_mut(end as usize);
            t_rest = tr;
            let w = w_rest.take().map(|w| {
                let (a, rest) = w.split_at_mut(end as usize);
                w_rest = Some(rest);
                a
            });
            let (l, lr) = std::mem::take(&mut l_rest).split_at_mut(b.len());
            l_rest = lr;
            jobs.push((b.clone(), t, w, l));
            consumed = rows.offsets[b.end];
        }
        let offsets = &rows.offsets;
        jobs.into_par_iter().for_each(|(b, t, w, l)| {
            let base = offsets[b.start];
            let mut w = w;
            for (i, v) in b.clone().enumerate() {
                let r = (offsets[v] - base) as usize..(offsets[v + 1] - base) as usize;
                l[i] = dedup_row(&mut t[r.clone()], w.as_deref_mut().map(|w| &mut w[r]));
            }
        });
    }
    // Compact in place: rows only move left.
    let mut write = 0usize;
    let mut merged = 0u64;
    let mut offsets = vec![0u64; n + 1];
    for v in 0..n {
        let start = rows.offsets[v] as usize;
        let len = new_len[v] as usize;
        merged += rows.offsets[v + 1] - rows.offsets[v] - new_len[v];
        rows.targets.copy_within(start..start + len, write);
        if let Some(w) = rows.weights.as_mut() {
            w.copy_within(start..start + len, write);
        }
        offsets[v] = write as u64;
        write += len;
    }
    offsets[n] = write as u64;
    rows.targets.truncate(write);
    rows.targets.shrink_to_fit();
    if let Some(w) = rows.weights.as_mut() {
        w.truncate(write);
        w.shrink_to_fit();
    }
    rows.offsets = offsets;
    (rows, merged)
}

/// Sorts one row (stably, so duplicate weights add in input order) and merges duplicates into
/// its prefix. Returns the merged length.
fn dedup_row(t: &mut [u32], w: Option<&mut [f64]>) -> u64 {
    if t.len() < 2 {
        return t.len() as u64;
    }
    match w {
        None => {
            t.sort_unstable();
            let mut k = 1;
            for i in 1..t.len() {
                if t[i] != t[k - 1] {
                    t[k] = t[i];
                    k += 1;
                }
            }
            k as u64
        }
        Some(w) => {
            let mut pairs: Vec<(u32, f64)> = t.iter().copied().zip(w.iter().copied()).collect();
            pairs.sort_by_key(|p| p.0);
            let mut k = 0;
            for (i, &(v, x)) in pairs.iter().enumerate() {
                if i > 0 && v == t[k - 1] {
                    w[k - 1] += x;
                } else {
                    t[k] = v;
                    w[k] = x;
                    k += 1;
                }
            }
            k as u64
        }
    }
}

/// Splits rows into about `parts` consecutive blocks of similar edge counts.
pub(super) fn row_blocks(offsets: &[u64], parts: usize) -> Vec<std::ops::Range<usize>> {
    let n = offsets.len() - 1;
    let m = offsets[n];
    let mut out = Vec::with_capacity(parts);
    let mut start = 0;
    for p in 1..=parts {
        let goal = m * p as u64 / parts as u64;
        let end = if p == parts {
            n
        } else {
            start + offsets[start..n].partition_point(|&o| o < goal)
        };
        if end > start {
            out.push(start..end);
            start = end;
        }
    }
    if start < n {
        out.push(start..n);
    }
    out
}

/// The rows of a CSR seen as `(target, source, weight)` triples, chunked by row blocks.
struct Transposed<'a> {
    rows: &'a Rows,
    blocks: Vec<std::ops::Range<usize>>,
}

impl Triples for Transposed<'_> {
    fn chunks(&self) -> usize {
        self.blocks.len()
    }
    fn has_weights(&self) -> bool {
        self.rows.weights.is_some()
    }
    fn visit(&self, chunk: usize, mut f: impl FnMut(u32, u32, f64)) {
        let o = &self.rows.offsets;
        for u in self.blocks[chunk].clone() {
            let r = o[u] as usize..o[u + 1] as usize;
            match &self.rows.weights {
                Some(w) => r.for_each(|e| f(self.rows.targets[e], u as u32, w[e])),
                None => r.for_each(|e| f(self.rows.targets[e], u as u32, 1.0)),
            }
        }
    }
}

/// The in-edge CSR; rows come out sorted by source because blocks are visited in order.
fn transpose(n: usize, out: &Rows) -> Rows {
    let blocks = row_blocks(&out.offsets, chunk_count());
    counting_sort(n, &Transposed { rows: out, blocks })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(edges: &[(u32, u32, f64)], n: u32) -> EdgeList {
        EdgeList {
            ids: IdMap::Numeric((0..n as u64).collect()),
            src: edges.iter().map(|e| e.0).collect(),
            dst: edges.iter().map(|e| e.1).collect(),
            weights: Some(edges.iter().map(|e| e.2).collect()),
            skips: Default::default(),
            degree_ordered: false,
            undirected: false,
        }
    }

    #[test]
    fn merges_duplicates_drops_loops_and_transposes() {
        let edges = [
            (0, 1, 1.0),
            (2, 1, 0.5),
            (0, 1, 2.0),
            (1, 1, 9.0),
            (1, 0, 1.0),
            (0, 2, 1.0),
        ];
        let (g, rep) = GraphBuilder::new().build(list(&edges, 4));
        assert_eq!(
            rep,
            BuildReport {
                records: 6,
                self_loops_dropped: 1,
                duplicates_merged: 1
            }
        );
        assert_eq!(g.num_nodes(), 4);
        assert_eq!(g.num_edges(), 4);
        assert_eq!(g.out_edges().neighbors(0), &[1, 2]);
        assert_eq!(g.out_edges().weights_of(0).unwrap(), &[3.0, 1.0]);
        assert_eq!(g.in_edges().neighbors(1), &[0, 2]);
        assert_eq!(g.in_edges().weights_of(1).unwrap(), &[3.0, 0.5]);
        assert_eq!(g.in_edges().neighbors(3), &[] as &[u32]);
        let (g, rep) = GraphBuilder::new()
            .keep_self_loops(true)
            .build(list(&edges, 4));
        assert_eq!(rep.self_loops_dropped, 0);
        assert_eq!(g.out_edges().neighbors(1), &[0, 1]);
    }

    #[test]
    fn matches_a_naive_build_on_random_graphs() {
        use std::collections::BTreeMap;
        let mut rnd = crate::graph::test_rng(12345);
        for n in [1u32, 7, 300] {
            let edges: Vec<_> = (0..5000)
                .map(|_| (rnd(n as u64) as u32, rnd(n as u64) as u32, rnd(4) as f64))
                .collect();
            let mut naive: BTreeMap<(u32, u32), f64> = BTreeMap::new();
            for &(a, b, w) in &edges {
                if a != b {
                    *naive.entry((a, b)).or_default() += w;
                }
            }
            // Reordered by degree: compare through the external ids (equal to the input ids).
            let (g, _) = GraphBuilder::new().build(list(&edges, n));
            let ext = |x: u32| g.ids().name(x).to_string().parse::<u32>().unwrap();
            for v in 0..n {
                let row = g.in_edges().neighbors(v);
                assert!(row.windows(2).all(|w| w[0] < w[1]), "rows sorted");
            }
            let got: BTreeMap<(u32, u32), f64> = (0..n)
                .flat_map(|u| {
                    let ws = g.out_edges().weights_of(u).unwrap().to_vec();
                    g.out_edges()
                        .neighbors(u)
                        .iter()
                        .zip(ws)
                        .map(move |(&v, w)| ((ext(u), ext(v)), w))
                        .collect::<Vec<_>>()
                })
                .collect();
            assert_eq!(got, naive);
            let got_in: BTreeMap<(u32, u32), f64> = (0..n)
                .flat_map(|v| {
                    let ws = g.in_edges().weights_of(v).unwrap().to_vec();
                    g.in_edges()
                        .neighbors(v)
                        .iter()
                        .zip(ws)
                        .map(move |(&u, w)| ((ext(u), ext(v)), w))
                        .collect::<Vec<_>>()
                })
                .collect();
            assert_eq!(got_in, naive);
        }
    }

    #[test]
    fn undirected_merges_both_directions_and_adds_their_weights() {
        let edges = [(0, 1, 1.0), (1, 0, 2.0), (1, 2, 0.5), (2, 2, 3.0)];
        let b = GraphBuilder::new()
            .reorder_by_degree(false)
            .keep_self_loops(true);
        let (g, rep) = b.undirected(true).build(list(&edges, 3));
        assert!(g.is_undirected());
        assert_eq!((g.num_edges(), g.num_edges_as_read()), (5, 3));
        assert_eq!(rep.duplicates_merged, 1);
        assert_eq!(g.out_edges().neighbors(1), &[0, 2]);
        assert_eq!(g.out_edges().weights_of(1).unwrap(), &[3.0, 0.5]);
        assert_eq!(g.in_edges().weights_of(0).unwrap(), &[3.0]);
        assert_eq!(
            g.out_edges().weights_of(2).unwrap(),
            &[0.5, 3.0],
            "a loop once"
        );
        let (pull, _) = b.undirected(true).build_pull(list(&edges, 3));
        assert_eq!(pull.num_edges_as_read(), 3);
    }

    #[test]
    fn pull_build_equals_the_full_build_cut_down() {
        let mut rnd = crate::graph::test_rng(7);
        let n = 200;
        let edges: Vec<_> = (0..3000)
            .map(|_| (rnd(n) as u32, rnd(n) as u32, 0.1 * rnd(7) as f64))
            .collect();
        for keep in [false, true] {
            let b = GraphBuilder::new().keep_self_loops(keep);
            let (full, full_rep) = b.build(list(&edges, n as u32));
            let (pull, pull_rep) = b.build_pull(list(&edges, n as u32));
            assert_eq!(pull_rep, full_rep);
            let cut = PullGraph::from_graph(full);
            assert_eq!(pull.ids(), cut.ids());
            assert_eq!(pull.in_edges().offsets(), cut.in_edges().offsets());
            assert_eq!(pull.in_edges().targets(), cut.in_edges().targets());
            assert_eq!(pull.in_edges().weights(), cut.in_edges().weights());
            assert_eq!(pull.out_degrees(), cut.out_degrees());
            let bits =
                |w: Option<&[f64]>| w.unwrap().iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(pull.out_weights()), bits(cut.out_weights()));
            // Out-degrees against a direct count of distinct non-loop targets.
            let mut seen = std::collections::BTreeSet::new();
            let mut deg = vec![0u32; n as usize];
            for &(a, b, _) in &edges {
                if (keep || a != b) && seen.insert((a, b)) {
                    deg[a as usize] += 1;
                }
            }
            let ext = |v: u32| pull.ids().name(v).to_string().parse::<usize>().unwrap();
            for v in 0..n as u32 {
                assert_eq!(pull.out_degrees()[v as usize], deg[ext(v)]);
            }
        }
    }
}

//! The first step of every build: the edge list's records sorted stably by target into rows
//! (the in-edge CSR before duplicates merge), in two passes that never hold much more than the
//! records once. Pass one moves the records, from the end of the list, into buckets of
//! consecutive target rows (balanced by edge count) laid out where their rows will be,
//! truncating the list behind it; pass two counting-sorts each bucket in place (through a copy
//! of the bucket's sources). Stable (rows keep file order), whatever the thread count.

use std::ops::Range;

use rayon::prelude::*;

use super::builder::{chunk_count, row_blocks, split, Rows, SharedMut};
use crate::ingest::Node;

/// Buckets of target rows (at most 256: a bucket number is a byte).
const BUCKETS: usize = 64;
/// Pieces the edge list is consumed in, from its end, one per thread at a time.
const PIECES: usize = 64;

/// Edge records as parallel arrays (weights optional).
struct Edges {
    src: Vec<Node>,
    dst: Vec<Node>,
    weights: Option<Vec<f64>>,
}

/// Sorts `(src[i], dst[i], weights[i])` stably by `dst` into rows of sources, consuming the
/// arrays. Every id is below `n`.
pub(super) fn rows_by_target(
    n: usize,
    src: Vec<Node>,
    dst: Vec<Node>,
    weights: Option<Vec<f64>>,
) -> Rows {
    let offsets = row_offsets(n, &dst);
    let blocks = row_blocks(&offsets, BUCKETS);
    let mut b = into_buckets(&offsets, &blocks, Edges { src, dst, weights });
    let mut jobs = Vec::with_capacity(blocks.len());
    let (mut s_rest, mut d_rest) = (&mut b.src[..], &b.dst[..]);
    let mut w_rest = b.weights.as_deref_mut();
    for rows in blocks {
        let len = (offsets[rows.end] - offsets[rows.start]) as usize;
        let (s, sr) = std::mem::take(&mut s_rest).split_at_mut(len);
        let (d, dr) = d_rest.split_at(len);
        (s_rest, d_rest) = (sr, dr);
        let w = w_rest.take().map(|w| {
            let (a, rest) = w.split_at_mut(len);
            w_rest = Some(rest);
            a
        });
        jobs.push((rows, s, d, w));
    }
    jobs.into_par_iter()
        .with_max_len(1)
        .for_each(|(rows, s, d, w)| sort_bucket(&offsets, rows, s, d, w));
    drop(b.dst);
    Rows {
        offsets,
        targets: b.src,
        weights: b.weights,
    }
}

/// Row offsets from the number of records per target (counted in parallel pieces).
fn row_offsets(n: usize, dst: &[Node]) -> Vec<u64> {
    let parts = chunk_count();
    let counts: Vec<Vec<u64>> = (0..parts)
        .into_par_iter()
        .map(|p| {
            let mut h = vec![0u64; n];
            dst[split(dst.len(), p, parts)]
                .iter()
                .for_each(|&v| h[v as usize] += 1);
            h
        })
        .collect();
    let mut offsets = vec![0u64; n + 1];
    for v in 0..n {
        offsets[v + 1] = offsets[v] + counts.iter().map(|h| h[v]).sum::<u64>();
    }
    offsets
}

/// Pass one: moves every record into the bucket of its target's row block (bucket `b` spans
/// the entries of its rows), pieces of the list in file order inside each bucket. The list is
/// consumed from its end and shrunk behind, while the buckets' pages fill in.
fn into_buckets(offsets: &[u64], blocks: &[Range<usize>], mut edges: Edges) -> Edges {
    let n = offsets.len() - 1;
    let mut bucket_of = vec![0u8; n];
    for (b, rows) in blocks.iter().enumerate() {
        bucket_of[rows.clone()].fill(b as u8);
    }
    let m = edges.dst.len();
    // at[p][b]: records of piece p in bucket b; then where piece p writes in bucket b.
    let mut at: Vec<Vec<usize>> = (0..PIECES)
        .into_par_iter()
        .map(|p| {
            let mut c = vec![0usize; blocks.len()];
            edges.dst[split(m, p, PIECES)]
                .iter()
                .for_each(|&v| c[bucket_of[v as usize] as usize] += 1);
            c
        })
        .collect();
    let mut next: Vec<usize> = blocks.iter().map(|r| offsets[r.start] as usize).collect();
    for c in at.iter_mut() {
        for (b, x) in c.iter_mut().enumerate() {
            let count = *x;
            *x = next[b];
            next[b] += count;
        }
    }
    // Zeroed allocations this large are fresh mappings: a page is resident once written.
    let mut out = Edges {
        src: vec![0; m],
        dst: vec![0; m],
        weights: edges.weights.is_some().then(|| vec![0.0; m]),
    };
    let ptrs = Out::of(&mut out);
    let group = chunk_count();
    let mut end = PIECES;
    while end > 0 {
        let start = end.saturating_sub(group);
        at[start..end]
            .par_iter_mut()
            .enumerate()
            .for_each(|(i, pos)| {
                let r = split(m, start + i, PIECES);
                let ws = edges.weights.as_deref().map(|w| &w[r.clone()]);
                move_piece(
                    &edges.src[r.clone()],
                    &edges.dst[r],
                    ws,
                    &bucket_of,
                    pos,
                    &ptrs,
                );
            });
        truncate(&mut edges, split(m, start, PIECES).start);
        end = start;
    }
    out
}

/// Raw write access to the buckets' arrays.
struct Out {
    src: SharedMut<Node>,
    dst: SharedMut<Node>,
    weights: Option<SharedMut<f64>>,
}

impl Out {
    fn of(b: &mut Edges) -> Out {
        Out {
            src: SharedMut(b.src.as_mut_ptr()),
            dst: SharedMut(b.dst.as_mut_ptr()),
            weights: b.weights.as_mut().map(|w| SharedMut(w.as_mut_ptr())),
        }
    }
}

/// Copies one piece's records to their buckets, at the piece's own positions `pos`.
fn move_piece(
    src: &[Node],
    dst: &[Node],
    weights: Option<&[f64]>,
    bucket_of: &[u8],
    pos: &mut [usize],
    out: &Out,
) {
    for (i, (&u, &v)) in src.iter().zip(dst).enumerate() {
        let b = bucket_of[v as usize] as usize;
        let slot = pos[b];
        pos[b] += 1;
        // SAFETY: the pieces' positions are disjoint ranges (prefix sums of their counts) below
        // the arrays' common length, and the arrays outlive the pass.
        unsafe {
            *out.src.at(slot) = u;
            *out.dst.at(slot) = v;
            if let (Some(o), Some(w)) = (&out.weights, weights) {
                *o.at(slot) = w[i];
            }
        }
    }
}

/// Drops the records from `len` on and gives their memory back.
fn truncate(edges: &mut Edges, len: usize) {
    edges.src.truncate(len);
    edges.src.shrink_to_fit();
    edges.dst.truncate(len);
    edges.dst.shrink_to_fit();
    if let Some(w) = edges.weights.as_mut() {
        w.truncate(len);
        w.shrink_to_fit();
    }
}

/// Pass two for one bucket: its records `(s, d, w)`, in order, into their rows, in place (`s`
/// and `w` become the rows' entries). The bucket holds rows `rows`, whose entries start at
/// `offsets[rows.start]`.
fn sort_bucket(
    offsets: &[u64],
    rows: Range<usize>,
    s: &mut [Node],
    d: &[Node],
    w: Option<&mut [f64]>,
) {
    let base = offsets[rows.start];
    let mut cursor: Vec<usize> = offsets[rows.clone()]
        .iter()
        .map(|&o| (o - base) as usize)
        .collect();
    let sources = s.to_vec();
    match w {
        None => {
            for (&u, &v) in sources.iter().zip(d) {
                let c = &mut cursor[v as usize - rows.start];
                s[*c] = u;
                *c += 1;
            }
        }
        Some(w) => {
            let ws = w.to_vec();
            for ((&u, &v), &x) in sources.iter().zip(d).zip(&ws) {
                let c = &mut cursor[v as usize - rows.start];
                s[*c] = u;
                w[*c] = x;
                *c += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stable sort by target done the plain way.
    fn naive(n: usize, edges: &[(u32, u32, f64)]) -> (Vec<u64>, Vec<u32>, Vec<f64>) {
        let mut sorted = edges.to_vec();
        sorted.sort_by_key(|e| e.1);
        let mut offsets = vec![0u64; n + 1];
        edges.iter().for_each(|e| offsets[e.1 as usize + 1] += 1);
        (0..n).for_each(|v| offsets[v + 1] += offsets[v]);
        let t = sorted.iter().map(|e| e.0).collect();
        (offsets, t, sorted.iter().map(|e| e.2).collect())
    }

    #[test]
    fn equals_a_stable_sort_by_target_on_any_thread_count() {
        let mut rnd = crate::graph::test_rng(99);
        for (n, m) in [(1usize, 10usize), (5, 0), (300, 5000), (4000, 20_000)] {
            // Skewed targets, so that some buckets hold a single large row.
            let edges: Vec<(u32, u32, f64)> = (0..m)
                .map(|i| {
                    let v = if i % 3 == 0 { 0 } else { rnd(n as u64) };
                    (rnd(n as u64) as u32, v as u32, i as f64)
                })
                .collect();
            let want = naive(n, &edges);
            for threads in [1, 3] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let rows = pool.install(|| {
                    rows_by_target(
                        n,
                        edges.iter().map(|e| e.0).collect(),
                        edges.iter().map(|e| e.1).collect(),
                        Some(edges.iter().map(|e| e.2).collect()),
                    )
                });
                assert_eq!(rows.offsets, want.0, "n {n}, {threads} threads");
                assert_eq!(rows.targets, want.1);
                assert_eq!(rows.weights.unwrap(), want.2, "file order kept in rows");
                let unweighted = pool.install(|| {
                    rows_by_target(
                        n,
                        edges.iter().map(|e| e.0).collect(),
                        edges.iter().map(|e| e.1).collect(),
                        None,
                    )
                });
                assert_eq!(unweighted.targets, want.1);
                assert!(unweighted.weights.is_none());
            }
        }
    }
}

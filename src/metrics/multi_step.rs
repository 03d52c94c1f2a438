//! One fused iteration of the multi-vector PageRank kernel: per partition, rows are pulled a
//! few at a time into a small buffer and finished at once (damping, teleport, convergence and
//! dangling sums, the next contributions), so each iteration streams the `n × k` state once
//! instead of once per phase. Sums are kept per partition and added in partition order, so the
//! result does not depend on the thread count.

use std::ops::Range;

use rayon::prelude::*;

use super::dense::Contribution;
use super::propagate::Propagate;
use crate::ingest::Node;

/// Rows pulled into the buffer at a time (`ROWS · k` values stay in L1).
const ROWS: usize = 32;

/// Contributions of type `C` pulled through a [`Propagate`].
pub(crate) trait Pull: Contribution {
    fn pull<P: Propagate>(g: &P, part: Range<Node>, c: &[Self], k: usize, w: bool, out: &mut [f64]);
}

impl Pull for f64 {
    fn pull<P: Propagate>(g: &P, part: Range<Node>, c: &[f64], k: usize, w: bool, out: &mut [f64]) {
        g.pull_multi(part, c, k, w, out)
    }
}

impl Pull for f32 {
    fn pull<P: Propagate>(g: &P, part: Range<Node>, c: &[f32], k: usize, w: bool, out: &mut [f64]) {
        g.pull_multi_f32(part, c, k, w, out)
    }
}

/// Every node's teleport shares as `(vector, share)` pairs sorted by vector (CSR by node).
pub(crate) struct TeleportRows {
    offsets: Vec<u32>,
    entries: Vec<(u32, f64)>,
}

impl TeleportRows {
    /// The rows of the `Some` teleports (`None` is uniform and has no entries).
    pub(crate) fn new(n: usize, teleports: &[Option<Vec<(Node, f64)>>]) -> Self {
        let mut offsets = vec![0u32; n + 1];
        for &(v, _) in teleports.iter().flatten().flatten() {
            offsets[v as usize + 1] += 1;
        }
        for v in 0..n {
            offsets[v + 1] += offsets[v];
        }
        let mut fill: Vec<u32> = offsets[..n].to_vec();
        let mut entries = vec![(0u32, 0.0); offsets[n] as usize];
        for (j, t) in teleports.iter().enumerate() {
            for &(v, p) in t.iter().flatten() {
                entries[fill[v as usize] as usize] = (j as u32, p);
                fill[v as usize] += 1;
            }
        }
        TeleportRows { offsets, entries }
    }

    fn row(&self, v: usize) -> &[(u32, f64)] {
        &self.entries[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }
}

/// What one iteration needs besides the state.
pub(crate) struct Step<'a> {
    pub k: usize,
    pub damping: f64,
    pub weighted: bool,
    pub inv_out: &'a [f64],
    pub tele: &'a TeleportRows,
    pub active: &'a [bool],
    /// Mass that teleports in each vector: `(1 − d)` plus the damped dangling mass.
    pub mass: &'a [f64],
    /// Per-node share of `mass` for uniform vectors, 0 for the others.
    pub spread: &'a [f64],
}

/// Calls `f` on every partition with its rows of `x` and `c`, in parallel when `par`, and adds
/// the `2k` sums each returns in partition order.
pub(crate) fn over_partitions<C: Send>(
    parts: &[Range<Node>],
    k: usize,
    par: bool,
    x: &mut [f64],
    c: &mut [C],
    f: impl Fn(Range<Node>, &mut [f64], &mut [C]) -> Vec<f64> + Sync,
) -> Vec<f64> {
    let (mut xs, mut cs) = (x, c);
    let mut jobs = Vec::with_capacity(parts.len());
    for part in parts {
        let len = (part.end - part.start) as usize * k;
        let (xa, xb) = std::mem::take(&mut xs).split_at_mut(len);
        let (ca, cb) = std::mem::take(&mut cs).split_at_mut(len);
        jobs.push((part.clone(), xa, ca));
        (xs, cs) = (xb, cb);
    }
    let job = |(part, x, c): (Range<Node>, &mut [f64], &mut [C])| f(part, x, c);
    let sums: Vec<Vec<f64>> = if par {
        jobs.into_par_iter().map(job).collect()
    } else {
        jobs.into_iter().map(job).collect()
    };
    let mut total = vec![0.0; 2 * k];
    for s in sums {
        total.iter_mut().zip(s).for_each(|(t, x)| *t += x);
    }
    total
}

/// Contributions `c = x / out-weight` of the rows of one partition, and `[0; k]` followed by
/// the dangling mass of each vector in it.
pub(crate) fn start_part<C: Contribution>(
    inv_out: &[f64],
    k: usize,
    part: Range<Node>,
    x: &mut [f64],
    c: &mut [C],
) -> Vec<f64> {
    let mut sums = vec![0.0; 2 * k];
    let rows = x.chunks(k).zip(c.chunks_mut(k));
    for (v, (xr, cr)) in (part.start as usize..).zip(rows) {
        finish_row(inv_out[v], xr, cr, &mut sums[k..]);
    }
    sums
}

/// The next contributions of one row, and its dangling mass added to `dangling`.
#[inline]
fn finish_row<C: Contribution>(inv_out: f64, x: &[f64], c: &mut [C], dangling: &mut [f64]) {
    c.iter_mut()
        .zip(x)
        .for_each(|(c, &x)| *c = C::narrow(x * inv_out));
    if inv_out == 0.0 {
        dangling.iter_mut().zip(x).for_each(|(s, &x)| *s += x);
    }
}

impl Step<'_> {
    /// One iteration over one partition: pulls `old` into its rows, updates `x` in place and
    /// writes the next contributions to `new`. Returns each vector's L1 change over the
    /// partition followed by its dangling mass after the update.
    pub(crate) fn part<C: Pull, P: Propagate>(
        &self,
        g: &P,
        old: &[C],
        part: Range<Node>,
        x: &mut [f64],
        new: &mut [C],
    ) -> Vec<f64> {
        let k = self.k;
        let mut sums = vec![0.0; 2 * k];
        let mut buf = vec![0.0; ROWS * k];
        let mut start = part.start;
        while start < part.end {
            let end = part.end.min(start.saturating_add(ROWS as Node));
            let rows = (end - start) as usize;
            let buf = &mut buf[..rows * k];
            C::pull(g, start..end, old, k, self.weighted, buf);
            let off = (start - part.start) as usize * k;
            let (xs, cs) = (&mut x[off..][..rows * k], &mut new[off..][..rows * k]);
            for (i, ((b, xr), cr)) in buf
                .chunks_mut(k)
                .zip(xs.chunks_mut(k))
                .zip(cs.chunks_mut(k))
                .enumerate()
            {
                self.row(start as usize + i, b, xr, cr, &mut sums);
            }
            start = end;
        }
        sums
    }

    /// Row `v`: `pulled` becomes the new ranks (`d · pulled + spread`, plus the teleport
    /// shares; frozen vectors keep `x`), then `x` and `c` are updated and the sums added.
    #[inline]
    fn row<C: Contribution>(
        &self,
        v: usize,
        pulled: &mut [f64],
        x: &mut [f64],
        c: &mut [C],
        sums: &mut [f64],
    ) {
        let d = self.damping;
        for (j, p) in pulled.iter_mut().enumerate() {
            *p = if self.active[j] {
                d * *p + self.spread[j]
            } else {
                x[j]
            };
        }
        for &(j, share) in self.tele.row(v) {
            if self.active[j as usize] {
                pulled[j as usize] += self.mass[j as usize] * share;
            }
        }
        let (change, dangling) = sums.split_at_mut(self.k);
        change
            .iter_mut()
            .zip(pulled.iter().zip(x.iter()))
            .for_each(|(s, (&nv, &xv))| *s += (nv - xv).abs());
        x.copy_from_slice(pulled);
        finish_row(self.inv_out[v], x, c, dangling);
    }
}

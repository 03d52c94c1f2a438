//! The fast path for edge lists whose ids are all canonical unsigned decimals (SNAP files,
//! generated graphs): chunks are parsed in parallel straight into integers, and ids are interned
//! in ascending numeric order — by a presence table when they are dense, by a parallel sort when
//! they are not — so that interning is parallel too and never depends on the thread count.

use rayon::prelude::*;

use super::degrees::{prefetch, DegreeCounts};
use super::edges::{is_skippable, split_record, trim, Bad, EdgeListOptions, Walk};
use super::ids::{parse_canonical_u64, IdMap, Node, MAX_NODES};

/// An integer type ids are held in while parsing: `u32` first, `u64` when an id is larger.
pub(super) trait NumId: Copy + Send + Sync + Ord + Default {
    fn from_u64(x: u64) -> Option<Self>;
    fn get(self) -> u64;
}

impl NumId for u32 {
    #[inline]
    fn from_u64(x: u64) -> Option<u32> {
        u32::try_from(x).ok()
    }
    #[inline]
    fn get(self) -> u64 {
        self as u64
    }
}

impl NumId for u64 {
    #[inline]
    fn from_u64(x: u64) -> Option<u64> {
        Some(x)
    }
    #[inline]
    fn get(self) -> u64 {
        self
    }
}

/// One parsed chunk: ids as `[src, dst, src, dst, …]`.
#[derive(Default)]
pub(super) struct NumChunk<T> {
    pub ends: Vec<T>,
    pub weights: Vec<f64>,
    pub max: u64,
    pub walk: Walk,
    /// An id did not fit `T`.
    pub wide: bool,
}

/// Parses one chunk. Stops early (`walk.aborted`) at a non-numeric id, or (`wide`) at an id
/// that does not fit `T`; the caller then retries with a wider type or the text path. Every
/// edge kept is counted into `degrees`.
pub(super) fn numeric_chunk<T: NumId>(
    chunk: &[u8],
    opts: EdgeListOptions,
    degrees: &DegreeCounts,
) -> NumChunk<T> {
    let mut out = NumChunk::<T> {
        ends: Vec::with_capacity(chunk.len() / 8),
        ..NumChunk::default()
    };
    let mut counter = degrees.worker();
    let body = chunk.strip_suffix(b"\n").unwrap_or(chunk);
    for raw in lines_of(body) {
        out.walk.lines += 1;
        let (a, b, w) = match fast_record(raw, opts.weighted) {
            Some(rec) => rec,
            None => match slow_record(raw, opts, &mut out.walk) {
                Slow::Record(rec) => rec,
                Slow::Skip => continue,
                Slow::Stop => return out,
            },
        };
        let (Some(ta), Some(tb)) = (T::from_u64(a), T::from_u64(b)) else {
            out.wide = true;
            return out;
        };
        out.ends.push(ta);
        out.ends.push(tb);
        counter.add(a, b);
        out.max = out.max.max(a).max(b);
        if opts.weighted {
            out.weights.push(w);
        }
    }
    out
}

/// The lines of `body` (split at `\n`, the same as `split`, but found with SIMD `memchr`).
fn lines_of(body: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', body).chain(std::iter::once(body.len()));
    ends.map(move |end| {
        let line = &body[start..end];
        start = end + 1;
        line
    })
}

/// `digits sep digits [sep weight] [\r…]` with canonical ids; `None` for anything else.
#[inline]
fn fast_record(line: &[u8], weighted: bool) -> Option<(u64, u64, f64)> {
    let (a, rest) = digits(line)?;
    let rest = spaces(rest)?;
    let (b, rest) = digits(rest)?;
    let rest = trim_end(rest);
    if rest.is_empty() {
        return Some((a, b, 1.0));
    }
    if !weighted {
        return None;
    }
    let w = super::edges::parse_weight(spaces(rest)?)?;
    Some((a, b, w))
}

#[inline]
fn digits(s: &[u8]) -> Option<(u64, &[u8])> {
    let mut x = 0u64;
    let mut n = 0;
    while let Some(d) = s.get(n).map(|c| c.wrapping_sub(b'0')).filter(|&d| d <= 9) {
        if n == 19 {
            return None; // 20-digit ids take the slow path, which checks overflow.
        }
        x = x * 10 + d as u64;
        n += 1;
    }
    if n == 0 || (s[0] == b'0' && n > 1) {
        return None;
    }
    Some((x, &s[n..]))
}

#[inline]
fn spaces(s: &[u8]) -> Option<&[u8]> {
    let n = s.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
    (n > 0).then(|| &s[n..])
}

#[inline]
fn trim_end(mut s: &[u8]) -> &[u8] {
    while let [rest @ .., b'\r' | b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

enum Slow {
    Record((u64, u64, f64)),
    Skip,
    Stop,
}

/// The general record path: comments, errors, lenient skips, non-canonical ids.
#[cold]
fn slow_record(raw: &[u8], opts: EdgeListOptions, walk: &mut Walk) -> Slow {
    let line = trim(raw);
    if is_skippable(line) {
        return Slow::Skip;
    }
    match split_record(line, opts.weighted) {
        Ok((a, b, w)) => match (parse_canonical_u64(a), parse_canonical_u64(b)) {
            (Some(a), Some(b)) => Slow::Record((a, b, w)),
            _ => {
                walk.aborted = true;
                Slow::Stop
            }
        },
        Err((kind, _)) if opts.lenient => {
            walk.skips.add(kind, walk.lines);
            Slow::Skip
        }
        Err((_, reason)) => {
            walk.error = Some(Bad {
                line: walk.lines,
                reason,
            });
            Slow::Stop
        }
    }
}

/// Interns every chunk's ids into dense nodes and splits them into `(src, dst)`; the flag says
/// whether nodes are numbered by descending out-degree (dense ids: counted while parsing, or
/// here when `degrees` overflowed) or in ascending id order (sparse ids). `None` if there are
/// more distinct ids than nodes can hold.
pub(super) fn intern_sorted<T: NumId>(
    chunks: Vec<NumChunk<T>>,
    degrees: DegreeCounts,
) -> Option<(IdMap, Vec<Node>, Vec<Node>, bool)> {
    let tokens: usize = chunks.iter().map(|c| c.ends.len()).sum();
    let max = chunks.iter().map(|c| c.max).max().unwrap_or(0);
    let dense = max < u32::MAX as u64 && max <= 4 * tokens as u64 + 1024;
    let (ids, table) = if dense {
        let degrees = degrees
            .finish(max as usize + 1)
            .unwrap_or_else(|| degree_table(count_degrees(&chunks, max)));
        let (ids, table) = dense_degree_ranks(degrees);
        (ids, Some(table))
    } else {
        drop(degrees);
        (sorted_unique(&chunks), None)
    };
    if ids.len() as u64 > MAX_NODES {
        return None;
    }
    let (mut src, mut dst) = (vec![0; tokens / 2], vec![0; tokens / 2]);
    let mut jobs = Vec::with_capacity(chunks.len());
    let (mut s_rest, mut d_rest) = (&mut src[..], &mut dst[..]);
    for c in chunks {
        let k = c.ends.len() / 2;
        let (s, sr) = std::mem::take(&mut s_rest).split_at_mut(k);
        let (d, dr) = std::mem::take(&mut d_rest).split_at_mut(k);
        (s_rest, d_rest) = (sr, dr);
        jobs.push((c, s, d));
    }
    // Each job owns its chunk and frees it when mapped, so parsed and mapped ids do not all
    // coexist.
    jobs.into_par_iter()
        .with_max_len(1)
        .for_each(|(c, s, d)| match &table {
            Some(t) => map_dense(&c.ends, t, s, d),
            None => map_pairs(&c.ends, s, d, |x| {
                ids.binary_search(&x.get()).expect("every id was collected") as Node
            }),
        });
    Some((IdMap::Numeric(ids), src, dst, dense))
}

#[inline]
fn map_pairs<T: NumId>(ends: &[T], s: &mut [Node], d: &mut [Node], rank: impl Fn(T) -> Node) {
    for (i, pair) in ends.chunks_exact(2).enumerate() {
        s[i] = rank(pair[0]);
        d[i] = rank(pair[1]);
    }
}

/// Counts degrees in one pass per thread group over the parsed ids (when counting while
/// parsing overflowed its cap), into per-group arrays like [`DegreeCounts`]'.
fn count_degrees<T: NumId>(chunks: &[NumChunk<T>], max: u64) -> Vec<Vec<u32>> {
    let len = max as usize + 1;
    let groups = rayon::current_num_threads().clamp(1, chunks.len().max(1));
    (0..groups)
        .into_par_iter()
        .map(|g| {
            let mut a = vec![0u32; len];
            for c in &chunks[chunks.len() * g / groups..chunks.len() * (g + 1) / groups] {
                for pair in c.ends.chunks_exact(2) {
                    a[pair[0].get() as usize] += 2;
                    a[pair[1].get() as usize] |= 1;
                }
            }
            a
        })
        .collect()
}

/// `map_pairs` through the dense table, its look-ups prefetched a few pairs ahead.
fn map_dense<T: NumId>(ends: &[T], t: &[u32], s: &mut [Node], d: &mut [Node]) {
    const AHEAD: usize = 16;
    for (i, pair) in ends.chunks_exact(2).enumerate() {
        if let Some(next) = ends.get(2 * i + AHEAD..2 * i + AHEAD + 2) {
            for x in next {
                if (x.get() as usize) < t.len() {
                    prefetch(t, x.get() as usize);
                }
            }
        }
        s[i] = t[pair[0].get() as usize];
        d[i] = t[pair[1].get() as usize];
    }
}

/// The out-degree of every id (`u32::MAX` for absent ids), from per-group arrays where
/// `a[x] = 2·(times x is a source) | (x is a target)`.
fn degree_table(counts: Vec<Vec<u32>>) -> Vec<u32> {
    let len = counts.first().map_or(0, Vec::len);
    merge_degree_codes(len, counts.len(), |j, x| counts[j][x])
}

/// The out-degree of ids `0..len` (`u32::MAX` for ids never seen), summed over `k` count
/// arrays read through `code(j, x)` = `2·(times x is a source in array j) | (x is a target)`.
pub(super) fn merge_degree_codes(
    len: usize,
    k: usize,
    code: impl Fn(usize, usize) -> u32 + Sync,
) -> Vec<u32> {
    let mut table = vec![0u32; len];
    table
        .par_chunks_mut(1 << 16)
        .enumerate()
        .for_each(|(chunk, out)| {
            let base = chunk << 16;
            for (i, slot) in out.iter_mut().enumerate() {
                let (deg, seen) = (0..k).fold((0u32, false), |(d, s), j| {
                    let v = code(j, base + i);
                    (d + (v >> 1), s | (v != 0))
                });
                *slot = if seen { deg } else { u32::MAX };
            }
        });
    table
}

/// Numbers the present ids by descending out-degree (ties by id), from their degree table
/// (`u32::MAX` for absent ids), and returns them with the table turned into `id → node`.
fn dense_degree_ranks(mut table: Vec<u32>) -> (Vec<u64>, Vec<u32>) {
    let len = table.len();
    // Sorted as packed keys `(MAX − degree, id)` (ids are below `u32::MAX` here, and unique):
    // no table look-ups inside the sort.
    let mut keys: Vec<u64> = (0..len as u64)
        .filter(|&x| table[x as usize] != u32::MAX)
        .map(|x| (u64::from(u32::MAX - table[x as usize]) << 32) | x)
        .collect();
    keys.par_sort_unstable();
    let ids: Vec<u64> = keys.into_iter().map(|k| k & u64::from(u32::MAX)).collect();
    table.iter_mut().for_each(|t| *t = u32::MAX);
    for (node, &x) in ids.iter().enumerate() {
        table[x as usize] = node as u32;
    }
    (ids, table)
}

/// All distinct ids, ascending, by a parallel sort.
fn sorted_unique<T: NumId>(chunks: &[NumChunk<T>]) -> Vec<u64> {
    let mut all: Vec<u64> = chunks
        .iter()
        .flat_map(|c| c.ends.iter().map(|x| x.get()))
        .collect();
    all.par_sort_unstable();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_records_and_what_falls_through() {
        assert_eq!(fast_record(b"12 34", false), Some((12, 34, 1.0)));
        assert_eq!(fast_record(b"12\t34\r\r", false), Some((12, 34, 1.0)));
        assert_eq!(fast_record(b"12 34 2.5", true), Some((12, 34, 2.5)));
        assert_eq!(fast_record(b"12 34 999", false), None);
        assert_eq!(fast_record(b"012 34", false), None);
        assert_eq!(fast_record(b" 12 34", false), None);
        assert_eq!(fast_record(b"# 1 2", false), None);
        assert_eq!(fast_record(b"18446744073709551615 1", false), None);
    }

    #[test]
    fn sparse_and_dense_ranks_agree() {
        let mk = |ends: Vec<u64>| NumChunk::<u64> {
            max: *ends.iter().max().unwrap(),
            ends,
            ..Default::default()
        };
        // Dense: by out-degree (3 has two edges; 7 and 50 one, ties by id), then pure targets.
        // Counted afresh (the counts of the parse overflowed), and counted while "parsing".
        let chunks = || vec![mk(vec![50, 7, 7, 3]), mk(vec![3, 50, 3, 9])];
        let overflowed = DegreeCounts::new(1);
        overflowed.worker().add(50, 7);
        let counted = DegreeCounts::new(100);
        for c in chunks() {
            let mut w = counted.worker();
            c.ends.chunks(2).for_each(|p| w.add(p[0], p[1]));
        }
        for degrees in [overflowed, counted] {
            let (ids, s, d, ordered) = intern_sorted(chunks(), degrees).unwrap();
            assert!(ordered);
            assert_eq!(ids, IdMap::Numeric(vec![3, 7, 50, 9]));
            assert_eq!((s, d), (vec![2, 1, 0, 0], vec![1, 0, 2, 3]));
        }
        // Sparse: ascending ids.
        let (ids, s, _, ordered) = intern_sorted(
            vec![mk(vec![u64::MAX, 1]), mk(vec![1 << 40, 1])],
            DegreeCounts::new(9),
        )
        .unwrap();
        assert!(!ordered);
        assert_eq!(ids, IdMap::Numeric(vec![1, 1 << 40, u64::MAX]));
        assert_eq!(s, vec![2, 1]);
    }
}

//! The fast path for edge lists whose ids are all canonical unsigned decimals (SNAP files,
//! generated graphs): chunks are parsed in parallel straight into their part of the edge arrays,
//! and ids are then replaced in place by node numbers — by descending out-degree through a table
//! when ids are dense, in ascending id order by a parallel sort when they are not — so that
//! interning is parallel too and never depends on the thread count.

use rayon::prelude::*;

use super::degrees::{prefetch, DegreeCounts};
use super::edges::{is_skippable, split_record, trim, Bad, EdgeListOptions, Walk};
use super::fast_line::{fast_line, number_at};
use super::ids::{parse_canonical_u64, IdMap, Node, MAX_NODES};
use super::source::Source;

/// An integer type ids are held in while parsing: `u32` first, `u64` when an id is larger.
pub(super) trait NumId: Copy + Send + Sync + Ord + Default {
    fn from_u64(x: u64) -> Option<Self>;
    fn get(self) -> u64;
    /// A node number, stored where the id was.
    fn from_node(node: Node) -> Self;
    /// The ids of a slice already replaced by node numbers, as nodes (in place for `u32`).
    fn into_nodes(v: Vec<Self>) -> Vec<Node>;
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
    #[inline]
    fn from_node(node: Node) -> u32 {
        node
    }
    fn into_nodes(v: Vec<u32>) -> Vec<Node> {
        v
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
    #[inline]
    fn from_node(node: Node) -> u64 {
        node.into()
    }
    fn into_nodes(v: Vec<u64>) -> Vec<Node> {
        v.par_iter().map(|&x| x as Node).collect()
    }
}

/// What parsing one chunk produced besides the ids it wrote into its slots.
#[derive(Default)]
pub(super) struct NumChunk {
    /// Records written, at the front of the chunk's slots.
    pub records: usize,
    pub weights: Vec<f64>,
    pub max: u64,
    pub walk: Walk,
    /// An id did not fit the id type.
    pub wide: bool,
}

/// Parses `chunks` of `source` in parallel into one `(src, dst)` pair of id arrays in file
/// order, counting degrees into `degrees`. The lines of every chunk are counted first, so that
/// each chunk writes its records straight to its own part of the arrays; the parts are then
/// closed up where lines held no record.
pub(super) fn parse_chunks<T: NumId>(
    source: &Source,
    chunks: &[&[u8]],
    opts: EdgeListOptions,
    degrees: &DegreeCounts,
) -> (Vec<NumChunk>, Vec<T>, Vec<T>) {
    let mut slots: Vec<usize> = chunks
        .par_iter()
        .map(|c| {
            let n = line_count(c);
            source.release(c);
            n
        })
        .collect();
    // A file's header comments would otherwise leave a gap that moves every record after it.
    if let (Some(first), Some(c)) = (slots.first_mut(), chunks.first()) {
        *first -= leading_comment_lines(c).min(*first);
    }
    let total = slots.iter().sum();
    let (mut src, mut dst) = (vec![T::default(); total], vec![T::default(); total]);
    let mut jobs = Vec::with_capacity(chunks.len());
    let (mut s_rest, mut d_rest) = (&mut src[..], &mut dst[..]);
    for (&c, &k) in chunks.iter().zip(&slots) {
        let (s, sr) = std::mem::take(&mut s_rest).split_at_mut(k);
        let (d, dr) = std::mem::take(&mut d_rest).split_at_mut(k);
        (s_rest, d_rest) = (sr, dr);
        jobs.push((c, s, d));
    }
    let parsed: Vec<NumChunk> = jobs
        .into_par_iter()
        .map(|(c, s, d)| {
            let parsed = numeric_chunk(c, opts, degrees, s, d);
            source.release(c);
            parsed
        })
        .collect();
    let used: Vec<usize> = parsed.iter().map(|c| c.records).collect();
    close_gaps(&mut src, &slots, &used);
    close_gaps(&mut dst, &slots, &used);
    (parsed, src, dst)
}

/// Lines in a chunk (split at `\n`, a final `\n` ending the last line).
fn line_count(chunk: &[u8]) -> usize {
    let body = chunk.strip_suffix(b"\n").unwrap_or(chunk);
    memchr::memchr_iter(b'\n', body).count() + 1
}

/// Comment and blank lines before the first record.
fn leading_comment_lines(chunk: &[u8]) -> usize {
    let body = chunk.strip_suffix(b"\n").unwrap_or(chunk);
    body.split(|&c| c == b'\n')
        .take_while(|l| is_skippable(trim(l)))
        .count()
}

/// Moves each part's first `used[i]` items (of its `slots[i]`) down to follow the previous
/// part's, and drops the rest.
fn close_gaps<T: Copy>(v: &mut Vec<T>, slots: &[usize], used: &[usize]) {
    let (mut from, mut to) = (0, 0);
    for (&k, &u) in slots.iter().zip(used) {
        if from != to {
            v.copy_within(from..from + u, to);
        }
        (from, to) = (from + k, to + u);
    }
    v.truncate(to);
}

/// Parses one chunk, writing its records' ids to the front of `src` and `dst` (which have a
/// slot for every line). Stops early (`walk.aborted`) at a non-numeric id, or (`wide`) at an id
/// that does not fit `T`; the caller then retries with a wider type or the text path. Every
/// edge of a finished chunk is counted into `degrees`.
pub(super) fn numeric_chunk<T: NumId>(
    chunk: &[u8],
    opts: EdgeListOptions,
    degrees: &DegreeCounts,
    src: &mut [T],
    dst: &mut [T],
) -> NumChunk {
    let mut out = NumChunk::default();
    let mut counter = degrees.worker();
    let body = chunk.strip_suffix(b"\n").unwrap_or(chunk);
    let mut start = 0;
    loop {
        out.walk.lines += 1;
        let fast = (!opts.weighted).then(|| fast_line(body, start)).flatten();
        let (record, end) = match fast {
            Some((a, b, end)) => (Some((a, b, 1.0)), end),
            None => {
                let end = memchr::memchr(b'\n', &body[start..]).map_or(body.len(), |i| start + i);
                match line_record(&body[start..end], opts, &mut out.walk) {
                    Slow::Record(rec) => (Some(rec), end),
                    Slow::Skip => (None, end),
                    Slow::Stop => return out,
                }
            }
        };
        if let Some((a, b, w)) = record {
            let (Some(ta), Some(tb)) = (T::from_u64(a), T::from_u64(b)) else {
                out.wide = true;
                return out;
            };
            src[out.records] = ta;
            dst[out.records] = tb;
            out.records += 1;
            counter.note(a, b);
            out.max = out.max.max(a).max(b);
            if opts.weighted {
                out.weights.push(w);
            }
        }
        if end >= body.len() {
            // Stopped chunks are never used, so only a finished one counts its sources.
            counter.count_sources(&src[..out.records]);
            return out;
        }
        start = end + 1;
    }
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
    number_at(s, 0).map(|(x, end)| (x, &s[end..]))
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

/// One whole line: a weighted record or a canonical one with trailing blanks quickly, anything
/// else by the general path.
#[inline]
fn line_record(line: &[u8], opts: EdgeListOptions, walk: &mut Walk) -> Slow {
    match fast_record(line, opts.weighted) {
        Some(rec) => Slow::Record(rec),
        None => slow_record(line, opts, walk),
    }
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

/// Interns the parsed ids of `src` and `dst` (the largest being `max`) into dense nodes, in
/// place; the flag says whether nodes are numbered by descending out-degree (dense ids: counted
/// while parsing, or here when `degrees` overflowed) or in ascending id order (sparse ids).
/// `None` if there are more distinct ids than nodes can hold.
pub(super) fn intern_sorted<T: NumId>(
    mut src: Vec<T>,
    mut dst: Vec<T>,
    max: u64,
    degrees: DegreeCounts,
) -> Option<(IdMap, Vec<Node>, Vec<Node>, bool)> {
    let tokens = 2 * src.len() as u64;
    let dense = max < u32::MAX as u64 && max <= 4 * tokens + 1024;
    let (ids, table) = if dense {
        let degrees = degrees
            .finish(max as usize + 1)
            .unwrap_or_else(|| degree_table(count_degrees(&src, &dst, max)));
        let (ids, table) = dense_degree_ranks(degrees);
        (ids, Some(table))
    } else {
        drop(degrees);
        (sorted_unique(&src, &dst), None)
    };
    if ids.len() as u64 > MAX_NODES {
        return None;
    }
    let rank = match &table {
        Some(t) => Rank::Dense(t),
        None => Rank::Sorted(&ids),
    };
    for v in [&mut src, &mut dst] {
        v.par_chunks_mut(1 << 16).for_each(|part| rank.map(part));
    }
    let (src, dst) = (T::into_nodes(src), T::into_nodes(dst));
    Some((IdMap::Numeric(ids), src, dst, dense))
}

/// How ids turn into nodes: through a table indexed by id, or by their place among the sorted
/// distinct ids.
enum Rank<'a> {
    Dense(&'a [u32]),
    Sorted(&'a [u64]),
}

impl Rank<'_> {
    /// Replaces every id of `part` by its node, table look-ups prefetched a few ids ahead.
    fn map<T: NumId>(&self, part: &mut [T]) {
        const AHEAD: usize = 32;
        match self {
            Rank::Dense(t) => {
                for i in 0..part.len() {
                    if let Some(next) = part.get(i + AHEAD).map(|x| x.get() as usize) {
                        if next < t.len() {
                            prefetch(t, next);
                        }
                    }
                    part[i] = T::from_node(t[part[i].get() as usize]);
                }
            }
            Rank::Sorted(ids) => {
                for x in part.iter_mut() {
                    let node = ids.binary_search(&x.get()).expect("every id was collected");
                    *x = T::from_node(node as Node);
                }
            }
        }
    }
}

/// Counts degrees in one pass per thread group over the parsed ids (when counting while
/// parsing overflowed its cap), into per-group arrays like [`DegreeCounts`]'.
fn count_degrees<T: NumId>(src: &[T], dst: &[T], max: u64) -> Vec<Vec<u32>> {
    let len = max as usize + 1;
    let groups = rayon::current_num_threads().max(1);
    let m = src.len();
    (0..groups)
        .into_par_iter()
        .map(|g| {
            let mut a = vec![0u32; len];
            for i in m * g / groups..m * (g + 1) / groups {
                a[src[i].get() as usize] += 2;
                a[dst[i].get() as usize] |= 1;
            }
            a
        })
        .collect()
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
    // Sorted as packed keys `(MAX − degree, id)` (ids are below `u32::MAX` here, and unique):
    // no table look-ups inside the sort.
    // Sequential: a parallel filter-collect would hold its pieces and the whole at once, at the
    // read's peak memory, and the in-place map below reuses the keys' allocation.
    let mut keys: Vec<u64> = (0..table.len() as u64)
        .filter(|&x| table[x as usize] != u32::MAX)
        .map(|x| (u64::from(u32::MAX - table[x as usize]) << 32) | x)
        .collect();
    keys.par_sort_unstable();
    let ids: Vec<u64> = keys.into_iter().map(|k| k & u64::from(u32::MAX)).collect();
    // Absent ids already hold `u32::MAX`; every present one gets its node.
    for (node, &x) in ids.iter().enumerate() {
        table[x as usize] = node as u32;
    }
    (ids, table)
}

/// All distinct ids, ascending, by a parallel sort.
fn sorted_unique<T: NumId>(src: &[T], dst: &[T]) -> Vec<u64> {
    let mut all: Vec<u64> = src.iter().chain(dst).map(|x| x.get()).collect();
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
        let (src, dst) = (vec![50u64, 7, 3, 3], vec![7u64, 3, 50, 9]);
        // Dense: by out-degree (3 has two edges; 7 and 50 one, ties by id), then pure targets.
        // Counted afresh (the counts of the parse overflowed), and counted while "parsing".
        let overflowed = DegreeCounts::new(1);
        overflowed.worker().note(50, 7);
        let counted = DegreeCounts::new(100);
        for half in [0..2, 2..4] {
            let mut w = counted.worker();
            half.clone().for_each(|i| w.note(src[i], dst[i]));
            w.count_sources(&src[half]);
        }
        for degrees in [overflowed, counted] {
            let (ids, s, d, ordered) =
                intern_sorted(src.clone(), dst.clone(), 50, degrees).unwrap();
            assert!(ordered);
            assert_eq!(ids, IdMap::Numeric(vec![3, 7, 50, 9]));
            assert_eq!((s, d), (vec![2, 1, 0, 0], vec![1, 0, 2, 3]));
        }
        // Sparse: ascending ids.
        let (ids, s, _, ordered) = intern_sorted(
            vec![u64::MAX, 1 << 40],
            vec![1u64, 1],
            u64::MAX,
            DegreeCounts::new(9),
        )
        .unwrap();
        assert!(!ordered);
        assert_eq!(ids, IdMap::Numeric(vec![1, 1 << 40, u64::MAX]));
        assert_eq!(s, vec![2, 1]);
    }

    /// Chunks with header comments, comments and blank lines inside, and lenient skips: the
    /// records land in file order with no gaps, and every line is counted.
    #[test]
    fn chunks_write_their_records_in_file_order() {
        let parts: [&[u8]; 4] = [
            b"# header\n% more\n\n1 2\n3 4\n",
            b"5 6\n# inside\n7 8\n",
            b"\n9 10 11 12\n13 14\r\n",
            b"15\t16",
        ];
        let text: Vec<u8> = parts.concat();
        let source = Source::from_bytes("t.txt", text);
        let opts = EdgeListOptions {
            lenient: true,
            ..Default::default()
        };
        let degrees = DegreeCounts::new(100);
        let (parsed, src, dst) = parse_chunks::<u32>(&source, &parts, opts, &degrees);
        assert_eq!(src, vec![1, 3, 5, 7, 13, 15]);
        assert_eq!(dst, vec![2, 4, 6, 8, 14, 16]);
        let lines: Vec<u64> = parsed.iter().map(|c| c.walk.lines).collect();
        assert_eq!(lines, vec![5, 3, 3, 1]);
        assert_eq!(parsed[2].walk.skips.total(), 1);
    }

    #[test]
    fn gaps_close_in_order() {
        let mut v = vec![1, 2, 0, 3, 0, 0, 4, 5, 6];
        close_gaps(&mut v, &[3, 3, 3], &[2, 1, 3]);
        assert_eq!(v, vec![1, 2, 3, 4, 5, 6]);
    }
}

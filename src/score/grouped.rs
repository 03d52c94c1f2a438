//! Grouping records by account in linear time: a stable counting sort by row (account), then
//! each row put in order on its own, rows in parallel blocks. It replaces global comparison
//! sorts of millions of records whose first key is an account id; the result does not depend on
//! the thread count.

use rayon::prelude::*;

/// Blocks of rows sorted in parallel (more blocks than threads, so that skewed rows balance).
const BLOCKS: usize = 64;

/// `items` grouped by `row(item)` (`< n`), stable (items of one row keep their input order),
/// then every row passed to `sort_row`. Returns the items and the row starts (`n + 1`).
pub fn grouped<T, R, S>(n: usize, items: &[T], row: R, sort_row: S) -> (Vec<T>, Vec<usize>)
where
    T: Copy + Send + Sync,
    R: Fn(&T) -> u32,
    S: Fn(&mut [T]) + Sync,
{
    let mut start = vec![0usize; n + 1];
    for x in items {
        start[row(x) as usize + 1] += 1;
    }
    for v in 0..n {
        start[v + 1] += start[v];
    }
    let Some(&first) = items.first() else {
        return (Vec::new(), start);
    };
    let mut out = vec![first; items.len()];
    let mut next = start.clone();
    for x in items {
        let r = row(x) as usize;
        out[next[r]] = *x;
        next[r] += 1;
    }
    sort_rows(&mut out, &start, &sort_row);
    (out, start)
}

/// Applies `sort_row` to every row `out[start[v]..start[v + 1]]`, in parallel blocks of rows.
fn sort_rows<T: Send, S: Fn(&mut [T]) + Sync>(out: &mut [T], start: &[usize], sort_row: &S) {
    let target = out.len().div_ceil(BLOCKS).max(1);
    let mut blocks: Vec<(&mut [T], &[usize])> = Vec::new();
    let (mut rest, mut first_row, mut taken) = (out, 0usize, 0usize);
    let rows = start.len() - 1;
    while first_row < rows {
        let mut last = first_row;
        while last < rows && start[last + 1] - start[first_row] < target {
            last += 1;
        }
        let last = (last + 1).min(rows);
        let len = start[last] - start[first_row];
        let (block, tail) = std::mem::take(&mut rest).split_at_mut(len);
        blocks.push((block, &start[first_row..=last]));
        rest = tail;
        taken += len;
        first_row = last;
    }
    debug_assert_eq!(taken, start[rows]);
    blocks.into_par_iter().for_each(|(block, starts)| {
        let base = starts[0];
        for w in starts.windows(2) {
            sort_row(&mut block[w[0] - base..w[1] - base]);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a global stable sort by (row, value), on rows of very different sizes.
    #[test]
    fn matches_a_stable_sort_by_row_then_value() {
        let mut state = 7u64;
        let mut items: Vec<(u32, u32, usize)> = (0..20_000)
            .map(|i| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                let r = (state >> 33) as u32;
                // Row 3 is a hub holding about half of the items.
                let row = if r % 2 == 0 { 3 } else { r % 500 };
                (row, (r >> 8) % 50, i)
            })
            .collect();
        let (got, start) = grouped(500, &items, |x| x.0, |row| row.sort_by_key(|x| x.1));
        items.sort_by_key(|x| (x.0, x.1));
        assert_eq!(got, items);
        for v in 0..500 {
            let n = items.iter().filter(|x| x.0 == v as u32).count();
            assert_eq!(start[v + 1] - start[v], n);
        }
        let (none, start) = grouped(3, &[] as &[(u32, u32, usize)], |x| x.0, |_| {});
        assert!(none.is_empty() && start == vec![0; 4]);
    }
}

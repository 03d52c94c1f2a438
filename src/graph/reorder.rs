//! Renumbers nodes by descending out-degree before the CSR is built, so that the PageRank pull
//! loop's random reads (one per in-edge, of the source's contribution) hit a compact, hot prefix
//! of the contribution vector. Deterministic: ties keep their previous order.

use rayon::prelude::*;

use crate::ingest::{IdMap, Node};

/// Relabels `src` and `dst` in place and returns the id map in the new order.
pub fn by_out_degree(n: usize, src: &mut [Node], dst: &mut [Node], ids: IdMap) -> IdMap {
    let mut degree = vec![0u32; n];
    for &u in src.iter() {
        degree[u as usize] += 1;
    }
    let mut order: Vec<Node> = (0..n as Node).collect();
    order.par_sort_by_key(|&u| (std::cmp::Reverse(degree[u as usize]), u));
    drop(degree);
    let mut new_of = vec![0 as Node; n];
    for (new, &old) in order.iter().enumerate() {
        new_of[old as usize] = new as Node;
    }
    src.par_iter_mut().for_each(|u| *u = new_of[*u as usize]);
    dst.par_iter_mut().for_each(|v| *v = new_of[*v as usize]);
    match ids {
        IdMap::Numeric(v) => IdMap::Numeric(order.iter().map(|&o| v[o as usize]).collect()),
        IdMap::Text(mut v) => IdMap::Text(
            order
                .iter()
                .map(|&o| std::mem::take(&mut v[o as usize]))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hubs_first_ties_in_previous_order() {
        let (mut src, mut dst) = (vec![2, 2, 1, 0, 2], vec![0, 1, 0, 2, 1]);
        let ids = by_out_degree(4, &mut src, &mut dst, IdMap::Numeric(vec![10, 11, 12, 13]));
        assert_eq!(ids, IdMap::Numeric(vec![12, 10, 11, 13]));
        assert_eq!(src, vec![0, 0, 2, 1, 0]);
        assert_eq!(dst, vec![1, 2, 1, 0, 2]);
    }
}

//! Degrees as networkx counts them: total, in and out on a directed graph (`G.degree`,
//! `G.in_degree`, `G.out_degree`); on an undirected one a self-loop counts twice. With weights,
//! the sums of edge weights instead.

use super::table::{Column, Values};
use crate::graph::{Adjacency, Graph};
use crate::ingest::Node;

/// The degree columns of `g`: `degree`, and on a directed graph `in_degree` and `out_degree`.
pub fn degree_columns(g: &Graph, weighted: bool) -> Vec<Column> {
    let weighted = weighted && g.is_weighted();
    let (out, inc) = (g.out_edges(), g.in_edges());
    let n = g.num_nodes() as Node;
    if weighted {
        let total = |v| {
            if g.is_undirected() {
                row_weight(out, v) + loop_weight(out, v)
            } else {
                row_weight(out, v) + row_weight(inc, v)
            }
        };
        let mut cols = vec![Column::new(
            "degree",
            Values::Real((0..n).map(total).collect()),
        )];
        if !g.is_undirected() {
            let of = |a: &Adjacency| Values::Real((0..n).map(|v| row_weight(a, v)).collect());
            cols.push(Column::new("in_degree", of(inc)));
            cols.push(Column::new("out_degree", of(out)));
        }
        return cols;
    }
    let total = |v| {
        if g.is_undirected() {
            (out.degree(v) + has_loop(out, v) as usize) as u64
        } else {
            (out.degree(v) + inc.degree(v)) as u64
        }
    };
    let mut cols = vec![Column::new(
        "degree",
        Values::Count((0..n).map(total).collect()),
    )];
    if !g.is_undirected() {
        let of = |a: &Adjacency| Values::Count((0..n).map(|v| a.degree(v) as u64).collect());
        cols.push(Column::new("in_degree", of(inc)));
        cols.push(Column::new("out_degree", of(out)));
    }
    cols
}

fn row_weight(a: &Adjacency, v: Node) -> f64 {
    a.weights_of(v)
        .map_or(a.degree(v) as f64, |w| w.iter().sum())
}

fn has_loop(a: &Adjacency, v: Node) -> bool {
    a.neighbors(v).binary_search(&v).is_ok()
}

fn loop_weight(a: &Adjacency, v: Node) -> f64 {
    match (a.neighbors(v).binary_search(&v), a.weights_of(v)) {
        (Ok(i), Some(w)) => w[i],
        (Ok(_), None) => 1.0,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::centrality::tests::{directed, undirected};

    #[test]
    fn star_and_directed_path() {
        // Star: centre 0 with leaves 1..4.
        let g = undirected(&[(0, 1), (0, 2), (0, 3), (0, 4)], 5);
        let cols = degree_columns(&g, false);
        assert_eq!(cols.len(), 1);
        assert_eq!(cols[0].values, Values::Count(vec![4, 1, 1, 1, 1]));
        // Path 0 → 1 → 2.
        let g = directed(&[(0, 1), (1, 2)], 3);
        let cols = degree_columns(&g, false);
        assert_eq!(cols[0].values, Values::Count(vec![1, 2, 1]));
        assert_eq!(cols[1].values, Values::Count(vec![0, 1, 1]));
        assert_eq!(cols[2].values, Values::Count(vec![1, 1, 0]));
    }
}

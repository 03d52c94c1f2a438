//! Orders nodes by a score: descending, ties broken by external id, optionally only the top k.

use crate::ingest::{IdMap, Node};

/// Nodes sorted by `score` descending (ties by external id ascending), at most `top` of them.
/// NaN scores sort last.
pub fn ranked(score: &[f64], ids: &IdMap, top: Option<usize>) -> Vec<Node> {
    ranked_where(score, ids, top, |_| true)
}

/// [`ranked`] among the nodes `keep` accepts.
pub fn ranked_where(
    score: &[f64],
    ids: &IdMap,
    top: Option<usize>,
    keep: impl Fn(Node) -> bool,
) -> Vec<Node> {
    let cmp = |a: &Node, b: &Node| {
        let (x, y) = (score[*a as usize], score[*b as usize]);
        y.partial_cmp(&x)
            .unwrap_or_else(|| x.is_nan().cmp(&y.is_nan()))
            .then_with(|| ids.cmp_names(*a, *b))
    };
    let mut nodes: Vec<Node> = (0..score.len() as Node).filter(|&v| keep(v)).collect();
    let k = top.unwrap_or(nodes.len()).min(nodes.len());
    if k == 0 {
        return Vec::new();
    }
    if k < nodes.len() {
        nodes.select_nth_unstable_by(k - 1, cmp);
        nodes.truncate(k);
    }
    nodes.sort_unstable_by(cmp);
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_break_by_external_id_and_top_k_is_a_prefix() {
        let ids = IdMap::Numeric(vec![30, 10, 20, 5]);
        let score = [0.5, 0.5, 0.9, 0.1];
        assert_eq!(ranked(&score, &ids, None), vec![2, 1, 0, 3]);
        assert_eq!(ranked(&score, &ids, Some(2)), vec![2, 1]);
        assert_eq!(ranked(&score, &ids, Some(0)), Vec::<Node>::new());
        let ids = IdMap::Text(vec!["b".into(), "a".into()]);
        assert_eq!(ranked(&[1.0, 1.0], &ids, None), vec![1, 0]);
    }
}

//! Predictive validity: how well a measure taken up to a split instant ranks accounts by the
//! engagement they receive after it. This module owns the future targets, the simple baselines
//! a score must beat (past distinct engagers, past interactions received, PageRank of the past
//! interaction graph) and the ranking measures (Spearman over all accounts and over the top by
//! the target, precision@k, NDCG@k). Scoring at the split is left to [`super::score`], reading
//! and printing to the CLI.
//!
//! # Definitions
//!
//! - **Past**: records with `time ≤ split` inside the scoring window; **future**: records with
//!   `split < time ≤ split + horizon` (no horizon: every later record). Self-interactions are
//!   dropped on both sides.
//! - **Targets**: *sharers*, the distinct accounts that shared an account's content in the
//!   future; *received*, every future interaction the account received.
//! - **Spearman (all)**: over every account of the interactions, ties at their average rank;
//!   **Spearman (top)**: over the `top` accounts with the largest target (ties by external id).
//! - **P@k**: the share of the predictor's top k (ties by external id) that is in the target's
//!   top k. **NDCG@k**: `Σ_{i≤k} g(i) / log2(i + 1)` over the predictor's top k, with gain `g`
//!   the account's target value, divided by the same sum over the best possible order
//!   (Järvelin & Kekäläinen 2002, linear gain).

use super::correlations::spearman;
use crate::error::Result;
use crate::graph::GraphBuilder;
use crate::ingest::{EdgeList, IdMap, Interaction, Kind, Skips};
use crate::metrics::{pagerank, ranked, CsrPropagator, PageRankParams};

/// Engagement received after the split, per account.
#[derive(Debug, Clone, PartialEq)]
pub struct Future {
    /// Distinct accounts that shared the account's content after the split.
    pub sharers: Vec<f64>,
    /// Interactions the account received after the split.
    pub received: Vec<f64>,
    /// Future records counted (self-interactions excluded).
    pub records: usize,
}

/// The future targets of `n` accounts: records after `split` (up to `split + horizon`).
pub fn future(records: &[Interaction], n: usize, split: i64, horizon: Option<i64>) -> Future {
    let end = horizon.map_or(i64::MAX, |h| split.saturating_add(h));
    let mut received = vec![0.0; n];
    let mut shares: Vec<(u32, u32)> = Vec::new();
    let mut count = 0;
    for r in records {
        if r.time <= split || r.time > end || r.actor == r.target {
            continue;
        }
        count += 1;
        received[r.target as usize] += 1.0;
        if r.kind == Kind::Share {
            shares.push((r.target, r.actor));
        }
    }
    Future {
        sharers: distinct_per_target(shares, n),
        received,
        records: count,
    }
}

fn distinct_per_target(mut pairs: Vec<(u32, u32)>, n: usize) -> Vec<f64> {
    pairs.sort_unstable();
    pairs.dedup();
    let mut out = vec![0.0; n];
    for (t, _) in pairs {
        out[t as usize] += 1.0;
    }
    out
}

/// The simple baselines over the past records accepted by `past`: distinct engagers,
/// interactions received, and PageRank of the interaction graph (actor → target, weighted by
/// the number of interactions; damping 0.85, uniform teleport).
pub fn baselines(
    records: &[Interaction],
    n: usize,
    past: impl Fn(i64) -> bool,
) -> Result<Vec<(&'static str, Vec<f64>)>> {
    let mut received = vec![0.0; n];
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for r in records
        .iter()
        .filter(|r| past(r.time) && r.actor != r.target)
    {
        received[r.target as usize] += 1.0;
        pairs.push((r.target, r.actor));
    }
    let ranks = interaction_pagerank(&pairs, n)?;
    Ok(vec![
        ("past distinct engagers", distinct_per_target(pairs, n)),
        ("past interactions received", received),
        ("PageRank of past interactions", ranks),
    ])
}

fn interaction_pagerank(pairs: &[(u32, u32)], n: usize) -> Result<Vec<f64>> {
    let list = EdgeList {
        ids: IdMap::dense(n),
        src: pairs.iter().map(|p| p.1).collect(),
        dst: pairs.iter().map(|p| p.0).collect(),
        weights: Some(vec![1.0; pairs.len()]),
        skips: Skips::default(),
        degree_ordered: false,
        undirected: false,
    };
    // Duplicate edges are merged with their weights summed: one unit per interaction.
    let (g, _) = GraphBuilder::new().reorder_by_degree(false).build(list);
    let params = PageRankParams {
        tol: 1e-10,
        max_iter: 1000,
        weighted: true,
        ..PageRankParams::default()
    }
    .check(g.num_nodes())?;
    Ok(pagerank(&CsrPropagator::new(&g), &params).ranks)
}

/// The ranking measures of one predictor against one target.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Validity {
    pub spearman_all: f64,
    pub spearman_top: f64,
    pub precision: f64,
    pub ndcg: f64,
}

/// How many accounts the measures look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Cutoffs {
    /// `k` of P@k and NDCG@k.
    pub k: usize,
    /// The accounts with the largest target that Spearman (top) runs over.
    pub top: usize,
}

impl Default for Cutoffs {
    fn default() -> Self {
        Cutoffs { k: 100, top: 1000 }
    }
}

/// Every measure of `predictor` against `target` (ties broken by external id).
pub fn validity(predictor: &[f64], target: &[f64], ids: &IdMap, cut: Cutoffs) -> Validity {
    let top: Vec<usize> = ranked(target, ids, Some(cut.top))
        .into_iter()
        .map(|v| v as usize)
        .collect();
    let sub = |x: &[f64]| top.iter().map(|&i| x[i]).collect::<Vec<f64>>();
    Validity {
        spearman_all: spearman(predictor, target),
        spearman_top: spearman(&sub(predictor), &sub(target)),
        precision: precision_at(predictor, target, ids, cut.k),
        ndcg: ndcg_at(predictor, target, ids, cut.k),
    }
}

/// The share of the predictor's top `k` that is in the target's top `k`.
pub fn precision_at(predictor: &[f64], target: &[f64], ids: &IdMap, k: usize) -> f64 {
    let k = k.min(predictor.len());
    if k == 0 {
        return 0.0;
    }
    let mut best = vec![false; target.len()];
    for v in ranked(target, ids, Some(k)) {
        best[v as usize] = true;
    }
    let hits = ranked(predictor, ids, Some(k))
        .into_iter()
        .filter(|&v| best[v as usize])
        .count();
    hits as f64 / k as f64
}

/// NDCG@k with linear gain (the target value); 0 when no account has a positive target.
pub fn ndcg_at(predictor: &[f64], target: &[f64], ids: &IdMap, k: usize) -> f64 {
    let dcg = |order: &[u32]| -> f64 {
        order
            .iter()
            .enumerate()
            .map(|(i, &v)| target[v as usize] / ((i + 2) as f64).log2())
            .sum()
    };
    let ideal = dcg(&ranked(target, ids, Some(k)));
    if ideal <= 0.0 {
        return 0.0;
    }
    dcg(&ranked(predictor, ids, Some(k))) / ideal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(actor: u32, target: u32, kind: Kind, time: i64) -> Interaction {
        Interaction {
            actor,
            target,
            kind,
            time,
            post: None,
            network: None,
        }
    }

    #[test]
    fn future_counts_distinct_sharers_after_the_split() {
        let recs = [
            rec(1, 0, Kind::Share, 10),
            rec(1, 0, Kind::Share, 20),
            rec(2, 0, Kind::Share, 20),
            rec(2, 0, Kind::Mention, 21),
            rec(0, 0, Kind::Share, 22),
            rec(0, 1, Kind::Reply, 30),
            rec(2, 1, Kind::Share, 99),
        ];
        let f = future(&recs, 3, 10, Some(50));
        assert_eq!(f.sharers, vec![2.0, 0.0, 0.0]);
        assert_eq!(f.received, vec![3.0, 1.0, 0.0]);
        assert_eq!(f.records, 4);
        let b = baselines(&recs, 3, |t| t <= 21).unwrap();
        assert_eq!(b[0].1, vec![2.0, 0.0, 0.0]);
        assert_eq!(b[1].1, vec![4.0, 0.0, 0.0]);
        // PageRank: 1 → 0 and 2 → 0, 0 dangling; 0 ranks first, 1 and 2 tie.
        let pr = &b[2].1;
        assert!(pr[0] > pr[1] && (pr[1] - pr[2]).abs() < 1e-15);
        assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    /// By hand: target [3, 2, 0, 1], predictor puts account 2 first, then 0, 1, 3.
    /// DCG@2 = 0/1 + 3/log2(3); ideal = 3/1 + 2/log2(3).
    #[test]
    fn ndcg_and_precision_by_hand() {
        let ids = IdMap::dense(4);
        let target = [3.0, 2.0, 0.0, 1.0];
        let pred = [0.9, 0.5, 1.0, 0.1];
        let want = (3.0 / 3f64.log2()) / (3.0 + 2.0 / 3f64.log2());
        assert!((ndcg_at(&pred, &target, &ids, 2) - want).abs() < 1e-12);
        assert_eq!(precision_at(&pred, &target, &ids, 2), 0.5);
        assert!((ndcg_at(&target, &target, &ids, 3) - 1.0).abs() < 1e-12);
        assert_eq!(ndcg_at(&pred, &[0.0; 4], &ids, 2), 0.0);
        // scipy.stats.spearmanr([0.9, 0.5, 1.0, 0.1], [3, 2, 0, 1]) = -0.2; over the top 3 by
        // target (accounts 0, 1, 3): spearmanr([0.9, 0.5, 0.1], [3, 2, 1]) = 1.0.
        let v = validity(&pred, &target, &ids, Cutoffs { k: 2, top: 3 });
        assert!((v.spearman_all + 0.2).abs() < 1e-12);
        assert!((v.spearman_top - 1.0).abs() < 1e-12);
    }
}

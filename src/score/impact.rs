//! Network Impact: PageRank (from the engine) over the engagement graph — an edge actor → target
//! per engaged pair, weighted by its actions' kind weights (reciprocal pairs discounted) — or
//! over the follow graph (follower → followee) when one is given. The teleport is the gaming
//! teleport of [`super::gaming::teleport`], so rank flows from engaged accounts, not from
//! accounts nobody engages with. Reported raw as the PageRank probability and scaled as
//! `PageRank · Σ t` (t: teleport shares), the rank per effective account — 1 for the average
//! account, and not inflated by adding accounts nobody engages with.

use super::combine::Calibration;
use super::engagement::Engagement;
use super::follows::Follows;
use super::gaming::pair_factor;
use crate::error::Result;
use crate::graph::GraphBuilder;
use crate::ingest::{EdgeList, IdMap, Node, Skips};
use crate::metrics::{pagerank, CsrPropagator, PageRankParams};

/// Which graph Network Impact ran on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImpactGraph {
    Engagement,
    Follows,
}

/// Network Impact of every account.
#[derive(Debug, Clone)]
pub struct Impact {
    /// PageRank of every account (sums to 1).
    pub ranks: Vec<f64>,
    pub graph: ImpactGraph,
    pub edges: usize,
    pub iterations: usize,
    pub converged: bool,
}

/// Runs PageRank over the engagement graph, or over `follows` when given (only the follow
/// edges between accounts `present` at the as-of instant: a follow graph has no times, and an
/// account that has not appeared yet must not carry rank then).
pub fn network_impact(
    eng: &Engagement,
    follows: Option<&Follows>,
    present: &[bool],
    teleport: Vec<f64>,
    cal: &Calibration,
) -> Result<Impact> {
    let n = present.len();
    let (list, graph) = match follows {
        Some(f) => (follow_list(f, present), ImpactGraph::Follows),
        None => (engagement_list(eng, n, cal), ImpactGraph::Engagement),
    };
    let weighted = list.weights.is_some();
    // Accounts with no teleport share and no engagement (not yet existing at the as-of
    // instant) stay at 0 from a start at the teleport, and do not loosen the stopping rule: the
    // ranks are those of the graph without them.
    let live = teleport.iter().filter(|&&t| t > 0.0).count();
    let (g, _) = GraphBuilder::new().reorder_by_degree(false).build(list);
    let params = PageRankParams {
        damping: cal.damping,
        tol: cal.tol,
        max_iter: 1000,
        iterations: None,
        weighted,
        personalization: Some(teleport),
    }
    .check(g.num_nodes())?
    .start_at_teleport()
    .stop_over(live);
    let pr = pagerank(&CsrPropagator::new(&g), &params);
    Ok(Impact {
        ranks: pr.ranks,
        graph,
        edges: g.num_edges(),
        iterations: pr.iterations,
        converged: pr.converged,
    })
}

/// The engagement graph over accounts `0..n` as an edge list: actor → target, weight ×
/// reciprocity factor.
pub fn engagement_list(eng: &Engagement, n: usize, cal: &Calibration) -> EdgeList {
    EdgeList {
        ids: IdMap::dense(n),
        src: eng.pairs.iter().map(|p| p.actor).collect(),
        dst: eng.pairs.iter().map(|p| p.target).collect(),
        weights: Some(
            eng.pairs
                .iter()
                .map(|p| p.weight * pair_factor(p, cal))
                .collect(),
        ),
        skips: Skips::default(),
        degree_ordered: false,
        undirected: false,
    }
}

/// The follow graph over accounts `0..present.len()` as an edge list: follower → followee,
/// only between accounts `present` at the as-of instant (follow records carry no time: an
/// edge to an account that appears later would let data from after the as-of instant change
/// the ranks then).
pub fn follow_list(f: &Follows, present: &[bool]) -> EdgeList {
    let both = |e: &&(Node, Node)| present[e.0 as usize] && present[e.1 as usize];
    let edges: Vec<(Node, Node)> = f.edges.iter().filter(both).copied().collect();
    EdgeList {
        ids: IdMap::dense(present.len()),
        src: edges.iter().map(|e| e.1).collect(),
        dst: edges.iter().map(|e| e.0).collect(),
        weights: None,
        skips: Skips::default(),
        degree_ordered: false,
        undirected: false,
    }
}

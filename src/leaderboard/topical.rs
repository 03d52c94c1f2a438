//! Topic-sensitive Network Impact: one PageRank vector per topic over the Network Impact graph
//! (the follow graph when there is one, else the engagement graph), each teleporting to the
//! topic's experts in proportion to their expertise (TwitterRank's idea: a random surfer
//! interested in the topic restarts at the accounts that earn engagement on it). All topics run
//! together, [`BATCH`] vectors per pass over the graph; only the values at each topic's experts
//! are kept, so memory stays at `3 · n · BATCH` numbers whatever the number of topics.

use crate::error::Result;
use crate::graph::{Graph, GraphBuilder};
use crate::ingest::{IdMap, Node};
use crate::metrics::{multi_pagerank, CsrPropagator, MultiPageRankParams, Precision, Teleport};
use crate::score::combine::Calibration;
use crate::score::impact::{engagement_list, follow_list};
use crate::score::{Follows, Scores};

/// Vectors per pass over the graph.
pub const BATCH: usize = 16;

/// L1 tolerance per node of each topic's vector (rankings need less than the score's 1e-10).
pub const TOL: f64 = 1e-9;

/// Iteration cap per vector.
pub const MAX_ITER: usize = 300;

/// The Network Impact graph of a scoring run, rebuilt: follows when given, else engagement.
pub fn impact_graph(
    scores: &Scores,
    follows: Option<&Follows>,
    ids: &IdMap,
    cal: &Calibration,
) -> (Graph, bool) {
    let list = match follows {
        Some(f) => follow_list(f, &scores.present),
        None => engagement_list(&scores.engagement, ids.len(), cal),
    };
    let weighted = list.weights.is_some();
    let (g, _) = GraphBuilder::new().reorder_by_degree(false).build(list);
    (g, weighted)
}

/// For every topic's `experts` (`(account, expertise)`, expertise `> 0`), the topic-sensitive
/// PageRank at each expert, in the same order. Topics without experts get an empty list.
pub fn topical_impact(
    g: &Graph,
    weighted: bool,
    damping: f64,
    experts: &[Vec<(Node, f64)>],
) -> Result<Vec<Vec<f64>>> {
    let mut out: Vec<Vec<f64>> = vec![Vec::new(); experts.len()];
    let todo: Vec<usize> = (0..experts.len())
        .filter(|&j| experts[j].iter().any(|e| e.1 > 0.0))
        .collect();
    let prop = CsrPropagator::new(g);
    for batch in todo.chunks(BATCH) {
        let params = MultiPageRankParams {
            damping,
            tol: TOL,
            max_iter: MAX_ITER,
            weighted,
            teleports: batch
                .iter()
                .map(|&j| Teleport::Weights(experts[j].clone()))
                .collect(),
            precision: Precision::F64,
        }
        .check(g.num_nodes())?;
        let pr = multi_pagerank(&prop, &params);
        for (col, &j) in batch.iter().enumerate() {
            out[j] = experts[j].iter().map(|&(v, _)| pr.rank(v, col)).collect();
        }
    }
    Ok(out)
}

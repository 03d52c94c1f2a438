//! Every account's score as a table: the columns of `clout score --csv`, unrounded and typed
//! (counts as integers, a change missing where the data does not reach back), for
//! `clout score --parquet` and the Python package's `clout.score`.

use super::{Table, Values};
use crate::ingest::Node;
use crate::score::combine::Calibration;
use crate::score::history::Delta;
use crate::score::networks::PersonScore;
use crate::score::{AccountScore, Scores};

/// The rows `order` (best first) of `scores`, named by `ids`, with their changes when given
/// (one per account, indexed like `scores.accounts`).
pub fn scores_table(
    scores: &Scores,
    order: &[Node],
    ids: impl Fn(Node) -> String,
    deltas: Option<&[Delta]>,
) -> Table {
    let rows: Vec<&AccountScore> = order
        .iter()
        .map(|&v| &scores.accounts[v as usize])
        .collect();
    let f = |g: &dyn Fn(&AccountScore) -> f64| Values::Float(rows.iter().map(|a| g(a)).collect());
    let n = |g: &dyn Fn(&AccountScore) -> u32| Values::Count(rows.iter().map(|a| g(a)).collect());
    let d = |g: fn(&Delta) -> Option<f64>| {
        Values::OptFloat(
            order
                .iter()
                .map(|&v| deltas.and_then(|d| g(&d[v as usize])))
                .collect(),
        )
    };
    let mut t = Table::default();
    t.push("id", Values::Text(order.iter().map(|&v| ids(v)).collect()))
        .push("score", f(&|a| a.score()))
        .push("percentile", f(&|a| a.percentile))
        .push("true_reach", n(&|a| a.reach.engaged))
        .push("true_reach_weighted", f(&|a| a.reach.weighted))
        .push("true_reach_sub", f(&|a| a.sub[0]))
        .push("amplification", f(&|a| a.amplification.value))
        .push(
            "amplification_probability",
            f(&|a| a.amplification.probability),
        )
        .push("posts", n(&|a| a.amplification.posts))
        .push("posts_acted_on", n(&|a| a.amplification.posts_acted_on))
        .push("amplification_sub", f(&|a| a.sub[1]))
        .push("network_impact", f(&|a| a.impact_rank))
        .push("network_impact_scaled", f(&|a| a.impact))
        .push("network_impact_sub", f(&|a| a.sub[2]))
        .push("delta_day", d(|x| x.day))
        .push("delta_week", d(|x| x.week))
        .push("delta_month", d(|x| x.month));
    t
}

/// The first `k` people (best first) as `clout score` lists them over several networks: `id`,
/// `score`, `percentile` (`pct`, one per person), the score on each network of `networks`
/// ([`network_columns`] names them) and the changes when given (one per person).
pub fn people_table(
    people: &[PersonScore],
    pct: &[f64],
    networks: &[String],
    cal: &Calibration,
    deltas: Option<&[Delta]>,
    k: usize,
) -> Table {
    let people = &people[..k.min(people.len())];
    let delta = |g: fn(&Delta) -> Option<f64>| {
        Values::OptFloat(
            (0..people.len())
                .map(|i| deltas.and_then(|d| g(&d[i])))
                .collect(),
        )
    };
    let mut t = Table::default();
    t.push(
        "id",
        Values::Text(people.iter().map(|p| p.id.clone()).collect()),
    )
    .push(
        "score",
        Values::Float(people.iter().map(|p| p.score).collect()),
    )
    .push("percentile", Values::Float(pct[..people.len()].to_vec()));
    for (i, name) in network_columns(networks).into_iter().enumerate() {
        let per = people
            .iter()
            .map(|p| cal.points(p.network_strengths[i]))
            .collect();
        t.push(name, Values::Float(per));
    }
    t.push("delta_day", delta(|d| d.day))
        .push("delta_week", delta(|d| d.week))
        .push("delta_month", delta(|d| d.month));
    t
}

/// The fixed columns of [`people_table`].
const PEOPLE_COLUMNS: [&str; 6] = [
    "id",
    "score",
    "percentile",
    "delta_day",
    "delta_week",
    "delta_month",
];

/// The column of each network's score: its name, or `NAME_network` when the name is one of
/// the fixed columns (a network called `score` must not shadow the combined score).
pub fn network_columns(networks: &[String]) -> Vec<String> {
    let mut taken: Vec<String> = PEOPLE_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    let mut out = Vec::with_capacity(networks.len());
    for n in networks {
        let mut name = n.clone();
        while taken.contains(&name) {
            name.push_str("_network");
        }
        taken.push(name.clone());
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_network_named_like_a_fixed_column_is_renamed() {
        let names = ["twitter".to_string(), "score".into(), "id".into()];
        assert_eq!(
            network_columns(&names),
            ["twitter", "score_network", "id_network"]
        );
        let clash = ["score_network".to_string(), "score".into()];
        assert_eq!(
            network_columns(&clash),
            ["score_network", "score_network_network"]
        );
    }
}

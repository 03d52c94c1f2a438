//! The explanation ledger of one account: the signals behind each sub-score (engaged accounts,
//! posts, posts acted on, actions by kind, top amplifiers and their weights, the accounts it
//! amplifies most) and every intermediate value, so the score can be recomputed by hand with
//! the formula of [`super::combine`]. Rendering is left to the CLI.

use serde::Serialize;

use super::amplification::{Amplification, PostSource};
use super::combine::{Calibration, Combined};
use super::coordination::CoordinatedTarget;
use super::engagement::{kind_index, Pair, KINDS};
use super::gaming::contribution;
use super::impact::ImpactGraph;
use super::reach::Reach;
use super::{Follows, Scores, Window};
use crate::ingest::{IdMap, Node};

/// One account on the other side of an engagement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counterpart {
    pub id: String,
    /// Actions in the window.
    pub actions: u32,
    /// The reactor's weight `w(r)` (for amplifiers) or the account's own (for amplified).
    pub weight: f64,
    pub reciprocal: bool,
    /// Both accounts are in one closed cluster (discounted like a reciprocal pair).
    pub closed: bool,
    pub hollow: bool,
    /// `w · f · ρ`: what this engagement adds to the receiver's weighted True Reach.
    pub contribution: f64,
}

/// Network Impact inputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactLedger {
    pub pagerank: f64,
    pub accounts: usize,
    /// `Σ t`: the effective number of accounts (teleport shares).
    pub effective_accounts: f64,
    /// `PageRank · Σ t`, the measure.
    pub scaled: f64,
    pub graph: ImpactGraph,
    pub teleport_share: f64,
    pub reactor_weight: f64,
}

/// Everything behind one account's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ledger {
    pub id: String,
    pub calibration: &'static str,
    pub window: Window,
    pub score: f64,
    pub percentile: f64,
    /// Sub-scores: reach, amplification, impact.
    pub sub_scores: [f64; 3],
    pub true_reach: Reach,
    pub amplification: Amplification,
    pub post_source: PostSource,
    pub network_impact: ImpactLedger,
    pub combination: Combined,
    /// Actions received by kind (only kinds with actions).
    pub actions_received: Vec<(&'static str, u32)>,
    pub actions_made: u32,
    pub followers: Option<u32>,
    pub following: Option<u32>,
    /// The size of the closed cluster the account belongs to (0: none; see `score::rings`).
    pub closed_cluster: u32,
    /// The account's audience is dominated by coordinated engagers (v4; see
    /// [`super::coordination`]): how many, out of how many, and the signals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coordinated: Option<CoordinatedTarget>,
    /// The account is itself suspect of coordination (v4): it weighs as a hollow reactor.
    pub suspect: bool,
    /// The accounts that contribute most to this account (influencers), best first.
    pub top_amplifiers: Vec<Counterpart>,
    /// The accounts this account amplifies most (influencees), best first.
    pub amplifies: Vec<Counterpart>,
    pub formula: String,
    /// Engagement the platform reported on the account's posts in the window only as counts,
    /// and on how many posts: shown, never scored (see [`crate::ingest::posts::Reported`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<ReportedLedger>,
}

/// Counts a platform reported on an account's posts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReportedLedger {
    pub posts: u32,
    pub counts: crate::ingest::posts::Reported,
}

/// The ledger of account `v`, with at most `top` amplifiers and amplified accounts.
pub fn ledger(s: &Scores, ids: &IdMap, follows: Option<&Follows>, v: Node, top: usize) -> Ledger {
    let cal = s.params.calibration;
    let a = &s.accounts[v as usize];
    Ledger {
        id: ids.name(v).to_string(),
        calibration: cal.version,
        window: s.params.window,
        score: a.score(),
        percentile: a.percentile,
        sub_scores: a.sub,
        true_reach: a.reach,
        amplification: a.amplification,
        post_source: s.post_source,
        network_impact: ImpactLedger {
            pagerank: a.impact_rank,
            accounts: s.present.iter().filter(|&&p| p).count(),
            effective_accounts: s.teleport.iter().sum(),
            scaled: a.impact,
            graph: s.impact.graph,
            teleport_share: s.teleport[v as usize],
            reactor_weight: s.weights[v as usize],
        },
        combination: a.combined,
        actions_received: received(s, v),
        actions_made: s.engagement.made[v as usize],
        followers: follows.map(|f| f.followers[v as usize]),
        following: follows.map(|f| f.following[v as usize]),
        closed_cluster: s.rings[v as usize],
        coordinated: s.coordination.target(v).copied(),
        suspect: s.coordination.suspect[v as usize],
        top_amplifiers: amplifiers(s, ids, v, top),
        amplifies: amplified(s, ids, v, top),
        formula: formula(cal, &a.combined),
        reported: None,
    }
}

/// Actions received by account `v`, by kind (only kinds with actions).
pub fn received(s: &Scores, v: Node) -> Vec<(&'static str, u32)> {
    let names = [
        "share", "mention", "reply", "comment", "like", "list", "reaction",
    ];
    KINDS
        .iter()
        .map(|&k| {
            (
                names[kind_index(k)],
                s.engagement.received[v as usize][kind_index(k)],
            )
        })
        .filter(|&(_, c)| c > 0)
        .collect()
}

fn amplifiers(s: &Scores, ids: &IdMap, v: Node, top: usize) -> Vec<Counterpart> {
    let cal = s.params.calibration;
    let rows = s.engagement.of(v).iter().map(|p| {
        let w = s.weights[p.actor as usize];
        (
            p.actor,
            counterpart(s, ids, p.actor, p, w, contribution(w, p, cal)),
        )
    });
    best(rows.collect(), ids, top)
}

fn amplified(s: &Scores, ids: &IdMap, v: Node, top: usize) -> Vec<Counterpart> {
    let cal = s.params.calibration;
    let w = s.weights[v as usize];
    let rows = s.engagement.pairs.iter().filter(|p| p.actor == v).map(|p| {
        let c = counterpart(s, ids, p.target, p, w, contribution(w, p, cal));
        (p.target, c)
    });
    best(rows.collect(), ids, top)
}

/// The other end `u` of pair `p`, with the weight and contribution of the engagement.
fn counterpart(
    s: &Scores,
    ids: &IdMap,
    u: Node,
    p: &Pair,
    weight: f64,
    contribution: f64,
) -> Counterpart {
    Counterpart {
        id: ids.name(u).to_string(),
        actions: p.actions,
        weight,
        reciprocal: p.reciprocal,
        closed: p.closed,
        hollow: s.hollow[u as usize],
        contribution,
    }
}

/// By contribution, then actions, descending; ties by external id.
fn best(mut rows: Vec<(Node, Counterpart)>, ids: &IdMap, top: usize) -> Vec<Counterpart> {
    rows.sort_by(|(a, x), (b, y)| {
        y.contribution
            .total_cmp(&x.contribution)
            .then(y.actions.cmp(&x.actions))
            .then_with(|| ids.cmp_names(*a, *b))
    });
    rows.into_iter().take(top).map(|r| r.1).collect()
}

/// The score formula with the numbers of `c` substituted, one line.
pub fn formula(cal: &Calibration, c: &Combined) -> String {
    let (reach, amp) = (
        format!("{}·{:.4}", cal.w_reach, c.l_reach),
        format!("{}·{:.4}", cal.w_amp, c.l_amp),
    );
    let terms = if cal.reach_base {
        let impact = format!(
            "{}·min({:.4}, {})",
            cal.w_impact, c.l_impact, cal.impact_cap
        );
        match c.l_repeat.filter(|_| cal.w_repeat > 0.0) {
            Some(r) => format!("{reach} × (1 + {amp} + {impact} + {}·{r:.4})", cal.w_repeat),
            None => format!("{reach} × (1 + {amp} + {impact})"),
        }
    } else {
        format!("({reach} + {amp} + {}·{:.4})", cal.w_impact, c.l_impact)
    };
    format!(
        "score = 1 + 99·L/(L + {}), L = {:.4} × {terms} = {:.4}",
        cal.curve_c, c.penalty, c.l_total
    )
}

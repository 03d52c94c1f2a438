//! True Reach: the engaged audience — distinct accounts that acted on an account's content in
//! the window (raw count). The sub-score uses the weighted reach `Σ w(r) · f(r) · ρ(r)` over
//! those engagers, with `w` the reactor weight and `f` the reciprocity factor of
//! [`super::gaming`], and `ρ` the recency weight (v4; 1 before). With a follow graph, also how many engagers are followers.

use super::combine::Calibration;
use super::engagement::Engagement;
use super::follows::Follows;
use super::gaming::contribution;
use crate::ingest::Node;

/// True Reach of one account.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Reach {
    /// Distinct engaged accounts (the raw True Reach).
    pub engaged: u32,
    /// `Σ w(r) · f(r)` over the engaged accounts.
    pub weighted: f64,
    /// Engaged accounts that follow the account (with a follow graph).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub followers_engaged: Option<u32>,
    /// Engaged accounts the account engaged back (discounted).
    pub reciprocal: u32,
    /// Engaged accounts in the account's own closed cluster (discounted; see `rings`).
    pub closed: u32,
    /// Engaged accounts that nobody engages with (weigh ≈ 0).
    pub hollow: u32,
    /// The flood scale applied to those hollow engagers (1: no flood; see `gaming`).
    pub flood_scale: f64,
}

/// True Reach of every account.
pub fn true_reach(
    eng: &Engagement,
    weights: &[f64],
    hollow: &[bool],
    follows: Option<&Follows>,
    cal: &Calibration,
) -> Vec<Reach> {
    (0..eng.start.len() - 1)
        .map(|v| reach_of(v as Node, eng, weights, hollow, follows, cal))
        .collect()
}

fn reach_of(
    v: Node,
    eng: &Engagement,
    weights: &[f64],
    hollow: &[bool],
    follows: Option<&Follows>,
    cal: &Calibration,
) -> Reach {
    let pairs = eng.of(v);
    let mut r = Reach {
        engaged: pairs.len() as u32,
        followers_engaged: follows.map(|_| 0),
        flood_scale: 1.0,
        ..Reach::default()
    };
    for p in pairs {
        r.weighted += contribution(weights[p.actor as usize], p, cal);
        r.reciprocal += p.reciprocal as u32;
        r.closed += p.closed as u32;
        if hollow[p.actor as usize] {
            r.hollow += 1;
            r.flood_scale = p.scale;
        }
        if let (Some(f), Some(c)) = (follows, r.followers_engaged.as_mut()) {
            *c += f.follows(p.actor, v) as u32;
        }
    }
    r
}

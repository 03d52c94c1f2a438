//! True Reach: the engaged audience — distinct accounts that acted on an account's content in
//! the window (raw count). The sub-score uses the weighted reach `Σ w(r) · f(r) · ρ(r)` over
//! those engagers, with `w` the reactor weight and `f` the reciprocity factor of
//! [`super::gaming`], and `ρ` the recency weight (v4; 1 before). With a follow graph, also how many engagers are followers.
//! Calibration v5 also sums the same weights over every action of the engagers, each action
//! weighted by its own recency: the volume `V` of its repeat-engagement bonus.

use super::combine::Calibration;
use super::engagement::Engagement;
use super::follows::Follows;
use super::gaming::{contribution, pair_factor};
use super::window::Window;
use crate::ingest::{Interaction, Node};

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
    /// `V = Σ w(r) · f(r) · ρ(action)` over every action of the engagers in the window, each by
    /// its own recency (v5; absent before): see [`volume`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<f64>,
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

/// Sets every account's engagement volume `V` ([`Reach::volume`]) when the calibration has a
/// repeat-engagement bonus (`w_repeat > 0`): every action in the window on another account
/// adds its actor's reactor weight times its pair's factor (reciprocal or closed-cluster
/// discount, flood scale) times the action's own recency weight.
pub fn volume(
    reach: &mut [Reach],
    records: &[Interaction],
    window: &Window,
    eng: &Engagement,
    weights: &[f64],
    cal: &Calibration,
) {
    if !(cal.w_repeat > 0.0) {
        return;
    }
    let rho = eng.recency(window.as_of, cal.recency_fraction, cal.recency_floor);
    let mut v = vec![0.0; reach.len()];
    for r in records
        .iter()
        .filter(|r| window.contains(r.time) && r.actor != r.target)
    {
        let pairs = eng.of(r.target);
        let Ok(i) = pairs.binary_search_by_key(&r.actor, |p| p.actor) else {
            continue;
        };
        let recency = rho.as_ref().map_or(1.0, |f| f(r.time));
        v[r.target as usize] += weights[r.actor as usize] * pair_factor(&pairs[i], cal) * recency;
    }
    for (r, v) in reach.iter_mut().zip(v) {
        r.volume = Some(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::combine::{CALIBRATION_V4, CALIBRATION_V5};
    use crate::score::coordination::tests::rec;

    /// Account 0 is shared by 1 three times (at 0, 60, 120) and by 2 once (at 120); 0 shares 2
    /// back, so the pair (0 ← 2) is reciprocal. The window's span is 120 s, v5's half-life 10 s.
    /// By hand, each action weighs `0.2 + 0.8 · 2^(−age/10)`: ages 120, 60, 0 give
    /// 0.2 + 0.8·2^−12, 0.2 + 0.8·2^−6, 1; the reciprocal action weighs 0.2 · 1.
    #[test]
    fn volume_weighs_every_action_by_its_own_recency() {
        let recs = [
            rec(1, 0, 0),
            rec(1, 0, 60),
            rec(1, 0, 120),
            rec(2, 0, 120),
            rec(0, 2, 100),
        ];
        let window = Window {
            as_of: 120,
            length: None,
        };
        let volume_of = |cal: &Calibration| {
            let mut eng = Engagement::new(&recs, 3, &window, cal);
            eng.weigh_recency(window.as_of, cal.recency_fraction, cal.recency_floor);
            let hollow = vec![false; 3];
            let weights = vec![1.0; 3];
            let mut reach = true_reach(&eng, &weights, &hollow, None, cal);
            volume(&mut reach, &recs, &window, &eng, &weights, cal);
            reach[0]
        };
        let r = volume_of(&CALIBRATION_V5);
        let rho = |age: f64| 0.2 + 0.8 * (-age / 10.0).exp2();
        let want = rho(120.0) + rho(60.0) + rho(0.0) + 0.2;
        assert!((r.volume.unwrap() - want).abs() < 1e-12, "{:?}", r.volume);
        // True Reach counts each engager once, by its latest action: 1 + 0.2.
        assert!((r.weighted - 1.2).abs() < 1e-12);
        // Before v5 no volume is computed.
        assert_eq!(volume_of(&CALIBRATION_V4).volume, None);
    }
}

//! Defences against gaming, as weights and multipliers the measures apply:
//!
//! - **Hollow accounts**: an account with no non-reciprocal engager in the window (nobody
//!   engages with it) is hollow; as a reactor it weighs `hollow_weight` (0.01).
//! - **Reactor weight by own impact**: PageRank's teleport goes to accounts in proportion to
//!   their distinct non-reciprocal engagers that are not hollow (`hollow_teleport` for none, full
//!   at `teleport_engagers`), so rank flows from accounts real accounts engage with. A
//!   non-hollow reactor `r` weighs `w(r) = 1 − exp(−PR(r) / PR_ref)`, where
//!   `PR_ref = (1 − d) / Σ t` is the rank of an account with a full teleport share and no inflow:
//!   ≈ 0.63 for a typical engaged account, → 1 for hubs, small for accounts engaged only by
//!   hollow ones.
//! - **Bot farms**: a farm's accounts are engaged by nobody, so each weighs 0.01, earns its
//!   target no teleport and passes ≈ 1% of a real account's rank; the ledger counts them.
//! - **Floods** (calibration v2): hollow engagers count in full only up to
//!   `hollow_ratio · (1 + r)` per account, `r` its real (non-hollow, non-reciprocal) engagers;
//!   beyond that each hollow engagement is scaled by `s = hollow_ratio · (1 + r) / h` (`h` hollow
//!   engagers) — in True Reach, Amplification and the engagement graph — and a hollow account's
//!   own teleport share by the mean `s` of what it engaged with. A farm of 3,000 or 300,000 bots
//!   behind an account nobody real engages with weighs as much as 300 (≈ 3 real reactors), while
//!   an account whose real audience is large keeps its lurkers in full.
//! - **Reciprocal rings**: an engagement the target returned in the window keeps
//!   `reciprocal_discount` (0.2) of its weight — in True Reach, Amplification and the
//!   engagement graph — and earns no teleport, so a closed ring is hollow.
//! - **Closed clusters** (calibration v3): engagement inside a group that engages itself in
//!   cycles and that few outsiders engage is discounted like a reciprocal one
//!   ([`super::rings`]).
//! - **Follow ratio** (with a follow graph): following more than `ratio_free` times one's
//!   followers multiplies the log-strength by `m = (ratio_free / ratio)^ratio_exponent`.

use super::combine::Calibration;
use super::engagement::{Engagement, Pair};

/// Whether every account is hollow. v1–v3 (`quiet_hollow`): no engager in the window whose
/// pair is not discounted (reciprocal, or inside a closed cluster). v4: suspect of
/// coordination, or engaged only through discounted pairs (at least one).
pub fn hollow(eng: &Engagement, suspect: &[bool], cal: &Calibration) -> Vec<bool> {
    (0..suspect.len())
        .map(|v| {
            let pairs = eng.of(v as u32);
            let ringed = pairs.iter().all(Pair::discounted);
            suspect[v] || (ringed && (cal.quiet_hollow || !pairs.is_empty()))
        })
        .collect()
}

/// Sets the flood scale of every hollow actor's pair (see the module docs).
pub fn flood(eng: &mut Engagement, hollow: &[bool], cal: &Calibration) {
    for v in 0..hollow.len() {
        let range = eng.start[v]..eng.start[v + 1];
        let pairs = &mut eng.pairs[range];
        let h = pairs.iter().filter(|p| hollow[p.actor as usize]).count() as f64;
        let real = real_engagers(pairs, hollow) as f64;
        let s = (cal.hollow_ratio * (1.0 + real) / h).min(1.0);
        for p in pairs.iter_mut().filter(|p| hollow[p.actor as usize]) {
            p.scale = s;
        }
    }
}

fn real_engagers(pairs: &[Pair], hollow: &[bool]) -> usize {
    pairs
        .iter()
        .filter(|p| !p.discounted() && !hollow[p.actor as usize])
        .count()
}

/// The teleport share of every account (not normalised): the hollow base, scaled by the mean
/// flood scale of the account's own engagements, plus a share for its real engagers.
pub fn teleport(eng: &Engagement, hollow: &[bool], cal: &Calibration) -> Vec<f64> {
    let n = hollow.len();
    let (mut sum, mut count) = (vec![0.0f64; n], vec![0u32; n]);
    for p in &eng.pairs {
        sum[p.actor as usize] += p.scale;
        count[p.actor as usize] += 1;
    }
    (0..n)
        .map(|v| {
            let k = real_engagers(eng.of(v as u32), hollow) as f64;
            let m = if count[v] == 0 {
                1.0
            } else {
                sum[v] / count[v] as f64
            };
            if !cal.quiet_hollow {
                return if hollow[v] {
                    cal.hollow_teleport * m
                } else {
                    1.0
                };
            }
            cal.hollow_teleport * m
                + (1.0 - cal.hollow_teleport) * (k / cal.teleport_engagers).min(1.0)
        })
        .collect()
}

/// `PR_ref = (1 − d) / Σ t`: the rank of an account with a full teleport share and no inflow.
pub fn reference_rank(teleport: &[f64], cal: &Calibration) -> f64 {
    let total: f64 = teleport.iter().sum();
    (1.0 - cal.damping) / total.max(f64::MIN_POSITIVE)
}

/// The weight of every account as a reactor, from its PageRank (hollow: `hollow_weight`).
pub fn reactor_weights(ranks: &[f64], hollow: &[bool], pr_ref: f64, cal: &Calibration) -> Vec<f64> {
    ranks
        .iter()
        .zip(hollow)
        .map(|(&r, &h)| {
            if h {
                cal.hollow_weight
            } else {
                let f = cal.reactor_floor;
                f + (1.0 - f) * -(-r / pr_ref).exp_m1()
            }
        })
        .collect()
}

/// The share of a pair's weight that counts: `reciprocal_discount` for a returned engagement
/// (or one inside a closed cluster), times the flood scale.
pub fn pair_factor(p: &Pair, cal: &Calibration) -> f64 {
    let r = if p.discounted() {
        cal.reciprocal_discount
    } else {
        1.0
    };
    r * p.scale
}

/// What a pair adds to its target's weighted True Reach: the reactor weight `w`, times the
/// pair's factor, times its recency weight (v4; 1 before).
pub fn contribution(w: f64, p: &Pair, cal: &Calibration) -> f64 {
    w * pair_factor(p, cal) * p.recency
}

/// The follow-ratio penalty multiplier, in (0, 1].
pub fn follow_penalty(following: u32, followers: u32, cal: &Calibration) -> f64 {
    let ratio = following as f64 / followers.max(1) as f64;
    if ratio <= cal.ratio_free {
        1.0
    } else {
        (cal.ratio_free / ratio).powf(cal.ratio_exponent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::combine::CALIBRATION_V1;

    #[test]
    fn penalty_and_weights() {
        let c = &CALIBRATION_V1;
        assert_eq!(follow_penalty(100, 10, c), 1.0);
        assert!((follow_penalty(400, 10, c) - 0.5).abs() < 1e-12);
        let pr_ref = reference_rank(&[1.0, 1.0], c);
        let w = reactor_weights(
            &[0.0, 0.15 / 2.0, 10.0, 5.0],
            &[false, false, false, true],
            pr_ref,
            c,
        );
        assert_eq!((w[0], w[3]), (0.0, 0.01));
        assert!((w[1] - (1.0 - (-1f64).exp())).abs() < 1e-12);
        assert!(w[2] > 0.999_999);
    }

    fn pair(target: u32, actor: u32, reciprocal: bool) -> Pair {
        Pair {
            target,
            actor,
            actions: 1,
            weight: 1.0,
            reciprocal,
            closed: false,
            scale: 1.0,
            last: 0,
            recency: 1.0,
        }
    }

    /// Account 0: 2 real engagers (1, 2), one reciprocal (3) and 1,000 hollow ones; account 1:
    /// 150 hollow engagers and no real one. By hand with `hollow_ratio` 100: account 0 keeps
    /// 100 · (1 + 2) = 300 of 1,000 → 0.3; account 1 keeps 100 of 150 → 2/3.
    #[test]
    fn flood_scales_hollow_engagers_beyond_the_cap() {
        let c = &crate::score::CALIBRATION_V2;
        let n = 1004 + 150;
        let mut pairs = vec![pair(0, 1, false), pair(0, 2, false), pair(0, 3, true)];
        pairs.extend((4..1004).map(|a| pair(0, a, false)));
        pairs.extend((1004..1154).map(|a| pair(1, a, false)));
        pairs.push(pair(2, 1, false));
        let mut start = vec![0usize; n + 1];
        for p in &pairs {
            start[p.target as usize + 1] += 1;
        }
        for v in 0..n {
            start[v + 1] += start[v];
        }
        pairs.sort_by_key(|p| (p.target, p.actor));
        let mut eng = Engagement {
            pairs,
            start,
            received: vec![[0; 7]; n],
            made: vec![0; n],
            records: 0,
            first: None,
        };
        let mut hollow = vec![true; n];
        hollow[1] = false;
        hollow[2] = false;
        hollow[0] = false;
        hollow[3] = false;
        flood(&mut eng, &hollow, c);
        let scale_of = |t: u32, a: u32| {
            eng.pairs
                .iter()
                .find(|p| (p.target, p.actor) == (t, a))
                .unwrap()
                .scale
        };
        assert!((scale_of(0, 500) - 0.3).abs() < 1e-12);
        assert!((scale_of(1, 1100) - 2.0 / 3.0).abs() < 1e-12);
        // Real and reciprocal engagers are never scaled.
        assert_eq!(
            (scale_of(0, 1), scale_of(0, 3), scale_of(2, 1)),
            (1.0, 1.0, 1.0)
        );
        let t = teleport(&eng, &hollow, c);
        // A hollow actor's base teleport follows its engagement's scale: 0.01 · 0.3.
        assert!((t[500] - 0.003).abs() < 1e-12);
    }
}

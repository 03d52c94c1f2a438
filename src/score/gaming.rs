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
//! - **Reciprocal rings**: an engagement the target returned in the window keeps
//!   `reciprocal_discount` (0.2) of its weight — in True Reach, Amplification and the
//!   engagement graph — and earns no teleport, so a closed ring is hollow.
//! - **Follow ratio** (with a follow graph): following more than `ratio_free` times one's
//!   followers multiplies the log-strength by `m = (ratio_free / ratio)^ratio_exponent`.

use super::combine::Calibration;
use super::engagement::{Engagement, Pair};

/// Whether every account is hollow: no non-reciprocal engager in the window.
pub fn hollow(eng: &Engagement, n: usize) -> Vec<bool> {
    (0..n)
        .map(|v| eng.of(v as u32).iter().all(|p| p.reciprocal))
        .collect()
}

/// The teleport share of every account (not normalised).
pub fn teleport(eng: &Engagement, hollow: &[bool], cal: &Calibration) -> Vec<f64> {
    (0..hollow.len())
        .map(|v| {
            let real = eng.of(v as u32).iter();
            let k = real
                .filter(|p| !p.reciprocal && !hollow[p.actor as usize])
                .count() as f64;
            cal.hollow_teleport + (1.0 - cal.hollow_teleport) * (k / cal.teleport_engagers).min(1.0)
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
                -(-r / pr_ref).exp_m1()
            }
        })
        .collect()
}

/// The share of a pair's weight that counts: `reciprocal_discount` for a returned engagement.
pub fn pair_factor(p: &Pair, cal: &Calibration) -> f64 {
    if p.reciprocal {
        cal.reciprocal_discount
    } else {
        1.0
    }
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
}

//! Defences against gaming, as weights and multipliers the measures apply:
//!
//! - **Reactor weight by own impact**: PageRank's teleport goes to accounts in proportion to
//!   their distinct non-reciprocal engagers (`hollow_teleport` for none, full at
//!   `teleport_engagers`), so an account nobody engages with has almost no rank to pass on. A
//!   reactor `r` then weighs `w(r) = 1 − exp(−PR(r) / PR_ref)`, where `PR_ref = (1 − d) / Σ t` is
//!   the rank of an account with a full teleport share and no inflow: ≈ 0.01 for an account
//!   nobody engages with, ≈ 0.63 for a typical engaged account, → 1 for hubs.
//! - **Bot farms**: a farm's accounts are engaged by nobody, so each weighs ≈ 0.01 and passes
//!   ≈ 1% of a real account's rank; the ledger counts them as hollow reactors.
//! - **Reciprocal rings**: an engagement the target returned in the window keeps
//!   `reciprocal_discount` (0.2) of its weight — in True Reach, Amplification and the
//!   engagement graph — and earns no teleport.
//! - **Follow ratio** (with a follow graph): following more than `ratio_free` times one's
//!   followers multiplies the log-strength by `m = (ratio_free / ratio)^ratio_exponent`.

use super::combine::Calibration;
use super::engagement::{Engagement, Pair};

/// The teleport share of every account (not normalised).
pub fn teleport(eng: &Engagement, n: usize, cal: &Calibration) -> Vec<f64> {
    (0..n)
        .map(|v| {
            let k = eng.of(v as u32).iter().filter(|p| !p.reciprocal).count() as f64;
            cal.hollow_teleport + (1.0 - cal.hollow_teleport) * (k / cal.teleport_engagers).min(1.0)
        })
        .collect()
}

/// Whether an account has no non-reciprocal engager (its teleport is the hollow floor).
pub fn is_hollow(teleport: f64, cal: &Calibration) -> bool {
    teleport <= cal.hollow_teleport
}

/// The weight of every account as a reactor, from its PageRank.
pub fn reactor_weights(ranks: &[f64], teleport: &[f64], cal: &Calibration) -> Vec<f64> {
    let total: f64 = teleport.iter().sum();
    let pr_ref = (1.0 - cal.damping) / total.max(f64::MIN_POSITIVE);
    ranks.iter().map(|&r| -(-r / pr_ref).exp_m1()).collect()
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
        let w = reactor_weights(&[0.0, 0.15 / 2.0, 10.0], &[1.0, 1.0], c);
        assert_eq!(w[0], 0.0);
        assert!((w[1] - (1.0 - (-1f64).exp())).abs() < 1e-12);
        assert!(w[2] > 0.999_999);
    }
}

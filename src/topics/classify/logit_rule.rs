//! The decision rule of a sigmoid model read off its logits: [`LogitRule::decide`] keeps
//! exactly the labels and probabilities that [`probabilities`] then
//! [`DecisionRule::decide_into`] keep, but computes `σ(z)` only for the labels that can be
//! kept (near the best logit, or above a label's cut), not for all of them (a student has
//! about 190 labels and keeps one to three). Owns the per-label logit cuts and the proof that
//! they are safe; the probabilities themselves are [`sigmoid`]'s, bit for bit.
//!
//! Why a cut is safe: the computed `σ` (`1 / (1 + e^−z)` in `f32`) is within a few units in
//! the last place of the true one. Below a logit of 14, moving the logit down by 1 lowers the
//! true `σ` by at least 8 such units (`σ(15) − σ(14) ≈ 5.2·10⁻⁷`, one unit below 1 is
//! `6·10⁻⁸`), and by a factor near `e` far below 0. So a logit more than 1 below
//! `min(logit(t), 14)` gives a computed `σ` below `t`, and a logit more than 1 below
//! `min(z_max, 14)` gives one below the best label's. Down where `σ` underflows to 0
//! (logits below −80) nothing is cut.
//!
//! [`probabilities`]: super::model::probabilities

use super::linear::{sigmoid, Link};
use super::model::DecisionRule;

/// Logits below this are never cut (`σ` nears the smallest normal `f32` and then 0).
const LOW: f64 = -80.0;
/// Above this logit `σ` is too flat for a margin of 1 to separate computed values.
const HIGH: f64 = 14.0;
/// How far below a bound a logit must be to be cut.
const MARGIN: f64 = 1.0;

/// A sigmoid model's decision rule over logits; `None` from [`LogitRule::new`] for a softmax
/// model (whose probabilities need every logit).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LogitRule {
    /// Per label: logits below this never reach the label's threshold.
    cuts: Vec<f32>,
}

/// The logit below which a computed `σ` is surely below the threshold `t` (`−∞`: none is).
fn cut_of(t: f32) -> f32 {
    let t = f64::from(t);
    if t.is_nan() || t <= 0.0 {
        return f32::NEG_INFINITY;
    }
    if t > 1.0 {
        // No probability reaches it: only the best-label rule can keep the label.
        return f32::INFINITY;
    }
    let logit = (t / (1.0 - t)).ln().min(HIGH);
    if logit < LOW {
        return f32::NEG_INFINITY;
    }
    (logit - MARGIN) as f32
}

/// The logit below which no label can be the best one, given the largest logit `z_max`.
fn best_floor(z_max: f32) -> f32 {
    if f64::from(z_max) < LOW {
        return f32::NEG_INFINITY;
    }
    (f64::from(z_max).min(HIGH) - MARGIN) as f32
}

/// Whether logit `z` is not below `bound` (a NaN logit never is: it is looked at).
fn not_below(z: f32, bound: f32) -> bool {
    z.partial_cmp(&bound) != Some(std::cmp::Ordering::Less)
}

/// Best first, ties by index (the order of [`DecisionRule::decide_into`]).
fn order(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

impl LogitRule {
    /// The cuts of `rule`'s thresholds, for a model with link `link`.
    pub fn new(rule: &DecisionRule, link: Link) -> Option<Self> {
        (link == Link::Sigmoid).then(|| LogitRule {
            cuts: rule.thresholds.iter().map(|&t| cut_of(t)).collect(),
        })
    }

    /// What `probabilities(Sigmoid, logits, evidence, beta)` then `rule.decide_into` keep,
    /// into `kept` (cleared first; `candidates` is a reusable buffer). `logits` get `beta ·
    /// evidence` added (as there) but are not turned into probabilities. Branch-free passes
    /// over all labels find the few that may be kept; only those get their `σ`.
    pub fn decide(
        &self,
        rule: &DecisionRule,
        logits: &mut [f32],
        evidence: &[f32],
        candidates: &mut Vec<u32>,
        kept: &mut Vec<(u32, f32)>,
    ) {
        for (z, e) in logits.iter_mut().zip(evidence) {
            *z += rule.beta * e;
        }
        kept.clear();
        let floor = best_floor(max_logit(logits));
        // Labels that may be the best one or reach their threshold (NaN logits are never cut).
        candidates.clear();
        candidates.resize(logits.len(), 0);
        let mut n = 0;
        for (l, (&z, &cut)) in logits.iter().zip(&self.cuts).enumerate() {
            candidates[n] = l as u32;
            n += usize::from(not_below(z, floor) | not_below(z, cut));
        }
        kept.extend(
            candidates[..n]
                .iter()
                .map(|&l| (l, sigmoid(logits[l as usize]))),
        );
        let Some(top) = kept
            .iter()
            .filter(|&&(l, _)| not_below(logits[l as usize], floor))
            .min_by(|a, b| order(a, b))
            .copied()
        else {
            return;
        };
        if rule.single {
            kept.clear();
            kept.push(top);
            return;
        }
        kept.retain(|&(l, p)| (l == top.0 && rule.always_top) || p >= rule.thresholds[l as usize]);
        kept.sort_unstable_by(order);
    }
}

/// The largest logit, NaN ignored (`−∞` for none): eight independent running maxima, so
/// that the pass is not one long chain of dependent comparisons.
fn max_logit(logits: &[f32]) -> f32 {
    let (blocks, rest) = logits.as_chunks::<8>();
    let mut m = [f32::NEG_INFINITY; 8];
    for b in blocks {
        for (m, &z) in m.iter_mut().zip(b) {
            *m = m.max(z);
        }
    }
    rest.iter()
        .chain(&m)
        .fold(f32::NEG_INFINITY, |a, &b| a.max(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topics::classify::model::probabilities;

    /// The reference: every probability, then the rule.
    fn reference(rule: &DecisionRule, logits: &[f32], evidence: &[f32]) -> Vec<(u32, f32)> {
        let mut p = logits.to_vec();
        probabilities(Link::Sigmoid, &mut p, evidence, rule.beta);
        rule.decide(&p)
    }

    fn rule(thresholds: Vec<f32>, single: bool, always_top: bool) -> DecisionRule {
        DecisionRule {
            single,
            always_top,
            thresholds,
            beta: 0.5,
            labels_per_text: None,
        }
    }

    /// Logits spread over every regime: saturated, flat, steep, underflowing, ties, NaN.
    fn logits(seed: u64, n: usize) -> Vec<f32> {
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let u = (x >> 11) as f64 / (1u64 << 53) as f64;
                match x % 11 {
                    0 => 14.0 + (u * 4.0) as f32,
                    1 => -80.0 - (u * 30.0) as f32,
                    2 => 17.0 + (u * 100.0) as f32,
                    3 => f32::from_bits(0x4160_0000 + (x % 64) as u32), // ties near 14
                    4 => -1.0 + (u * 1e-6) as f32,
                    _ => ((u - 0.5) * 40.0) as f32,
                }
            })
            .collect()
    }

    fn thresholds(seed: u64, n: usize) -> Vec<f32> {
        logits(seed ^ 0xabc, n)
            .into_iter()
            .enumerate()
            .map(|(i, z)| match i % 7 {
                0 => 2.0,
                1 => 0.0,
                2 => sigmoid(z),
                3 => f32::from_bits(sigmoid(z).to_bits() + 1),
                4 => 1.0,
                _ => sigmoid(z * 0.5),
            })
            .collect()
    }

    #[test]
    fn equals_every_sigmoid_then_the_rule() {
        for seed in 0..3_000u64 {
            let n = 1 + (seed % 200) as usize;
            let z = logits(seed, n);
            let evidence: Vec<f32> = (0..n)
                .map(|i| if i % 5 == 0 { (i as f32).ln_1p() } else { 0.0 })
                .collect();
            for (single, always_top) in [(false, true), (false, false), (true, true)] {
                let r = rule(thresholds(seed, n), single, always_top);
                let fast = LogitRule::new(&r, Link::Sigmoid).expect("sigmoid");
                let (mut zz, mut kept) = (z.clone(), Vec::new());
                fast.decide(&r, &mut zz, &evidence, &mut Vec::new(), &mut kept);
                let want = reference(&r, &z, &evidence);
                let bits = |v: &[(u32, f32)]| -> Vec<(u32, u32)> {
                    v.iter().map(|&(l, p)| (l, p.to_bits())).collect()
                };
                assert_eq!(bits(&kept), bits(&want), "seed {seed}");
            }
        }
    }

    #[test]
    fn nan_infinite_and_empty_logits_follow_the_reference() {
        let r = rule(vec![0.5, 0.9, 2.0, 0.1], false, true);
        let fast = LogitRule::new(&r, Link::Sigmoid).expect("sigmoid");
        let none = [0.0; 4];
        for z in [
            [f32::NAN, 1.0, 2.0, 3.0],
            [f32::NEG_INFINITY; 4],
            [f32::INFINITY, 20.0, 30.0, -200.0],
            [-100.0, -120.0, -95.0, -101.0],
            [-f32::NAN, -3.0, -4.0, -5.0],
        ] {
            let (mut zz, mut kept) = (z.to_vec(), Vec::new());
            fast.decide(&r, &mut zz, &none, &mut Vec::new(), &mut kept);
            let want = reference(&r, &z, &none);
            assert_eq!(format!("{kept:?}"), format!("{want:?}"), "{z:?}");
        }
        let empty = rule(Vec::new(), false, true);
        let mut kept = vec![(0, 1.0)];
        LogitRule::new(&empty, Link::Sigmoid)
            .expect("sigmoid")
            .decide(&empty, &mut [], &[], &mut Vec::new(), &mut kept);
        assert!(kept.is_empty());
        assert!(LogitRule::new(&empty, Link::Softmax).is_none());
    }
}

//! +K (Klout's endorsements): people vouching for an account on a topic, added to topic
//! expertise as a capped, explained signal. Reading the endorsement files is left to
//! [`crate::ingest::endorsements`]; this module owns the rule.
//!
//! For account `a` and topic `t`, over the endorsements in the scoring window:
//!
//! - each endorser counts **once** per `(a, t)`, however often it endorsed; endorsers are
//!   people (`--identities`), so two accounts of one person count once (the better-scored
//!   one) and a person endorsing its own account counts nothing;
//! - an endorser `e` weighs its own 1–100 score over 100, `w(e) = score(e) / 100`, so a +K from
//!   an account nobody engages with (score 1) weighs 0.01;
//! - a **mutual** endorsement (`a` also endorsed `e` on `t` in the window) keeps
//!   [`EndorseParams::mutual_weight`] (0.2, the weight reciprocal engagement keeps in True
//!   Reach), so rings of accounts vouching for one another buy little;
//! - `K(a, t) = Σ_e w(e)`, and the expertise becomes `E · (1 + min(β · ln(1 + K), s / (1 − s)))`
//!   with `β` = [`EndorseParams::strength`] (0.1) and `s` = [`EndorseParams::max_share`] (0.25):
//!   at most a quarter of the final expertise comes from +K, and +K alone makes no expert (an
//!   account without expertise on `t` gains nothing: there is no post evidence to scale).
//!
//! Super-topics are not endorsed through their children: a +K names one topic. +K scales the
//! expertise a leaderboard ranks by, not the teleport of its topic-sensitive PageRank, so the
//! cap bounds all that +K can do to a leaderboard value (`(4/3)^α` at most).

use rustc_hash::{FxHashMap, FxHashSet};

use super::Expertise;
use crate::error::{Error, Result};
use crate::ingest::Node;
use crate::topics::ontology::TopicIdx;

/// One +K: `endorser` vouched for `account` on `topic` at `time`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endorsement {
    pub endorser: Node,
    pub account: Node,
    pub topic: TopicIdx,
    pub time: i64,
}

/// +K parameters, unchecked; [`EndorseParams::check`] validates them.
///
/// | name | default | range |
/// |---|---|---|
/// | `strength` | 0.1 | `β ≥ 0`: expertise multiplier per unit of `ln(1 + K)` |
/// | `max_share` | 0.25 | `[0, 1)`: the most of an account's final expertise on a topic that +K can make |
/// | `mutual_weight` | 0.2 | `[0, 1]`: what a mutual endorsement keeps |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EndorseParams {
    pub strength: f64,
    pub max_share: f64,
    pub mutual_weight: f64,
}

impl Default for EndorseParams {
    fn default() -> Self {
        EndorseParams {
            strength: 0.1,
            max_share: 0.25,
            mutual_weight: 0.2,
        }
    }
}

/// Checked +K parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidEndorseParams(EndorseParams);

impl EndorseParams {
    pub fn check(self) -> Result<ValidEndorseParams> {
        let finite = |x: f64| x.is_finite();
        if !(finite(self.strength) && self.strength >= 0.0) {
            return Err(Error::param("strength", "must be a finite number ≥ 0"));
        }
        if !(0.0..1.0).contains(&self.max_share) {
            return Err(Error::param("max_share", "must be in [0, 1)"));
        }
        if !(0.0..=1.0).contains(&self.mutual_weight) {
            return Err(Error::param("mutual_weight", "must be in [0, 1]"));
        }
        Ok(ValidEndorseParams(self))
    }
}

/// What +K did to one account's expertise on one topic (for the ledger).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PlusK {
    /// Distinct endorsers in the window.
    pub endorsers: u32,
    /// Of them, mutual ones (discounted).
    pub mutual: u32,
    /// `K`: the endorsers' weights summed.
    pub weight: f64,
    /// The expertise multiplier applied, `1 + min(β · ln(1 + K), s / (1 − s))`.
    pub multiplier: f64,
    /// Whether the cap bound it.
    pub capped: bool,
}

/// `K(a, t)` and its endorser counts for every endorsed `(account, topic)` in the window
/// (`in_window`), with `weight(e)` an endorsing account's weight (its score over 100) and
/// `person(e)` the person an account belongs to: one person counts once per `(a, t)` (with its
/// best-weighted endorsing account), a person does not endorse its own accounts, and mutual
/// means the endorsed account's person endorsed the endorser's on the topic.
pub fn tally(
    endorsements: &[Endorsement],
    in_window: impl Fn(i64) -> bool,
    weight: impl Fn(Node) -> f64,
    person: impl Fn(Node) -> u32,
    params: &ValidEndorseParams,
) -> FxHashMap<(Node, TopicIdx), PlusK> {
    let mut best: FxHashMap<(u32, Node, TopicIdx), f64> = FxHashMap::default();
    let mut given: FxHashSet<(u32, u32, TopicIdx)> = FxHashSet::default();
    for e in endorsements.iter().filter(|e| in_window(e.time)) {
        let (from, to) = (person(e.endorser), person(e.account));
        if from == to {
            continue;
        }
        let w = best.entry((from, e.account, e.topic)).or_insert(0.0);
        *w = w.max(weight(e.endorser));
        given.insert((from, to, e.topic));
    }
    // Sorted so that the sums do not depend on the hash order.
    let mut counted: Vec<((u32, Node, TopicIdx), f64)> = best.into_iter().collect();
    counted.sort_unstable_by_key(|&(k, _)| k);
    let mut out: FxHashMap<(Node, TopicIdx), PlusK> = FxHashMap::default();
    for ((from, account, topic), w) in counted {
        let mutual = given.contains(&(person(account), from, topic));
        let w = w * if mutual { params.0.mutual_weight } else { 1.0 };
        let k = out.entry((account, topic)).or_insert(PlusK {
            endorsers: 0,
            mutual: 0,
            weight: 0.0,
            multiplier: 1.0,
            capped: false,
        });
        k.endorsers += 1;
        k.mutual += u32::from(mutual);
        k.weight += w;
    }
    let p = params.0;
    let cap = p.max_share / (1.0 - p.max_share);
    for k in out.values_mut() {
        let bonus = p.strength * k.weight.ln_1p();
        k.capped = bonus > cap;
        k.multiplier = 1.0 + bonus.min(cap);
    }
    out
}

/// Scales `expertise` by each tallied multiplier (entries that do not exist stay absent) and
/// returns the +K that applied, by `(account, topic)`.
pub fn apply(
    expertise: &mut Expertise,
    tallied: FxHashMap<(Node, TopicIdx), PlusK>,
) -> FxHashMap<(Node, TopicIdx), PlusK> {
    tallied
        .into_iter()
        .filter(|&((a, t), k)| expertise.scale(a, t, k.multiplier))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(endorser: Node, account: Node, topic: TopicIdx, time: i64) -> Endorsement {
        Endorsement {
            endorser,
            account,
            topic,
            time,
        }
    }

    #[test]
    fn tally_by_hand() {
        let p = EndorseParams::default().check().unwrap();
        // Account 0 on topic 5: endorsers 1 (score 80, twice), 2 (score 50, mutual: 0 endorsed
        // 2 on topic 5), 3 (outside the window), 0 itself (ignored).
        let all = [
            e(1, 0, 5, 10),
            e(1, 0, 5, 20),
            e(2, 0, 5, 10),
            e(0, 2, 5, 10),
            e(3, 0, 5, 999),
            e(0, 0, 5, 10),
        ];
        let scores = [40.0, 80.0, 50.0, 90.0];
        let k = tally(&all, |t| t < 100, |n| scores[n as usize] / 100.0, |n| n, &p);
        let a = k[&(0, 5)];
        assert_eq!((a.endorsers, a.mutual), (2, 1));
        let w = 0.8 + 0.2 * 0.5;
        assert!((a.weight - w).abs() < 1e-12);
        assert!((a.multiplier - (1.0 + 0.1 * (1.0f64 + w).ln())).abs() < 1e-12);
        assert!(!a.capped);
        // 2's +K from 0 is mutual too: 0.2 · 0.4.
        let b = k[&(2, 5)];
        assert!((b.weight - 0.08).abs() < 1e-12 && b.mutual == 1);
    }

    #[test]
    fn a_person_endorses_once_and_never_itself() {
        let p = EndorseParams::default().check().unwrap();
        // Accounts 1 and 2 are person 1; 3 is person 3; 0 is person 0. Both of person 1's
        // accounts endorse 0 (counted once, with the better weight); 2 endorses 1 (same
        // person: nothing); 0 endorses 2 back, so person 1's +K of 0 is mutual.
        let person = |n: Node| if n == 2 { 1 } else { n };
        let all = [
            e(1, 0, 7, 0),
            e(2, 0, 7, 0),
            e(2, 1, 7, 0),
            e(3, 0, 7, 0),
            e(0, 2, 7, 0),
        ];
        let w = [0.1, 0.3, 0.6, 0.5];
        let k = tally(&all, |_| true, |n| w[n as usize], person, &p);
        let a = k[&(0, 7)];
        assert_eq!((a.endorsers, a.mutual), (2, 1));
        assert!((a.weight - (0.2 * 0.6 + 0.5)).abs() < 1e-12);
        assert!(!k.contains_key(&(1, 7)));
    }

    #[test]
    fn at_most_a_quarter_of_the_expertise_comes_from_plus_k() {
        let p = EndorseParams::default().check().unwrap();
        let many: Vec<Endorsement> = (1..=100_000).map(|n| e(n, 0, 1, 0)).collect();
        let k = tally(&many, |_| true, |_| 1.0, |n| n, &p)[&(0, 1)];
        assert!(k.capped);
        assert!((k.multiplier - 4.0 / 3.0).abs() < 1e-12);
        // The share of the final expertise that +K made: (m − 1) / m = 1/4.
        assert!(((k.multiplier - 1.0) / k.multiplier - 0.25).abs() < 1e-12);
    }

    #[test]
    fn parameters_are_checked() {
        let bad = |p: EndorseParams| p.check().is_err();
        assert!(bad(EndorseParams {
            max_share: 1.0,
            ..Default::default()
        }));
        assert!(bad(EndorseParams {
            strength: f64::NAN,
            ..Default::default()
        }));
        assert!(bad(EndorseParams {
            mutual_weight: 1.5,
            ..Default::default()
        }));
    }
}

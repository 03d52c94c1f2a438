//! Evidence of coordinated or automated engagement (calibration v4), from the window's records
//! alone. Four actor signals, each relative to the targets it concerns:
//!
//! - **burst**: the actor acted on a target within `burst_secs` of at least `burst_accounts − 1`
//!   other distinct actors acting on the same target (a synchronised burst);
//! - **lockstep**: the actor's exact target set (at least `lockstep_targets` targets, reached at
//!   as many distinct instants) is shared by at least `lockstep_accounts` actors (identical
//!   target sets);
//! - **booster**: at least `booster_actions` actions, every one on the same target (an account
//!   whose first and only activity is boosting one target);
//! - **regular**: at least `regular_actions` actions whose gaps vary by less than `regular_cv`
//!   (coefficient of variation: activity at machine-regular intervals).
//!
//! A signal alone proves nothing: real fans retweet in bursts at a big announcement, and
//! thousands retweet the same two popular accounts. A target is **coordinated** when its
//! flagged engagers number at least `coordinated_min` and make at least `coordinated_share` of
//! all its engagers; the flagged engagers of a coordinated target are **suspect** accounts
//! (the scorer treats them as the hollow accounts of v1–v3). So an organic audience, in which
//! such patterns are a small minority, never moves, and being a quiet account is no evidence.
//! Scoring is left to the caller.

use rustc_hash::FxHashMap;

use super::combine::Calibration;
use super::window::Window;
use crate::ingest::{Interaction, Node};

/// The thresholds of the coordination signals (part of a [`Calibration`]).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct CoordinationParams {
    pub burst_secs: i64,
    pub burst_accounts: usize,
    pub lockstep_targets: usize,
    pub lockstep_accounts: usize,
    pub booster_actions: usize,
    pub regular_actions: usize,
    pub regular_cv: f64,
    pub coordinated_min: usize,
    pub coordinated_share: f64,
}

/// Which signals flagged an engager; a bit per signal.
pub const BURST: u8 = 1;
pub const LOCKSTEP: u8 = 2;
pub const BOOSTER: u8 = 4;
pub const REGULAR: u8 = 8;

/// The names of the signal bits, in bit order.
pub const SIGNALS: [(u8, &str); 4] = [
    (BURST, "synchronised burst"),
    (LOCKSTEP, "identical target set"),
    (BOOSTER, "single-target booster"),
    (REGULAR, "machine-regular intervals"),
];

/// The coordination found in one window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coordination {
    /// Accounts flagged as engagers of a coordinated target.
    pub suspect: Vec<bool>,
    /// Per coordinated target: (target, engagers, flagged engagers, signal bits seen).
    pub targets: Vec<CoordinatedTarget>,
}

/// The names of the signals set in `bits`, in bit order.
pub fn signal_names(bits: u8) -> Vec<&'static str> {
    SIGNALS
        .iter()
        .filter(|(bit, _)| bits & bit != 0)
        .map(|(_, name)| *name)
        .collect()
}

/// A target whose engagement is dominated by coordinated engagers.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct CoordinatedTarget {
    pub target: Node,
    pub engagers: u32,
    pub flagged: u32,
    /// Bits of [`SIGNALS`] among the flagged engagers.
    pub signals: u8,
}

impl Coordination {
    /// No account suspect (calibrations without coordination signals).
    pub fn none(n: usize) -> Self {
        Coordination {
            suspect: vec![false; n],
            targets: Vec::new(),
        }
    }

    /// The coordinated-target record of `v`, if any.
    pub fn target(&self, v: Node) -> Option<&CoordinatedTarget> {
        self.targets
            .binary_search_by_key(&v, |t| t.target)
            .ok()
            .map(|i| &self.targets[i])
    }
}

/// One action: (actor, target, time), self-interactions excluded.
type Action = (Node, Node, i64);

/// Finds the coordination in the records inside `window` for `n` accounts.
pub fn coordination(
    records: &[Interaction],
    n: usize,
    window: &Window,
    cal: &Calibration,
) -> Coordination {
    let Some(p) = cal.coordination else {
        return Coordination::none(n);
    };
    let mut actions: Vec<Action> = records
        .iter()
        .filter(|r| r.actor != r.target && window.contains(r.time))
        .map(|r| (r.actor, r.target, r.time))
        .collect();
    // Pairs (target, actor) flagged, with their signal bits.
    let mut flags: FxHashMap<(Node, Node), u8> = FxHashMap::default();
    actions.sort_unstable_by_key(|a| (a.0, a.2, a.1));
    actor_signals(&actions, &p, &mut flags);
    actions.sort_unstable_by_key(|a| (a.1, a.2, a.0));
    burst_signals(&actions, &p, &mut flags);
    judge(&actions, flags, n, &p)
}

/// Booster, regular and lockstep flags from actions sorted by (actor, time).
fn actor_signals(
    actions: &[Action],
    p: &CoordinationParams,
    flags: &mut FxHashMap<(Node, Node), u8>,
) {
    let mut sets: FxHashMap<Vec<Node>, Vec<Node>> = FxHashMap::default();
    for run in actions.chunk_by(|a, b| a.0 == b.0) {
        let actor = run[0].0;
        let mut targets: Vec<Node> = run.iter().map(|a| a.1).collect();
        targets.sort_unstable();
        targets.dedup();
        let mut bits = 0;
        if run.len() >= p.booster_actions && targets.len() == 1 {
            bits |= BOOSTER;
        }
        if run.len() >= p.regular_actions && regular(run, p.regular_cv) {
            bits |= REGULAR;
        }
        if bits != 0 {
            for &t in &targets {
                *flags.entry((t, actor)).or_default() |= bits;
            }
        }
        // Acts at distinct instants: a retweet of a post that mentions two accounts reaches three
        // targets in one act, and many accounts do that organically.
        let mut times: Vec<i64> = run.iter().map(|a| a.2).collect();
        times.dedup();
        if targets.len() >= p.lockstep_targets && times.len() >= p.lockstep_targets {
            sets.entry(targets).or_default().push(actor);
        }
    }
    for (targets, actors) in sets {
        if actors.len() >= p.lockstep_accounts {
            for &t in &targets {
                for &a in &actors {
                    *flags.entry((t, a)).or_default() |= LOCKSTEP;
                }
            }
        }
    }
}

/// Whether the gaps between an actor's actions (sorted by time) are machine-regular.
fn regular(run: &[Action], max_cv: f64) -> bool {
    let gaps: Vec<f64> = run.windows(2).map(|w| (w[1].2 - w[0].2) as f64).collect();
    let mean = gaps.iter().sum::<f64>() / gaps.len() as f64;
    if mean <= 0.0 {
        return false;
    }
    let var = gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / gaps.len() as f64;
    var.sqrt() / mean < max_cv
}

/// Burst flags from actions sorted by (target, time): every action inside a span of
/// `burst_secs` holding at least `burst_accounts` distinct actors of the same target.
fn burst_signals(
    actions: &[Action],
    p: &CoordinationParams,
    flags: &mut FxHashMap<(Node, Node), u8>,
) {
    let mut count: FxHashMap<Node, usize> = FxHashMap::default();
    for run in actions.chunk_by(|a, b| a.1 == b.1) {
        if run.len() < p.burst_accounts {
            continue;
        }
        count.clear();
        let mut in_burst = vec![false; run.len()];
        let mut lo = 0;
        for hi in 0..run.len() {
            *count.entry(run[hi].0).or_default() += 1;
            while run[hi].2 - run[lo].2 >= p.burst_secs {
                let c = count.get_mut(&run[lo].0).expect("counted when entered");
                *c -= 1;
                if *c == 0 {
                    count.remove(&run[lo].0);
                }
                lo += 1;
            }
            if count.len() >= p.burst_accounts {
                in_burst[lo..=hi].iter_mut().for_each(|b| *b = true);
            }
        }
        for (a, _) in run.iter().zip(&in_burst).filter(|(_, &b)| b) {
            *flags.entry((a.1, a.0)).or_default() |= BURST;
        }
    }
}

/// Coordinated targets and suspect accounts, from actions sorted by (target, time).
fn judge(
    actions: &[Action],
    flags: FxHashMap<(Node, Node), u8>,
    n: usize,
    p: &CoordinationParams,
) -> Coordination {
    let mut by_target: FxHashMap<Node, Vec<(Node, u8)>> = FxHashMap::default();
    for ((t, a), bits) in flags {
        by_target.entry(t).or_default().push((a, bits));
    }
    let mut out = Coordination::none(n);
    for run in actions.chunk_by(|a, b| a.1 == b.1) {
        let target = run[0].1;
        let Some(flagged) = by_target.get(&target) else {
            continue;
        };
        let mut engagers: Vec<Node> = run.iter().map(|a| a.0).collect();
        engagers.sort_unstable();
        engagers.dedup();
        let share = flagged.len() as f64 / engagers.len() as f64;
        if flagged.len() < p.coordinated_min || share < p.coordinated_share {
            continue;
        }
        let signals = flagged.iter().fold(0, |b, f| b | f.1);
        for &(a, _) in flagged {
            out.suspect[a as usize] = true;
        }
        out.targets.push(CoordinatedTarget {
            target,
            engagers: engagers.len() as u32,
            flagged: flagged.len() as u32,
            signals,
        });
    }
    out.targets.sort_unstable_by_key(|t| t.target);
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ingest::Kind;
    use crate::score::combine::CALIBRATION_V4;

    /// A share by `actor` of `target` at `time` (also used by `reach`'s tests).
    pub(crate) fn rec(actor: u32, target: u32, time: i64) -> Interaction {
        Interaction {
            actor,
            target,
            kind: Kind::Share,
            time,
            post: None,
            network: None,
        }
    }

    fn all_time() -> Window {
        Window {
            as_of: i64::MAX / 2,
            length: None,
        }
    }

    /// Account 0: 60 accounts share it within 60 s (a burst: coordinated). Account 1: 300
    /// accounts share it an hour apart each, and 60 more in one burst (17% flagged: organic).
    #[test]
    fn a_dominating_burst_is_coordinated_a_minor_one_is_not() {
        let mut recs: Vec<Interaction> = (100..160)
            .map(|a| rec(a, 0, 1000 + a as i64 - 100))
            .collect();
        recs.extend((200..500).map(|a| rec(a, 1, 100_000 + 3600 * (a as i64 - 200))));
        recs.extend((500..560).map(|a| rec(a, 1, 50_000)));
        let c = coordination(&recs, 560, &all_time(), &CALIBRATION_V4);
        assert_eq!(c.targets.len(), 1);
        let t = c.targets[0];
        assert_eq!(
            (t.target, t.engagers, t.flagged, t.signals),
            (0, 60, 60, BURST)
        );
        assert!((100..160).all(|a| c.suspect[a]));
        assert!(!c.suspect[500] && !c.suspect[200]);
        // 49 accounts in a minute are not a burst.
        let recs: Vec<Interaction> = (100..149).map(|a| rec(a, 0, 1000)).collect();
        assert!(coordination(&recs, 149, &all_time(), &CALIBRATION_V4)
            .targets
            .is_empty());
    }

    /// 12 boosters each share account 5 five times over a day at irregular times, and 5 real
    /// fans share it once: coordinated by the booster signal (12 of 17).
    #[test]
    fn boosters_and_regular_intervals() {
        let mut recs = Vec::new();
        for a in 10..22u32 {
            for k in 0..5i64 {
                recs.push(rec(a, 5, 7919 * (a as i64) * (k + 1) % 86_400 + 3 * k * k));
            }
        }
        recs.extend((30..35).map(|a| rec(a, 5, 99_000 + a as i64)));
        let c = coordination(&recs, 40, &all_time(), &CALIBRATION_V4);
        let t = c.target(5).unwrap();
        assert_eq!((t.engagers, t.flagged), (17, 12));
        assert_eq!(t.signals & BOOSTER, BOOSTER);
        assert!(!c.suspect[30]);
        // Machine-regular: every 60 s exactly, over several targets.
        let run: Vec<Action> = (0..8).map(|k| (1, k as u32 % 3, 60 * k)).collect();
        assert!(regular(&run, 0.1));
        let run: Vec<Action> = [0, 5, 400, 410, 3000, 3001]
            .iter()
            .map(|&t| (1, 0, t))
            .collect();
        assert!(!regular(&run, 0.1));
    }

    /// 25 accounts act on the same 3 targets at different instants (lockstep); 25 others reach
    /// the same 3 targets in one act each (a retweet of a post mentioning two accounts: organic).
    #[test]
    fn identical_target_sets_at_distinct_instants() {
        let mut recs = Vec::new();
        for a in 10..35u32 {
            for (k, t) in [1u32, 2, 3].into_iter().enumerate() {
                recs.push(rec(a, t, 1000 * a as i64 + 300 * k as i64));
            }
        }
        let c = coordination(&recs, 80, &all_time(), &CALIBRATION_V4);
        assert_eq!(c.targets.len(), 3);
        assert!(c
            .targets
            .iter()
            .all(|t| t.signals == LOCKSTEP && t.flagged == 25));
        let recs: Vec<Interaction> = (40..65u32)
            .flat_map(|a| [1u32, 2, 3].map(|t| rec(a, t, 5000 * a as i64)))
            .collect();
        assert!(coordination(&recs, 80, &all_time(), &CALIBRATION_V4)
            .targets
            .is_empty());
    }

    /// Calibrations before v4 find nothing.
    #[test]
    fn off_before_v4() {
        let recs: Vec<Interaction> = (100..130).map(|a| rec(a, 0, 1000)).collect();
        let c = coordination(&recs, 130, &all_time(), &crate::score::CALIBRATION_V3);
        assert!(c.targets.is_empty() && c.suspect.iter().all(|&s| !s));
    }
}

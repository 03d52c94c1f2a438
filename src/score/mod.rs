//! Influence measures and the explained 1–100 score, per account over a time window:
//!
//! - **True Reach** ([`reach`]): distinct accounts that acted on the account's content.
//! - **Amplification** ([`amplification`]): how likely its posts are acted on, and by how many,
//!   with a Beta prior for small accounts.
//! - **Network Impact** ([`impact`]): PageRank over the engagement graph (or follow graph).
//!
//! Each is reported in its raw unit and as a 1–100 sub-score; [`combine`] holds the versioned
//! formula, [`gaming`] the defences, [`explain`] the ledger from which a score can be recomputed
//! by hand, [`history`] the changes over a day, a week and a month, [`networks`] the per-person
//! combination over several networks, [`correlations`] the Cha et al. (2010) analysis. The
//! inputs are [`engagement`] (interactions folded per pair in a [`window`]), and optionally
//! [`follows`] and [`posts`] mapped onto the accounts. Reading files is left to `ingest`,
//! rendering to the CLI.
//!
//! # Example
//! ```
//! use clout::ingest::interactions::parse_interactions;
//! use clout::ingest::Source;
//! use clout::score::{score, Inputs, ScoreParams};
//!
//! let text = "b a RT 100\nc a RT 200\na b MT 300\n";
//! let inter = parse_interactions(&Source::from_bytes("i.txt", text.into()), false).unwrap();
//! let params = ScoreParams::default().check(&inter).unwrap();
//! let s = score(&Inputs::new(&inter), &params).unwrap();
//! let a = inter.accounts.find("a").unwrap();
//! assert_eq!(s.accounts[a as usize].reach.engaged, 2);
//! ```

pub mod amplification;
pub mod combine;
pub mod coordination;
pub mod correlations;
pub mod engagement;
pub mod explain;
pub mod follows;
pub mod gaming;
mod grouped;
pub mod history;
pub mod impact;
pub mod networks;
pub mod posts;
pub mod predictive;
pub mod reach;
pub mod rings;
pub mod window;

pub use combine::{
    Calibration, CALIBRATIONS, CALIBRATION_V1, CALIBRATION_V2, CALIBRATION_V3, CALIBRATION_V4,
    CALIBRATION_V5,
};
pub use follows::Follows;
pub use posts::AuthoredPosts;
pub use window::Window;

use crate::error::{Error, Result};
use crate::ingest::{IdMap, Interaction, Interactions, Node};
use amplification::{Amplification, PostSource};
use combine::Combined;
use engagement::Engagement;
use impact::Impact;
use reach::Reach;

/// Version of the scoring code, kept with each stored run: bumped by any change that alters a
/// score under an existing calibration, so that a later run never takes a stored run's scores
/// as its own re-scoring when the code that made them differs (`pipeline::reuse`).
pub const SCORING_VERSION: u32 = 1;

/// Scoring parameters, unchecked; [`ScoreParams::check`] makes them a [`ValidScoreParams`].
///
/// | name | default | range |
/// |---|---|---|
/// | `as_of` | the latest interaction time | any Unix second |
/// | `window` | 90 days | `> 0` seconds, or `None` for all time |
/// | `calibration` | [`CALIBRATION_V5`] | a fixed, versioned calibration ([`CALIBRATIONS`]) |
///
/// Every other constant is in the calibration.
#[derive(Debug, Clone)]
pub struct ScoreParams {
    pub as_of: Option<i64>,
    pub window: Option<i64>,
    pub calibration: &'static Calibration,
}

impl Default for ScoreParams {
    fn default() -> Self {
        ScoreParams {
            as_of: None,
            window: Some(90 * window::DAY),
            calibration: &CALIBRATION_V5,
        }
    }
}

/// Checked scoring parameters.
#[derive(Debug, Clone)]
pub struct ValidScoreParams {
    pub window: Window,
    pub calibration: &'static Calibration,
}

impl ScoreParams {
    /// Validates the parameters against the interactions (for the default as-of instant).
    pub fn check(self, inter: &Interactions) -> Result<ValidScoreParams> {
        if let Some(w) = self.window.filter(|&w| w <= 0) {
            return Err(Error::param("window", format!("{w} s is not positive")));
        }
        let as_of = match self.as_of {
            Some(t) => t,
            None => window::latest_time(&inter.records)
                .ok_or_else(|| Error::param("as_of", "no interactions to take it from"))?,
        };
        if as_of > crate::ingest::time::LATEST {
            return Err(Error::param(
                "as_of",
                format!(
                    "{as_of} s is after 9999-12-31T23:59:59Z, the latest instant clout scores at"
                ),
            ));
        }
        Ok(ValidScoreParams {
            window: Window {
                as_of,
                length: self.window,
            },
            calibration: self.calibration,
        })
    }
}

/// One account's measures and score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AccountScore {
    pub reach: Reach,
    pub amplification: Amplification,
    /// PageRank probability.
    pub impact_rank: f64,
    /// `PageRank · Σ t`: rank per effective account (1 = average).
    pub impact: f64,
    pub combined: Combined,
    /// Sub-scores 1–100: reach, amplification, impact.
    pub sub: [f64; 3],
    pub percentile: f64,
}

impl AccountScore {
    /// The 1–100 score.
    pub fn score(&self) -> f64 {
        self.combined.score
    }
}

/// Scores of every account, with what they were computed from (for explanations).
#[derive(Debug, Clone)]
pub struct Scores {
    pub params: ValidScoreParams,
    pub accounts: Vec<AccountScore>,
    pub post_source: PostSource,
    pub impact: Impact,
    pub engagement: Engagement,
    /// Reactor weight of every account.
    pub weights: Vec<f64>,
    pub teleport: Vec<f64>,
    /// Accounts with no engager whose pair is not discounted.
    pub hollow: Vec<bool>,
    /// The size of every account's closed cluster (0: none; see [`rings`]).
    pub rings: Vec<u32>,
    /// Coordinated targets and suspect accounts (v4; see [`coordination`]).
    pub coordination: coordination::Coordination,
    /// Whether each account existed at the as-of instant (acted or was acted on at or before
    /// it). The others are not scored: no teleport share, no place in the percentiles, and
    /// left out of [`Scores::ranked`], so a score at T depends only on what happened up to T.
    pub present: Vec<bool>,
}

impl Scores {
    /// What one engager `actor` adds to `target`'s weighted True Reach: the actor's reactor
    /// weight times the pair's factor (the reciprocal-ring discount and the flood scale) and its
    /// recency weight (v4). A pair outside the scoring window weighs the reactor weight.
    pub fn reactor_share(&self, target: Node, actor: Node) -> f64 {
        let w = self.weights[actor as usize];
        let pairs = self.engagement.of(target);
        match pairs.binary_search_by_key(&actor, |p| p.actor) {
            Ok(i) => gaming::contribution(w, &pairs[i], self.params.calibration),
            Err(_) => w,
        }
    }

    /// The 1–100 score of every account.
    pub fn values(&self) -> Vec<f64> {
        self.accounts.iter().map(AccountScore::score).collect()
    }

    /// Accounts that existed at the as-of instant, best first (ties by external id), at most
    /// `top`.
    pub fn ranked(&self, ids: &IdMap, top: Option<usize>) -> Vec<Node> {
        let present = |v: Node| self.present[v as usize];
        crate::metrics::ranked_where(&self.values(), ids, top, present)
    }
}

/// What a score is computed from: interactions, and optionally a follow graph and posts
/// mapped onto the interactions' accounts.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    pub interactions: &'a Interactions,
    pub follows: Option<&'a Follows>,
    pub posts: Option<&'a AuthoredPosts>,
}

impl<'a> Inputs<'a> {
    /// Interactions only.
    pub fn new(interactions: &'a Interactions) -> Self {
        Inputs {
            interactions,
            follows: None,
            posts: None,
        }
    }
}

/// Scores every account of the inputs' interactions.
pub fn score(input: &Inputs, params: &ValidScoreParams) -> Result<Scores> {
    score_records(input, &input.interactions.records, params)
}

/// Scores every account of the inputs' interactions from `records`, a subset of its records
/// (one network's, say), without copying the accounts.
pub fn score_records(
    input: &Inputs,
    records: &[Interaction],
    params: &ValidScoreParams,
) -> Result<Scores> {
    let follows = input.follows;
    let cal = params.calibration;
    let n = input.interactions.accounts.len();
    let mut eng = Engagement::new(records, n, &params.window, cal);
    eng.weigh_recency(params.window.as_of, cal.recency_fraction, cal.recency_floor);
    let coordination = coordination::coordination(records, n, &params.window, cal);
    let hollow = gaming::hollow(&eng, &coordination.suspect, cal);
    let rings = rings::close_rings(&mut eng, &hollow, cal);
    let hollow = gaming::hollow(&eng, &coordination.suspect, cal);
    gaming::flood(&mut eng, &hollow, cal);
    let present = history::present_at(input.interactions, params.window.as_of);
    let mut teleport = gaming::teleport(&eng, &hollow, cal);
    only_present(&mut teleport, &present);
    let impact = impact::network_impact(&eng, follows, &present, teleport.clone(), cal)?;
    let pr_ref = gaming::reference_rank(&teleport, cal);
    let weights = gaming::reactor_weights(&impact.ranks, &hollow, pr_ref, cal);
    let mut reach = reach::true_reach(&eng, &weights, &hollow, follows, cal);
    reach::volume(&mut reach, records, &params.window, &eng, &weights, cal);
    let uw: Vec<f64> = reach.iter().map(|r| r.weighted).collect();
    let reactors = amplification::Reactors {
        engagement: &eng,
        weights: &weights,
        reach_weighted: &uw,
    };
    let (amp, post_source) =
        amplification::amplification(records, input.posts, &params.window, &reactors, cal);
    let effective: f64 = teleport.iter().sum();
    let measures = Assembly {
        reach: &reach,
        amp: &amp,
        ranks: &impact.ranks,
        effective,
        present: &present,
    };
    let accounts = assemble(&measures, follows, cal);
    Ok(Scores {
        params: params.clone(),
        accounts,
        post_source,
        impact,
        engagement: eng,
        weights,
        teleport,
        hollow,
        rings,
        coordination,
        present,
    })
}

/// Zeroes the teleport share of accounts that did not exist yet (unless none did: then
/// nothing is scored anyway and the shares stay, so that PageRank has a teleport).
fn only_present(teleport: &mut [f64], present: &[bool]) {
    if !present.contains(&true) {
        return;
    }
    for (t, _) in teleport.iter_mut().zip(present).filter(|(_, &p)| !p) {
        *t = 0.0;
    }
}

/// The per-account measures a score is assembled from.
struct Assembly<'a> {
    reach: &'a [Reach],
    amp: &'a [Amplification],
    ranks: &'a [f64],
    /// `Σ t` over the teleport shares.
    effective: f64,
    present: &'a [bool],
}

fn assemble(m: &Assembly, follows: Option<&Follows>, cal: &Calibration) -> Vec<AccountScore> {
    let (reach, amp, ranks, effective) = (m.reach, m.amp, m.ranks, m.effective);
    let mut out: Vec<AccountScore> = (0..reach.len())
        .map(|v| {
            let penalty = follows.map_or(1.0, |f| {
                gaming::follow_penalty(f.following[v], f.followers[v], cal)
            });
            let impact = ranks[v] * effective;
            let m = combine::Measures {
                reach: reach[v].weighted,
                amp: amp[v].value,
                impact,
                volume: reach[v].volume,
            };
            let c = combine::combine(cal, m, penalty);
            AccountScore {
                reach: reach[v],
                amplification: amp[v],
                impact_rank: ranks[v],
                impact,
                sub: [c.l_reach, c.l_amp, c.l_impact].map(|l| cal.points(l)),
                combined: c,
                percentile: 0.0,
            }
        })
        .collect();
    // Percentiles among the accounts that existed (the others keep 0).
    let idx: Vec<usize> = (0..out.len()).filter(|&v| m.present[v]).collect();
    let scores: Vec<f64> = idx.iter().map(|&v| out[v].score()).collect();
    for (&v, p) in idx.iter().zip(combine::percentiles(&scores)) {
        out[v].percentile = p;
    }
    out
}

//! Per-topic leaderboards: who is influential about a topic, combining what an account earns
//! engagement on (topic expertise, [`crate::topics::expertise`]) with how much of the topic's
//! attention flows to it through the network (topic-sensitive Network Impact, [`topical`]).
//!
//! # Formula
//! For topic `t`, with `E(a, t)` the account's expertise (rolled up: a super-topic counts its
//! whole subtree) and `PR_t(a)` its PageRank when the teleport follows the topic's expertise,
//!
//! ```text
//! influence(a, t) = 100 · (E(a, t) / E*_t)^α · (PR_t(a) / PR*_t)^(1 − α)
//! ```
//!
//! where `E*_t` and `PR*_t` are the largest values among the topic's experts and `α = 0.5` by
//! default: an account must both earn engagement on the topic and be where the topic's attention
//! goes. Only experts (accounts meeting expertise's minimum evidence) are ranked. Filters
//! (network, minimum True Reach) remove rows after normalisation, so a value does not change
//! with the filters; the window is the scoring window. Ties are broken by account id. +K
//! endorsements in the window scale expertise before anything else, capped
//! ([`crate::topics::expertise::endorse`]).
//! Reading files and rendering are left to the CLI.

pub mod topical;

use crate::error::{Error, Result};
use crate::ingest::{Interactions, Node, Posts};
use crate::score::{Follows, Scores};
use crate::topics::expertise::endorse::{
    self, EndorseParams, Endorsement, PlusK, ValidEndorseParams,
};
use crate::topics::expertise::post_inputs::PostInputs;
use crate::topics::{Expertise, ExpertiseParams, Ontology, PostLabeler, TopicIdx};
use rustc_hash::FxHashMap;

/// Leaderboard parameters, unchecked; [`check`](LeaderboardParams::check) validates them.
///
/// | name | default | range |
/// |---|---|---|
/// | `top` | all | entries per topic |
/// | `network` | all | a network named in the interactions |
/// | `min_reach` | 0 | minimum True Reach (distinct engaged accounts in the window) |
/// | `alpha` | 0.5 | `[0, 1]`: weight of expertise against topical impact |
/// | `expertise` | defaults | see [`ExpertiseParams`] |
/// | `endorse` | defaults | +K, see [`EndorseParams`] |
#[derive(Debug, Clone)]
pub struct LeaderboardParams {
    pub top: Option<usize>,
    pub network: Option<String>,
    pub min_reach: u32,
    pub alpha: f64,
    pub expertise: ExpertiseParams,
    pub endorse: EndorseParams,
}

impl Default for LeaderboardParams {
    fn default() -> Self {
        LeaderboardParams {
            top: None,
            network: None,
            min_reach: 0,
            alpha: 0.5,
            expertise: ExpertiseParams::default(),
            endorse: EndorseParams::default(),
        }
    }
}

/// Checked parameters for one set of interactions.
#[derive(Debug, Clone)]
pub struct ValidLeaderboardParams {
    top: Option<usize>,
    /// Index into the interactions' networks.
    network: Option<u16>,
    min_reach: u32,
    alpha: f64,
    expertise: crate::topics::expertise::ValidExpertiseParams,
    endorse: ValidEndorseParams,
}

impl LeaderboardParams {
    /// Validates the parameters; the network must be one the interactions name.
    pub fn check(self, inter: &Interactions) -> Result<ValidLeaderboardParams> {
        if !(0.0..=1.0).contains(&self.alpha) {
            return Err(Error::param(
                "alpha",
                format!("{} is not in [0, 1]", self.alpha),
            ));
        }
        let network = match &self.network {
            None => None,
            Some(name) => Some(
                inter
                    .networks
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(name))
                    .ok_or_else(|| {
                        Error::param(
                            "network",
                            format!(
                                "unknown network {name:?}; the interactions name: {}",
                                if inter.networks.is_empty() {
                                    "none".to_string()
                                } else {
                                    inter.networks.join(", ")
                                }
                            ),
                        )
                    })? as u16,
            ),
        };
        Ok(ValidLeaderboardParams {
            top: self.top,
            network,
            min_reach: self.min_reach,
            alpha: self.alpha,
            expertise: self.expertise.check()?,
            endorse: self.endorse.check()?,
        })
    }
}

/// What leaderboards are computed from: a scoring run and the posts.
#[derive(Debug, Clone, Copy)]
pub struct BoardInputs<'a> {
    pub interactions: &'a Interactions,
    pub follows: Option<&'a Follows>,
    pub posts: &'a Posts,
    /// The scores of `interactions` (their window, reactor weights, True Reach, graph).
    pub scores: &'a Scores,
    /// +K endorsements (any time; those in the scoring window count) and who endorses.
    pub endorsements: Endorsers<'a>,
}

/// +K endorsements with the person of every account (endorsers count as people).
#[derive(Debug, Clone, Copy, Default)]
pub struct Endorsers<'a> {
    pub records: &'a [Endorsement],
    /// The person index of every account; empty: every account its own person.
    pub person_of: &'a [u32],
}

impl Endorsers<'_> {
    /// The person of account `a`.
    pub fn person(&self, a: Node) -> u32 {
        self.person_of.get(a as usize).copied().unwrap_or(a)
    }
}

/// One row of a leaderboard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leader {
    pub account: Node,
    /// `influence(a, t)`, 0–100.
    pub value: f64,
    /// `E(a, t)`.
    pub expertise: f64,
    /// `PR_t(a)`.
    pub topical_impact: f64,
    /// The account's overall 1–100 score.
    pub score: f64,
}

/// Leaderboards of several topics, with the expertise they came from (for explanations).
#[derive(Debug, Clone)]
pub struct Leaderboards {
    /// `(topic, rows best first)`, in the order asked.
    pub boards: Vec<(TopicIdx, Vec<Leader>)>,
    pub expertise: Expertise,
    pub posts: PostInputs,
    /// What +K did, by `(account, topic)` (only where it scaled an expertise).
    pub plus_k: FxHashMap<(Node, TopicIdx), PlusK>,
}

/// Computes the leaderboards of `topics` (every topic of `ontology` when `None`); `classify`
/// labels the posts (see [`PostLabeler`]: a function of one post, or a [`crate::topics::TopicEngine`]).
pub fn leaderboards(
    input: &BoardInputs,
    ontology: &Ontology,
    labeler: &impl PostLabeler,
    topics: Option<&[TopicIdx]>,
    params: &ValidLeaderboardParams,
) -> Result<Leaderboards> {
    let (inter, scores) = (input.interactions, input.scores);
    let w = scores.params.window;
    let share = |actor, target| scores.reactor_share(target, actor);
    let posts = PostInputs::gather(
        inter,
        input.posts,
        Some(&share),
        |r| w.contains(r.time),
        |p| w.contains(p.time),
        labeler,
    )?;
    let n = inter.accounts.len();
    let mut expertise = Expertise::compute(ontology, n, &posts.evidence(), &params.expertise);
    let topics: Vec<TopicIdx> = match topics {
        Some(t) => t.to_vec(),
        None => (0..ontology.len() as TopicIdx).collect(),
    };
    // The topic's teleport follows the expertise that posts earned; +K scales only the
    // expertise ranked, so its cap bounds what it does to a value.
    let teleport = experts_by_topic(&expertise, &topics, ontology.len());
    let cal = scores.params.calibration;
    let (g, weighted) = topical::impact_graph(scores, input.follows, &inter.accounts, cal);
    let impact = topical::topical_impact(&g, weighted, cal.damping, &teleport)?;
    drop(g);
    drop(teleport);
    let tallied = endorse::tally(
        input.endorsements.records,
        |t| w.contains(t),
        |e| scores.accounts[e as usize].score() / 100.0,
        |e| input.endorsements.person(e),
        &params.endorse,
    );
    let plus_k = endorse::apply(&mut expertise, tallied);
    let experts = experts_by_topic(&expertise, &topics, ontology.len());
    let networks = params.network.map(|_| account_networks(inter));
    let boards = topics
        .iter()
        .zip(experts.iter().zip(&impact))
        .map(|(&t, (e, pr))| {
            let keep = |a: Node| {
                scores.accounts[a as usize].reach.engaged >= params.min_reach
                    && networks
                        .as_ref()
                        .is_none_or(|nets| nets[a as usize] == params.network)
            };
            (t, rank(e, pr, scores, inter, params, keep))
        })
        .collect();
    Ok(Leaderboards {
        boards,
        expertise,
        posts,
        plus_k,
    })
}

/// For each of `topics`, its experts `(account, expertise)` by account, in one pass.
fn experts_by_topic(
    expertise: &Expertise,
    topics: &[TopicIdx],
    num_topics: usize,
) -> Vec<Vec<(Node, f64)>> {
    let mut slot: Vec<Vec<usize>> = vec![Vec::new(); num_topics];
    for (j, &t) in topics.iter().enumerate() {
        slot[t as usize].push(j);
    }
    let mut out = vec![Vec::new(); topics.len()];
    for (a, e) in expertise.iter() {
        for &j in &slot[e.topic as usize] {
            out[j].push((a, e.score));
        }
    }
    out
}

/// The network of every account: that of the first interaction it takes part in.
pub fn account_networks(inter: &Interactions) -> Vec<Option<u16>> {
    let mut net = vec![None; inter.accounts.len()];
    for r in &inter.records {
        if let Some(n) = r.network {
            net[r.target as usize].get_or_insert(n);
            net[r.actor as usize].get_or_insert(n);
        }
    }
    net
}

/// One topic's rows: normalised over all its experts, filtered by `keep`, best first.
fn rank(
    experts: &[(Node, f64)],
    impact: &[f64],
    scores: &Scores,
    inter: &Interactions,
    params: &ValidLeaderboardParams,
    keep: impl Fn(Node) -> bool,
) -> Vec<Leader> {
    let e_max = experts.iter().map(|e| e.1).fold(0.0, f64::max);
    let pr_max = impact.iter().copied().fold(0.0, f64::max);
    let a = params.alpha;
    let mut rows: Vec<Leader> = experts
        .iter()
        .zip(impact)
        .filter(|((v, _), _)| keep(*v))
        .map(|(&(v, e), &pr)| Leader {
            account: v,
            value: 100.0 * (e / e_max).powf(a) * (pr / pr_max).powf(1.0 - a),
            expertise: e,
            topical_impact: pr,
            score: scores.accounts[v as usize].score(),
        })
        .collect();
    let ids = &inter.accounts;
    rows.sort_by(|x, y| {
        y.value
            .total_cmp(&x.value)
            .then_with(|| ids.cmp_names(x.account, y.account))
    });
    if let Some(k) = params.top {
        rows.truncate(k);
    }
    rows
}

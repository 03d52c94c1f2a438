//! Interactions, by an independent-cascade-like model over the follow graph: a post exposes its
//! author's followers; each exposed account acts on it (at most once per post) with probability
//! `c · √influence(author) · affinity(actor, topic)` (capped at [`P_MAX`]), where affinity is
//! [`AFFINITY_BASE`] plus the actor's interest weight in the post's topic. A share exposes the
//! sharer's followers in turn (at most [`MAX_DEPTH`] hops, each hop × [`HOP_DECAY`]). Every
//! interaction targets the post's author. `c` is calibrated so the total is about
//! `interactions_per_account` per account. The planted attacks come on top: every bot likes and
//! shares every post of the boosted account within minutes, and ring members share and comment
//! on each other's every post.
//!
//! Sampling is thinned: followers are visited by geometric skips at the largest probability any
//! of them can have, and each visited one is accepted with its own probability over that
//! bound, so the cost follows the number of interactions, not the number of followers.

use rustc_hash::FxHashSet;

use super::accounts::{Account, Role};
use super::posts::PostMeta;
use crate::ingest::Kind;
use crate::rng::SplitMix;
use crate::topics::TopicIdx;

pub const P_MAX: f64 = 0.9;
pub const AFFINITY_BASE: f64 = 0.15;
/// Affinity with off-topic chatter.
pub const AFFINITY_CHATTER: f64 = 0.3;
pub const MAX_DEPTH: u32 = 2;
pub const HOP_DECAY: f64 = 0.5;
/// Expected total over direct interactions, used in the calibration.
pub const CASCADE_FACTOR: f64 = 1.15;
/// Kinds and their shares.
const KINDS: [(Kind, f64); 5] = [
    (Kind::Like, 0.45),
    (Kind::Share, 0.25),
    (Kind::Comment, 0.12),
    (Kind::Reply, 0.10),
    (Kind::Mention, 0.08),
];

/// One interaction with a post (the target is its author).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Engagement {
    pub actor: u32,
    pub kind: Kind,
    pub time: i64,
}

/// The cascade model over a fixed world.
pub struct Cascade<'a> {
    pub accounts: &'a [Account],
    pub followers: &'a [Vec<u32>],
    pub end: i64,
    /// Calibrated scale `c`.
    pub scale: f64,
    prefs: Vec<Prefs>,
    bots: Vec<u32>,
    ring: Vec<u32>,
}

/// What the cascade needs of an actor, packed in one cache line: up to three interests, and
/// whether it is a bot (bots act only as planted).
#[derive(Debug, Clone, Copy)]
struct Prefs {
    topics: [TopicIdx; 3],
    weights: [f32; 3],
    bot: bool,
}

impl Prefs {
    fn of(a: &Account) -> Prefs {
        let mut p = Prefs {
            topics: [TopicIdx::MAX; 3],
            weights: [0.0; 3],
            bot: a.role == Role::Bot,
        };
        for (k, &(t, w)) in a.interests.iter().take(3).enumerate() {
            p.topics[k] = t;
            p.weights[k] = w as f32;
        }
        p
    }

    fn affinity(&self, topic: Option<TopicIdx>) -> f64 {
        match topic {
            None => AFFINITY_CHATTER,
            Some(t) => {
                let k = self.topics.iter().position(|&u| u == t);
                AFFINITY_BASE + k.map_or(0.0, |k| f64::from(self.weights[k]))
            }
        }
    }
}

/// Failures before the first success of trials with probability `p`: a geometric skip
/// (`usize::MAX` when `p` is 0).
fn skip(rng: &mut SplitMix, p: f64) -> usize {
    if p >= 1.0 {
        return 0;
    }
    if p <= 0.0 {
        return usize::MAX / 2;
    }
    let u = 1.0 - rng.unit();
    (u.ln() / (1.0 - p).ln()).floor().min(1e15) as usize
}

fn pick_kind(rng: &mut SplitMix) -> Kind {
    let mut x = rng.unit();
    for (k, p) in KINDS {
        if x < p {
            return k;
        }
        x -= p;
    }
    Kind::Like
}

impl<'a> Cascade<'a> {
    pub fn new(accounts: &'a [Account], followers: &'a [Vec<u32>], end: i64) -> Self {
        let of = |r: Role| -> Vec<u32> {
            (0..accounts.len() as u32)
                .filter(|&i| accounts[i as usize].role == r)
                .collect()
        };
        Cascade {
            accounts,
            followers,
            end,
            scale: 0.0,
            prefs: accounts.iter().map(Prefs::of).collect(),
            bots: of(Role::Bot),
            ring: of(Role::Ring),
        }
    }

    /// `Σ_followers √influence · affinity`: the expected direct interactions of a post at `c = 1`.
    pub fn weight(&self, post: &PostMeta) -> f64 {
        let a = post.author as usize;
        let s = self.accounts[a].influence.sqrt();
        self.followers[a]
            .iter()
            .map(|&f| &self.prefs[f as usize])
            .filter(|p| !p.bot)
            .map(|p| s * p.affinity(post.topic))
            .sum()
    }

    /// Interactions the planted attacks add to a post.
    pub fn planted_count(&self, post: &PostMeta) -> usize {
        match self.accounts[post.author as usize].role {
            Role::Boosted => 2 * self.bots.len(),
            Role::Ring => 2 * (self.ring.len() - 1),
            _ => 0,
        }
    }

    /// The interactions with one post, by time (ties by actor); `rng` is the post's stream.
    pub fn engage(&self, post: &PostMeta, rng: &mut SplitMix) -> Vec<Engagement> {
        let author = post.author;
        let s = self.accounts[author as usize].influence.sqrt();
        let mut out = Vec::new();
        let mut acted: FxHashSet<u32> = FxHashSet::default();
        acted.insert(author);
        let bound = match post.topic {
            Some(_) => AFFINITY_BASE + 1.0,
            None => AFFINITY_CHATTER,
        };
        let mut queue = vec![(author, 0u32, post.time)];
        while let Some((from, depth, t0)) = queue.pop() {
            let decay = HOP_DECAY.powi(depth as i32);
            let p_max = (self.scale * s * bound * decay).min(P_MAX);
            let followers = &self.followers[from as usize];
            let mut i = skip(rng, p_max);
            while i < followers.len() {
                let f = followers[i];
                i += 1 + skip(rng, p_max);
                let actor = &self.prefs[f as usize];
                if actor.bot || acted.contains(&f) {
                    continue;
                }
                let p = (self.scale * s * actor.affinity(post.topic) * decay).min(P_MAX);
                if !rng.chance(p / p_max) {
                    continue;
                }
                acted.insert(f);
                let kind = pick_kind(rng);
                let time = t0 + rng.exponential(4.0 * 3600.0 * f64::from(1 + depth)) as i64 + 1;
                if time >= self.end {
                    continue;
                }
                out.push(Engagement {
                    actor: f,
                    kind,
                    time,
                });
                if kind == Kind::Share && depth < MAX_DEPTH {
                    queue.push((f, depth + 1, time));
                }
            }
        }
        self.plant(post, rng, &mut out);
        out.sort_unstable_by_key(|e| (e.time, e.actor, e.kind));
        out
    }

    fn plant(&self, post: &PostMeta, rng: &mut SplitMix, out: &mut Vec<Engagement>) {
        let (actors, kinds, spread) = match self.accounts[post.author as usize].role {
            Role::Boosted => (&self.bots, [Kind::Like, Kind::Share], 600),
            Role::Ring => (&self.ring, [Kind::Share, Kind::Comment], 3600),
            _ => return,
        };
        for &actor in actors.iter().filter(|&&a| a != post.author) {
            for kind in kinds {
                let time = post.time + 1 + rng.below(spread) as i64;
                if time < self.end {
                    out.push(Engagement { actor, kind, time });
                }
            }
        }
    }
}

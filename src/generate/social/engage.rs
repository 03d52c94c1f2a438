//! Interactions, by an independent-cascade-like model over the follow graph: a post exposes its
//! author's followers; each exposed account acts on it once with probability
//! `c · √influence(author) · affinity(actor, topic)` (capped at [`P_MAX`]), where affinity is
//! [`AFFINITY_BASE`] plus the actor's interest weight in the post's topic. A share exposes the
//! sharer's followers in turn (at most [`MAX_DEPTH`] hops, each hop × [`HOP_DECAY`]). Every
//! interaction targets the post's author. `c` is calibrated so the total is about
//! `interactions_per_account` per account. The planted attacks come on top: every bot likes and
//! shares every post of the boosted account within minutes, and ring members share and comment
//! on each other's every post.

use rustc_hash::FxHashSet;

use super::super::rng::SplitMix;
use super::accounts::{Account, Role};
use super::posts::PostMeta;
use crate::ingest::Kind;
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
    bots: Vec<u32>,
    ring: Vec<u32>,
}

fn affinity(a: &Account, topic: Option<TopicIdx>) -> f64 {
    match topic {
        None => AFFINITY_CHATTER,
        Some(t) => AFFINITY_BASE + a.interests.iter().find(|i| i.0 == t).map_or(0.0, |i| i.1),
    }
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
            .map(|&f| s * affinity(&self.accounts[f as usize], post.topic))
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
        let mut exposed: FxHashSet<u32> = FxHashSet::default();
        exposed.insert(author);
        let mut queue = vec![(author, 0u32, post.time)];
        while let Some((from, depth, t0)) = queue.pop() {
            let decay = HOP_DECAY.powi(depth as i32);
            for &f in &self.followers[from as usize] {
                let actor = &self.accounts[f as usize];
                if !exposed.insert(f) || actor.role == Role::Bot {
                    continue;
                }
                let aff = affinity(actor, post.topic);
                if !rng.chance((self.scale * s * aff * decay).min(P_MAX)) {
                    continue;
                }
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

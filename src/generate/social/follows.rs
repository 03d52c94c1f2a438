//! The follow graph: every account follows about `follows_per_account` accounts of its own
//! network (log-normal out-degree). Each follow picks, with probability [`TOPICAL`], an account
//! sharing one of the follower's interests (drawn by interest weight), chance proportional to
//! influence^1.5 × interest weight; otherwise any account, chance proportional to influence^1.5. This
//! is fitness-based attachment (Chung–Lu style): it gives the heavy-tailed in-degrees of
//! preferential attachment while every account draws from its own seeded stream, so it runs in
//! parallel with the same result for any thread count. Bots follow each other and the boosted
//! account; ring members follow each other.

use rayon::prelude::*;

use super::super::rng::SplitMix;
use super::accounts::{Account, Network, Role};
use crate::topics::TopicIdx;

/// Share of follows chosen among accounts that share an interest.
pub const TOPICAL: f64 = 0.65;

/// Accounts with cumulative weights, for draws proportional to weight.
#[derive(Debug, Default, Clone)]
struct Pool {
    ids: Vec<u32>,
    cumulative: Vec<f64>,
}

impl Pool {
    fn push(&mut self, id: u32, w: f64) {
        let last = self.cumulative.last().copied().unwrap_or(0.0);
        self.ids.push(id);
        self.cumulative.push(last + w);
    }

    fn draw(&self, rng: &mut SplitMix) -> Option<u32> {
        let total = *self.cumulative.last()?;
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c <= x);
        Some(self.ids[i.min(self.ids.len() - 1)])
    }
}

/// How strongly influence attracts followers: `influence^1.5`.
fn fitness(influence: f64) -> f64 {
    influence * influence.sqrt()
}

/// Draw pools per network: everyone, and per topic.
struct Pools {
    all: Vec<Pool>,
    by_topic: Vec<Vec<Pool>>,
}

fn net(n: Network) -> usize {
    n as usize
}

impl Pools {
    fn new(accounts: &[Account], topics: usize) -> Pools {
        let mut all = vec![Pool::default(); 2];
        let mut by_topic = vec![vec![Pool::default(); topics]; 2];
        for (i, a) in accounts.iter().enumerate() {
            if a.role == Role::Bot {
                continue;
            }
            all[net(a.network)].push(i as u32, fitness(a.influence));
            for &(t, w) in &a.interests {
                by_topic[net(a.network)][t as usize].push(i as u32, fitness(a.influence) * w);
            }
        }
        Pools { all, by_topic }
    }
}

/// Followees of every account, sorted, without duplicates or self-follows.
pub fn follow_graph(accounts: &[Account], topics: usize, seed: u64, mean: f64) -> Vec<Vec<u32>> {
    let pools = Pools::new(accounts, topics);
    let mut out: Vec<Vec<u32>> = (0..accounts.len())
        .into_par_iter()
        .map(|u| {
            let a = &accounts[u];
            if a.role == Role::Bot {
                return Vec::new();
            }
            let mut rng = SplitMix::stream(seed, 3, u as u64);
            let d = (mean * (0.8 * rng.normal() - 0.32).exp()).round().max(1.0) as usize;
            let mut f = Vec::with_capacity(d);
            for _ in 0..d {
                let topical = !a.interests.is_empty() && rng.chance(TOPICAL);
                let pool = if topical {
                    let t = pick_interest(&a.interests, &mut rng);
                    &pools.by_topic[net(a.network)][t as usize]
                } else {
                    &pools.all[net(a.network)]
                };
                if let Some(v) = pool.draw(&mut rng) {
                    f.push(v);
                }
            }
            f
        })
        .collect();
    plant(accounts, &mut out);
    out.par_iter_mut().enumerate().for_each(|(u, f)| {
        f.sort_unstable();
        f.dedup();
        f.retain(|&v| v as usize != u);
    });
    out
}

/// An interest drawn by weight.
pub fn pick_interest(interests: &[(TopicIdx, f64)], rng: &mut SplitMix) -> TopicIdx {
    let total: f64 = interests.iter().map(|i| i.1).sum();
    let mut x = rng.unit() * total;
    for &(t, w) in interests {
        if x < w {
            return t;
        }
        x -= w;
    }
    interests[interests.len() - 1].0
}

/// The bot farm's and the ring's follows.
fn plant(accounts: &[Account], out: &mut [Vec<u32>]) {
    let of = |r: Role| -> Vec<u32> {
        (0..accounts.len() as u32)
            .filter(|&i| accounts[i as usize].role == r)
            .collect()
    };
    let (bots, ring, boosted) = (of(Role::Bot), of(Role::Ring), of(Role::Boosted));
    for &b in &bots {
        out[b as usize].extend(bots.iter().chain(&boosted));
    }
    for &r in &ring {
        out[r as usize].extend(&ring);
    }
}

/// Followers of every account (the transpose), each list sorted.
pub fn followers(follows: &[Vec<u32>]) -> Vec<Vec<u32>> {
    let mut inn = vec![Vec::new(); follows.len()];
    for (u, f) in follows.iter().enumerate() {
        for &v in f {
            inn[v as usize].push(u as u32);
        }
    }
    inn
}

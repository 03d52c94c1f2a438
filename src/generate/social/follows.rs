//! The follow graph: every account follows about `follows_per_account` accounts of its own
//! network (log-normal out-degree). Each follow picks, with probability [`TOPICAL`], an account
//! sharing one of the follower's interests (drawn by interest weight), chance proportional to
//! influence^1.5 × interest weight; otherwise any account, chance proportional to influence^1.5. This
//! is fitness-based attachment (Chung–Lu style): it gives the heavy-tailed in-degrees of
//! preferential attachment while every account draws from its own seeded stream, so it runs in
//! parallel with the same result for any thread count. Bots follow each other and the boosted
//! account; ring members follow each other.

use rayon::prelude::*;

use super::accounts::{Account, Network, Role};
use crate::rng::SplitMix;
use crate::topics::TopicIdx;

/// Share of follows chosen among accounts that share an interest.
pub const TOPICAL: f64 = 0.65;

/// Accounts with weights, drawn proportionally to weight in O(1) by Walker's alias method
/// (Vose's construction) once [`Pool::finish`] has run.
#[derive(Debug, Default, Clone)]
pub struct Pool {
    ids: Vec<u32>,
    /// Weights while filling; then the probability of keeping slot `i` rather than its alias.
    keep: Vec<f64>,
    alias: Vec<u32>,
}

impl Pool {
    pub fn push(&mut self, id: u32, w: f64) {
        self.ids.push(id);
        self.keep.push(w);
    }

    /// Builds the alias table.
    pub fn finish(&mut self) {
        let n = self.keep.len();
        let total: f64 = self.keep.iter().sum();
        if n == 0 || total <= 0.0 {
            self.ids.clear();
            return;
        }
        let mut scaled: Vec<f64> = self.keep.iter().map(|w| w * n as f64 / total).collect();
        let (mut small, mut large): (Vec<u32>, Vec<u32>) =
            (0..n as u32).partition(|&i| scaled[i as usize] < 1.0);
        self.alias = (0..n as u32).collect();
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            self.keep[s as usize] = scaled[s as usize];
            self.alias[s as usize] = l;
            scaled[l as usize] -= 1.0 - scaled[s as usize];
            if scaled[l as usize] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        for i in small.into_iter().chain(large) {
            self.keep[i as usize] = 1.0;
        }
    }

    /// An id drawn proportionally to its weight; `None` for an empty pool.
    pub fn draw(&self, rng: &mut SplitMix) -> Option<u32> {
        if self.ids.is_empty() {
            return None;
        }
        let i = rng.below(self.ids.len() as u64) as usize;
        let j = if rng.unit() < self.keep[i] {
            i
        } else {
            self.alias[i] as usize
        };
        Some(self.ids[j])
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
        all.iter_mut()
            .chain(by_topic.iter_mut().flatten())
            .for_each(Pool::finish);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_draws_follow_the_weights() {
        let mut pool = Pool::default();
        let w = [5.0, 0.0, 1.0, 2.0, 0.5, 1.5];
        for (i, &x) in w.iter().enumerate() {
            pool.push(i as u32 * 10, x);
        }
        pool.finish();
        let mut rng = SplitMix::stream(9, 9, 9);
        let mut counts = [0u32; 6];
        let n = 200_000;
        for _ in 0..n {
            counts[(pool.draw(&mut rng).unwrap() / 10) as usize] += 1;
        }
        for (c, x) in counts.iter().zip(w) {
            assert!(
                (f64::from(*c) / n as f64 - x / 10.0).abs() < 0.005,
                "{counts:?}"
            );
        }
        let mut empty = Pool::default();
        empty.finish();
        assert_eq!(empty.draw(&mut rng), None);
    }
}

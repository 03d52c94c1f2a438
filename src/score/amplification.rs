//! Amplification: how likely an account's posts are to be acted on, and by how many.
//!
//! ```text
//! p       = (A + α) / (P_w + α + β)            Beta(α, β) posterior: a post is acted on
//! breadth = U / (A + k)                       engaged accounts per acted-on post, shrunk
//! value   = p · breadth                        expected engaged accounts per post
//! ```
//!
//! with `A = Σ_posts min(1, Σ w(r)·f(r))` the posts acted on, weighted by the reactor weights (a
//! post acted on only by accounts nobody engages with barely counts), and `P_w` the posts in the
//! window: a post known from its author (a posts file, or a derived post the account wrote)
//! counts 1, a post known only because someone acted on it counts like its `A` term (so actions
//! from accounts nobody engages with cannot reveal posts and lower `p` either), and `U` the weighted True Reach. The prior pulls accounts with few posts
//! toward the population's typical post (`α = 1, β = 3`: mean 0.25, worth 4 posts) and `k = 4`
//! pseudo-posts with no engaged account damp the breadth, so one lucky post is not a high score; many posts nobody acts on raise `P` and lower `p`.
//!
//! Posts come from a posts file when given (so posts nobody acted on count) and from the
//! interactions' post ids. Records without one yield **derived posts**: a
//! post is an account's hour (`post_bucket`) in which it wrote something (its own actions are
//! its posts) or was acted on; the output says so.

use super::combine::Calibration;
use super::engagement::Engagement;
use super::gaming::pair_factor;
use super::grouped::grouped;
use super::posts::AuthoredPosts;
use super::window::Window;
use crate::ingest::{Interaction, Node};

/// Where the posts came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PostSource {
    /// A posts file plus the interactions' post ids.
    PostsFile,
    /// Every record in the window carried a post id.
    PostIds,
    /// No record carried a post id: posts are derived (account, hour) buckets.
    Derived,
    /// Some records carried post ids, the rest were derived.
    Mixed,
}

/// Amplification of one account.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Amplification {
    /// Posts in the window (`P`).
    pub posts: u32,
    /// `P_w`: posts, those known only from actions on them weighted like `A`.
    pub posts_weighted: f64,
    /// Posts with at least one action by another account.
    pub posts_acted_on: u32,
    /// `A`: posts acted on, weighted by the reactors' weights (each post at most 1).
    pub acted_on_weighted: f64,
    /// `p`: the posterior probability that a post is acted on.
    pub probability: f64,
    /// Engaged accounts per acted-on post, shrunk.
    pub breadth: f64,
    /// `p · breadth`: expected weighted engaged accounts per post (the measure).
    pub value: f64,
}

/// What Amplification needs from the other measures: the engaged pairs, every account's
/// reactor weight, and every account's weighted True Reach (`U`).
#[derive(Debug, Clone, Copy)]
pub struct Reactors<'a> {
    pub engagement: &'a Engagement,
    pub weights: &'a [f64],
    pub reach_weighted: &'a [f64],
}

const NO_REACTOR: u32 = u32::MAX;
const POST_ID: u64 = 1 << 63;

/// Amplification of every account.
pub fn amplification(
    records: &[Interaction],
    posts: Option<&AuthoredPosts>,
    window: &Window,
    reactors: &Reactors,
    cal: &Calibration,
) -> (Vec<Amplification>, PostSource) {
    let Reactors {
        engagement: eng,
        weights,
        reach_weighted,
    } = *reactors;
    let (mut triples, mut source) = post_triples(records, window, cal);
    if let Some(p) = posts {
        add_authored(&mut triples, p, window);
        if source == PostSource::PostIds {
            source = PostSource::PostsFile;
        }
    }
    let n = reach_weighted.len();
    let (mut triples, _) = grouped(n, &triples, |t| t.0, |row| row.sort_unstable());
    triples.dedup();
    let mut out = vec![Amplification::default(); n];
    let mut i = 0;
    while i < triples.len() {
        let (owner, key) = (triples[i].0, triples[i].1);
        let j = i + triples[i..]
            .iter()
            .position(|t| (t.0, t.1) != (owner, key))
            .unwrap_or(triples.len() - i);
        let acted: f64 = triples[i..j]
            .iter()
            .filter(|t| t.2 != NO_REACTOR)
            .map(|t| reactor_share(eng, owner, t.2, weights, cal))
            .sum();
        let authored = triples[i..j].iter().any(|t| t.2 == NO_REACTOR);
        let a = &mut out[owner as usize];
        a.posts += 1;
        a.posts_weighted += if authored { 1.0 } else { acted.min(1.0) };
        a.posts_acted_on += (triples[i..j].iter().any(|t| t.2 != NO_REACTOR)) as u32;
        a.acted_on_weighted += acted.min(1.0);
        i = j;
    }
    for (a, &u) in out.iter_mut().zip(reach_weighted) {
        finish(a, u, cal);
    }
    (out, source)
}

/// `(owner, post key, reactor)` for every post in the window, sorted and deduplicated.
fn post_triples(
    records: &[Interaction],
    window: &Window,
    cal: &Calibration,
) -> (Vec<(Node, u64, u32)>, PostSource) {
    let mut t = Vec::new();
    let (mut with_id, mut without) = (0usize, 0usize);
    for r in records.iter().filter(|r| window.contains(r.time)) {
        let reactor = if r.actor == r.target {
            NO_REACTOR
        } else {
            r.actor
        };
        match r.post {
            Some(p) => {
                with_id += 1;
                t.push((r.target, POST_ID | p as u64, reactor));
            }
            None => {
                without += 1;
                let bucket = r.time.div_euclid(cal.post_bucket) as u64 & !POST_ID;
                t.push((r.target, bucket, reactor));
                t.push((r.actor, bucket, NO_REACTOR));
            }
        }
    }
    let source = match (with_id, without) {
        (_, 0) => PostSource::PostIds,
        (0, _) => PostSource::Derived,
        _ => PostSource::Mixed,
    };
    (t, source)
}

/// Adds the posts of a posts file (in the window) with no reactor.
fn add_authored(t: &mut Vec<(Node, u64, u32)>, posts: &AuthoredPosts, window: &Window) {
    let extra = posts
        .posts
        .iter()
        .filter(|p| window.contains(p.2))
        .map(|&(a, key, _)| (a, POST_ID | key as u64, NO_REACTOR));
    t.extend(extra);
}

fn reactor_share(eng: &Engagement, owner: Node, actor: Node, w: &[f64], cal: &Calibration) -> f64 {
    let pairs = eng.of(owner);
    let p = pairs
        .binary_search_by_key(&actor, |p| p.actor)
        .map(|i| &pairs[i])
        .expect("every reactor in the window has an engagement pair");
    w[actor as usize] * pair_factor(p, cal)
}

fn finish(a: &mut Amplification, u: f64, cal: &Calibration) {
    let (alpha, beta) = (cal.prior_alpha, cal.prior_beta);
    a.probability = (a.acted_on_weighted + alpha) / (a.posts_weighted + alpha + beta);
    let k = cal.breadth_prior_posts;
    a.breadth = u / (a.acted_on_weighted + k);
    a.value = a.probability * a.breadth;
}

//! Per-account topic expertise: what an account is influential *about*, from the engagement its
//! posts earned on each topic, rolled up the ontology, with a minimum of evidence.
//!
//! For a post `p` with classifier scores `s(p, t)` over its topics, its topic shares are
//! `share(p, t) = s(p, t) / Σ_t' s(p, t')`, rolled up: an ancestor `A` gets the sum of the shares
//! of the post's topics at or below it (a post about basketball and the NBA counts once for
//! sports). With `e(p)` the engagement the post earned (its distinct reactors, weighted), an
//! account `a`'s evidence on topic `t` is
//!
//! - `S(a, t) = Σ_p share(p, t) · e(p)`: the engagement its posts on `t` earned, so the topics
//!   that earn engagement count, not the most-posted ones (an unengaged post adds nothing);
//! - `n(a, t)`: its distinct engaged posts (`e(p) > 0`) on `t`;
//!
//! and its expertise is `S(a, t) · n / (n + κ)` when `n ≥ min_posts`, else none: a one-off post
//! (a giveaway, a holiday greeting) makes no expert however much engagement it earned, and the
//! shrinkage `n / (n + κ)` discounts thin evidence. The posts contributing most are kept as
//! evidence. Classifying posts and measuring their engagement are left to
//! [`self::post_topics`] and [`self::post_engagement`].

pub mod endorse;
pub mod post_engagement;
pub mod post_inputs;
pub mod post_topics;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use self::post_topics::PostTopics;
use crate::error::{Error, Result};
use crate::ingest::Node;
use crate::topics::ontology::{Ontology, TopicIdx};

/// Evidence posts kept per account and topic.
pub const EVIDENCE: usize = 3;

/// Expertise parameters, unchecked; [`check`](ExpertiseParams::check) validates them.
///
/// | name | default | range |
/// |---|---|---|
/// | `min_posts` | 2 | `≥ 1`: distinct engaged posts on a topic needed to be an expert |
/// | `prior_posts` | 2.0 | `≥ 0`, finite: `κ` of the shrinkage `n / (n + κ)` |
#[derive(Debug, Clone)]
pub struct ExpertiseParams {
    pub min_posts: u32,
    pub prior_posts: f64,
}

impl Default for ExpertiseParams {
    fn default() -> Self {
        ExpertiseParams {
            min_posts: 2,
            prior_posts: 2.0,
        }
    }
}

/// Checked expertise parameters.
#[derive(Debug, Clone, Copy)]
pub struct ValidExpertiseParams {
    min_posts: u32,
    prior_posts: f64,
}

impl ExpertiseParams {
    /// Validates the parameters.
    pub fn check(self) -> Result<ValidExpertiseParams> {
        if self.min_posts == 0 {
            return Err(Error::param("min_posts", "must be at least 1"));
        }
        if !(self.prior_posts.is_finite() && self.prior_posts >= 0.0) {
            return Err(Error::param(
                "prior_posts",
                format!("{} is not a finite number ≥ 0", self.prior_posts),
            ));
        }
        Ok(ValidExpertiseParams {
            min_posts: self.min_posts,
            prior_posts: self.prior_posts,
        })
    }
}

/// One account's expertise on one topic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TopicExpertise {
    pub topic: TopicIdx,
    /// `S · n / (n + κ)`.
    pub score: f64,
    /// `S`: engagement earned on the topic (share-weighted).
    pub engagement: f64,
    /// `n`: distinct engaged posts on the topic.
    pub posts: u32,
    /// `S` over the engagement all the account's posts earned (its focus on the topic).
    pub share: f64,
    /// The posts that contributed most (post indices), best first; `u32::MAX` pads.
    evidence: [u32; EVIDENCE],
}

impl TopicExpertise {
    /// The evidence posts (indices into the posts), best first.
    pub fn evidence(&self) -> impl Iterator<Item = u32> + '_ {
        self.evidence.iter().copied().take_while(|&p| p != u32::MAX)
    }
}

/// What the expertise is computed from, one entry per post.
#[derive(Debug, Clone, Copy)]
pub struct PostEvidence<'a> {
    /// The author of every post, as an account index (`None`: not an account we score).
    pub authors: &'a [Option<Node>],
    /// The engagement every post earned (`Σ w(r)` over its distinct reactors).
    pub engagement: &'a [f64],
    /// The topics of every post.
    pub topics: &'a PostTopics,
}

/// The expertise of every account, by account then topic.
#[derive(Debug, Clone, Default)]
pub struct Expertise {
    /// `entries[start[a]..start[a + 1]]` are account `a`'s, by topic index.
    start: Vec<usize>,
    entries: Vec<TopicExpertise>,
}

impl Expertise {
    /// Computes the expertise of `accounts` accounts.
    pub fn compute(
        ontology: &Ontology,
        accounts: usize,
        posts: &PostEvidence,
        params: &ValidExpertiseParams,
    ) -> Expertise {
        let n = posts.authors.len();
        assert!(posts.engagement.len() == n && posts.topics.len() == n);
        let up: Vec<Vec<TopicIdx>> = (0..ontology.len() as TopicIdx)
            .map(|t| std::iter::once(t).chain(ontology.ancestors(t)).collect())
            .collect();
        // Engaged posts grouped by author (stable: post order within an author).
        let mut order: Vec<(Node, u32)> = (0..n)
            .filter(|&p| posts.engagement[p] > 0.0)
            .filter_map(|p| posts.authors[p].map(|a| (a, p as u32)))
            .collect();
        order.par_sort_unstable();
        let groups = author_groups(&order);
        let per_author: Vec<(Node, Vec<TopicExpertise>)> = groups
            .par_iter()
            .map(|&(a, ref r)| (a, account_expertise(&order[r.clone()], posts, &up, params)))
            .collect();
        let mut out = Expertise {
            start: vec![0; accounts + 1],
            entries: Vec::new(),
        };
        for (a, entries) in per_author {
            assert!((a as usize) < accounts, "author {a} is not an account");
            out.start[a as usize + 1] = entries.len();
            out.entries.extend(entries);
        }
        for a in 0..accounts {
            out.start[a + 1] += out.start[a];
        }
        out
    }

    /// Number of accounts.
    pub fn accounts(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// Account `a`'s expertise, by topic index.
    pub fn of(&self, a: Node) -> &[TopicExpertise] {
        &self.entries[self.start[a as usize]..self.start[a as usize + 1]]
    }

    /// Account `a`'s expertise on `topic`, if any.
    pub fn get(&self, a: Node, topic: TopicIdx) -> Option<&TopicExpertise> {
        let e = self.of(a);
        e.binary_search_by_key(&topic, |x| x.topic)
            .ok()
            .map(|i| &e[i])
    }

    /// Multiplies account `a`'s expertise on `topic` by `m` (+K, [`self::endorse`]); `false`
    /// when it has none there (nothing changes).
    pub fn scale(&mut self, a: Node, topic: TopicIdx, m: f64) -> bool {
        let Some(range) = (a as usize)
            .checked_add(1)
            .and_then(|end| Some(*self.start.get(a as usize)?..*self.start.get(end)?))
        else {
            return false;
        };
        let e = &mut self.entries[range];
        match e.binary_search_by_key(&topic, |x| x.topic) {
            Ok(i) => {
                e[i].score *= m;
                true
            }
            Err(_) => false,
        }
    }

    /// Every account with expertise on `topic`, with its entry, by account.
    pub fn experts(&self, topic: TopicIdx) -> Vec<(Node, &TopicExpertise)> {
        (0..self.accounts() as Node)
            .filter_map(|a| self.get(a, topic).map(|e| (a, e)))
            .collect()
    }

    /// Every (account, entry), by account then topic.
    pub fn iter(&self) -> impl Iterator<Item = (Node, &TopicExpertise)> + '_ {
        (0..self.accounts() as Node).flat_map(move |a| self.of(a).iter().map(move |e| (a, e)))
    }
}

/// `(author, range of order)` for every author in the sorted `order`.
fn author_groups(order: &[(Node, u32)]) -> Vec<(Node, std::ops::Range<usize>)> {
    let mut groups = Vec::new();
    let mut i = 0;
    while i < order.len() {
        let a = order[i].0;
        let j = i + order[i..].partition_point(|x| x.0 == a);
        groups.push((a, i..j));
        i = j;
    }
    groups
}

/// Running totals of one account on one topic.
#[derive(Debug, Clone, Copy)]
struct Acc {
    engagement: f64,
    posts: u32,
    /// (contribution, post), best first.
    evidence: [(f64, u32); EVIDENCE],
}

impl Acc {
    fn new() -> Acc {
        Acc {
            engagement: 0.0,
            posts: 0,
            evidence: [(f64::NEG_INFINITY, u32::MAX); EVIDENCE],
        }
    }

    fn add(&mut self, contribution: f64, post: u32) {
        self.engagement += contribution;
        self.posts += 1;
        // Higher contribution first; ties to the earlier post (posts arrive in order).
        if let Some(i) = self.evidence.iter().position(|e| contribution > e.0) {
            self.evidence[i..].rotate_right(1);
            self.evidence[i] = (contribution, post);
        }
    }
}

/// One account's expertise from its engaged posts `mine` (`(author, post)`, in post order).
fn account_expertise(
    mine: &[(Node, u32)],
    posts: &PostEvidence,
    up: &[Vec<TopicIdx>],
    params: &ValidExpertiseParams,
) -> Vec<TopicExpertise> {
    let mut acc: FxHashMap<TopicIdx, Acc> = FxHashMap::default();
    let mut shares: Vec<(TopicIdx, f64)> = Vec::new();
    let mut total = 0.0;
    for &(_, p) in mine {
        let e = posts.engagement[p as usize];
        total += e;
        post_shares(posts.topics.of(p as usize), up, &mut shares);
        for &(t, s) in &shares {
            acc.entry(t).or_insert_with(Acc::new).add(s * e, p);
        }
    }
    let mut out: Vec<TopicExpertise> = acc
        .into_iter()
        .filter(|(_, a)| a.posts >= params.min_posts)
        .map(|(topic, a)| {
            let n = f64::from(a.posts);
            TopicExpertise {
                topic,
                score: a.engagement * n / (n + params.prior_posts),
                engagement: a.engagement,
                posts: a.posts,
                share: a.engagement / total,
                evidence: a.evidence.map(|e| e.1),
            }
        })
        .collect();
    out.sort_unstable_by_key(|e| e.topic);
    out
}

/// A post's rolled-up topic shares: each topic's score over the post's total, added to the
/// topic and each of its ancestors once.
fn post_shares(topics: &[(TopicIdx, f32)], up: &[Vec<TopicIdx>], out: &mut Vec<(TopicIdx, f64)>) {
    out.clear();
    let total: f64 = topics.iter().map(|&(_, s)| f64::from(s)).sum();
    for &(t, s) in topics {
        let share = f64::from(s) / total;
        for &a in &up[t as usize] {
            match out.iter_mut().find(|x| x.0 == a) {
                Some(x) => x.1 += share,
                None => out.push((a, share)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topics::OntologyBuilder;
    use approx::assert_relative_eq;

    /// sports > basketball > stephen-curry; hobbies > gardening; holidays (a root).
    fn ontology() -> Ontology {
        let mut b = OntologyBuilder::new("t.tsv");
        for (i, id) in [
            "sports",
            "basketball",
            "stephen-curry",
            "hobbies",
            "gardening",
            "holidays",
        ]
        .iter()
        .enumerate()
        {
            b.add_topic(id, id, id, i as u64 + 1).unwrap();
        }
        b.add_edge("sports", "basketball", 7);
        b.add_edge("basketball", "stephen-curry", 8);
        b.add_edge("hobbies", "gardening", 9);
        b.build().unwrap()
    }

    /// Expertise of posts given as `(author, engagement, [(topic id, score)])`.
    fn expertise(o: &Ontology, posts: &[(Node, f64, &[(&str, f64)])]) -> Expertise {
        let authors: Vec<Option<Node>> = posts.iter().map(|p| Some(p.0)).collect();
        let engagement: Vec<f64> = posts.iter().map(|p| p.1).collect();
        let topics = PostTopics::classify(
            posts.len(),
            |_| true,
            |i, _: &mut ()| {
                posts[i]
                    .2
                    .iter()
                    .map(|&(t, s)| (o.by_id(t).unwrap(), s))
                    .collect()
            },
        );
        let input = PostEvidence {
            authors: &authors,
            engagement: &engagement,
            topics: &topics,
        };
        let params = ExpertiseParams::default().check().unwrap();
        Expertise::compute(o, 4, &input, &params)
    }

    #[test]
    fn engaged_gardener_beats_prolific_unengaged_one() {
        let o = ontology();
        let g = o.by_id("gardening").unwrap();
        let garden: &[(&str, f64)] = &[("gardening", 1.0)];
        // Account 0: three posts earning 10, 6 and 4. Account 1: ten posts, one reactor each
        // on two of them, nothing on the rest.
        let mut posts = vec![(0, 10.0, garden), (0, 6.0, garden), (0, 4.0, garden)];
        for i in 0..10 {
            posts.push((1, if i < 2 { 1.0 } else { 0.0 }, garden));
        }
        let e = expertise(&o, &posts);
        let a = e.get(0, g).unwrap();
        // S = 20, n = 3: 20 · 3/5 = 12.
        assert_relative_eq!(a.score, 12.0, epsilon = 1e-12);
        assert_eq!(a.posts, 3);
        assert_eq!(a.evidence().collect::<Vec<_>>(), [0, 1, 2]);
        let b = e.get(1, g).unwrap();
        // S = 2, n = 2 (unengaged posts are no evidence): 2 · 2/4 = 1.
        assert_relative_eq!(b.score, 1.0, epsilon = 1e-12);
        assert_eq!(b.posts, 2);
        assert!(a.score > b.score);
    }

    #[test]
    fn a_one_off_post_makes_no_expert() {
        let o = ontology();
        let h = o.by_id("holidays").unwrap();
        let g = o.by_id("gardening").unwrap();
        let e = expertise(
            &o,
            &[
                (2, 5000.0, &[("holidays", 1.0)]),
                (2, 3.0, &[("gardening", 1.0)]),
                (2, 2.0, &[("gardening", 1.0)]),
            ],
        );
        assert!(e.get(2, h).is_none());
        let eg = e.get(2, g).unwrap();
        assert_relative_eq!(eg.score, 5.0 * 2.0 / 4.0, epsilon = 1e-12);
        // Its focus counts the giveaway's engagement too.
        assert_relative_eq!(eg.share, 5.0 / 5005.0, epsilon = 1e-12);
        assert_eq!(e.experts(h).len(), 0);
    }

    #[test]
    fn rolls_up_the_hierarchy_once_per_post() {
        let o = ontology();
        let id = |s: &str| o.by_id(s).unwrap();
        // Post 0: curry 3, basketball 1 (shares 0.75, 0.25); post 1: basketball only.
        let e = expertise(
            &o,
            &[
                (3, 8.0, &[("stephen-curry", 3.0), ("basketball", 1.0)]),
                (3, 2.0, &[("basketball", 1.0)]),
            ],
        );
        // Curry: one post → no expertise. Basketball: 8·1 + 2·1 = 10 over 2 posts.
        assert!(e.get(3, id("stephen-curry")).is_none());
        let b = e.get(3, id("basketball")).unwrap();
        assert_relative_eq!(b.engagement, 10.0, epsilon = 1e-12);
        assert_eq!(b.posts, 2);
        assert_relative_eq!(b.score, 10.0 * 2.0 / 4.0, epsilon = 1e-12);
        let s = e.get(3, id("sports")).unwrap();
        assert_relative_eq!(s.engagement, 10.0, epsilon = 1e-12);
        assert_eq!(s.posts, 2);
        assert_eq!(s.evidence().collect::<Vec<_>>(), [0, 1]);
        assert_eq!(e.of(3).len(), 2);
        assert!(e.of(0).is_empty());
    }

    #[test]
    fn parameters_are_validated() {
        let bad = |p: ExpertiseParams| p.check().unwrap_err().to_string();
        assert!(bad(ExpertiseParams {
            min_posts: 0,
            ..Default::default()
        })
        .contains("min_posts"));
        assert!(bad(ExpertiseParams {
            prior_posts: -1.0,
            ..Default::default()
        })
        .contains("prior_posts"));
    }
}

//! `clout generate social`: a **synthetic** social network with a known planted truth, written
//! in the engine's input formats (the demo dataset directory: `follows.txt`,
//! `interactions.txt`, `posts.jsonl`, `identities.txt`, `truth.json`, `README.md`). Nothing in
//! it is real data: people, handles, posts and interactions are all drawn from a seeded
//! generator, so the same parameters give byte-identical files for any thread count.
//!
//! The model, stage by stage (one file each):
//! - [`accounts`]: people with a language, 1–3 topic interests from the built-in taxonomy
//!   ([`topics`]: twelve headline topics hold 65% of the mass) and a hidden heavy-tailed
//!   influence level (log-normal around 1, or around e² for the 12% who are influencers); each
//!   has a `tw:` account and about 30% an `ig:` account too (linked in `identities.txt`).
//!   Planted attacks: a bot farm boosting one low-influence account, and a reciprocal ring.
//! - [`follows`]: fitness-based attachment biased to shared interests and influence.
//! - [`posts`] and [`text`]: posts about the author's interests (or chatter), in English,
//!   Spanish, French or German, with hashtags, emoji, links and mentions.
//! - [`engage`]: shares, mentions, replies, comments and likes by an independent-cascade-like
//!   model over the follow graph, driven by influence and topical affinity.
//! - [`truth`]: the planted experts of each topic (see [`truth::EXPERT_DEFINITION`]).
//!
//! Account ids are `tw:<handle>` / `ig:<handle>`; post ids `p<n>`; person ids `person_<n>`;
//! times are Unix seconds over `days` days ending at [`EPOCH_END`] (2026-01-01, fixed).

pub mod accounts;
pub mod bluesky;
pub mod engage;
pub mod follows;
pub mod mastodon;
mod params;
pub mod posts;
pub mod reddit;
mod shape;
pub mod text;
pub mod topics;
pub mod truth;
mod write;
pub mod x;

pub use params::{SocialParams, SocialSpec, EPOCH_END};
pub use write::{write_dataset, write_dataset_as, DatasetFormat, Summary};

use rayon::prelude::*;

use accounts::Account;
use engage::{Cascade, CASCADE_FACTOR};
use posts::PostMeta;
use topics::TopicTable;

/// The generated world, before it is written out.
pub struct World {
    pub spec: SocialSpec,
    pub topics: TopicTable,
    pub accounts: Vec<Account>,
    /// Followees of every account, sorted.
    pub follows: Vec<Vec<u32>>,
    /// Followers of every account, sorted.
    pub followers: Vec<Vec<u32>>,
    pub posts: Vec<PostMeta>,
    pub start: i64,
    pub end: i64,
}

impl World {
    /// Draws accounts, follows and posts (interactions are drawn while writing).
    pub fn build(spec: &SocialSpec) -> World {
        Self::build_with(spec, &mut |_| {})
    }

    /// [`World::build`], telling `progress` each stage as it starts.
    pub fn build_with(spec: &SocialSpec, progress: &mut dyn FnMut(&str)) -> World {
        let p = spec.params();
        progress("drawing accounts");
        let topics = TopicTable::builtin();
        let accounts = accounts::population(spec, &topics);
        progress("drawing follows");
        let follows = follows::follow_graph(
            &accounts,
            topics.topics.len(),
            p.seed,
            p.follows_per_account,
        );
        let followers = follows::followers(&follows);
        progress("drawing posts");
        let end = EPOCH_END;
        let start = end - i64::from(p.days) * 86_400;
        let posts = posts::plan_posts(&accounts, p.seed, p.posts_per_account, start, end);
        World {
            spec: *spec,
            topics,
            accounts,
            follows,
            followers,
            posts,
            start,
            end,
        }
    }

    /// The cascade model, calibrated to about `interactions_per_account` per account.
    pub fn cascade(&self) -> Cascade<'_> {
        let mut c = Cascade::new(&self.accounts, &self.followers, self.end);
        let weights: Vec<(f64, usize)> = self
            .posts
            .par_iter()
            .map(|p| (c.weight(p), c.planted_count(p)))
            .collect();
        let (w, planted) = weights
            .iter()
            .fold((0.0, 0), |(w, n), x| (w + x.0, n + x.1));
        let target = self.spec.params().interactions_per_account * self.accounts.len() as f64;
        let organic = (target - planted as f64).max(0.0);
        c.scale = if w > 0.0 {
            organic / (CASCADE_FACTOR * w)
        } else {
            0.0
        };
        c
    }
}

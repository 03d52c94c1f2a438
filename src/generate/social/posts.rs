//! When and about what each account posts: a Poisson number of posts (mean `posts_per_account`
//! scaled by the account's activity; influencers post more), at uniform times over the span,
//! each on one of the author's interests (drawn by weight) with probability [`ON_TOPIC`],
//! otherwise off-topic chatter; non-English authors write most posts in their language.

use rayon::prelude::*;

use super::accounts::{Account, Lang, Role};
use super::follows::pick_interest;
use crate::rng::SplitMix;
use crate::topics::TopicIdx;

/// Share of a person's posts that are about one of their interests.
pub const ON_TOPIC: f64 = 0.85;

/// One post's planted facts; the text is written from these by `text`.
#[derive(Debug, Clone, Copy)]
pub struct PostMeta {
    pub author: u32,
    pub time: i64,
    /// The interest the post is about; `None` for chatter.
    pub topic: Option<TopicIdx>,
    pub lang: Lang,
}

/// Every post, grouped by author in account order, each author's posts by time.
pub fn plan_posts(
    accounts: &[Account],
    seed: u64,
    mean: f64,
    start: i64,
    end: i64,
) -> Vec<PostMeta> {
    let mean_activity =
        accounts.iter().map(|a| a.activity).sum::<f64>() / accounts.len().max(1) as f64;
    let per_account: Vec<Vec<PostMeta>> = (0..accounts.len())
        .into_par_iter()
        .map(|u| {
            let a = &accounts[u];
            let mut rng = SplitMix::stream(seed, 4, u as u64);
            let n = rng.poisson(mean * a.activity / mean_activity);
            let mut posts: Vec<PostMeta> = (0..n)
                .map(|_| {
                    let time = start + rng.below((end - start) as u64) as i64;
                    let topic =
                        (a.role != Role::Bot && !a.interests.is_empty() && rng.chance(ON_TOPIC))
                            .then(|| pick_interest(&a.interests, &mut rng));
                    let lang = if a.lang != Lang::En && rng.chance(0.8) {
                        a.lang
                    } else {
                        Lang::En
                    };
                    PostMeta {
                        author: u as u32,
                        time,
                        topic,
                        lang,
                    }
                })
                .collect();
            posts.sort_by_key(|p| p.time);
            posts
        })
        .collect();
    per_account.concat()
}

/// The id of post `i`.
pub fn post_id(i: usize) -> String {
    format!("p{i}")
}

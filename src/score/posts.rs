//! A posts file mapped onto the scored accounts: who wrote which post when, so that
//! Amplification counts the posts nobody acted on. A post whose id also appears in the
//! interactions is the same post; authors that never appear in the interactions are not scored.

use super::window::Window;
use crate::ingest::posts::Reported;
use crate::ingest::{IdMap, Node, Posts};

/// Posts by scored accounts, with keys shared with the interactions' post ids.
#[derive(Debug, Clone, Default)]
pub struct AuthoredPosts {
    /// `(author, post key, time)`: the key is the interactions' post index when the id appears
    /// there, else `interaction posts + position in the file`.
    pub posts: Vec<(Node, u32, i64)>,
    /// Posts whose author has no interactions.
    pub outside: u64,
    /// `(author, time, counts)` of the posts with engagement the platform reported only as
    /// counts (never part of the score).
    pub reported: Vec<(Node, i64, Reported)>,
}

impl AuthoredPosts {
    /// Maps `posts` onto `accounts` and the interactions' post ids `post_ids`.
    pub fn new(posts: &Posts, accounts: &IdMap, post_ids: &IdMap) -> AuthoredPosts {
        let accounts = accounts.index();
        let known = post_ids.index();
        let mut out = AuthoredPosts::default();
        for (i, p) in posts.posts.iter().enumerate() {
            let author = posts.authors.name(p.author).to_string();
            let Some(a) = accounts.get(&author) else {
                out.outside += 1;
                continue;
            };
            let key = known
                .get(&p.id)
                .unwrap_or_else(|| (post_ids.len() + i) as u32);
            out.posts.push((a, key, p.time));
            if let Some(r) = p.reported.filter(|r| !r.is_zero()) {
                out.reported.push((a, p.time, r));
            }
        }
        out
    }

    /// The counts reported on `author`'s posts in `window`, with how many posts carried
    /// them; `None` when none did.
    pub fn reported_for(&self, author: Node, window: &Window) -> Option<(Reported, u32)> {
        let mut total = Reported::default();
        let mut posts = 0;
        for (_, _, r) in self
            .reported
            .iter()
            .filter(|(a, t, _)| *a == author && window.contains(*t))
        {
            total.add(*r);
            posts += 1;
        }
        (posts > 0).then_some((total, posts))
    }
}

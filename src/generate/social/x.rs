//! The generated dataset in X's shape: API v2 response pages (`tweets.jsonl`, one page per
//! line, time-ordered), each a tweet with its users (and the tweet it retweets) in `includes`.
//! Posts are tweets; shares are retweets, replies and comments replies, mentions tweets
//! mentioning the target. Likers come from another endpoint (`GET /2/tweets/:id/liking_users`),
//! joined onto the tweet as `liking_users`, as collectors store them; follows are left out. The generator's truth keeps clout's ids; [`username`] maps them.

use std::path::Path;

use serde_json::{json, Value};

use super::shape::{remove_own_files, write_platform_file, Demo, DemoPost};
use crate::error::Result;
use crate::ingest::time::format_time;

/// The X username (and user id) of a generated account id (`tw:ines_nguyen0` →
/// `tw_ines_nguyen0`).
pub fn username(id: &str) -> String {
    id.replace(':', "_")
}

fn user(id: &str) -> Value {
    json!({"id": username(id), "username": username(id), "name": username(id)})
}

fn tweet(p: &DemoPost, likers: &[&str]) -> Value {
    json!({"id": p.id, "text": p.text, "author_id": username(&p.author),
        "created_at": format_time(p.time), "lang": p.lang,
        "public_metrics": {"like_count": likers.len()},
        "liking_users": likers.iter().map(|a| user(a)).collect::<Vec<_>>()})
}

/// Rewrites the clout files in `dir` as `tweets.jsonl`; returns the number of pages.
pub fn rewrite_as_v2(dir: &Path) -> Result<usize> {
    let demo = Demo::read(dir)?;
    let (likers, by_id) = (demo.likers(), demo.by_id());
    let mut lines = Vec::new();
    for p in &demo.posts {
        let likes = likers.get(p.id.as_str()).map_or(&[][..], Vec::as_slice);
        let page = json!({"data": tweet(p, likes),
            "includes": {"users": [user(&p.author)]}});
        lines.push((p.time, page.to_string()));
    }
    for (k, a) in demo.acts.iter().enumerate() {
        let (id, at) = (format!("e{}", k + 1), format_time(a.time));
        let (actor, target) = (username(&a.actor), username(&a.target));
        let page = match a.kind.as_str() {
            "like" => continue,
            "share" => {
                let Some(original) = by_id.get(a.post.as_str()) else {
                    continue;
                };
                json!({"data": {"id": id, "author_id": actor, "created_at": at,
                        "text": format!("RT @{target}: {}", original.text),
                        "referenced_tweets": [{"type": "retweeted", "id": a.post}]},
                    "includes": {"users": [user(&a.actor), user(&a.target)],
                        "tweets": [tweet(original, &[])]}})
            }
            "mention" => json!({"data": {"id": id, "author_id": actor, "created_at": at,
                    "text": format!("@{target} 👋"),
                    "entities": {"mentions": [{"start": 0, "end": target.len() + 1,
                        "username": target, "id": target}]}},
                "includes": {"users": [user(&a.actor), user(&a.target)]}}),
            _ => json!({"data": {"id": id, "author_id": actor, "created_at": at,
                    "text": "Good point!", "in_reply_to_user_id": target,
                    "referenced_tweets": [{"type": "replied_to", "id": a.post}]},
                "includes": {"users": [user(&a.actor), user(&a.target)]}}),
        };
        lines.push((a.time, page.to_string()));
    }
    let n = write_platform_file(dir, "tweets.jsonl", lines)?;
    remove_own_files(dir)?;
    Ok(n)
}

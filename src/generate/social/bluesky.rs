//! The generated dataset in Bluesky's shape: clout's own files of a generated directory
//! rewritten as one Jetstream file (`jetstream.jsonl`), time-ordered: an `identity` event per
//! account (handle from its id), follows, posts, and engagement as Bluesky records — likes,
//! reposts for shares, reply posts for replies and comments, posts with a mention facet for
//! mentions. The generator's truth keeps clout's ids; [`handle`] maps them.

use std::path::Path;

use serde_json::json;

use super::shape::{remove_own_files, write_platform_file, Demo};
use crate::error::Result;
use crate::ingest::time::format_time;

const POST: &str = "app.bsky.feed.post";

/// The Bluesky handle of a generated account id (`tw:ines_nguyen0` → `tw-ines-nguyen0.bsky.social`).
pub fn handle(id: &str) -> String {
    format!("{}.bsky.social", id.replace([':', '_'], "-"))
}

/// The DID of a generated account id.
pub fn did(id: &str) -> String {
    format!(
        "did:plc:{:024x}",
        xxhash_rust::xxh3::xxh3_128(id.as_bytes()) >> 32
    )
}

fn uri(author: &str, rkey: &str) -> String {
    format!("at://{}/{POST}/{rkey}", did(author))
}

/// One Jetstream commit event creating `record` in `collection`.
fn commit(
    author: &str,
    time: i64,
    collection: &str,
    rkey: &str,
    record: serde_json::Value,
) -> (i64, String) {
    let event = json!({
        "did": did(author), "time_us": time * 1_000_000, "kind": "commit",
        "commit": {"rev": rkey, "operation": "create", "collection": collection, "rkey": rkey,
                   "record": record, "cid": format!("bafy{rkey}")},
    });
    (time, event.to_string())
}

/// Rewrites the clout files in `dir` (`follows.txt`, `posts.jsonl`, `interactions.txt`;
/// `identities.txt` is dropped: Bluesky is one network) as `jetstream.jsonl`; returns the
/// number of events written.
pub fn rewrite_as_jetstream(dir: &Path) -> Result<usize> {
    let demo = Demo::read(dir)?;
    let mut events: Vec<(i64, String)> = Vec::new();
    let mut accounts = std::collections::BTreeSet::new();
    for p in &demo.posts {
        accounts.insert(p.author.as_str());
        let record = json!({"$type": POST, "text": p.text, "langs": [p.lang], "createdAt": format_time(p.time)});
        events.push(commit(&p.author, p.time, POST, &p.id, record));
    }
    for (k, a) in demo.acts.iter().enumerate() {
        accounts.insert(&a.actor);
        accounts.insert(&a.target);
        let subject = json!({"uri": uri(&a.target, &a.post), "cid": format!("bafy{}", a.post)});
        let at = format_time(a.time);
        let (collection, record) = match a.kind.as_str() {
            "like" => (
                "app.bsky.feed.like",
                json!({"$type": "app.bsky.feed.like", "subject": subject, "createdAt": at}),
            ),
            "share" => (
                "app.bsky.feed.repost",
                json!({"$type": "app.bsky.feed.repost", "subject": subject, "createdAt": at}),
            ),
            "mention" => {
                let text = format!("@{} 👋", handle(&a.target));
                let facet = json!([{"index": {"byteStart": 0, "byteEnd": text.len() - 5},
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did(&a.target)}]}]);
                (
                    POST,
                    json!({"$type": POST, "text": text, "facets": facet, "createdAt": at}),
                )
            }
            _ => (
                POST,
                json!({"$type": POST, "text": "Good point!", "reply": {"root": subject, "parent": subject}, "createdAt": at}),
            ),
        };
        events.push(commit(
            &a.actor,
            a.time,
            collection,
            &format!("e{}", k + 1),
            record,
        ));
    }
    let start = demo.first_time() - 86_400;
    for (f, (a, b)) in demo.follows.iter().enumerate() {
        accounts.insert(a);
        accounts.insert(b);
        let record = json!({"$type": "app.bsky.graph.follow", "subject": did(b), "createdAt": format_time(start)});
        events.push(commit(
            a,
            start,
            "app.bsky.graph.follow",
            &format!("f{}", f + 1),
            record,
        ));
    }
    for a in accounts {
        let e = json!({"did": did(a), "time_us": (start - 1) * 1_000_000, "kind": "identity",
                       "identity": {"did": did(a), "handle": handle(a), "seq": 1, "time": format_time(start - 1)}});
        events.push((start - 1, e.to_string()));
    }
    let n = write_platform_file(dir, "jetstream.jsonl", events)?;
    remove_own_files(dir)?;
    Ok(n)
}

//! The generated dataset in Bluesky's shape: clout's own files of a generated directory
//! rewritten as one Jetstream file (`jetstream.jsonl`), time-ordered: an `identity` event per
//! account (handle from its id), follows, posts, and engagement as Bluesky records — likes,
//! reposts for shares, reply posts for replies and comments, posts with a mention facet for
//! mentions. The generator's truth keeps clout's ids; [`handle`] maps them.

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use serde_json::json;

use crate::error::{Error, Result};

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

fn created(time: i64) -> String {
    crate::ingest::time::format_time(time)
}

/// Rewrites the clout files in `dir` (`follows.txt`, `posts.jsonl`, `interactions.txt`;
/// `identities.txt` is dropped: Bluesky is one network) as `jetstream.jsonl`; returns the
/// number of events written.
pub fn rewrite_as_jetstream(dir: &Path) -> Result<usize> {
    let mut events: Vec<(i64, String)> = Vec::new();
    let mut accounts = std::collections::BTreeSet::new();
    let mut first = i64::MAX;
    for_lines(&dir.join("posts.jsonl"), |line, n| {
        let p: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(dir, "posts.jsonl", n, e))?;
        let (id, author, time, text) = (
            str_of(&p["id"]),
            str_of(&p["author"]),
            p["time"].as_i64().unwrap_or(0),
            str_of(&p["text"]),
        );
        first = first.min(time);
        accounts.insert(author.to_string());
        let record = json!({"$type": POST, "text": text, "langs": [str_of(&p["lang"])], "createdAt": created(time)});
        events.push(commit(author, time, POST, id, record));
        Ok(())
    })?;
    let mut k = 0usize;
    for_lines(&dir.join("interactions.txt"), |line, n| {
        let f: Vec<&str> = line.split_whitespace().collect();
        let [actor, target, kind, time, post, ..] = f[..] else {
            return Err(Error::parse(
                dir.join("interactions.txt"),
                n,
                "expected 6 fields",
            ));
        };
        let time: i64 = time
            .parse()
            .map_err(|_| Error::parse(dir.join("interactions.txt"), n, "bad time"))?;
        k += 1;
        accounts.insert(actor.to_string());
        accounts.insert(target.to_string());
        let subject = json!({"uri": uri(target, post), "cid": format!("bafy{post}")});
        let at = created(time);
        let (collection, record) = match kind {
            "like" => (
                "app.bsky.feed.like",
                json!({"$type": "app.bsky.feed.like", "subject": subject, "createdAt": at}),
            ),
            "share" => (
                "app.bsky.feed.repost",
                json!({"$type": "app.bsky.feed.repost", "subject": subject, "createdAt": at}),
            ),
            "mention" => {
                let text = format!("@{} 👋", handle(target));
                let facet = json!([{"index": {"byteStart": 0, "byteEnd": text.len() - 5},
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did(target)}]}]);
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
        events.push(commit(actor, time, collection, &format!("e{k}"), record));
        Ok(())
    })?;
    let start = first.min(events.iter().map(|e| e.0).min().unwrap_or(0)) - 86_400;
    let mut f = 0usize;
    for_lines(&dir.join("follows.txt"), |line, n| {
        let (Some(a), Some(b)) = (line.split(' ').next(), line.split(' ').nth(1)) else {
            return Err(Error::parse(
                dir.join("follows.txt"),
                n,
                "expected 2 fields",
            ));
        };
        f += 1;
        accounts.insert(a.to_string());
        accounts.insert(b.to_string());
        let record = json!({"$type": "app.bsky.graph.follow", "subject": did(b), "createdAt": created(start)});
        events.push(commit(
            a,
            start,
            "app.bsky.graph.follow",
            &format!("f{f}"),
            record,
        ));
        Ok(())
    })?;
    let identities = accounts.iter().map(|a| {
        let e = json!({"did": did(a), "time_us": (start - 1) * 1_000_000, "kind": "identity",
                       "identity": {"did": did(a), "handle": handle(a), "seq": 1, "time": created(start - 1)}});
        (start - 1, e.to_string())
    });
    let mut all: Vec<(i64, String)> = identities.collect();
    events.sort_by_key(|e| e.0);
    all.extend(events);
    let path = dir.join("jetstream.jsonl");
    let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    for (_, e) in &all {
        writeln!(w, "{e}").map_err(|e| Error::io(&path, e))?;
    }
    w.flush().map_err(|e| Error::io(&path, e))?;
    for name in [
        "posts.jsonl",
        "interactions.txt",
        "follows.txt",
        "identities.txt",
    ] {
        let p = dir.join(name);
        std::fs::remove_file(&p).map_err(|e| Error::io(&p, e))?;
    }
    Ok(all.len())
}

fn str_of(v: &serde_json::Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn bad(dir: &Path, name: &str, line: u64, e: impl std::fmt::Display) -> Error {
    Error::parse(dir.join(name), line, e.to_string())
}

fn for_lines(path: &Path, mut f: impl FnMut(&str, u64) -> Result<()>) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| Error::io(path, e))?;
        if !line.trim().is_empty() {
            f(&line, i as u64 + 1)?;
        }
    }
    Ok(())
}

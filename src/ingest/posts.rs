//! Posts: JSON lines `{"id", "author", "time", "text", "network"?, "lang"?, "reported"?}`
//! (`reported`: `{"likes", "shares", "replies"}` counts a platform gave, see [`Reported`]). Authors are
//! interned like accounts elsewhere; the text is kept as written for the text pipeline. A post
//! id is unique within its network: a repeated id by the same author is merged into its first
//! record (and reported as a [`SkipKind::DuplicatePost`]), one by another author is an error
//! (skipped as a bad id under `--lenient`).

use std::path::Path;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use super::ids::{IdMap, Node, TextInterner};
use super::interactions::{json_id, json_time};
use super::skips::{SkipKind, Skips};
use super::source::{Flow, Source};
use crate::error::{Error, Result};

/// Engagement a platform reported on a post only as counts (`like_count`, `reblogs_count`, a
/// Reddit `score`): weaker evidence than named engagers, since nobody can be counted twice or
/// weighed, so it never feeds True Reach; shown in the ledger beside the named engagement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reported {
    #[serde(default)]
    pub likes: u64,
    #[serde(default)]
    pub shares: u64,
    #[serde(default)]
    pub replies: u64,
}

impl Reported {
    /// Adds `other`'s counts.
    pub fn add(&mut self, other: Reported) {
        self.likes += other.likes;
        self.shares += other.shares;
        self.replies += other.replies;
    }

    /// Whether every count is 0.
    pub fn is_zero(&self) -> bool {
        *self == Reported::default()
    }
}

/// One post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub id: String,
    pub author: Node,
    /// Unix seconds.
    pub time: i64,
    pub text: String,
    pub network: Option<String>,
    pub lang: Option<String>,
    /// Engagement the platform reported as counts only.
    pub reported: Option<Reported>,
}

/// Posts as read.
#[derive(Debug, Clone)]
pub struct Posts {
    pub authors: IdMap,
    pub posts: Vec<Post>,
    pub skips: Skips,
}

#[derive(Deserialize)]
struct JsonPost {
    id: serde_json::Value,
    author: serde_json::Value,
    time: serde_json::Value,
    text: String,
    #[serde(default)]
    network: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    reported: Option<Reported>,
}

/// Reads posts from `path` (plain, gzip or zstd).
pub fn read_posts(path: &Path, lenient: bool) -> Result<Posts> {
    parse_posts(&Source::open(path)?, lenient)
}

/// Parses posts from an opened source, line by line (streamed when compressed).
pub fn parse_posts(source: &Source, lenient: bool) -> Result<Posts> {
    let path = source.path();
    let mut authors = TextInterner::default();
    let mut posts = Vec::new();
    let mut skips = Skips::default();
    let mut seen: FxHashMap<(Option<String>, String), (Node, u64)> = FxHashMap::default();
    source.lines(|line_no, raw| {
        let line = raw.trim_ascii();
        if line.is_empty() {
            return Ok(Flow::Continue(()));
        }
        let post = parse_post(line, &mut authors).and_then(|p| {
            let key = (p.network.clone(), p.id.clone());
            match seen.get(&key) {
                None => {
                    seen.insert(key, (p.author, line_no));
                    Ok(Some(p))
                }
                Some(&(author, _)) if author == p.author => Ok(None),
                Some(&(_, first)) => Err((
                    SkipKind::BadId,
                    format!(
                        "post id {:?} was given to another author at line {first}",
                        p.id
                    ),
                )),
            }
        });
        match post {
            Ok(Some(p)) => posts.push(p),
            Ok(None) => skips.add(SkipKind::DuplicatePost, line_no),
            Err((kind, _)) if lenient => skips.add(kind, line_no),
            Err((_, reason)) => return Err(Error::parse(path, line_no, reason)),
        }
        Ok(Flow::Continue(()))
    })?;
    if posts.is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
            what: format!("no posts found{}", skips.summary_suffix()),
        });
    }
    Ok(Posts {
        authors: authors.finish(),
        posts,
        skips,
    })
}

fn parse_post(
    line: &[u8],
    authors: &mut TextInterner,
) -> std::result::Result<Post, (SkipKind, String)> {
    let p: JsonPost = serde_json::from_slice(line)
        .map_err(|e| (SkipKind::BadJson, format!("bad JSON post: {e}")))?;
    let id = json_id(&p.id, "id")?;
    let author = json_id(&p.author, "author")?;
    let time = json_time(&p.time)?;
    let author = authors
        .intern(&author)
        .ok_or_else(|| (SkipKind::BadId, "too many distinct authors".to_string()))?;
    Ok(Post {
        id,
        author,
        time,
        text: p.text,
        network: p.network,
        lang: p.lang,
        reported: p.reported,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_and_bad_lines() {
        let text = "{\"id\":1,\"author\":\"@g\",\"time\":\"2012-07-01\",\"text\":\"#GardeningTips soooo good\",\"lang\":\"en\"}\n\n{\"id\":\"2\",\"author\":\"@g\",\"time\":3,\"text\":\"x\"}\n";
        let p = parse_posts(
            &Source::from_bytes("p.jsonl", text.as_bytes().to_vec()),
            false,
        )
        .unwrap();
        assert_eq!(p.posts.len(), 2);
        assert_eq!(p.posts[0].time, 1_341_100_800);
        assert_eq!((p.posts[0].author, p.posts[1].author), (0, 0));
        assert_eq!(p.posts[0].lang.as_deref(), Some("en"));
        let bad = "{\"id\":1,\"author\":\"@g\",\"time\":1,\"text\":\"a\"}\n{\"id\":2,\"time\":1,\"text\":\"a\"}\n";
        let err = parse_posts(
            &Source::from_bytes("p.jsonl", bad.as_bytes().to_vec()),
            false,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("p.jsonl:2") && err.contains("author"), "{err}");
    }

    /// Issue 13: a repeated post id used to count twice in Amplification.
    #[test]
    fn duplicate_post_ids_merge_or_conflict() {
        let post = |id: u32, author: &str| {
            format!("{{\"id\":{id},\"author\":\"{author}\",\"time\":1,\"text\":\"t\"}}\n")
        };
        let text = post(1, "a") + &post(2, "a") + &post(1, "a") + &post(1, "a");
        let p = parse_posts(&Source::from_bytes("p.jsonl", text.into_bytes()), false).unwrap();
        assert_eq!(p.posts.len(), 2);
        assert_eq!(p.skips.count(SkipKind::DuplicatePost), 2);
        assert!(p.skips.to_string().contains("line 3"), "{}", p.skips);
        let text = post(1, "a") + &post(1, "b");
        let src = Source::from_bytes("p.jsonl", text.into_bytes());
        let err = parse_posts(&src, false).unwrap_err().to_string();
        assert!(
            err.contains("p.jsonl:2") && err.contains("another author at line 1"),
            "{err}"
        );
        let p = parse_posts(&src, true).unwrap();
        assert_eq!((p.posts.len(), p.skips.count(SkipKind::BadId)), (1, 1));
    }
}

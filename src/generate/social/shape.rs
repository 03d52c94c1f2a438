//! The generated dataset's own files read back as records, and written out again as one
//! platform file in time order: what every platform shape ([`super::bluesky`],
//! [`super::reddit`], [`super::mastodon`], [`super::x`]) shares.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// One generated post.
#[derive(Debug, Clone)]
pub struct DemoPost {
    pub id: String,
    pub author: String,
    pub time: i64,
    pub text: String,
    pub lang: String,
}

/// One generated interaction: `actor` did `kind` to `target`'s post `post` at `time`.
#[derive(Debug, Clone)]
pub struct DemoAct {
    pub actor: String,
    pub target: String,
    pub kind: String,
    pub time: i64,
    pub post: String,
}

/// A generated dataset's posts, interactions and follows.
#[derive(Debug, Default)]
pub struct Demo {
    pub posts: Vec<DemoPost>,
    pub acts: Vec<DemoAct>,
    /// `(follower, followee)`.
    pub follows: Vec<(String, String)>,
}

const OWN_FILES: [&str; 4] = [
    "posts.jsonl",
    "interactions.txt",
    "follows.txt",
    "identities.txt",
];

impl Demo {
    /// Reads `posts.jsonl`, `interactions.txt` and `follows.txt` of `dir`.
    pub fn read(dir: &Path) -> Result<Demo> {
        let mut demo = Demo::default();
        let path = dir.join("posts.jsonl");
        for_lines(&path, |line, n| {
            let p: serde_json::Value =
                serde_json::from_str(line).map_err(|e| Error::parse(&path, n, e.to_string()))?;
            demo.posts.push(DemoPost {
                id: str_of(&p["id"]).to_string(),
                author: str_of(&p["author"]).to_string(),
                time: p["time"].as_i64().unwrap_or(0),
                text: str_of(&p["text"]).to_string(),
                lang: str_of(&p["lang"]).to_string(),
            });
            Ok(())
        })?;
        let path = dir.join("interactions.txt");
        for_lines(&path, |line, n| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let [actor, target, kind, time, post, ..] = f[..] else {
                return Err(Error::parse(&path, n, "expected 6 fields"));
            };
            let time = time
                .parse()
                .map_err(|_| Error::parse(&path, n, "bad time"))?;
            demo.acts.push(DemoAct {
                actor: actor.to_string(),
                target: target.to_string(),
                kind: kind.to_string(),
                time,
                post: post.to_string(),
            });
            Ok(())
        })?;
        let path = dir.join("follows.txt");
        for_lines(&path, |line, n| {
            let mut f = line.split(' ');
            let (Some(a), Some(b)) = (f.next(), f.next()) else {
                return Err(Error::parse(&path, n, "expected 2 fields"));
            };
            demo.follows.push((a.to_string(), b.to_string()));
            Ok(())
        })?;
        Ok(demo)
    }

    /// The actors who liked each post, by post id (in the order of the likes).
    pub fn likers(&self) -> HashMap<&str, Vec<&str>> {
        let mut likers: HashMap<&str, Vec<&str>> = HashMap::new();
        for a in self.acts.iter().filter(|a| a.kind == "like") {
            likers.entry(a.post.as_str()).or_default().push(&a.actor);
        }
        likers
    }

    /// Every post by its id.
    pub fn by_id(&self) -> HashMap<&str, &DemoPost> {
        self.posts.iter().map(|p| (p.id.as_str(), p)).collect()
    }

    /// The earliest time of any post or interaction.
    pub fn first_time(&self) -> i64 {
        let posts = self.posts.iter().map(|p| p.time);
        posts
            .chain(self.acts.iter().map(|a| a.time))
            .min()
            .unwrap_or(0)
    }
}

/// Writes `lines` (each with its time) into `dir/name` in time order (stable: lines of one
/// time keep their order), and removes clout's own files from `dir`; returns how many lines.
pub fn write_platform_file(dir: &Path, name: &str, mut lines: Vec<(i64, String)>) -> Result<usize> {
    lines.sort_by_key(|l| l.0);
    let path = dir.join(name);
    let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
    let mut w = BufWriter::with_capacity(1 << 20, file);
    for (_, line) in &lines {
        writeln!(w, "{line}").map_err(|e| Error::io(&path, e))?;
    }
    w.flush().map_err(|e| Error::io(&path, e))?;
    Ok(lines.len())
}

/// Removes clout's own files from `dir` once they are rewritten in a platform's shape.
pub fn remove_own_files(dir: &Path) -> Result<()> {
    for name in OWN_FILES {
        let p = dir.join(name);
        std::fs::remove_file(&p).map_err(|e| Error::io(&p, e))?;
    }
    Ok(())
}

fn str_of(v: &serde_json::Value) -> &str {
    v.as_str().unwrap_or_default()
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

//! clout's own records as the platform readers produce them: interactions, posts and follows
//! keyed by the platform's record (so that a later delete can withdraw them), account handles,
//! and the writer of clout's canonical files (`interactions.txt` as JSON lines, `posts.jsonl`,
//! `follows.txt`), staged in temporary files beside them and renamed into place only when all
//! are complete. Reading a platform's format is its reader's; scoring reads the files written.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tempfile::NamedTempFile;

use crate::error::{Error, Result};
use crate::ingest::posts::Reported;
use crate::ingest::Kind;

/// The key of a platform record from its parts (e.g. DID, collection and record key).
pub fn record_key(parts: &[&str]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update(b"/");
    }
    h.digest()
}

/// One interaction, with external ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Act {
    pub actor: String,
    pub target: String,
    pub kind: Kind,
    pub time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_id: Option<String>,
    pub network: &'static str,
}

impl Act {
    /// `actor` did `kind` to `target` (on `post_id`) at `time`, on `network`.
    pub fn new(
        actor: &str,
        target: &str,
        kind: Kind,
        time: i64,
        post_id: Option<&str>,
        network: &'static str,
    ) -> Act {
        Act {
            actor: actor.to_string(),
            target: target.to_string(),
            kind,
            time,
            post_id: post_id.map(str::to_string),
            network,
        }
    }
}

/// One post, with external ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub id: String,
    pub author: String,
    pub time: i64,
    pub text: String,
    pub network: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Where it was posted, when the platform has places (a subreddit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub community: Option<String>,
    /// Engagement the platform reported only as counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<Reported>,
}

/// The counts of `fields` (`(likes, shares, replies)` field names, each summed over the names
/// given) in `v`; `None` when `v` has none of them.
pub fn reported_counts(v: &serde_json::Value, fields: [&[&str]; 3]) -> Option<Reported> {
    let sum = |names: &[&str]| -> Option<u64> {
        let counts: Vec<u64> = names
            .iter()
            .filter_map(|n| {
                v[*n]
                    .as_u64()
                    .or_else(|| v[*n].as_i64().map(|x| x.max(0) as u64))
            })
            .collect();
        (!counts.is_empty()).then(|| counts.iter().sum())
    };
    let [likes, shares, replies] = fields.map(sum);
    (likes.is_some() || shares.is_some() || replies.is_some()).then(|| Reported {
        likes: likes.unwrap_or(0),
        shares: shares.unwrap_or(0),
        replies: replies.unwrap_or(0),
    })
}

/// An engagement whose target is the author of another post, known only by that post's id
/// (a Reddit comment's parent): resolved when the files are written, after every file is read,
/// against the posts whose authors were read ([`Made::authored`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub actor: String,
    /// The id of the post engaged with.
    pub parent: String,
    pub kind: Kind,
    pub time: i64,
    pub network: &'static str,
    /// The post's author as its id tells (an ActivityPub status URL names its actor), used when
    /// the post itself was not read.
    pub guess: Option<String>,
}

/// What one line of a platform file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A record created (or updated): its key ([`record_key`]) and what it made.
    Create { key: u64, made: Made },
    /// A record deleted.
    Delete { key: u64 },
    /// An account's display name (a Bluesky handle, an X screen name).
    Handle { did: String, handle: String },
    /// A record of a kind clout does not read (profiles, blocks, lists, …).
    Unknown,
    /// Nothing to read (a blank line, an `account` event, a commit without a record kind).
    Nothing,
    /// Several of the above (an API response page holding many records).
    Batch(Vec<Event>),
}

/// What one platform record produced.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Made {
    pub acts: Vec<Act>,
    pub notes: Vec<Note>,
    /// `(follower, followee)`.
    pub follows: Vec<(String, String)>,
    /// Engagements whose target is found by post id ([`Pending`]).
    pub pending: Vec<Pending>,
    /// `(network, post id, author)` of posts that [`Pending`] engagements may point at.
    pub authored: Vec<(&'static str, String, String)>,
}

/// Everything read from a dataset's platform files, in file order.
#[derive(Debug, Default)]
pub struct Canonical {
    made: Vec<Option<Made>>,
    /// The 64-bit hash of the platform's key of a record ([`record_key`]) → its slot in
    /// `made`. (A hash: no key string is kept per record; two of a billion keys collide
    /// with odds below 1 in 30.)
    keys: FxHashMap<u64, usize>,
    /// Display names of accounts (Bluesky handles by DID).
    handles: FxHashMap<String, String>,
}

/// The canonical files written.
#[derive(Debug, Clone)]
pub struct Written {
    pub interactions: PathBuf,
    pub posts: Option<PathBuf>,
    pub follows: Option<PathBuf>,
    pub counts: Counts,
}

/// How many canonical records were written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub interactions: u64,
    pub posts: u64,
    pub follows: u64,
    /// Engagements with a post not read (or whose author was deleted): not written.
    pub unresolved: u64,
}

impl Canonical {
    /// Adds what the record `key` made; a record created again replaces the first.
    pub fn add(&mut self, key: u64, made: Made) {
        let slot = self.made.len();
        self.made.push(Some(made));
        if let Some(old) = self.keys.insert(key, slot) {
            self.made[old] = None;
        }
    }

    /// Withdraws what record `key` made; `false` when no such record was read.
    pub fn delete(&mut self, key: u64) -> bool {
        match self.keys.remove(&key) {
            Some(slot) => {
                self.made[slot] = None;
                true
            }
            None => false,
        }
    }

    /// Names `account` `handle` from now on (the latest handle wins).
    pub fn set_handle(&mut self, account: &str, handle: &str) {
        self.handles.insert(account.to_string(), handle.to_string());
    }

    /// The records that stand (not deleted), in file order.
    pub fn standing(&self) -> impl Iterator<Item = &Made> {
        self.made.iter().flatten()
    }

    /// How accounts are shown: by handle when one is known and no other account has it.
    fn display(&self) -> FxHashMap<&str, &str> {
        let mut owners: FxHashMap<&str, u32> = FxHashMap::default();
        for h in self.handles.values() {
            *owners.entry(h.as_str()).or_default() += 1;
        }
        self.handles
            .iter()
            .filter(|(_, h)| owners[h.as_str()] == 1)
            .map(|(a, h)| (a.as_str(), h.as_str()))
            .collect()
    }

    /// The author of every post that [`Pending`] engagements may point at, by
    /// `(network, post id)`.
    fn authors(&self) -> FxHashMap<(&'static str, &str), &str> {
        self.standing()
            .flat_map(|m| &m.authored)
            .map(|(net, id, author)| ((*net, id.as_str()), author.as_str()))
            .collect()
    }

    /// Writes `interactions.txt`, `posts.jsonl` and `follows.txt` into temporary files in
    /// `dir` (the latter two only when there are any), none of them in place until
    /// [`Staged::persist`]: dropping the result leaves `dir` as it was.
    pub fn stage(&self, dir: &Path) -> Result<Staged> {
        let shown = self.display();
        let name = |a: &str| -> String { shown.get(a).map_or(a, |h| h).to_string() };
        let mut counts = Counts::default();
        let authors = self.authors();
        let interactions = stage_lines(dir, INTERACTIONS, |w| {
            for m in self.standing() {
                for a in interactions_of(m, &authors, &mut counts.unresolved) {
                    let a = Act {
                        actor: name(&a.actor),
                        target: name(&a.target),
                        ..a
                    };
                    json_line(w, &a)?;
                    counts.interactions += 1;
                }
            }
            Ok(())
        })?;
        let posts = stage_lines(dir, POSTS, |w| {
            for n in self.standing().flat_map(|m| &m.notes) {
                let n = Note {
                    author: name(&n.author),
                    ..n.clone()
                };
                json_line(w, &n)?;
                counts.posts += 1;
            }
            Ok(())
        })?;
        let follows = stage_lines(dir, FOLLOWS, |w| {
            // An edge read twice (in one account's followers and another's following) is one.
            let mut seen = FxHashSet::default();
            for (a, b) in self.standing().flat_map(|m| &m.follows) {
                if seen.insert(record_key(&[a, b])) {
                    writeln!(w, "{} {}", name(a), name(b))?;
                    counts.follows += 1;
                }
            }
            Ok(())
        })?;
        Ok(Staged {
            dir: dir.to_path_buf(),
            interactions,
            posts: (counts.posts > 0).then_some(posts),
            follows: (counts.follows > 0).then_some(follows),
            counts,
        })
    }
}

/// The interactions record `m` stands for: its engagements of posts by id resolved
/// (`unresolved` counts those whose post was not read), then its own acts, less a mention
/// of an account it already replied to (not counted twice).
fn interactions_of(
    m: &Made,
    authors: &FxHashMap<(&'static str, &str), &str>,
    unresolved: &mut u64,
) -> Vec<Act> {
    let resolved: Vec<Act> = m
        .pending
        .iter()
        .filter_map(|p| {
            let found = resolve(p, authors);
            *unresolved += u64::from(found.is_none());
            found.flatten()
        })
        .collect();
    let engaged = |a: &Act| {
        a.kind == Kind::Mention
            && resolved
                .iter()
                .any(|r| r.actor == a.actor && r.target == a.target)
    };
    let rest: Vec<Act> = m.acts.iter().filter(|a| !engaged(a)).cloned().collect();
    resolved.into_iter().chain(rest).collect()
}

const INTERACTIONS: &str = "interactions.txt";
const POSTS: &str = "posts.jsonl";
const FOLLOWS: &str = "follows.txt";

/// Canonical files complete in temporary files of their directory, not yet in place.
#[derive(Debug)]
pub struct Staged {
    dir: PathBuf,
    interactions: NamedTempFile,
    posts: Option<NamedTempFile>,
    follows: Option<NamedTempFile>,
    pub counts: Counts,
}

impl Staged {
    /// Renames the files into place, replacing files of those names; a `posts.jsonl` or
    /// `follows.txt` there from an earlier import is removed when this one has none.
    pub fn persist(self) -> Result<Written> {
        let dir = self.dir;
        let place = |name: &str, tmp: Option<NamedTempFile>| -> Result<Option<PathBuf>> {
            let path = dir.join(name);
            match tmp {
                Some(tmp) => tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?,
                None => match std::fs::remove_file(&path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(Error::io(&path, e))
                    }
                    _ => return Ok(None),
                },
            };
            Ok(Some(path))
        };
        let posts = place(POSTS, self.posts)?;
        let follows = place(FOLLOWS, self.follows)?;
        let interactions = place(INTERACTIONS, Some(self.interactions))?;
        Ok(Written {
            interactions: interactions.unwrap_or_else(|| dir.join(INTERACTIONS)),
            posts,
            follows,
            counts: self.counts,
        })
    }
}

/// The engagement `p` as an interaction with its post's author: `None` when that post was not
/// read, `Some(None)` for an engagement with one's own post.
fn resolve(p: &Pending, authors: &FxHashMap<(&'static str, &str), &str>) -> Option<Option<Act>> {
    let target = authors
        .get(&(p.network, p.parent.as_str()))
        .copied()
        .or(p.guess.as_deref())?;
    Some(
        (target != p.actor)
            .then(|| Act::new(&p.actor, target, p.kind, p.time, Some(&p.parent), p.network)),
    )
}

fn json_line(w: &mut dyn Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, value)?;
    w.write_all(b"\n")
}

/// A temporary file in `dir` (named after `name`) written through `body`.
fn stage_lines(
    dir: &Path,
    name: &str,
    body: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<NamedTempFile> {
    let mut tmp =
        crate::fs::temp_file_in(dir, &format!(".{name}.")).map_err(|e| Error::io(dir, e))?;
    let mut w = BufWriter::new(tmp.as_file_mut());
    body(&mut w)
        .and_then(|()| w.flush())
        .map_err(|e| Error::io(dir.join(name), e))?;
    drop(w);
    Ok(tmp)
}

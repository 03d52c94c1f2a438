//! Writing a generated world as a dataset directory, atomically: everything goes into a
//! temporary directory beside the target, renamed into place when complete. An existing
//! non-empty target is an error unless `force` (then it is replaced whole).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::posts::post_id;
use super::truth::{self, TruthHeader};
use super::{SocialSpec, World};
use crate::error::{Error, Result};
use crate::rng::SplitMix;

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub accounts: usize,
    pub people: usize,
    pub follows: usize,
    pub posts: usize,
    pub interactions: usize,
    /// Topics with at least 20 planted experts.
    pub topics_with_20_experts: usize,
}

/// The command that regenerates `spec` (without `--out`).
pub fn command_line(spec: &SocialSpec) -> String {
    let p = spec.params();
    let d = super::SocialParams::default();
    let mut s = format!(
        "clout generate social --accounts {} --seed {}",
        p.accounts, p.seed
    );
    let knobs = [
        (
            "--posts-per-account",
            p.posts_per_account,
            d.posts_per_account,
        ),
        (
            "--interactions-per-account",
            p.interactions_per_account,
            d.interactions_per_account,
        ),
        (
            "--follows-per-account",
            p.follows_per_account,
            d.follows_per_account,
        ),
        ("--days", f64::from(p.days), f64::from(d.days)),
    ];
    for (flag, v, default) in knobs {
        if v != default {
            s.push_str(&format!(" {flag} {v}"));
        }
    }
    s
}

/// The shape a generated dataset is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DatasetFormat {
    /// clout's own files.
    #[default]
    Clout,
    /// One Bluesky Jetstream file (see [`super::bluesky`]).
    Bluesky,
    /// Pushshift-style Reddit dumps (see [`super::reddit`]).
    Reddit,
    /// One file of Mastodon statuses (see [`super::mastodon`]).
    Mastodon,
    /// One file of X API v2 pages (see [`super::x`]).
    X,
}

/// Generates `spec` into `dir` in clout's own files. `progress` is told each stage as it
/// starts.
pub fn write_dataset(
    spec: &SocialSpec,
    dir: &Path,
    force: bool,
    progress: &mut dyn FnMut(&str),
) -> Result<Summary> {
    write_dataset_as(spec, dir, force, DatasetFormat::Clout, progress)
}

/// Generates `spec` into `dir` in `format`.
pub fn write_dataset_as(
    spec: &SocialSpec,
    dir: &Path,
    force: bool,
    format: DatasetFormat,
    progress: &mut dyn FnMut(&str),
) -> Result<Summary> {
    check_target(dir, force)?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".clout-social-")
        .tempdir_in(parent)
        .map_err(|e| Error::io(parent, e))?;
    let world = World::build_with(spec, progress);
    let summary = write_all(&world, tmp.path(), progress)?;
    if let Some(shape) = Shape::of(format) {
        progress(&format!("rewriting as {}", shape.files));
        (shape.rewrite)(tmp.path())?;
        note_shape(tmp.path(), &shape)?;
    }
    progress("renaming into place");
    replace_dir(tmp, dir)?;
    Ok(summary)
}

/// A platform shape: what it writes, the `--format` value that asks for it, and the rewrite.
struct Shape {
    files: &'static str,
    flag: &'static str,
    module: &'static str,
    rewrite: fn(&Path) -> Result<usize>,
}

impl Shape {
    fn of(format: DatasetFormat) -> Option<Shape> {
        let (files, flag, module, rewrite): (_, _, _, fn(&Path) -> Result<usize>) = match format {
            DatasetFormat::Clout => return None,
            DatasetFormat::Bluesky => (
                "`jetstream.jsonl`",
                "bluesky",
                "bluesky",
                super::bluesky::rewrite_as_jetstream,
            ),
            DatasetFormat::Reddit => (
                "`RS_demo.jsonl` and `RC_demo.jsonl`",
                "reddit",
                "reddit",
                super::reddit::rewrite_as_pushshift,
            ),
            DatasetFormat::Mastodon => (
                "`statuses.jsonl` and `following.jsonl`",
                "mastodon",
                "mastodon",
                super::mastodon::rewrite_as_statuses,
            ),
            DatasetFormat::X => ("`tweets.jsonl`", "twitter", "x", super::x::rewrite_as_v2),
        };
        Some(Shape {
            files,
            flag,
            module,
            rewrite,
        })
    }
}

/// Appends to the directory's README that its files are in a platform's shape, so that the
/// table of clout's own files above it is not taken for what the directory holds.
fn note_shape(dir: &Path, shape: &Shape) -> Result<()> {
    let path = dir.join("README.md");
    let mut text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    text.push_str(&format!(
        "\n## In a platform's shape\n\n\
Written with `--format {flag}` (add it to the command above): {files} replace the files of the \
table above, which describe what the generator made before the rewrite (the counts are \
theirs). `truth.json` keeps clout's ids; `src/generate/social/{module}.rs` says how they map \
to the platform's.\n",
        flag = shape.flag,
        files = shape.files,
        module = shape.module,
    ));
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))
}

fn check_target(dir: &Path, force: bool) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() && !force {
                return Err(Error::param(
                    "out",
                    format!(
                        "{} exists and is not empty (pass --force to replace it)",
                        dir.display()
                    ),
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(dir, e)),
    }
}

fn replace_dir(tmp: tempfile::TempDir, dir: &Path) -> Result<()> {
    let old = dir.exists().then(|| {
        let mut name = dir.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".old-{}", std::process::id()));
        dir.with_file_name(name)
    });
    if let Some(old) = &old {
        std::fs::rename(dir, old).map_err(|e| Error::io(dir, e))?;
    }
    let path = tmp.keep();
    if let Err(e) = std::fs::rename(&path, dir) {
        if let Some(old) = &old {
            let _ = std::fs::rename(old, dir);
        }
        let _ = std::fs::remove_dir_all(&path);
        return Err(Error::io(dir, e));
    }
    if let Some(old) = old {
        std::fs::remove_dir_all(&old).map_err(|e| Error::io(old, e))?;
    }
    Ok(())
}

struct Files {
    dir: PathBuf,
}

impl Files {
    fn create(&self, name: &str) -> Result<(BufWriter<File>, PathBuf)> {
        let path = self.dir.join(name);
        let f = File::create(&path).map_err(|e| Error::io(&path, e))?;
        Ok((BufWriter::with_capacity(1 << 20, f), path))
    }

    fn write(
        &self,
        name: &str,
        body: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
    ) -> Result<()> {
        let (mut w, path) = self.create(name)?;
        body(&mut w)
            .and_then(|()| w.flush())
            .and_then(|()| w.get_ref().sync_all())
            .map_err(|e| Error::io(&path, e))
    }
}

fn write_all(world: &World, dir: &Path, progress: &mut dyn FnMut(&str)) -> Result<Summary> {
    let files = Files {
        dir: dir.to_path_buf(),
    };
    let accounts = &world.accounts;
    progress("writing follows.txt");
    let follows = world.follows.iter().map(Vec::len).sum();
    files.write("follows.txt", |w| {
        const CHUNK: usize = 1 << 14;
        for start in (0..accounts.len()).step_by(CHUNK) {
            let end = (start + CHUNK).min(accounts.len());
            let pieces: Vec<Vec<u8>> = (start..end)
                .into_par_iter()
                .map(|u| {
                    let mut buf = Vec::new();
                    for &v in &world.follows[u] {
                        buf.extend_from_slice(accounts[u].id.as_bytes());
                        buf.push(b' ');
                        buf.extend_from_slice(accounts[v as usize].id.as_bytes());
                        buf.push(b'\n');
                    }
                    buf
                })
                .collect();
            for p in pieces {
                w.write_all(&p)?;
            }
        }
        Ok(())
    })?;
    progress("writing identities.txt");
    let mut people = std::collections::BTreeSet::new();
    files.write("identities.txt", |w| {
        let mut linked: Vec<(u32, usize)> = Vec::new();
        for (i, a) in accounts.iter().enumerate() {
            people.insert(a.person);
            if a.network == super::accounts::Network::Instagram {
                linked.push((a.person, i));
            }
        }
        for (p, ig) in linked {
            writeln!(w, "person_{p} {}", accounts[p as usize].id)?;
            writeln!(w, "person_{p} {}", accounts[ig].id)?;
        }
        Ok(())
    })?;
    progress("writing posts.jsonl and interactions.txt");
    let interactions = write_posts_and_interactions(world, &files)?;
    progress("writing truth.json");
    let command = command_line(&world.spec);
    let post_topics: Vec<(String, crate::topics::TopicIdx)> = world
        .posts
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.topic.map(|t| (post_id(i), t)))
        .collect();
    let header = TruthHeader {
        command: &command,
        seed: world.spec.params().seed,
        start: world.start,
        end: world.end,
    };
    files.write("truth.json", |w| {
        truth::write_truth(
            w,
            &header,
            accounts,
            &world.topics,
            &world.posts,
            &post_topics,
        )
    })?;
    let experts = truth::experts(accounts, &world.topics, &world.posts);
    let summary = Summary {
        accounts: accounts.len(),
        people: people.len(),
        follows,
        posts: world.posts.len(),
        interactions,
        topics_with_20_experts: experts.values().filter(|v| v.len() >= 20).count(),
    };
    files.write("README.md", |w| {
        w.write_all(readme(world, &command, &summary).as_bytes())
    })?;
    Ok(summary)
}

#[derive(serde::Serialize)]
struct PostLine<'a> {
    id: &'a str,
    author: &'a str,
    time: i64,
    text: &'a str,
    network: &'a str,
    lang: &'a str,
}

/// Posts and their interactions, formatted in parallel by chunk and written in order.
fn write_posts_and_interactions(world: &World, files: &Files) -> Result<usize> {
    let cascade = world.cascade();
    let seed = world.spec.params().seed;
    let (mut posts_w, posts_path) = files.create("posts.jsonl")?;
    let (mut inter_w, inter_path) = files.create("interactions.txt")?;
    const CHUNK: usize = 1 << 14;
    let mut total = 0;
    for start in (0..world.posts.len()).step_by(CHUNK) {
        let end = (start + CHUNK).min(world.posts.len());
        let pieces: Vec<(Vec<u8>, Vec<u8>, usize)> = (start..end)
            .into_par_iter()
            .map(|i| {
                let post = &world.posts[i];
                let author = &world.accounts[post.author as usize];
                let id = post_id(i);
                let mut rng = SplitMix::stream(seed, 5, i as u64);
                let text = super::text::write_text(
                    post,
                    &world.accounts,
                    &world.follows[post.author as usize],
                    &world.topics,
                    &mut rng,
                );
                let mut p = serde_json::to_vec(&PostLine {
                    id: &id,
                    author: &author.id,
                    time: post.time,
                    text: &text,
                    network: author.network.name(),
                    lang: post.lang.code(),
                })
                .expect("serializable");
                p.push(b'\n');
                let mut rng = SplitMix::stream(seed, 6, i as u64);
                let engagements = cascade.engage(post, &mut rng);
                let mut lines = Vec::with_capacity(engagements.len() * 48);
                let mut fmt = itoa::Buffer::new();
                for e in &engagements {
                    lines.extend_from_slice(world.accounts[e.actor as usize].id.as_bytes());
                    lines.push(b' ');
                    lines.extend_from_slice(author.id.as_bytes());
                    lines.push(b' ');
                    lines.extend_from_slice(kind_name(e.kind).as_bytes());
                    lines.push(b' ');
                    lines.extend_from_slice(fmt.format(e.time).as_bytes());
                    lines.push(b' ');
                    lines.extend_from_slice(id.as_bytes());
                    lines.push(b' ');
                    lines.extend_from_slice(author.network.name().as_bytes());
                    lines.push(b'\n');
                }
                (p, lines, engagements.len())
            })
            .collect();
        for (p, lines, n) in pieces {
            posts_w
                .write_all(&p)
                .map_err(|e| Error::io(&posts_path, e))?;
            inter_w
                .write_all(&lines)
                .map_err(|e| Error::io(&inter_path, e))?;
            total += n;
        }
    }
    for (mut w, path) in [(posts_w, posts_path), (inter_w, inter_path)] {
        w.flush()
            .and_then(|()| w.get_ref().sync_all())
            .map_err(|e| Error::io(&path, e))?;
    }
    Ok(total)
}

fn kind_name(k: crate::ingest::Kind) -> &'static str {
    use crate::ingest::Kind;
    match k {
        Kind::Share => "share",
        Kind::Mention => "mention",
        Kind::Reply => "reply",
        Kind::Comment => "comment",
        Kind::Like => "like",
        Kind::List => "list",
        Kind::Reaction => "reaction",
    }
}

fn readme(world: &World, command: &str, s: &Summary) -> String {
    let p = world.spec.params();
    format!(
        "# Synthetic social data\n\n\
This directory is **synthetic**: every account, post and interaction was drawn from a seeded\n\
random generator (`clout generate social`, see `src/generate/social/mod.rs`). Nothing here is\n\
real data; any resemblance of a handle to a real account is chance.\n\n\
Regenerate it byte for byte with:\n\n```sh\n{command} --out DIR\n```\n\n\
| file | what |\n|---|---|\n\
| `follows.txt` | {follows} `follower followee` lines |\n\
| `interactions.txt` | {inter} `actor target kind time post_id network` lines (target = author of post_id) |\n\
| `posts.jsonl` | {posts} posts `{{\"id\",\"author\",\"time\",\"text\",\"network\",\"lang\"}}` |\n\
| `identities.txt` | `person account` lines linking a person's twitter and instagram accounts |\n\
| `truth.json` | the planted truth: per account its network, person, role, hidden influence and interests; the planted experts of each topic; the bot farm and the ring; the topic of each on-topic post |\n\n\
{accounts} accounts of {people} people (seed {seed}), {days} days ending 2026-01-01T00:00:00Z.\n\
{t20} topics have at least 20 planted experts.\n\n\
**Planted experts**: {def} (expert_min_weight = {w}, expert_min_influence = {i}).\n\n\
**Planted attacks**: a bot farm (accounts `tw:win_prizes_*`, no influence) likes and shares every\n\
post of one low-influence account within minutes; a reciprocal ring of low-influence accounts\n\
shares and comments on each other's every post. Both are listed in `truth.json`.\n",
        follows = s.follows,
        inter = s.interactions,
        posts = s.posts,
        accounts = s.accounts,
        people = s.people,
        seed = p.seed,
        days = p.days,
        t20 = s.topics_with_20_experts,
        def = truth::EXPERT_DEFINITION,
        w = truth::EXPERT_MIN_WEIGHT,
        i = truth::EXPERT_MIN_INFLUENCE,
    )
}

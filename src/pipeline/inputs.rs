//! A scoring run's inputs: the interactions, the follow graph (through the binary graph
//! cache) and the posts, read and checked together, then scored. What a person should know
//! about them (skipped records, accounts outside the interactions, far-future timestamps let
//! through) is returned as notes for the caller to show.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Error, Result};
use crate::graph::{load, LoadOptions};
use crate::ingest::time::{far_times, format_time};
use crate::ingest::{read_interactions, read_posts, Interactions, Posts};
use crate::score::amplification::PostSource;
use crate::score::{score, AuthoredPosts, Follows, Inputs, ScoreParams, Scores, ValidScoreParams};

/// The files a scoring run reads, and how.
#[derive(Debug, Clone, Default)]
pub struct ScoreFiles {
    /// Interactions: Higgs `activity_time`, `actor target kind time [post] [network]`, Klout
    /// TSV or JSON lines; plain, gzip or zstd.
    pub interactions: PathBuf,
    /// Follow graph (`follower followee` edge list).
    pub follows: Option<PathBuf>,
    /// Posts (JSON lines `{"id","author","time","text"}`).
    pub posts: Option<PathBuf>,
    /// Skip malformed records (counted by kind) instead of failing on the first.
    pub lenient: bool,
    /// Directory of the binary graph cache for the follow graph; `None` disables it.
    pub cache_dir: Option<PathBuf>,
    /// Score at the latest interaction even when it lies far beyond the rest of the data.
    pub allow_far_times: bool,
}

/// Interactions, follows and posts of one run, read, with checked parameters.
pub struct ReadInputs {
    pub inter: Interactions,
    pub follows: Option<Follows>,
    pub posts: Option<AuthoredPosts>,
    /// The posts file as read (texts, ids), for topics.
    pub read_posts: Option<Posts>,
    pub params: ValidScoreParams,
    /// Seconds spent reading.
    pub load_s: f64,
    /// What a person should know about the inputs, one sentence each.
    pub notes: Vec<String>,
}

/// Reads the inputs of `files` and checks `params` against them, without scoring.
pub fn read_inputs(files: &ScoreFiles, params: ScoreParams) -> Result<ReadInputs> {
    let t0 = Instant::now();
    let mut notes = Vec::new();
    let inter = read_interactions(&files.interactions, files.lenient)?;
    if inter.skips.total() > 0 {
        notes.push(format!("{}: {}", files.interactions.display(), inter.skips));
    }
    check_times(files, &inter, params.as_of.is_some(), &mut notes)?;
    let follows = files
        .follows
        .as_deref()
        .map(|path| read_follows(path, &inter, files, &mut notes))
        .transpose()?;
    let (read_posts, posts) = files
        .posts
        .as_deref()
        .map(|path| read_authored(path, &inter, files.lenient, &mut notes))
        .transpose()?
        .unzip();
    let params = params.check(&inter)?;
    Ok(ReadInputs {
        inter,
        follows,
        posts,
        read_posts,
        params,
        load_s: t0.elapsed().as_secs_f64(),
        notes,
    })
}

impl ReadInputs {
    /// The inputs, borrowed.
    pub fn inputs(&self) -> Inputs<'_> {
        Inputs {
            interactions: &self.inter,
            follows: self.follows.as_ref(),
            posts: self.posts.as_ref(),
        }
    }

    /// Scores every account (all networks together).
    pub fn score(mut self) -> Result<Scored> {
        let t = Instant::now();
        let scores = score(&self.inputs(), &self.params)?;
        if let Some(note) = post_source_note(scores.post_source) {
            self.notes.push(note);
        }
        Ok(Scored {
            inter: self.inter,
            follows: self.follows,
            posts: self.posts,
            read_posts: self.read_posts,
            scores,
            load_s: self.load_s,
            score_s: t.elapsed().as_secs_f64(),
            notes: self.notes,
        })
    }
}

/// Interactions, follows and scores of one run.
pub struct Scored {
    pub inter: Interactions,
    pub follows: Option<Follows>,
    pub posts: Option<AuthoredPosts>,
    /// The posts file as read (texts, ids), for topics.
    pub read_posts: Option<Posts>,
    pub scores: Scores,
    pub load_s: f64,
    pub score_s: f64,
    /// The notes of reading, and of scoring.
    pub notes: Vec<String>,
}

impl Scored {
    /// The inputs, borrowed.
    pub fn inputs(&self) -> Inputs<'_> {
        Inputs {
            interactions: &self.inter,
            follows: self.follows.as_ref(),
            posts: self.posts.as_ref(),
        }
    }
}

/// What to say when posts had to be derived from interactions.
pub fn post_source_note(source: PostSource) -> Option<String> {
    (source != PostSource::PostIds && source != PostSource::PostsFile).then(|| {
        format!(
            "note: {} interactions carry no post id; posts are derived as (account, hour) buckets",
            if source == PostSource::Derived {
                "the"
            } else {
                "some"
            }
        )
    })
}

/// Refuses (or with `allow_far_times`, notes) interactions dated far beyond the rest of the
/// data when they would set the default as-of instant.
fn check_times(
    files: &ScoreFiles,
    inter: &Interactions,
    as_of_given: bool,
    notes: &mut Vec<String>,
) -> Result<()> {
    let Some(far) = far_times(inter.records.iter().map(|r| r.time)) else {
        return Ok(());
    };
    if as_of_given {
        return Ok(());
    }
    let years = (far.first - far.latest_rest) as f64 / (365.25 * 86_400.0);
    let what = format!(
        "{} interaction(s) dated far beyond the rest of the data, the first at {} ({years:.1} years after the latest other one, {}; the limit is {})",
        far.count,
        format_time(far.first),
        format_time(far.latest_rest),
        format_time(far.limit)
    );
    if files.allow_far_times {
        notes.push(format!(
            "warning: {}: {what}; scoring at it as --allow-far-times asks",
            files.interactions.display()
        ));
        return Ok(());
    }
    Err(Error::Invalid {
        path: files.interactions.clone(),
        reason: format!(
            "{what}: they would be the default as-of instant and empty the default window. \
             Fix the data, choose the window's end with --as-of, or pass --allow-far-times"
        ),
    })
}

/// Reads a follow graph through the binary graph cache and maps it onto the interactions'
/// accounts.
pub fn read_follows(
    path: &Path,
    inter: &Interactions,
    files: &ScoreFiles,
    notes: &mut Vec<String>,
) -> Result<Follows> {
    let opts = LoadOptions {
        lenient: files.lenient,
        cache_dir: files.cache_dir.clone(),
        ..Default::default()
    };
    let loaded = load(path, &opts)?;
    if loaded.skips.total() > 0 {
        notes.push(format!("{}: {}", path.display(), loaded.skips));
    }
    if let Some(w) = &loaded.cache_warning {
        notes.push(format!("warning: {w}"));
    }
    if loaded.declared_undirected {
        notes.push(format!(
            "note: {} says its graph is undirected: each edge read as a follow both ways (mutual follows)",
            path.display()
        ));
    }
    let f = Follows::from_graph(&loaded.graph, &inter.accounts);
    if f.outside > 0 {
        notes.push(format!(
            "note: {} follow records involve accounts with no interactions (counted in follower numbers only)",
            f.outside
        ));
    }
    Ok(f)
}

/// The posts file at `path` as read, and mapped onto the interactions' accounts.
fn read_authored(
    path: &Path,
    inter: &Interactions,
    lenient: bool,
    notes: &mut Vec<String>,
) -> Result<(Posts, AuthoredPosts)> {
    let posts = read_posts(path, lenient)?;
    if posts.skips.total() > 0 {
        notes.push(format!("{}: {}", path.display(), posts.skips));
    }
    let p = AuthoredPosts::new(&posts, &inter.accounts, &inter.posts);
    if p.outside > 0 {
        notes.push(format!(
            "note: {} posts are by authors with no interactions (not scored)",
            p.outside
        ));
    }
    Ok((posts, p))
}

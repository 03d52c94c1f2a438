//! `clout run` as a library call: discover a dataset directory (clout's files or platform
//! files), score it, compute the day / week / month changes against the store, topics and
//! leaderboards, build every account's record and write the run to the store in one
//! transaction. What a person should know along the way is returned as notes.

use std::path::PathBuf;
use std::time::SystemTime;

use super::inputs::{read_inputs, ScoreFiles, Scored};
use super::manifest::{self, Hashed};
use super::reuse;
use super::topics::{topics, PlusKInput};
use crate::error::{Error, Result};
use crate::ingest::dataset::{Dataset, Prepared};
use crate::ingest::{platform, read_posts, Posts, Source};
use crate::score::history::{self, Delta};
use crate::score::networks::Identities;
use crate::score::ScoreParams;
use crate::store::build::{self, RecordInputs};
use crate::store::{RunData, RunMeta, Store};
use crate::topics::PostTopicEngine;

/// What to run: the directory, how to read it, when to score.
#[derive(Debug, Clone)]
pub struct RunRequest {
    /// Dataset directory: interactions.txt (required), follows.txt, posts.jsonl and
    /// identities.txt (optional, plain, .gz or .zst), or platform files under any name.
    pub dir: PathBuf,
    /// Skip malformed records (counted by kind) instead of failing on the first.
    pub lenient: bool,
    /// Directory of the binary graph cache for the follow graph; `None` disables it.
    pub cache_dir: Option<PathBuf>,
    /// Score at the latest interaction even when it lies far beyond the rest of the data.
    pub allow_far_times: bool,
    pub params: ScoreParams,
    /// The topic model or ontology, as recorded with the run.
    pub ontology: String,
    /// Replace a stored run of the same as-of instant even when its window differs (a run of
    /// the same window is always replaced).
    pub replace: bool,
}

/// The stages of a run, reported as they start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Reading,
    /// Scoring the run's as-of instant.
    Scoring,
    Changes,
    Topics,
    Records,
    /// Writing the store: rows done of the total.
    Writing {
        done: u64,
        total: u64,
    },
}

/// The stages after reading, writing included (for a progress bar's length: each of
/// `Scoring`, `Changes`, `Topics`, `Records` and the first `Writing` is one step).
pub const STAGES: u64 = 5;

/// A finished run: what was stored, and the notes of the way.
#[derive(Debug)]
pub struct RunOutcome {
    pub data: RunData,
    pub notes: Vec<String>,
}

/// Runs `req` with the topic `model` and writes the run into `store`; `stage` is called as
/// each stage starts (and as the store's rows are written).
pub fn run_dataset(
    req: &RunRequest,
    model: &PostTopicEngine,
    store: &Store,
    stage: &mut dyn FnMut(Stage),
) -> Result<RunOutcome> {
    run_found(req, Dataset::discover(&req.dir)?, model, store, stage)
}

/// [`run_dataset`] on a directory already discovered (`Dataset::discover(&req.dir)`), so that
/// a caller can refuse a wrong directory before it creates a store or loads a model.
pub fn run_found(
    req: &RunRequest,
    found: Dataset,
    model: &PostTopicEngine,
    store: &Store,
    stage: &mut dyn FnMut(Stage),
) -> Result<RunOutcome> {
    let mut notes = Vec::new();
    note_found(&found, &mut notes);
    let ds = found.prepare(req.lenient)?;
    note_imported(&ds, &mut notes);
    stage(Stage::Reading);
    let files = ScoreFiles {
        interactions: ds.interactions.clone(),
        follows: ds.follows.clone(),
        posts: ds.posts.clone(),
        lenient: req.lenient,
        cache_dir: req.cache_dir.clone(),
        allow_far_times: req.allow_far_times,
    };
    let read = read_inputs(&files, req.params.clone())?;
    stage(Stage::Scoring);
    let scored = read.score()?;
    // Before the long part: a run that would replace one of another kind is refused now.
    let p = &scored.scores.params;
    let kind = (p.window.as_of, p.window.length, p.calibration.version);
    refuse_other_kind(store, kind, req.replace)?;
    notes.extend(scored.notes.iter().cloned());
    let posts = ds
        .posts
        .as_deref()
        .map(|p| read_posts(p, req.lenient))
        .transpose()?;
    let endorsements = ds
        .endorsements
        .as_deref()
        .map(|p| crate::ingest::endorsements::parse(&Source::open(p)?, req.lenient).map(|r| (p, r)))
        .transpose()?;
    let people = people(&ds, &scored)?;
    stage(Stage::Changes);
    let (hashed, deltas) = changes(store, &found, &scored, posts.as_ref(), &mut notes)?;
    stage(Stage::Topics);
    let topics = topics(
        &scored,
        posts.as_ref(),
        endorsements.as_ref().map(|(path, read)| PlusKInput {
            path,
            read,
            people: &people,
            lenient: req.lenient,
        }),
        model,
        &mut notes,
    )?;
    stage(Stage::Records);
    let networks = build::account_networks(&scored.inter);
    let inp = RecordInputs {
        scores: &scored.scores,
        ids: &scored.inter.accounts,
        follows: scored.follows.as_ref(),
        networks: &networks,
        people: &people,
        deltas: &deltas,
    };
    let accounts = build::account_records(&inp, |v| topics.accounts[v as usize].clone());
    let meta = RunMeta {
        as_of: scored.scores.params.window.as_of,
        window: scored.scores.params.window.length,
        created: now(),
        input_digest: hashed.digest.clone(),
        source: req.dir.display().to_string(),
        calibration: scored.scores.params.calibration.version.to_string(),
        ontology: req.ontology.clone(),
        accounts: accounts.len() as u64,
        people: distinct(&people, &scored.scores.present),
        interactions: scored.scores.engagement.records as u64,
        posts: posts.as_ref().map_or(0, |p| {
            let w = scored.scores.params.window;
            p.posts.iter().filter(|p| w.contains(p.time)).count() as u64
        }),
        inputs: hashed.files,
    };
    let data = RunData {
        meta: Some(meta),
        accounts,
        leaderboards: topics.boards,
        posts: topics.posts,
    };
    refuse_other_kind(store, meta_of(&data), req.replace)?;
    store.write_run_with(&data, &mut |done, total| {
        stage(Stage::Writing { done, total })
    })?;
    Ok(RunOutcome { data, notes })
}

/// Notes the files of the directory that are no input.
fn note_found(ds: &Dataset, notes: &mut Vec<String>) {
    if ds.ignored.is_empty() {
        return;
    }
    let names: Vec<String> = ds
        .ignored
        .iter()
        .map(|p| {
            p.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    notes.push(format!(
        "note: ignoring files that match no known source in {} (tried: clout's own file names, {}): {}",
        ds.dir.display(),
        platform::tried(),
        names.join(", ")
    ));
}

/// Notes what platform files were read, and what was skipped in them.
fn note_imported(ds: &Prepared, notes: &mut Vec<String>) {
    let Some(imported) = &ds.imported else {
        return;
    };
    for (path, platform, skips) in &imported.files {
        let skipped = if skips.total() > 0 {
            format!(": {skips}")
        } else {
            String::new()
        };
        notes.push(format!(
            "read {} as {}{skipped}",
            path.display(),
            platform.describe()
        ));
    }
    let unresolved = imported.written.counts.unresolved;
    if unresolved > 0 {
        notes.push(unresolved_note(unresolved));
    }
}

/// What to say about replies and shares whose post was not read.
pub fn unresolved_note(n: u64) -> String {
    format!(
        "{n} replies or shares of posts not read (or by deleted authors) were left out: \
         add the files holding those posts to count them"
    )
}

/// The person of every account (the account itself when no identity file links it).
fn people(ds: &Prepared, scored: &Scored) -> Result<Vec<String>> {
    let ids = &scored.inter.accounts;
    let id = match &ds.identities {
        Some(p) => Identities::parse(&Source::open(p)?, ids)?,
        None => Identities::singletons(ids),
    };
    Ok(id
        .person_of
        .iter()
        .map(|&p| id.people[p as usize].clone())
        .collect())
}

/// The people of the accounts that existed at the run's as-of instant.
fn distinct(people: &[String], present: &[bool]) -> u64 {
    let mut p: Vec<&String> = people
        .iter()
        .zip(present)
        .filter_map(|(p, &here)| here.then_some(p))
        .collect();
    p.sort_unstable();
    p.dedup();
    p.len() as u64
}

fn meta_of(data: &RunData) -> (i64, Option<i64>, &str) {
    let m = data.meta.as_ref().expect("a run has its meta");
    (m.as_of, m.window, &m.calibration)
}

/// A stored run of the same as-of instant with another window or calibration is replaced only
/// when asked: its history would otherwise change meaning silently. `(as_of, window,
/// calibration)` of the new run.
fn refuse_other_kind(
    store: &Store,
    (as_of, window, calibration): (i64, Option<i64>, &str),
    replace: bool,
) -> Result<()> {
    match store.run(as_of)? {
        Some(old) if (old.window != window || old.calibration != calibration) && !replace => {
            Err(Error::store(
                store.path(),
                format!(
                    "it holds a run as of {} over {} (calibration {}); this run is over {} \
                     (calibration {calibration}): give --replace to replace it, or another --as-of",
                    crate::ingest::time::format_time(as_of),
                    crate::score::window::describe(old.window),
                    old.calibration,
                    crate::score::window::describe(window),
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// What the run read (hashed, with the record counts of its own files), and every account's
/// changes: from the stored runs at the look-back instants where they saw the start of
/// today's inputs, else re-scored.
fn changes(
    store: &Store,
    found: &Dataset,
    scored: &Scored,
    posts: Option<&Posts>,
    notes: &mut Vec<String>,
) -> Result<(Hashed, Vec<Delta>)> {
    let p = &scored.scores.params;
    let at = history::lookbacks(&scored.inter, &scored.scores);
    let cands = reuse::candidates(store, &at, p.window.length, p.calibration.version)?;
    let mut hashed = manifest::hash_inputs(found, &reuse::cuts(&cands))?;
    if found.platform.is_empty() {
        let r = &scored.inter.records;
        let last = r.iter().map(|r| r.time).max();
        hashed.set_records("interactions", r.len() as u64, last);
        if let Some(p) = posts {
            let last = p.posts.iter().map(|p| p.time).max();
            hashed.set_records("posts", p.posts.len() as u64, last);
        }
    }
    let tail = |role: &str, from: u64| -> Option<Option<i64>> {
        let from = usize::try_from(from).ok()?;
        match role {
            "interactions" => Some(
                scored
                    .inter
                    .records
                    .get(from..)?
                    .iter()
                    .map(|r| r.time)
                    .min(),
            ),
            "posts" => Some(posts?.posts.get(from..)?.iter().map(|p| p.time).min()),
            _ => None,
        }
    };
    let reused = reuse::reuse(store, &cands, &hashed, &tail, &scored.inter.accounts)?;
    notes.extend(reused.notes);
    let deltas = history::deltas_known(&scored.inputs(), &scored.scores, reused.then)?;
    Ok((hashed, deltas))
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

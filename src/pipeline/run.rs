//! `clout run` as a library call: discover a dataset directory (clout's files or platform
//! files), score it, compute the day / week / month changes against the store, topics and
//! leaderboards, build every account's record and write the run to the store in one
//! transaction. What a person should know along the way is returned as notes.

use std::path::PathBuf;
use std::time::SystemTime;

use super::every;
use super::inputs::{read_inputs, ReadInputs, ScoreFiles, Scored};
use super::manifest::{self, Hashed};
use super::reuse::{self, Tail};
use super::topics::{topics, PlusKInput};
use crate::error::{Error, Result};
use crate::ingest::dataset::{Dataset, Prepared};
use crate::ingest::interactions::InteractionFormat;
use crate::ingest::{platform, Posts, Source};
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
    let ran = run_inner(req, found, None, model, store, stage)?;
    Ok(ran.expect("a run that may not be skipped is not"))
}

/// For a service running every `period` seconds: runs as of the end of the latest period
/// (aligned to the Unix epoch: days end at 23:59:59 UTC) that the data has moved past, unless
/// `req` gives the as-of instant. `None` when there is no such period yet, or when the store
/// already holds that run as it would be computed now (it read the start of today's inputs
/// and nothing it did not read is dated at or before its as-of).
pub fn run_due(
    req: &RunRequest,
    found: Dataset,
    period: i64,
    model: &PostTopicEngine,
    store: &Store,
    stage: &mut dyn FnMut(Stage),
) -> Result<Option<RunOutcome>> {
    run_inner(req, found, Some(period), model, store, stage)
}

fn run_inner(
    req: &RunRequest,
    found: Dataset,
    period: Option<i64>,
    model: &PostTopicEngine,
    store: &Store,
    stage: &mut dyn FnMut(Stage),
) -> Result<Option<RunOutcome>> {
    let mut notes = Vec::new();
    note_found(&found, &mut notes);
    let ds = found.prepare(req.lenient)?;
    note_imported(&ds, &mut notes);
    stage(Stage::Reading);
    let before = manifest::stat(&found)?;
    let files = ScoreFiles {
        interactions: ds.interactions.clone(),
        follows: ds.follows.clone(),
        posts: ds.posts.clone(),
        lenient: req.lenient,
        cache_dir: req.cache_dir.clone(),
        allow_far_times: req.allow_far_times,
    };
    let mut read = read_inputs(&files, req.params.clone())?;
    if let Some(p) = period.filter(|_| req.params.as_of.is_none()) {
        let end = every::period_end(read.params.window.as_of, p);
        if read.inter.records.iter().all(|r| r.time > end) {
            return Ok(None);
        }
        read.params.window = read.params.window.ending_at(end);
    }
    let mut seen = Seen::of(store, &found, &read)?;
    if !seen.hashed.same_files(&found, &before)? {
        seen.hashed.files.clear();
        notes.push(
            "note: an input file was replaced or cut while this run read it: the run does not \
             record what it read, and no later run will take its scores as a re-scoring"
                .into(),
        );
    }
    if period.is_some() && seen.current(req) {
        return Ok(None);
    }
    stage(Stage::Scoring);
    let scored = read.score()?;
    // Before the long part: a run that would replace one of another kind is refused now.
    let p = &scored.scores.params;
    let kind = (p.window.as_of, p.window.length, p.calibration.version);
    refuse_other_kind(store, kind, req.replace)?;
    notes.extend(scored.notes.iter().cloned());
    let endorsements = ds
        .endorsements
        .as_deref()
        .map(|p| crate::ingest::endorsements::parse(&Source::open(p)?, req.lenient).map(|r| (p, r)))
        .transpose()?;
    let people = people(&ds, &scored)?;
    stage(Stage::Changes);
    let deltas = changes(store, &seen, &scored, &mut notes)?;
    stage(Stage::Topics);
    let topics = topics(
        &scored,
        scored.read_posts.as_ref(),
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
        input_digest: seen.hashed.digest.clone(),
        source: req.dir.display().to_string(),
        calibration: scored.scores.params.calibration.version.to_string(),
        ontology: req.ontology.clone(),
        accounts: accounts.len() as u64,
        people: distinct(&people, &scored.scores.present),
        interactions: scored.scores.engagement.records as u64,
        posts: scored.read_posts.as_ref().map_or(0, |p| {
            let w = scored.scores.params.window;
            p.posts.iter().filter(|p| w.contains(p.time)).count() as u64
        }),
        inputs: seen.hashed.files,
        scoring: crate::score::SCORING_VERSION,
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
    Ok(Some(RunOutcome { data, notes }))
}

/// What a run read, hashed, and the stored runs it may stand beside: those at its look-back
/// instants, and the one at its own as-of instant, each of the same window and calibration.
struct Seen {
    hashed: Hashed,
    candidates: [Option<RunMeta>; 3],
    same: Option<RunMeta>,
    tails: Tails,
}

impl Seen {
    fn of(store: &Store, found: &Dataset, read: &ReadInputs) -> Result<Seen> {
        let w = read.params.window;
        let cal = read.params.calibration.version;
        let at = history::lookbacks(&read.inter, w.as_of);
        let candidates = reuse::candidates(store, &at, w.length, cal)?;
        let [same, _, _] = reuse::candidates(store, &[Some(w.as_of), None, None], w.length, cal)?;
        let cuts = reuse::cuts(candidates.iter().chain([&same]).flatten());
        let mut hashed = manifest::hash_inputs(found, &cuts)?;
        let tails = Tails::of(&read.inter, read.read_posts.as_ref());
        if found.platform.is_empty() {
            let n = tails.interactions.len() as u64;
            hashed.set_records("interactions", n, tails.last(0));
            if read.read_posts.is_some() {
                hashed.set_records("posts", tails.posts.len() as u64, tails.last(1));
            }
        }
        if read.inter.format == InteractionFormat::Csv {
            hashed.whole_only("interactions");
        }
        Ok(Seen {
            hashed,
            candidates,
            same,
            tails,
        })
    }

    /// Whether the stored run at this run's as-of instant is what `req` would compute now: it
    /// stands for the re-scoring, read the same endorsements and used the same topic model.
    fn current(&self, req: &RunRequest) -> bool {
        let Some(r) = &self.same else { return false };
        let tail = |role: &str, from: u64| self.tails.from(role, from);
        let endorsements = |files: &[crate::store::InputFile]| -> Vec<(String, String)> {
            files
                .iter()
                .filter(|f| f.role == "endorsements")
                .map(|f| (f.name.clone(), f.digest.clone()))
                .collect()
        };
        r.ontology == req.ontology
            && endorsements(&r.inputs) == endorsements(&self.hashed.files)
            && reuse::why_not(r, &self.hashed, &tail).is_none()
    }
}

/// The record times of the interactions and posts files, in file order.
struct Tails {
    interactions: Vec<i64>,
    posts: Vec<i64>,
}

impl Tails {
    fn of(inter: &crate::ingest::Interactions, posts: Option<&Posts>) -> Tails {
        Tails {
            interactions: inter.records.iter().map(|r| r.time).collect(),
            posts: posts.map_or_else(Vec::new, |p| p.posts.iter().map(|p| p.time).collect()),
        }
    }

    fn last(&self, k: usize) -> Option<i64> {
        [&self.interactions, &self.posts][k].iter().copied().max()
    }

    /// The earliest time from the `from`-th record of `role` on.
    fn from(&self, role: &str, from: u64) -> Tail {
        let times = match role {
            "interactions" => &self.interactions,
            "posts" => &self.posts,
            _ => return Tail::Short,
        };
        let rest = usize::try_from(from).ok().and_then(|k| times.get(k..));
        match rest.map(|r| r.iter().copied().min()) {
            None => Tail::Short,
            Some(None) => Tail::Empty,
            Some(Some(t)) => Tail::Earliest(t),
        }
    }
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

/// Every account's changes: from the stored runs at the look-back instants where they saw
/// the start of today's inputs, else re-scored.
fn changes(
    store: &Store,
    seen: &Seen,
    scored: &Scored,
    notes: &mut Vec<String>,
) -> Result<Vec<Delta>> {
    let tail = |role: &str, from: u64| seen.tails.from(role, from);
    let present = |t: i64| {
        history::present_at(&scored.inter, t)
            .iter()
            .filter(|&&p| p)
            .count()
    };
    let today = reuse::Today {
        hashed: &seen.hashed,
        tail: &tail,
        ids: &scored.inter.accounts,
        present: &present,
    };
    let reused = reuse::reuse(store, &seen.candidates, &today)?;
    notes.extend(reused.notes);
    history::deltas_known(&scored.inputs(), &scored.scores, reused.then)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

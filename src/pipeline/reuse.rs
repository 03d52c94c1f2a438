//! Changes from stored runs. A run's day / week / month change compares with the score at
//! `as_of − L` re-scored from today's inputs (`score::history`). When the store holds a run at
//! exactly that instant, with the same window, calibration and scoring code, that read the
//! first bytes of today's inputs (plain line files that only grew, by whole lines; every other
//! file unchanged) and no record it did not see is dated at or before its as-of, then its
//! stored scores are that re-scoring (up to floating-point rounding), and the run takes them
//! instead of scoring again.

use std::fmt;

use crate::error::Result;
use crate::ingest::time::format_time;
use crate::ingest::IdMap;
use crate::score::history::LOOKBACK_DAYS;
use crate::score::SCORING_VERSION;
use crate::store::{InputFile, RunMeta, Store};

use super::manifest::Hashed;

/// Inputs whose records carry times, so that they may grow between runs.
const GROWING: [&str; 2] = ["interactions", "posts"];

/// Inputs that do not enter the scores.
const UNSCORED: [&str; 1] = ["endorsements"];

/// Why a stored run does not stand for a re-scoring with today's inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotReused {
    /// It was stored before clout kept what a run read.
    Unrecorded,
    /// It was scored by other scoring code (the stored version).
    OtherCode(u32),
    /// It read other files.
    OtherFiles { then: String, now: String },
    /// A file that must be unchanged changed.
    Changed(String),
    /// A file is shorter than it was.
    Shorter(String),
    /// A file that grew cannot be compared by its first bytes (compressed, or a CSV table).
    NotLines(String),
    /// A file's first bytes are not what the run read.
    NotOnlyGrown(String),
    /// A file grew inside its last line.
    GrewInLine(String),
    /// A file was not hashed at the stored size.
    NotHashed(String),
    /// The stored run has no record count for a file.
    NoCount(String),
    /// A file reads as fewer records than the run read.
    FewerRecords(String),
    /// A file now holds a record dated at or before the run's as-of that the run did not see.
    Unseen { file: String, time: i64 },
    /// The stored run holds other accounts than those that existed then.
    Rows { stored: usize, present: usize },
}

impl fmt::Display for NotReused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotReused::Unrecorded => write!(f, "it was stored before clout kept what a run read"),
            NotReused::OtherCode(v) => write!(
                f,
                "it was scored by other scoring code (version {v}; now {SCORING_VERSION})"
            ),
            NotReused::OtherFiles { then, now } => {
                write!(f, "it read other files ({then}; now {now})")
            }
            NotReused::Changed(n) => write!(f, "{n} changed since"),
            NotReused::Shorter(n) => write!(f, "{n} is shorter than it was"),
            NotReused::NotLines(n) => write!(
                f,
                "{n} changed since, and only a plain line file (not compressed, not a CSV table) may grow"
            ),
            NotReused::NotOnlyGrown(n) => write!(f, "{n} changed since (not only grew)"),
            NotReused::GrewInLine(n) => write!(f, "{n} grew inside its last line"),
            NotReused::NotHashed(n) => write!(f, "{n} was not hashed at the stored size"),
            NotReused::NoCount(n) => write!(f, "it has no record count for {n}"),
            NotReused::FewerRecords(n) => write!(f, "{n} reads as fewer records than it did"),
            NotReused::Unseen { file, time } => write!(
                f,
                "{file} now holds records dated {} that it did not see",
                format_time(*time)
            ),
            NotReused::Rows { stored, present } => write!(
                f,
                "it holds {stored} accounts where {present} existed then"
            ),
        }
    }
}

/// The earliest time among the records of an input from its `from`-th record on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tail {
    /// The input has fewer than `from` records.
    Short,
    /// No record from there on.
    Empty,
    Earliest(i64),
}

/// The [`Tail`] of the input of a role (`interactions`, `posts`) from a record on.
pub type TailTimes<'a> = dyn Fn(&str, u64) -> Tail + 'a;

/// The stored runs at the instants `at`, of the same window and calibration, scored by this
/// scoring code or with none recorded (refused later, with the reason).
pub fn candidates(
    store: &Store,
    at: &[Option<i64>; 3],
    window: Option<i64>,
    calibration: &str,
) -> Result<[Option<RunMeta>; 3]> {
    let mut out: [Option<RunMeta>; 3] = Default::default();
    for (slot, t) in out.iter_mut().zip(at) {
        if let Some(t) = *t {
            *slot = store
                .run(t)?
                .filter(|r| r.window == window && r.calibration == calibration);
        }
    }
    Ok(out)
}

/// `(file name, size)` of every growing input of the runs: the prefixes to hash.
pub fn cuts<'a>(runs: impl IntoIterator<Item = &'a RunMeta>) -> Vec<(String, u64)> {
    runs.into_iter()
        .flat_map(|r| r.inputs.iter())
        .filter(|f| GROWING.contains(&f.role.as_str()))
        .map(|f| (f.name.clone(), f.size))
        .collect()
}

/// Why the stored run `r` cannot stand for a re-scoring at its as-of instant with today's
/// inputs `now`, or `None` when it can.
pub fn why_not(r: &RunMeta, now: &Hashed, tail: &TailTimes) -> Option<NotReused> {
    if r.inputs.is_empty() {
        return Some(NotReused::Unrecorded);
    }
    if r.scoring != SCORING_VERSION {
        return Some(NotReused::OtherCode(r.scoring));
    }
    let scored = |f: &&InputFile| !UNSCORED.contains(&f.role.as_str());
    let mut theirs: Vec<(&str, &str)> = r.inputs.iter().filter(scored).map(key).collect();
    let mut ours: Vec<(&str, &str)> = now.files.iter().filter(scored).map(key).collect();
    theirs.sort_unstable();
    ours.sort_unstable();
    if theirs != ours {
        return Some(NotReused::OtherFiles {
            then: names(&theirs),
            now: names(&ours),
        });
    }
    r.inputs
        .iter()
        .filter(scored)
        .find_map(|f| file_why_not(f, r.as_of, now, tail))
}

fn key(f: &InputFile) -> (&str, &str) {
    (f.role.as_str(), f.name.as_str())
}

fn names(files: &[(&str, &str)]) -> String {
    let n: Vec<&str> = files.iter().map(|f| f.1).collect();
    n.join(", ")
}

/// Why the file `f` as the run at `as_of` read it is not the start of today's.
fn file_why_not(f: &InputFile, as_of: i64, now: &Hashed, tail: &TailTimes) -> Option<NotReused> {
    let name = || f.name.clone();
    let Some(g) = now.file(&f.name) else {
        return Some(NotReused::NotHashed(name()));
    };
    let same = g.size == f.size && g.digest == f.digest;
    if !GROWING.contains(&f.role.as_str()) {
        return (!same).then(|| NotReused::Changed(name()));
    }
    if !same {
        if g.size < f.size {
            return Some(NotReused::Shorter(name()));
        }
        if now.whole_only.contains(&f.name) {
            return Some(NotReused::NotLines(name()));
        }
        let Some(p) = now.prefixes.get(&(f.name.clone(), f.size)) else {
            return Some(NotReused::NotHashed(name()));
        };
        if p.digest != f.digest {
            return Some(NotReused::NotOnlyGrown(name()));
        }
        if !p.whole_lines {
            return Some(NotReused::GrewInLine(name()));
        }
    }
    let Some(seen) = f.records else {
        return Some(NotReused::NoCount(name()));
    };
    match tail(&f.role, seen) {
        Tail::Short => Some(NotReused::FewerRecords(name())),
        Tail::Earliest(t) if t <= as_of => Some(NotReused::Unseen {
            file: name(),
            time: t,
        }),
        _ => None,
    }
}

/// What the stored runs give: each look-back's scores (by today's accounts) where a stored run
/// stands for the re-scoring, and what to tell about it.
#[derive(Debug, Default)]
pub struct Reused {
    pub then: [Option<Vec<f64>>; 3],
    pub notes: Vec<String>,
}

/// Today's data, as the stored runs are checked against it.
pub struct Today<'a> {
    pub hashed: &'a Hashed,
    pub tail: &'a TailTimes<'a>,
    pub ids: &'a IdMap,
    /// The number of accounts that existed at an instant.
    pub present: &'a (dyn Fn(i64) -> usize + 'a),
}

/// The scores of every candidate that stands for its re-scoring, numbered by today's accounts.
pub fn reuse(store: &Store, candidates: &[Option<RunMeta>; 3], today: &Today) -> Result<Reused> {
    let mut out = Reused::default();
    let mut used = Vec::new();
    let index = today.ids.index();
    for (k, c) in candidates.iter().enumerate() {
        let Some(r) = c else { continue };
        let lookback = lookback_name(k);
        let then = match why_not(r, today.hashed, today.tail) {
            None => stored_scores(
                store,
                r.as_of,
                &index,
                today.ids.len(),
                (today.present)(r.as_of),
            )?,
            Some(why) => Err(why),
        };
        match then {
            Ok(then) => {
                out.then[k] = Some(then);
                used.push(format!("{lookback} ({})", format_time(r.as_of)));
            }
            Err(why) => out.notes.push(format!(
                "note: the stored run as of {} was not reused for the {lookback} change ({why}): re-scored",
                format_time(r.as_of)
            )),
        }
    }
    if !used.is_empty() {
        out.notes.push(format!(
            "note: changes over a {} come from the stored runs then (they are the re-scoring of today's data)",
            used.join(", ")
        ));
    }
    Ok(out)
}

/// The stored scores of the run at `as_of` by today's `accounts`, if it holds exactly the
/// `present` accounts that existed then (every one of them known today).
fn stored_scores(
    store: &Store,
    as_of: i64,
    index: &crate::ingest::ids::IdIndex,
    accounts: usize,
    present: usize,
) -> Result<std::result::Result<Vec<f64>, NotReused>> {
    let rows = store.scores(as_of)?;
    let mut then = vec![0.0; accounts];
    let mut found = 0;
    for (id, s) in &rows {
        if let Some(v) = index.get(id) {
            then[v as usize] = *s;
            found += 1;
        }
    }
    if found != present || rows.len() != present {
        return Ok(Err(NotReused::Rows {
            stored: rows.len(),
            present,
        }));
    }
    Ok(Ok(then))
}

fn lookback_name(k: usize) -> &'static str {
    match LOOKBACK_DAYS[k] {
        1 => "day",
        7 => "week",
        _ => "month",
    }
}

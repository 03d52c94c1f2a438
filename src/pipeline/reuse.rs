//! Changes from stored runs. A run's day / week / month change compares with the score at
//! `as_of − L` re-scored from today's inputs (`score::history`). When the store holds a run at
//! exactly that instant, with the same window and calibration, that read the first bytes of
//! today's inputs (files that only grew, by whole lines; every other file unchanged) and no
//! record it did not see is dated at or before its as-of, then its stored scores are that
//! re-scoring, and the run takes them instead of scoring again.

use crate::error::Result;
use crate::ingest::time::format_time;
use crate::ingest::IdMap;
use crate::score::history::LOOKBACK_DAYS;
use crate::store::{RunMeta, Store};

use super::manifest::Hashed;

/// Inputs whose records carry times, so that they may grow between runs.
const GROWING: [&str; 2] = ["interactions", "posts"];

/// Inputs that do not enter the scores.
const UNSCORED: [&str; 1] = ["endorsements"];

/// The stored runs at the look-back instants `at`, of the same window and calibration.
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

/// `(file name, size)` of every growing input of the candidates: the prefixes to hash.
pub fn cuts(candidates: &[Option<RunMeta>; 3]) -> Vec<(String, u64)> {
    candidates
        .iter()
        .flatten()
        .flat_map(|r| r.inputs.iter())
        .filter(|f| GROWING.contains(&f.role.as_str()))
        .map(|f| (f.name.clone(), f.size))
        .collect()
}

/// The earliest time among the records of the `role` input from the `from`-th on (`Some(None)`
/// when there are none), or `None` when it has fewer than `from` records.
pub type TailTimes<'a> = dyn Fn(&str, u64) -> Option<Option<i64>> + 'a;

/// Why the stored run `r` cannot stand for a re-scoring at its as-of instant with today's
/// inputs `now`, or `None` when it can.
pub fn why_not(r: &RunMeta, now: &Hashed, tail: &TailTimes) -> Option<String> {
    if r.inputs.is_empty() {
        return Some("it was stored before clout kept what a run read".into());
    }
    let scored = |f: &&crate::store::InputFile| !UNSCORED.contains(&f.role.as_str());
    let mut theirs: Vec<(&str, &str)> = r.inputs.iter().filter(scored).map(key).collect();
    let mut ours: Vec<(&str, &str)> = now.files.iter().filter(scored).map(key).collect();
    theirs.sort_unstable();
    ours.sort_unstable();
    if theirs != ours {
        return Some(format!(
            "it read other files ({}; now {})",
            names(&theirs),
            names(&ours)
        ));
    }
    r.inputs
        .iter()
        .filter(scored)
        .find_map(|f| file_why_not(f, r.as_of, now, tail))
}

fn key(f: &crate::store::InputFile) -> (&str, &str) {
    (f.role.as_str(), f.name.as_str())
}

fn names(files: &[(&str, &str)]) -> String {
    let n: Vec<&str> = files.iter().map(|f| f.1).collect();
    n.join(", ")
}

/// Why the file `f` as the run at `as_of` read it is not the start of today's.
fn file_why_not(
    f: &crate::store::InputFile,
    as_of: i64,
    now: &Hashed,
    tail: &TailTimes,
) -> Option<String> {
    let g = now.file(&f.name)?;
    let same = g.size == f.size && g.digest == f.digest;
    if !GROWING.contains(&f.role.as_str()) {
        return (!same).then(|| format!("{} changed since", f.name));
    }
    if !same {
        if g.size < f.size {
            return Some(format!("{} is shorter than it was", f.name));
        }
        if is_compressed(&f.name) {
            return Some(format!("{} changed since (a compressed file)", f.name));
        }
        let p = now.prefixes.get(&(f.name.clone(), f.size))?;
        if p.digest != f.digest {
            return Some(format!("{} changed since (not only grew)", f.name));
        }
        if !p.whole_lines {
            return Some(format!("{} grew inside its last line", f.name));
        }
    }
    let Some(seen) = f.records else {
        return Some(format!("{} has no record count", f.name));
    };
    match tail(&f.role, seen) {
        None => Some(format!("{} reads as fewer records than it did", f.name)),
        Some(Some(t)) if t <= as_of => Some(format!(
            "{} now holds records dated {} that it did not see",
            f.name,
            format_time(t)
        )),
        Some(_) => None,
    }
}

fn is_compressed(name: &str) -> bool {
    name.ends_with(".gz") || name.ends_with(".zst")
}

/// What the stored runs give: each look-back's scores (by today's accounts) where a stored run
/// stands for the re-scoring, and what to tell about it.
#[derive(Debug, Default)]
pub struct Reused {
    pub then: [Option<Vec<f64>>; 3],
    pub notes: Vec<String>,
}

/// The scores of every valid candidate, numbered by today's accounts `ids`.
pub fn reuse(
    store: &Store,
    candidates: &[Option<RunMeta>; 3],
    now: &Hashed,
    tail: &TailTimes,
    ids: &IdMap,
) -> Result<Reused> {
    let mut out = Reused::default();
    let mut used = Vec::new();
    for (k, c) in candidates.iter().enumerate() {
        let Some(r) = c else { continue };
        let lookback = lookback_name(k);
        if let Some(why) = why_not(r, now, tail) {
            out.notes.push(format!(
                "note: the stored run as of {} was not reused for the {lookback} change ({why}): re-scored",
                format_time(r.as_of)
            ));
            continue;
        }
        let mut then = vec![0.0; ids.len()];
        for (id, s) in store.scores(r.as_of)? {
            if let Some(v) = ids.find(&id) {
                then[v as usize] = s;
            }
        }
        out.then[k] = Some(then);
        used.push(format!("{lookback} ({})", format_time(r.as_of)));
    }
    if !used.is_empty() {
        out.notes.push(format!(
            "note: changes over a {} come from the stored runs then (the data up to them is unchanged)",
            used.join(", ")
        ));
    }
    Ok(out)
}

fn lookback_name(k: usize) -> &'static str {
    match LOOKBACK_DAYS[k] {
        1 => "day",
        7 => "week",
        _ => "month",
    }
}

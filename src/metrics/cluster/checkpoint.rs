//! Checkpoints: every `K` iterations each worker writes its owned ranks (and its part of the
//! last L1 change) to `DIR/round-R/worker-W-of-P`, atomically (temporary file, then rename),
//! with a checksum and a fingerprint of the graph and parameters. A restarted cluster resumes
//! from the latest round every worker has, which is bit for bit the state it had, so the
//! result is the same as without the interruption. Each worker keeps its two latest rounds: a
//! worker is at most one round ahead of another, so one of them is common to all.

use std::io::Write;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::xxh3_64;

use super::ClusterError;
use crate::error::{Error, Result};

const MAGIC: &[u8; 8] = b"cloutck1";

/// Where checkpoints go and how often.
#[derive(Debug, Clone)]
pub struct Checkpoints {
    pub dir: PathBuf,
    /// Write one every this many iterations (`≥ 1`).
    pub every: usize,
}

/// A worker's state at the start of a round.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct State {
    pub round: u64,
    pub change: i128,
    pub ranks: Vec<f64>,
}

/// Identifies a worker's files: its index, the worker count, and what the ranks mean.
#[derive(Debug, Clone, Copy)]
pub(super) struct Slot {
    pub worker: usize,
    pub peers: usize,
    pub fingerprint: u64,
}

fn round_dir(dir: &Path, round: u64) -> PathBuf {
    dir.join(format!("round-{round:08}"))
}

fn file(dir: &Path, round: u64, slot: Slot) -> PathBuf {
    round_dir(dir, round).join(format!("worker-{}-of-{}", slot.worker, slot.peers))
}

fn fail(path: &Path, reason: impl Into<String>) -> Error {
    ClusterError::Checkpoint {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
    .into()
}

/// Writes `state`, then drops this worker's rounds older than the previous checkpoint.
pub(super) fn save(cp: &Checkpoints, slot: Slot, state: &State) -> Result<()> {
    let dir = round_dir(&cp.dir, state.round);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut bytes = Vec::with_capacity(64 + state.ranks.len() * 8);
    bytes.extend_from_slice(MAGIC);
    for v in [slot.fingerprint, state.round, state.ranks.len() as u64] {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    bytes.extend_from_slice(&state.change.to_le_bytes());
    for r in &state.ranks {
        bytes.extend_from_slice(&r.to_le_bytes());
    }
    let sum = xxh3_64(&bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    let path = file(&cp.dir, state.round, slot);
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
    tmp.write_all(&bytes).map_err(|e| Error::io(&path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(&path, e))?;
    tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
    for old in rounds(cp, slot)? {
        if old + (cp.every as u64) < state.round {
            let f = file(&cp.dir, old, slot);
            let _ = std::fs::remove_file(&f);
            let _ = std::fs::remove_dir(round_dir(&cp.dir, old));
        }
    }
    Ok(())
}

/// The rounds this worker has a file for.
pub(super) fn rounds(cp: &Checkpoints, slot: Slot) -> Result<Vec<u64>> {
    let entries = match std::fs::read_dir(&cp.dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&cp.dir, e)),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(round) = name.to_str().and_then(|n| n.strip_prefix("round-")) else {
            continue;
        };
        let Ok(round) = round.parse::<u64>() else {
            continue;
        };
        if file(&cp.dir, round, slot).exists() {
            out.push(round);
        }
    }
    out.sort_unstable();
    Ok(out)
}

/// Reads this worker's state at `round`, checking it belongs to this graph and parameters.
pub(super) fn load(cp: &Checkpoints, slot: Slot, round: u64, nodes: usize) -> Result<State> {
    let path = file(&cp.dir, round, slot);
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let head = 8 + 24 + 16;
    if bytes.len() != head + nodes * 8 + 8 || &bytes[..8] != MAGIC {
        return Err(fail(
            &path,
            "not a checkpoint of this graph (size or format differs)",
        ));
    }
    let (body, sum) = bytes.split_at(bytes.len() - 8);
    if xxh3_64(body) != u64::from_le_bytes(sum.try_into().unwrap()) {
        return Err(fail(&path, "checksum mismatch: the file is damaged"));
    }
    let word = |i: usize| u64::from_le_bytes(body[8 + i * 8..16 + i * 8].try_into().unwrap());
    if word(0) != slot.fingerprint {
        return Err(fail(
            &path,
            "written for another graph or other parameters: remove the directory to start afresh",
        ));
    }
    let change = i128::from_le_bytes(body[32..48].try_into().unwrap());
    let ranks = body[head..]
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    Ok(State {
        round: word(1),
        change,
        ranks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_loads_and_keeps_the_two_latest_rounds() {
        let dir = tempfile::tempdir().unwrap();
        let cp = Checkpoints {
            dir: dir.path().join("ck"),
            every: 2,
        };
        let slot = Slot {
            worker: 1,
            peers: 3,
            fingerprint: 42,
        };
        for round in [2, 4, 6] {
            let state = State {
                round,
                change: -5 + round as i128,
                ranks: vec![0.25, round as f64],
            };
            save(&cp, slot, &state).unwrap();
            assert_eq!(load(&cp, slot, round, 2).unwrap(), state);
        }
        assert_eq!(rounds(&cp, slot).unwrap(), [4, 6]);
        let other = Slot {
            fingerprint: 7,
            ..slot
        };
        let e = load(&cp, other, 6, 2).unwrap_err().to_string();
        assert!(e.contains("another graph"), "{e}");
        assert!(load(&cp, slot, 6, 3).is_err());
    }
}

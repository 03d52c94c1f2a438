//! `clout run DIR --every PERIOD`: the service loop. It looks for new data every `--poll`,
//! runs as of the end of each period the data has moved past (`pipeline::run_due`), catches up
//! on the periods it missed, and keeps going after a bad file (said once, until the files
//! change). The store takes one run per transaction, so a kill leaves it at the last complete
//! run, and the next start picks up from there.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{bail, Result};

use super::run::{request, RunArgs};
use super::Progress;
use crate::ingest::dataset::Dataset;
use crate::ingest::time::format_time;
use crate::pipeline::every::missed;
use crate::pipeline::{run_due, run_found, RunOutcome, RunRequest};
use crate::score::window::{describe, parse_length};
use crate::store::Store;
use crate::topics::PostTopicEngine;

/// A dataset's files with their sizes and modification times: what changes as data arrives.
type Listing = Vec<(PathBuf, u64, Option<SystemTime>)>;

pub fn run(args: RunArgs, progress: Progress) -> Result<()> {
    let every = seconds(args.every.as_deref().unwrap_or_default(), "--every")?;
    let poll = Duration::from_secs(seconds(&args.poll, "--poll")? as u64);
    let path = args.store.path();
    let store = Store::create(&path)?;
    let model = args.model.load(progress)?;
    let req = request(&args)?;
    eprintln!(
        "clout: running {} every {} into {} (looking for new data every {}; Ctrl-C stops, and the store stays at its last complete run)",
        args.dir.display(),
        args.every.as_deref().unwrap_or_default(),
        path.display(),
        args.poll
    );
    let (mut seen, mut said): (Option<Listing>, Option<String>) = (None, None);
    loop {
        match listing(&args.dir) {
            Ok((files, found)) if seen.as_ref() != Some(&files) => {
                if let Err(e) = cycle(&req, found, every, &model, &store) {
                    eprintln!("clout: error: {e:#} (waiting for the files to change)");
                }
                seen = Some(files);
                said = None;
            }
            Ok(_) => {}
            Err(e) => {
                let m = format!("{e:#}");
                if said.as_ref() != Some(&m) {
                    eprintln!("clout: error: {m} (trying again every {})", args.poll);
                    said = Some(m);
                }
            }
        }
        std::thread::sleep(poll);
    }
}

/// A duration flag in seconds (like a window length, `all` refused).
fn seconds(s: &str, flag: &str) -> Result<i64> {
    match parse_length(s)? {
        Some(n) => Ok(n),
        None => bail!("{flag} needs a duration like 1d or 12h, not `{s}`"),
    }
}

fn listing(dir: &Path) -> Result<(Listing, Dataset)> {
    let found = Dataset::discover(dir)?;
    let mut files = Vec::new();
    for p in found.files() {
        let m = std::fs::metadata(p)?;
        files.push((p.to_path_buf(), m.len(), m.modified().ok()));
    }
    Ok((files, found))
}

/// One look at the data: the run due, if any, then the periods missed since the last stored
/// run of the same kind, oldest first.
fn cycle(
    req: &RunRequest,
    found: Dataset,
    every: i64,
    model: &PostTopicEngine,
    store: &Store,
) -> Result<()> {
    let last = latest_of_kind(store, req)?;
    let Some(out) = run_due(req, found, every, model, store, &mut |_| {})? else {
        return Ok(());
    };
    let end = stored(&out);
    for t in last.map_or_else(Vec::new, |b| missed(b, end, every)) {
        let mut r = req.clone();
        r.params.as_of = Some(t);
        let out = run_found(&r, Dataset::discover(&req.dir)?, model, store, &mut |_| {})?;
        stored(&out);
    }
    Ok(())
}

/// The latest stored run with the window and calibration of `req`.
fn latest_of_kind(store: &Store, req: &RunRequest) -> Result<Option<i64>> {
    let p = &req.params;
    Ok(store
        .runs()?
        .iter()
        .filter(|r| r.window == p.window && r.calibration == p.calibration.version)
        .map(|r| r.as_of)
        .max())
}

/// Says what a run stored (and its notes); its as-of instant.
fn stored(out: &RunOutcome) -> i64 {
    super::score::print_notes(&out.notes);
    let m = out.data.meta.as_ref().expect("a run has its meta");
    println!(
        "Stored the run as of {} ({}): {} accounts, {} interactions and {} posts in the window.",
        format_time(m.as_of),
        describe(m.window),
        m.accounts,
        m.interactions,
        m.posts
    );
    m.as_of
}

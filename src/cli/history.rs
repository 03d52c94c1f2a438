//! `clout history ACCOUNT`: an account's score at every stored run (ascending as-of), with the
//! change since the previous run, as text or one JSON object.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;

use super::run::StoreArg;
use super::Output;
use crate::ingest::time::format_time;
use crate::store::{HistoryPoint, Store};

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The account id, as in the inputs of `clout run`.
    pub account: String,
    #[command(flatten)]
    pub store: StoreArg,
    /// One JSON object: `{"id":…,"runs":N,"history":[{"as_of":…,"time":…,"score":…,"change":…}]}`.
    #[arg(long)]
    pub json: bool,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// The `--json` object.
#[derive(serde::Serialize)]
struct Json<'a> {
    id: &'a str,
    runs: usize,
    history: &'a [Row],
}

/// One row: a point and the change since the previous point.
#[derive(serde::Serialize)]
struct Row {
    as_of: i64,
    time: String,
    score: f64,
    change: Option<f64>,
}

pub fn run(args: HistoryArgs) -> Result<()> {
    let path = args.store.path();
    let store = Store::open(&path)?;
    let points = store.history(&args.account)?;
    let runs = store.runs()?.len();
    if points.is_empty() {
        bail!(
            "account `{}` is in none of the {runs} runs of {}",
            args.account,
            path.display()
        );
    }
    let rows = rows(&points);
    let mut out = Output::create(args.out.as_deref())?;
    if args.json {
        let v = Json {
            id: &args.account,
            runs,
            history: &rows,
        };
        serde_json::to_writer(&mut out, &v)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "# {}: {} of {runs} runs in {}",
            args.account,
            rows.len(),
            path.display()
        )?;
        writeln!(out, "{:<22} {:>6} {:>7}", "as_of", "score", "change")?;
        for r in &rows {
            let c = r.change.map_or("-".into(), |c| format!("{c:+.2}"));
            writeln!(out, "{:<22} {:>6.2} {:>7}", r.time, r.score, c)?;
        }
    }
    out.finish()
}

fn rows(points: &[HistoryPoint]) -> Vec<Row> {
    points
        .iter()
        .enumerate()
        .map(|(i, p)| Row {
            as_of: p.as_of,
            time: format_time(p.as_of),
            score: p.score,
            change: i.checked_sub(1).map(|j| p.score - points[j].score),
        })
        .collect()
}

//! `clout history ACCOUNT`: an account's score at every stored run (ascending as-of) of one
//! window length — the window of its latest run, since scores over different windows are not
//! comparable — with the change since the previous such run, as text or one JSON object;
//! `--all-windows` lists every run, marking those of another window.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;

use super::run::StoreArg;
use super::Output;
use crate::ingest::time::format_time;
use crate::score::window::describe;
use crate::store::{comparable, HistoryPoint, Store};

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The account id, as in the inputs of `clout run`.
    pub account: String,
    #[command(flatten)]
    pub store: StoreArg,
    /// Every stored run, whatever its window (rows of a window other than the latest run's
    /// are marked; a change is only against the previous run of the same window).
    #[arg(long)]
    pub all_windows: bool,
    /// One JSON object: `{"id":…,"runs":N,"window":W,"history":[{"as_of":…,"time":…,
    /// "window":W,"score":…,"change":…}]}` (windows in seconds, `null`: all time).
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
    /// The window compared: the latest run's.
    window: Option<i64>,
    history: &'a [Row],
}

/// One row: a point and the change since the previous point.
#[derive(serde::Serialize)]
struct Row {
    as_of: i64,
    time: String,
    window: Option<i64>,
    calibration: String,
    score: f64,
    change: Option<f64>,
}

pub fn run(args: HistoryArgs) -> Result<()> {
    let path = args.store.path();
    let store = Store::open(&path)?;
    let found = store.resolve_id(&args.account)?;
    let runs = store.runs()?.len();
    if let Some(why) = found.failure(&args.account, "account") {
        bail!("{why} in the {runs} runs of {}", path.display());
    }
    let id = found.found().expect("a match");
    let points = store.history(&id)?;
    if points.is_empty() {
        bail!("account {id:?} has no stored score in {}", path.display());
    }
    let last = points.last().expect("not empty").clone();
    let window = last.window;
    let shown = if args.all_windows {
        points
    } else {
        let all = points.len();
        let same = comparable(points, window, &last.calibration);
        if same.len() < all {
            eprintln!(
                "clout: note: {} of the account's runs have another window or calibration than \
                 the latest ({}, calibration {}) and are not compared; --all-windows lists them",
                all - same.len(),
                describe(window),
                last.calibration
            );
        }
        same
    };
    let rows = rows(&shown);
    let mut out = Output::create(args.out.as_deref())?;
    if args.json {
        let v = Json {
            id: &id,
            runs,
            window,
            history: &rows,
        };
        serde_json::to_writer(&mut out, &v)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "# {}: {} of {runs} runs in {} ({})",
            crate::report::safe::terminal(&id),
            rows.len(),
            path.display(),
            describe(window)
        )?;
        writeln!(out, "{:<22} {:>6} {:>7}", "as_of", "score", "change")?;
        for r in &rows {
            let c = r.change.map_or("-".into(), |c| format!("{c:+.2}"));
            let mark = if r.window == window && r.calibration == last.calibration {
                String::new()
            } else {
                format!("  * {}, calibration {}", describe(r.window), r.calibration)
            };
            writeln!(out, "{:<22} {:>6.2} {:>7}{mark}", r.time, r.score, c)?;
        }
    }
    out.finish()
}

/// The rows, each with its change since the previous point of the same window.
fn rows(points: &[HistoryPoint]) -> Vec<Row> {
    points
        .iter()
        .enumerate()
        .map(|(i, p)| Row {
            as_of: p.as_of,
            time: format_time(p.as_of),
            window: p.window,
            calibration: p.calibration.clone(),
            score: p.score,
            change: points[..i]
                .iter()
                .rfind(|q| q.window == p.window && q.calibration == p.calibration)
                .map(|q| p.score - q.score),
        })
        .collect()
}

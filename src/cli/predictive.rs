//! `clout analyze predictive`: scores everything up to a split instant with each calibration,
//! then reports how well the score, its sub-scores and the simple baselines rank accounts by
//! the engagement they receive after the split. The measures live in
//! `crate::score::predictive`; this module reads, wires and renders.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;
use serde::Serialize;

use super::score::{ScoreFiles, ScoreInput, ScoreWindow};
use super::{Output, Progress};
use crate::ingest::time::{format_time, parse_time};
use crate::score::predictive::{baselines, future, validity, Cutoffs, Validity};
use crate::score::{score, window, Calibration, CALIBRATIONS};

#[derive(Debug, Args)]
pub struct PredictiveArgs {
    /// The inputs, as for `clout score` (the interactions must carry times on both sides of
    /// the split).
    #[command(flatten)]
    pub files: ScoreFiles,
    /// Score up to this instant (Unix seconds or ISO 8601); engagement after it is the target.
    #[arg(long, value_name = "TIME")]
    pub split: String,
    /// Count future engagement up to this long after the split: 7d, 12h, … or all.
    #[arg(long, default_value = "all")]
    pub horizon: String,
    /// Scoring window ending at the split: 90d, 12h, 2w, … or all.
    #[arg(long, default_value = "90d")]
    pub window: String,
    /// Calibrations to evaluate, comma-separated (v1,v3,…), or all.
    #[arg(long, default_value = "all", value_name = "LIST")]
    pub calibrations: String,
    /// k of P@k and NDCG@k.
    #[arg(long, default_value_t = 100)]
    pub k: usize,
    /// Spearman (top) runs over this many accounts with the largest target.
    #[arg(long, default_value_t = 1000)]
    pub top: usize,
    /// One JSON object.
    #[arg(long)]
    pub json: bool,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
struct Row {
    predictor: String,
    #[serde(flatten)]
    validity: Validity,
}

#[derive(Debug, Serialize)]
struct Target {
    target: &'static str,
    rows: Vec<Row>,
}

/// What the coordination signals found at the split, per calibration (none before v4).
#[derive(Debug, Serialize)]
struct CoordinationSummary {
    calibration: &'static str,
    coordinated_targets: usize,
    suspect_accounts: usize,
}

#[derive(Debug, Serialize)]
struct Report {
    split: i64,
    split_time: String,
    window: String,
    horizon: String,
    accounts: usize,
    past_records: usize,
    future_records: usize,
    cutoffs: Cutoffs,
    coordination: Vec<CoordinationSummary>,
    targets: Vec<Target>,
}

pub fn run(args: PredictiveArgs, progress: Progress) -> Result<()> {
    let split = parse_time(&args.split).with_context(|| {
        format!(
            "--split `{}` is not Unix seconds or an ISO 8601 date",
            args.split
        )
    })?;
    let horizon = window::parse_length(&args.horizon)?;
    let cals = calibrations(&args.calibrations)?;
    let cut = Cutoffs {
        k: args.k.max(1),
        top: args.top.max(2),
    };
    let input = ScoreInput {
        files: args.files.clone(),
        when: ScoreWindow {
            as_of: Some(split.to_string()),
            window: args.window.clone(),
            calibration: cals[0].version.to_string(),
            allow_far_times: false,
        },
    };
    let read = input.read(progress)?;
    let records = &read.inter.records;
    let n = read.inter.accounts.len();
    let fut = future(records, n, split, horizon);
    if fut.records == 0 {
        bail!(
            "{}: no interactions after the split {} (the data ends at {})",
            args.files.interactions.display(),
            format_time(split),
            window::latest_time(records).map_or("-".into(), format_time)
        );
    }
    let win = read.params.window;
    let mut predictors: Vec<(String, Vec<f64>)> = Vec::new();
    let mut coordination = Vec::new();
    for cal in &cals {
        let mut params = read.params.clone();
        params.calibration = cal;
        let s = score(&read.inputs(), &params)?;
        let v = cal.version;
        let c = &s.coordination;
        coordination.push(CoordinationSummary {
            calibration: v,
            coordinated_targets: c.targets.len(),
            suspect_accounts: c.suspect.iter().filter(|&&x| x).count(),
        });
        predictors.push((format!("score {v}"), s.values()));
        for (i, name) in ["True Reach", "Amplification", "Network Impact"]
            .iter()
            .enumerate()
        {
            let sub = s.accounts.iter().map(|a| a.sub[i]).collect();
            predictors.push((format!("{name} sub-score {v}"), sub));
        }
    }
    for (name, values) in baselines(records, n, |t| win.contains(t))? {
        predictors.push((name.to_string(), values));
    }
    let ids = &read.inter.accounts;
    let targets = [
        ("distinct future sharers", &fut.sharers),
        ("future interactions received", &fut.received),
    ]
    .map(|(target, t)| Target {
        target,
        rows: predictors
            .iter()
            .map(|(p, x)| Row {
                predictor: p.clone(),
                validity: validity(x, t, ids, cut),
            })
            .collect(),
    });
    let report = Report {
        split,
        split_time: format_time(split),
        window: args.window.clone(),
        horizon: args.horizon.clone(),
        accounts: n,
        past_records: records.iter().filter(|r| win.contains(r.time)).count(),
        future_records: fut.records,
        cutoffs: cut,
        coordination,
        targets: targets.into(),
    };
    let mut out = Output::create(args.out.as_deref())?;
    if args.json {
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write_table(&mut out, &report)?;
    }
    out.finish()
}

/// The calibrations a `--calibrations` list names, in the order given.
fn calibrations(list: &str) -> Result<Vec<&'static Calibration>> {
    if list.trim() == "all" {
        return Ok(CALIBRATIONS.to_vec());
    }
    list.split(',')
        .map(|v| {
            Calibration::by_version(v.trim()).with_context(|| {
                let known: Vec<&str> = CALIBRATIONS.iter().map(|c| c.version).collect();
                format!(
                    "unknown calibration {v:?} (known: {}, or all)",
                    known.join(", ")
                )
            })
        })
        .collect()
}

fn write_table(out: &mut Output, r: &Report) -> Result<()> {
    writeln!(
        out,
        "# predictive validity: scored up to {} (window {}), {} accounts, {} past interactions",
        r.split_time, r.window, r.accounts, r.past_records
    )?;
    writeln!(
        out,
        "# target: engagement after the split (horizon {}), {} interactions; * = best in column",
        r.horizon, r.future_records
    )?;
    for c in r.coordination.iter().filter(|c| c.coordinated_targets > 0) {
        writeln!(
            out,
            "# {}: {} coordinated targets, {} suspect accounts",
            c.calibration, c.coordinated_targets, c.suspect_accounts
        )?;
    }
    for t in &r.targets {
        writeln!(out, "\n## {}", t.target)?;
        let k = r.cutoffs.k;
        let top = format!("Spearman top {}", r.cutoffs.top);
        writeln!(
            out,
            "{:<34} {:>13} {:>18} {:>8} {:>9}",
            "predictor",
            "Spearman all",
            top,
            format!("P@{k}"),
            format!("NDCG@{k}")
        )?;
        let best = column_best(&t.rows);
        for row in &t.rows {
            let v = &row.validity;
            let cells = [v.spearman_all, v.spearman_top, v.precision, v.ndcg];
            let cell = |i: usize| {
                let mark = if cells[i] >= best[i] { "*" } else { " " };
                format!("{:.3}{mark}", cells[i])
            };
            writeln!(
                out,
                "{:<34} {:>13} {:>18} {:>8} {:>9}",
                row.predictor,
                cell(0),
                cell(1),
                cell(2),
                cell(3)
            )?;
        }
    }
    Ok(())
}

fn column_best(rows: &[Row]) -> [f64; 4] {
    let mut best = [f64::NEG_INFINITY; 4];
    for r in rows {
        let v = &r.validity;
        for (b, x) in best
            .iter_mut()
            .zip([v.spearman_all, v.spearman_top, v.precision, v.ndcg])
        {
            *b = b.max(x);
        }
    }
    best
}

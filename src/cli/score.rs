//! `clout score` and `clout explain`: the explained 1–100 score of every account from an
//! interactions file (and optionally a follow graph), as text, CSV or JSON lines, and the ledger
//! of one account. The measures live in `crate::score`; this module reads, wires and renders.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use serde_json::json;

use super::output::{Format, ListingArgs};
use super::{CacheArgs, Output, Progress};
use crate::export::scores::scores_table;
use crate::ingest::Interactions;
use crate::report::safe::{csv_cell, terminal};
use crate::score::history::{deltas, Delta};
use crate::score::{
    explain, window, AccountScore, Calibration, Follows, ScoreParams, Scores, CALIBRATIONS,
};

/// The inputs of a scoring run; shared by `score` and `explain`.
#[derive(Debug, Args, Clone)]
pub struct ScoreInput {
    #[command(flatten)]
    pub files: ScoreFiles,
    #[command(flatten)]
    pub when: ScoreWindow,
}

/// The files a scoring run reads, and how; shared by `score`, `explain`, `run` and
/// `analyze predictive`.
#[derive(Debug, Args, Clone)]
pub struct ScoreFiles {
    /// Interactions: Higgs `activity_time`, `actor target kind time [post] [network]`, Klout TSV
    /// or JSON lines; plain, gzip or zstd.
    #[arg(long, value_name = "FILE")]
    pub interactions: PathBuf,
    /// Follow graph (`follower followee` edge list): Network Impact runs on it, engaged
    /// followers are counted, and mass-followers are penalised.
    #[arg(long, value_name = "FILE")]
    pub follows: Option<PathBuf>,
    /// Posts (JSON lines `{"id","author","time","text"}`), so that posts nobody acted on
    /// count in Amplification.
    #[arg(long, value_name = "FILE")]
    pub posts: Option<PathBuf>,
    /// Skip malformed records (reported by kind) instead of failing.
    #[arg(long)]
    pub lenient: bool,
    /// The follow graph goes through the binary graph cache (as `clout pagerank` does).
    #[command(flatten)]
    pub cache: CacheArgs,
}

/// When and how to score: the window and the calibration; shared by `score`, `explain` and
/// `run`.
#[derive(Debug, Args, Clone)]
pub struct ScoreWindow {
    /// End of the window: Unix seconds or ISO 8601 [default: the latest interaction].
    #[arg(long, value_name = "TIME")]
    pub as_of: Option<String>,
    /// Window length: 90d, 12h, 2w, 30m, 45s or all.
    #[arg(long, default_value = "90d")]
    pub window: String,
    /// Score at the latest interaction even when it lies far beyond the rest of the data
    /// (refused by default: one mistyped date would empty the default window).
    #[arg(long)]
    pub allow_far_times: bool,
    /// Score calibration version: v5 (default: v4 plus a bonus for engagement volume per
    /// engager; the best on the predictive measures), v4 (validated on real engagement,
    /// coordination signals), v3 (v2 plus closed clusters), v2 (caps bot floods) or v1.
    #[arg(long, default_value = "v5", value_name = "VERSION")]
    pub calibration: String,
}

pub use crate::pipeline::{ReadInputs, Scored};

/// Scores inputs read by [`ScoreInput::read`] (whose notes were printed), printing the notes
/// of scoring.
pub fn score_read(read: ReadInputs) -> Result<Scored> {
    let scored = read.score()?;
    print_notes(&scored.notes);
    Ok(scored)
}

/// Prints the post-source note of a scoring run, if any.
pub fn note_post_source(source: crate::score::amplification::PostSource) {
    if let Some(n) = crate::pipeline::inputs::post_source_note(source) {
        print_notes(&[n]);
    }
}

/// Prints the pipeline's notes on standard error.
pub fn print_notes(notes: &[String]) {
    for n in notes {
        eprintln!("clout: {}", terminal(n));
    }
}

impl ScoreWindow {
    /// The score parameters these flags ask for (checked against the data by the caller).
    pub fn params(&self) -> Result<ScoreParams> {
        let as_of = self
            .as_of
            .as_deref()
            .map(|s| {
                crate::ingest::time::parse_time(s).with_context(|| {
                    format!("--as-of `{s}` is not Unix seconds or an ISO 8601 date")
                })
            })
            .transpose()?;
        Ok(ScoreParams {
            as_of,
            window: window::parse_length(&self.window)?,
            calibration: Calibration::by_version(&self.calibration).with_context(|| {
                let known: Vec<&str> = CALIBRATIONS.iter().map(|c| c.version).collect();
                format!(
                    "unknown calibration {:?} (known: {})",
                    self.calibration,
                    known.join(", ")
                )
            })?,
        })
    }
}

impl ScoreInput {
    /// Reads the inputs and scores every account.
    pub fn run(&self, progress: Progress) -> Result<Scored> {
        score_read(self.read(progress)?)
    }

    /// Reads the inputs and checks the parameters against them, without scoring; prints the
    /// notes of reading.
    pub fn read(&self, progress: Progress) -> Result<ReadInputs> {
        let files = crate::pipeline::ScoreFiles {
            interactions: self.files.interactions.clone(),
            follows: self.files.follows.clone(),
            posts: self.files.posts.clone(),
            lenient: self.files.lenient,
            cache_dir: self.files.cache.dir(),
            allow_far_times: self.when.allow_far_times,
        };
        let params = self.when.params()?;
        let spinner = progress.spinner(&format!("reading {}", files.interactions.display()));
        let read = crate::pipeline::read_inputs(&files, params);
        spinner.finish_and_clear();
        let mut read = read?;
        print_notes(&read.notes);
        read.notes.clear();
        Ok(read)
    }
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub input: ScoreInput,
    /// `--json`: one object per line per account, best first; `--csv`: one row per account.
    #[command(flatten)]
    pub listing: ListingArgs,
    /// `person account` lines linking accounts (on any network) to one person: scores people,
    /// combining their networks (also the default when the interactions name several networks).
    #[arg(long, value_name = "FILE")]
    pub identities: Option<PathBuf>,
    /// Skip the day / week / month changes (three re-scorings).
    #[arg(long)]
    pub no_delta: bool,
    /// Print a `clout-timings {…}` JSON line on standard error.
    #[arg(long)]
    pub timings: bool,
}

pub fn run(args: ScoreArgs, progress: Progress) -> Result<()> {
    let read = args.input.read(progress)?;
    if args.identities.is_some() || read.inter.networks.len() > 1 {
        return super::people::run(&args, &read);
    }
    let run = score_read(read)?;
    let t = Instant::now();
    let delta = if args.no_delta {
        None
    } else {
        Some(deltas(&run.inputs(), &run.scores)?)
    };
    let delta_s = t.elapsed().as_secs_f64();
    let order = run.scores.ranked(&run.inter.accounts, args.listing.top());
    let t = Instant::now();
    let rows = || {
        order.iter().map(|&v| Row {
            id: run.inter.accounts.name(v).to_string(),
            a: &run.scores.accounts[v as usize],
            delta: delta.as_ref().map(|d| d[v as usize]),
        })
    };
    args.listing.emit(
        || {
            let name = |v| run.inter.accounts.name(v).to_string();
            scores_table(&run.scores, &order, name, delta.as_deref())
        },
        |out, format| match format {
            Format::Json => rows().try_for_each(|r| write_json(out, &r)),
            Format::Csv => write_csv(out, rows()),
            _ => write_text(out, &run.scores, rows()),
        },
    )?;
    if args.timings {
        let t = json!({
            "load_s": run.load_s, "score_s": run.score_s, "delta_s": delta_s,
            "write_s": t.elapsed().as_secs_f64(), "accounts": run.scores.accounts.len(),
            "interactions": run.inter.records.len(), "in_window": run.scores.engagement.records,
            "pagerank_iterations": run.scores.impact.iterations,
        });
        eprintln!("clout-timings {t}");
    }
    Ok(())
}

struct Row<'a> {
    id: String,
    a: &'a AccountScore,
    delta: Option<Delta>,
}

/// Two decimals for points and percentiles.
fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One `--json` line, fields in the documented order.
#[derive(serde::Serialize)]
struct JsonRow<'a> {
    id: &'a str,
    score: f64,
    true_reach: JsonReach,
    amplification: JsonAmp,
    network_impact: JsonImpact,
    percentile: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    delta: Option<Delta>,
}

#[derive(serde::Serialize)]
struct JsonReach {
    engaged: u32,
    weighted: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    followers_engaged: Option<u32>,
    sub: f64,
}

#[derive(serde::Serialize)]
struct JsonAmp {
    value: f64,
    probability: f64,
    posts: u32,
    posts_acted_on: u32,
    sub: f64,
}

#[derive(serde::Serialize)]
struct JsonImpact {
    pagerank: f64,
    scaled: f64,
    sub: f64,
}

fn write_json(out: &mut Output, r: &Row) -> Result<()> {
    let (a, amp) = (r.a, &r.a.amplification);
    let row = JsonRow {
        id: &r.id,
        score: r2(a.score()),
        true_reach: JsonReach {
            engaged: a.reach.engaged,
            weighted: a.reach.weighted,
            followers_engaged: a.reach.followers_engaged,
            sub: r2(a.sub[0]),
        },
        amplification: JsonAmp {
            value: amp.value,
            probability: amp.probability,
            posts: amp.posts,
            posts_acted_on: amp.posts_acted_on,
            sub: r2(a.sub[1]),
        },
        network_impact: JsonImpact {
            pagerank: a.impact_rank,
            scaled: a.impact,
            sub: r2(a.sub[2]),
        },
        percentile: r2(a.percentile),
        delta: r.delta.map(|d| d.map(r2)),
    };
    serde_json::to_writer(&mut *out, &row)?;
    writeln!(out)?;
    Ok(())
}

fn write_csv<'a>(out: &mut Output, rows: impl Iterator<Item = Row<'a>>) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "score",
        "percentile",
        "true_reach",
        "true_reach_weighted",
        "true_reach_sub",
        "amplification",
        "amplification_probability",
        "posts",
        "posts_acted_on",
        "amplification_sub",
        "network_impact",
        "network_impact_scaled",
        "network_impact_sub",
        "delta_day",
        "delta_week",
        "delta_month",
    ])?;
    for r in rows {
        let (a, amp) = (r.a, &r.a.amplification);
        let d = |f: fn(&Delta) -> Option<f64>| {
            r.delta
                .and_then(|d| f(&d))
                .map_or(String::new(), |x| r2(x).to_string())
        };
        w.write_record([
            csv_cell(&r.id).into_owned(),
            r2(a.score()).to_string(),
            r2(a.percentile).to_string(),
            a.reach.engaged.to_string(),
            format!("{:?}", a.reach.weighted),
            r2(a.sub[0]).to_string(),
            format!("{:?}", amp.value),
            format!("{:?}", amp.probability),
            amp.posts.to_string(),
            amp.posts_acted_on.to_string(),
            r2(a.sub[1]).to_string(),
            format!("{:?}", a.impact_rank),
            format!("{:?}", a.impact),
            r2(a.sub[2]).to_string(),
            d(|d| d.day),
            d(|d| d.week),
            d(|d| d.month),
        ])?;
    }
    w.flush()?;
    Ok(())
}

fn write_text<'a>(out: &mut Output, s: &Scores, rows: impl Iterator<Item = Row<'a>>) -> Result<()> {
    let w = s.params.window;
    writeln!(
        out,
        "# {} accounts, {} interactions in the window ending {} ({}), calibration {}",
        s.present.iter().filter(|&&p| p).count(),
        s.engagement.records,
        w.as_of,
        w.length.map_or("all time".into(), |l| format!(
            "{} days",
            l as f64 / 86_400.0
        )),
        s.params.calibration.version
    )?;
    writeln!(
        out,
        "{:>5}  {:<20} {:>6} {:>6}  {:>8} {:>5}  {:>8} {:>5}  {:>9} {:>5}  {:>6} {:>6} {:>6}",
        "#",
        "id",
        "score",
        "pct",
        "reach",
        "sub",
        "amp",
        "sub",
        "impact",
        "sub",
        "Δday",
        "Δweek",
        "Δmonth"
    )?;
    for (i, r) in rows.enumerate() {
        let a = r.a;
        let d = |f: fn(&Delta) -> Option<f64>| {
            r.delta
                .and_then(|d| f(&d))
                .map_or("-".into(), |x| format!("{x:+.1}"))
        };
        writeln!(
            out,
            "{:>5}  {:<20} {:>6.2} {:>6.2}  {:>8} {:>5.1}  {:>8.3} {:>5.1}  {:>9.3} {:>5.1}  {:>6} {:>6} {:>6}",
            i + 1,
            terminal(&r.id),
            a.score(),
            a.percentile,
            a.reach.engaged,
            a.sub[0],
            a.amplification.value,
            a.sub[1],
            a.impact,
            a.sub[2],
            d(|d| d.day),
            d(|d| d.week),
            d(|d| d.month),
        )?;
    }
    Ok(())
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The account to explain (its id as in the interactions file), or a person of --identities.
    pub account: String,
    #[command(flatten)]
    pub input: ScoreInput,
    /// `person account` lines: explain a person's combined score over its accounts' networks.
    #[arg(long, value_name = "FILE")]
    pub identities: Option<PathBuf>,
    /// How many amplifiers and amplified accounts to list.
    #[arg(long, default_value_t = 10, value_name = "K")]
    pub top: usize,
    /// One JSON object.
    #[arg(long)]
    pub json: bool,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

pub fn run_explain(args: ExplainArgs, progress: Progress) -> Result<()> {
    let run = args.input.run(progress)?;
    if let Some(path) = &args.identities {
        return super::people::explain(&args, path, &run);
    }
    let ids = &run.inter.accounts;
    let found = ids.resolve(&args.account);
    if let Some(why) = found.failure(&args.account, "account") {
        bail!("{why} in {}", args.input.files.interactions.display());
    }
    let v = found.found().expect("a match");
    if !run.scores.present[v as usize] {
        bail!(
            "account `{}` first acts or is acted on after the as-of instant {}: it had no score then",
            args.account,
            crate::ingest::time::format_time(run.scores.params.window.as_of)
        );
    }
    let mut l = explain::ledger(&run.scores, ids, run.follows.as_ref(), v, args.top);
    l.reported = run.posts.as_ref().and_then(|p| {
        let (counts, posts) = p.reported_for(v, &run.scores.params.window)?;
        Some(explain::ReportedLedger { posts, counts })
    });
    let mut out = Output::create(args.out.as_deref())?;
    if args.json {
        serde_json::to_writer(&mut out, &l)?;
        writeln!(out)?;
    } else {
        super::ledger::write(&mut out, &l)?;
    }
    out.finish()
}

/// Reads a follow graph through the binary graph cache and maps it onto the interactions'
/// accounts, printing what a person should know; shared by `top` and `run`.
pub fn read_follows(
    path: &Path,
    inter: &Interactions,
    lenient: bool,
    cache: &CacheArgs,
    progress: Progress,
) -> Result<Follows> {
    let files = crate::pipeline::ScoreFiles {
        lenient,
        cache_dir: cache.dir(),
        ..Default::default()
    };
    let mut notes = Vec::new();
    let spinner = progress.spinner(&format!("loading {}", path.display()));
    let f = crate::pipeline::inputs::read_follows(path, inter, &files, &mut notes);
    spinner.finish_and_clear();
    print_notes(&notes);
    Ok(f?)
}

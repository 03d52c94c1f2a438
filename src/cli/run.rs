//! `clout run DIR`: ingest a dataset directory, score every account (with day / week / month
//! changes, influencers and influencees, ledger summaries, topics and leaderboards) and persist
//! the whole run in the store in one transaction; then print a summary and a leaderboard.
//! The run itself is the library's `pipeline::run`; this file parses flags, shows progress and
//! prints. `clout history ACCOUNT` is in [`super::history`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

use super::experts::TopicModelArgs;
use super::score::ScoreWindow;
use super::Progress;
use crate::ingest::dataset::Dataset;
use crate::ingest::time::format_time;
use crate::pipeline::run::{run_found, RunRequest, Stage, STAGES};
use crate::report::safe::terminal;
use crate::store::{Leaderboard, RunData, Store};

/// A stored run's `--as-of TIME` (Unix seconds or ISO 8601), or `None` for the latest run.
pub fn stored_as_of(t: Option<&str>) -> Result<Option<i64>> {
    t.map(|t| {
        crate::ingest::time::parse_time(t)
            .with_context(|| format!("--as-of {t:?} is neither Unix seconds nor ISO 8601"))
    })
    .transpose()
}

/// Where the store is: `--store`, else `$CLOUT_STORE`, else `clout.store` here.
#[derive(Debug, Args, Clone)]
pub struct StoreArg {
    /// The run store [default: $CLOUT_STORE, else clout.store in the current directory].
    #[arg(long, value_name = "FILE")]
    pub store: Option<PathBuf>,
}

impl StoreArg {
    /// The store path.
    pub fn path(&self) -> PathBuf {
        self.store
            .clone()
            .unwrap_or_else(crate::store::default_path)
    }
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Dataset directory: interactions.txt (required), follows.txt, posts.jsonl and
    /// identities.txt (optional), each may also be .gz or .zst; or platform files (Bluesky
    /// Jetstream, …) under any name, recognised by content.
    pub dir: PathBuf,
    #[command(flatten)]
    pub store: StoreArg,
    #[command(flatten)]
    pub when: ScoreWindow,
    /// Skip malformed records (reported by kind) instead of failing.
    #[arg(long)]
    pub lenient: bool,
    /// The follow graph goes through the binary graph cache.
    #[command(flatten)]
    pub cache: super::CacheArgs,
    /// How many leaderboard rows to print at the end.
    #[arg(long, default_value_t = 10, value_name = "K")]
    pub show: usize,
    /// The topic whose leaderboard is printed at the end (slug or name) [default: the
    /// non-root topic with the most ranked accounts].
    #[arg(long)]
    pub topic: Option<String>,
    #[command(flatten)]
    pub model: TopicModelArgs,
    /// Replace a stored run of the same as-of instant that has another window (refused
    /// otherwise: its history would change meaning).
    #[arg(long)]
    pub replace: bool,
    /// Print a `clout-timings {…}` JSON line (seconds per stage) on standard error.
    #[arg(long)]
    pub timings: bool,
    /// Stay up as a service: run as of the end of each period of this length (1d, 12h, …;
    /// aligned to the Unix epoch, so `1d` runs end at 23:59:59 UTC) once the data has moved
    /// past it, catching up on periods missed while it was down. Stop it with Ctrl-C: the store
    /// is always at its last complete run.
    #[arg(long, value_name = "PERIOD", conflicts_with = "as_of")]
    pub every: Option<String>,
    /// With --every: how often to look for new data.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "60s",
        requires = "every"
    )]
    pub poll: String,
}

pub fn run(args: RunArgs, progress: Progress) -> Result<()> {
    if args.every.is_some() {
        return super::every::run(args, progress);
    }
    let t0 = Instant::now();
    // A wrong directory is refused before the store is created or the model loaded.
    let found = Dataset::discover(&args.dir)?;
    let path = args.store.path();
    let store = Store::create(&path)?;
    let model = args.model.load(progress)?;
    let shown = args
        .topic
        .as_deref()
        .map(|t| {
            model
                .ontology()
                .find(t)
                .map(|i| model.ontology().topic(i).slug.clone())
        })
        .transpose()?;
    let req = request(&args)?;
    let bar = progress.steps("reading", STAGES);
    let mut rows = None;
    let mut clock = StageClock::new();
    let mut stage = |s: Stage| match s {
        Stage::Reading => clock.enter(s),
        Stage::Writing { done, total } => {
            let r = rows.get_or_insert_with(|| {
                clock.enter(s);
                bar.inc(1);
                bar.set_message(format!("writing {}", path.display()));
                progress.steps("writing", total)
            });
            r.set_length(total);
            r.set_position(done);
        }
        s => {
            clock.enter(s);
            bar.inc(1);
            bar.set_message(match s {
                Stage::Scoring => "scoring",
                Stage::Changes => "changes (day, week, month)",
                Stage::Topics => "topics and leaderboards",
                _ => "account records",
            });
        }
    };
    let outcome = run_found(&req, found, &model, &store, &mut stage);
    if let Some(r) = rows {
        r.finish_and_clear();
    }
    bar.finish_and_clear();
    let outcome = outcome?;
    if args.timings {
        eprintln!("clout-timings {}", clock.finish());
    }
    super::score::print_notes(&outcome.notes);
    let data = outcome.data;
    let board = shown_board(&data.leaderboards, shown.as_deref());
    summary(&data, board, &path, t0.elapsed().as_secs_f64(), args.show)
}

/// The run `args` ask for.
pub fn request(args: &RunArgs) -> Result<RunRequest> {
    Ok(RunRequest {
        replace: args.replace,
        dir: args.dir.clone(),
        lenient: args.lenient,
        cache_dir: args.cache.dir(),
        allow_far_times: args.when.allow_far_times,
        params: args.when.params()?,
        ontology: match (
            &args.model.classifier.model,
            &args.model.classifier.ontology,
        ) {
            (Some(m), _) => m.display().to_string(),
            (None, o) => o.clone().unwrap_or_else(|| "builtin".into()),
        },
    })
}

/// Seconds spent in each stage of a run, for `--timings`.
struct StageClock {
    start: Instant,
    current: Option<(&'static str, Instant)>,
    spent: serde_json::Map<String, serde_json::Value>,
}

impl StageClock {
    fn new() -> StageClock {
        StageClock {
            start: Instant::now(),
            current: None,
            spent: serde_json::Map::new(),
        }
    }

    /// Ends the stage under way and starts `s`.
    fn enter(&mut self, s: Stage) {
        self.close();
        let name = match s {
            Stage::Reading => "read_s",
            Stage::Scoring => "score_s",
            Stage::Changes => "changes_s",
            Stage::Topics => "topics_s",
            Stage::Records => "records_s",
            Stage::Writing { .. } => "write_s",
        };
        self.current = Some((name, Instant::now()));
    }

    fn close(&mut self) {
        if let Some((name, t)) = self.current.take() {
            self.spent
                .insert(name.into(), t.elapsed().as_secs_f64().into());
        }
    }

    /// The JSON object of every stage's seconds, and the total.
    fn finish(mut self) -> serde_json::Value {
        self.close();
        let total = self.start.elapsed().as_secs_f64();
        self.spent.insert("total_s".into(), total.into());
        serde_json::Value::Object(self.spent)
    }
}

/// The leaderboard to print: `topic`'s, else the non-root one with the most entries (ties by
/// slug), else any.
fn shown_board<'a>(boards: &'a [Leaderboard], topic: Option<&str>) -> Option<&'a Leaderboard> {
    if let Some(t) = topic {
        let b = boards.iter().find(|b| b.topic == t);
        if b.is_none() {
            eprintln!("clout: note: no account ranks on topic `{t}` in this run");
        }
        return b;
    }
    let key = |b: &&Leaderboard| (b.path.len() > 1, b.entries.len());
    boards
        .iter()
        .max_by(|a, b| key(a).cmp(&key(b)).then(b.topic.cmp(&a.topic)))
}

/// What was stored, and the top of a leaderboard (or of the scores).
pub fn summary(
    data: &RunData,
    board: Option<&Leaderboard>,
    path: &Path,
    secs: f64,
    k: usize,
) -> Result<()> {
    let m = data.meta.as_ref().expect("a run has its meta");
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Stored the run as of {} ({}) in {}: {} accounts, {} people, {} interactions and {} posts in the window, {} topic leaderboards ({secs:.1} s).",
        format_time(m.as_of),
        crate::score::window::describe(m.window),
        path.display(),
        m.accounts,
        m.people,
        m.interactions,
        m.posts,
        data.leaderboards.len()
    )?;
    match board {
        Some(b) => {
            writeln!(
                out,
                "\nTop influencers on {} ({}):",
                b.name,
                b.path.join(" › ")
            )?;
            let shown: Vec<_> = b.entries.iter().take(k).collect();
            let w = account_width(shown.iter().map(|e| e.account.as_str()));
            writeln!(
                out,
                "{:>4}  {:<w$} {:>7} {:>6}",
                "#", "account", "value", "score"
            )?;
            for e in shown {
                writeln!(
                    out,
                    "{:>4}  {:<w$} {:>7.2} {:>6.2}",
                    e.rank,
                    account_cell(&e.account),
                    e.value,
                    e.score
                )?;
            }
        }
        None => {
            writeln!(out, "\nTop accounts by score:")?;
            let w = account_width(data.accounts.iter().take(k).map(|a| a.account.id.as_str()));
            writeln!(
                out,
                "{:>4}  {:<w$} {:>6} {:>7}",
                "#", "account", "score", "Δweek"
            )?;
            for (i, a) in data.accounts.iter().take(k).enumerate() {
                let d = a.delta.week.map_or("-".into(), |d| format!("{d:+.2}"));
                writeln!(
                    out,
                    "{:>4}  {:<w$} {:>6.2} {:>7}",
                    i + 1,
                    account_cell(&a.account.id),
                    a.score,
                    d
                )?;
            }
        }
    }
    writeln!(
        out,
        "\nAn account's score over the runs: clout history ACCOUNT --store {}",
        path.display()
    )?;
    Ok(())
}

/// The widest account cell shown: at least 28 characters, at most [`MAX_ACCOUNT_CELL`].
const MAX_ACCOUNT_CELL: usize = 60;

/// The width of the account column for `names`, so that long handles (a Bluesky DID, a
/// Mastodon `name@host`) do not push the numbers out of line.
fn account_width<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    names
        .map(|n| account_cell(n).chars().count())
        .max()
        .unwrap_or(0)
        .clamp(28, MAX_ACCOUNT_CELL)
}

/// An account as a table cell: safe for a terminal, and shortened in the middle (`…`) beyond
/// [`MAX_ACCOUNT_CELL`] characters.
fn account_cell(name: &str) -> String {
    let safe = terminal(name).to_string();
    let n = safe.chars().count();
    if n <= MAX_ACCOUNT_CELL {
        return safe;
    }
    let keep = MAX_ACCOUNT_CELL - 1;
    let head: String = safe.chars().take(keep / 2).collect();
    let tail: String = safe.chars().skip(n - (keep - keep / 2)).collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::{account_cell, account_width};

    #[test]
    fn long_accounts_widen_the_column_up_to_a_limit() {
        assert_eq!(account_width(["ana"].into_iter()), 28);
        let did = "did:plc:abcdefghijklmnopqrstuvwx.bsky.social";
        assert_eq!(account_width([did, "ana"].into_iter()), did.len());
        let long = "x".repeat(100);
        let cell = account_cell(&long);
        assert_eq!(cell.chars().count(), 60);
        assert!(cell.contains('…'));
        assert!(!account_cell("a\u{1b}[31mb").contains('\u{1b}'));
    }
}

//! `clout run DIR`: ingest a dataset directory, score every account (with day / week / month
//! changes, influencers and influencees, ledger summaries, topics and leaderboards) and persist
//! the whole run in the store in one transaction; then print a summary and a leaderboard.
//! Topics are in [`super::run_topics`]; `clout history ACCOUNT` in [`super::history`].

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result};
use clap::Args;

use super::experts::TopicModelArgs;
use super::run_topics::topics;
use super::score::{ScoreFiles, ScoreInput, ScoreWindow, Scored};
use super::Progress;
use crate::ingest::dataset::{Dataset, Prepared};
use crate::ingest::platform;
use crate::ingest::time::format_time;
use crate::ingest::{read_posts, Source};
use crate::report::safe::terminal;
use crate::score::networks::Identities;
use crate::score::{score, window, ValidScoreParams};
use crate::store::build::{self, RecordInputs};
use crate::store::{Leaderboard, RunData, RunMeta, Store};

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
}

const STAGES: u64 = 6;

pub fn run(args: RunArgs, progress: Progress) -> Result<()> {
    let t0 = Instant::now();
    let found = Dataset::discover(&args.dir)?;
    note_found(&found);
    let ds = found.prepare(args.lenient)?;
    note_imported(&ds);
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
    let bar = progress.steps("reading", STAGES);
    let input = ScoreInput {
        files: ScoreFiles {
            interactions: ds.interactions.clone(),
            follows: ds.follows.clone(),
            posts: ds.posts.clone(),
            lenient: args.lenient,
            cache: args.cache.clone(),
        },
        when: args.when.clone(),
    };
    let scored = input.run(progress)?;
    let posts = ds
        .posts
        .as_deref()
        .map(|p| read_posts(p, args.lenient))
        .transpose()?;
    let people = people(&ds, &scored)?;
    bar.inc(1);
    bar.set_message("changes (day, week, month)");
    let deltas = deltas(&store, &scored)?;
    bar.inc(1);
    bar.set_message("topics and leaderboards");
    let topics = topics(&scored, posts.as_ref(), &model)?;
    bar.inc(1);
    bar.set_message("account records");
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
    bar.inc(1);
    let meta = RunMeta {
        as_of: scored.scores.params.window.as_of,
        window: scored.scores.params.window.length,
        created: now(),
        input_digest: digest(&found)?,
        source: args.dir.display().to_string(),
        calibration: scored.scores.params.calibration.version.to_string(),
        ontology: match (
            &args.model.classifier.model,
            &args.model.classifier.ontology,
        ) {
            (Some(m), _) => m.display().to_string(),
            (None, o) => o.clone().unwrap_or_else(|| "builtin".into()),
        },
        accounts: accounts.len() as u64,
        people: distinct(&people),
        interactions: scored.inter.records.len() as u64,
        posts: posts.as_ref().map_or(0, |p| p.posts.len() as u64),
    };
    let data = RunData {
        meta: Some(meta),
        accounts,
        leaderboards: topics.boards,
        posts: topics.posts,
    };
    bar.set_message(format!("writing {}", path.display()));
    let rows = progress.steps("writing", 0);
    store.write_run_with(&data, &mut |done, total| {
        rows.set_length(total);
        rows.set_position(done);
    })?;
    rows.finish_and_clear();
    bar.inc(1);
    bar.finish_and_clear();
    let board = shown_board(&data.leaderboards, shown.as_deref());
    summary(&data, board, &path, t0.elapsed().as_secs_f64(), args.show)
}

/// Says which files of the directory are no input.
fn note_found(ds: &Dataset) {
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
    eprintln!(
        "clout: note: ignoring files that match no known source in {} (tried: clout's own file names, {}): {}",
        ds.dir.display(),
        platform::tried(),
        names.join(", ")
    );
}

/// Says what platform files were read, and what was skipped in them.
fn note_imported(ds: &Prepared) {
    let Some(imported) = &ds.imported else {
        return;
    };
    for (path, platform, skips) in &imported.files {
        let skipped = if skips.total() > 0 {
            format!(": {skips}")
        } else {
            String::new()
        };
        eprintln!(
            "clout: read {} as {}{skipped}",
            path.display(),
            platform.describe()
        );
    }
    let unresolved = imported.written.counts.unresolved;
    if unresolved > 0 {
        eprintln!("clout: {}", super::import::unresolved_note(unresolved));
    }
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

fn distinct(people: &[String]) -> u64 {
    let mut p: Vec<&String> = people.iter().collect();
    p.sort_unstable();
    p.dedup();
    p.len() as u64
}

/// The look-backs of the changes, in days.
const LOOKBACK_DAYS: [i64; 3] = [1, 7, 30];

/// Day / week / month changes. For each look-back, the scores of the stored run at exactly
/// that instant (same window and calibration) when there is one; else a re-scoring of these inputs at that
/// instant; none when the look-back precedes every interaction.
fn deltas(store: &Store, scored: &Scored) -> Result<Vec<crate::store::Deltas>> {
    let s = &scored.scores;
    let ids = &scored.inter.accounts;
    let earliest = scored.inter.records.iter().map(|r| r.time).min();
    let mut then: [Option<Vec<Option<f64>>>; 3] = [None, None, None];
    for (slot, days) in then.iter_mut().zip(LOOKBACK_DAYS) {
        let window = s.params.window.back(days * window::DAY);
        *slot = match store.run(window.as_of)? {
            Some(meta)
                if meta.window == window.length
                    && meta.calibration == s.params.calibration.version =>
            {
                let index = ids.index();
                let mut past = vec![None; ids.len()];
                for a in store.accounts(window.as_of)? {
                    if let Some(v) = index.get(&a.account.id) {
                        past[v as usize] = Some(a.score);
                    }
                }
                Some(past)
            }
            _ if earliest.is_none_or(|e| window.as_of < e) => None,
            _ => {
                let params = ValidScoreParams {
                    window,
                    calibration: s.params.calibration,
                };
                let past = score(&scored.inputs(), &params)?;
                Some(past.values().into_iter().map(Some).collect())
            }
        };
    }
    Ok(build::deltas(&s.values(), &then))
}

/// xxh3 of every input file's name and bytes, in a fixed order.
fn digest(ds: &Dataset) -> Result<String> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for p in ds.files() {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        h.update(name.unwrap_or_default().as_bytes());
        let mut f = std::fs::File::open(p).with_context(|| format!("reading {}", p.display()))?;
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = std::io::Read::read(&mut f, &mut buf)
                .with_context(|| format!("reading {}", p.display()))?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
    }
    Ok(format!("{:032x}", h.digest128()))
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
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
fn summary(
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
        "Stored the run as of {} ({}) in {}: {} accounts, {} people, {} interactions, {} posts, {} topic leaderboards ({secs:.1} s).",
        format_time(m.as_of),
        m.window.map_or("all time".to_string(), |w| format!("{}-day window", w as f64 / 86_400.0)),
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

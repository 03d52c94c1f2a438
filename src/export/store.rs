//! A run store as tables: `runs` (one row per stored run), `accounts` (one row per account
//! per run: ids, score, percentile, the three measures raw and 1–100, changes, ledger counts),
//! `leaderboards` (one row per entry per topic per run) and `history` (account, as-of, score,
//! window, calibration, for every run). Each run is read in one transaction.

use std::path::{Path, PathBuf};

use super::{Table, Values};
use crate::error::{Error, Result};
use crate::store::model::{AccountRecord, Leaderboard, RunMeta};
use crate::store::Store;

/// The table names, in the order [`export`] writes them.
pub const TABLES: [&str; 4] = ["runs", "accounts", "leaderboards", "history"];

/// Everything of every run, read consistently.
struct Runs {
    metas: Vec<RunMeta>,
    accounts: Vec<Vec<AccountRecord>>,
    boards: Vec<Vec<Leaderboard>>,
}

fn read(store: &Store) -> Result<Runs> {
    store.read_consistent(|s| {
        let metas = s.runs()?;
        let mut accounts = Vec::with_capacity(metas.len());
        let mut boards = Vec::with_capacity(metas.len());
        for m in &metas {
            accounts.push(s.accounts(m.as_of)?);
            let mut b = Vec::new();
            for t in s.topics(m.as_of)? {
                b.extend(s.leaderboard(m.as_of, &t.topic)?);
            }
            boards.push(b);
        }
        Ok(Runs {
            metas,
            accounts,
            boards,
        })
    })
}

/// Writes `<dir>/<table>.parquet` for every table of `store`; returns the files and their
/// row counts.
pub fn export(store: &Store, dir: &Path) -> Result<Vec<(PathBuf, usize)>> {
    std::fs::create_dir_all(dir).map_err(|error| Error::Io {
        path: dir.to_path_buf(),
        error,
    })?;
    let runs = read(store)?;
    let tables = [
        runs_table(&runs.metas),
        accounts_table(&runs),
        boards_table(&runs),
        history_table(&runs),
    ];
    let mut written = Vec::new();
    for (name, t) in TABLES.iter().zip(&tables) {
        let path = dir.join(format!("{name}.parquet"));
        t.write_parquet_file(&path)?;
        written.push((path, t.rows()));
    }
    Ok(written)
}

fn runs_table(metas: &[RunMeta]) -> Table {
    let col = |f: fn(&RunMeta) -> i64| Values::Int(metas.iter().map(f).collect());
    let text =
        |f: fn(&RunMeta) -> &str| Values::Text(metas.iter().map(|m| f(m).to_string()).collect());
    let mut t = Table::default();
    t.push("as_of", col(|m| m.as_of))
        .push(
            "window",
            Values::OptInt(metas.iter().map(|m| m.window).collect()),
        )
        .push("created", col(|m| m.created))
        .push("input_digest", text(|m| &m.input_digest))
        .push("source", text(|m| &m.source))
        .push("calibration", text(|m| &m.calibration))
        .push("ontology", text(|m| &m.ontology))
        .push("accounts", col(|m| m.accounts as i64))
        .push("people", col(|m| m.people as i64))
        .push("interactions", col(|m| m.interactions as i64))
        .push("posts", col(|m| m.posts as i64));
    t
}

/// Every account of every run with the run's as-of.
fn each_account(runs: &Runs) -> impl Iterator<Item = (i64, &AccountRecord)> {
    runs.metas
        .iter()
        .zip(&runs.accounts)
        .flat_map(|(m, a)| a.iter().map(move |r| (m.as_of, r)))
}

fn accounts_table(runs: &Runs) -> Table {
    let float = |f: fn(&AccountRecord) -> f64| {
        Values::Float(each_account(runs).map(|(_, a)| f(a)).collect())
    };
    let opt = |f: fn(&AccountRecord) -> Option<f64>| {
        Values::OptFloat(each_account(runs).map(|(_, a)| f(a)).collect())
    };
    let text = |f: fn(&AccountRecord) -> &str| {
        Values::Text(each_account(runs).map(|(_, a)| f(a).to_string()).collect())
    };
    let count = |f: fn(&AccountRecord) -> u32| {
        Values::Count(each_account(runs).map(|(_, a)| f(a)).collect())
    };
    let mut t = Table::default();
    t.push(
        "as_of",
        Values::Int(each_account(runs).map(|(at, _)| at).collect()),
    )
    .push("id", text(|a| &a.account.id))
    .push("network", text(|a| &a.account.network))
    .push("handle", text(|a| &a.account.handle))
    .push("person", text(|a| &a.account.person))
    .push("score", float(|a| a.score))
    .push("percentile", float(|a| a.percentile))
    .push("true_reach", float(|a| a.true_reach.raw))
    .push("true_reach_score", float(|a| a.true_reach.score))
    .push("amplification", float(|a| a.amplification.raw))
    .push("amplification_score", float(|a| a.amplification.score))
    .push("network_impact", float(|a| a.network_impact.raw))
    .push("network_impact_score", float(|a| a.network_impact.score))
    .push("delta_day", opt(|a| a.delta.day))
    .push("delta_week", opt(|a| a.delta.week))
    .push("delta_month", opt(|a| a.delta.month))
    .push("engaged_accounts", count(|a| a.ledger.engaged_accounts))
    .push("posts", count(|a| a.ledger.posts))
    .push("posts_acted_on", count(|a| a.ledger.posts_acted_on))
    .push(
        "top_topic",
        text(|a| a.topics.first().map_or("", |t| t.topic.as_str())),
    );
    t
}

fn boards_table(runs: &Runs) -> Table {
    let rows: Vec<_> = runs
        .metas
        .iter()
        .zip(&runs.boards)
        .flat_map(|(m, bs)| {
            bs.iter()
                .flat_map(move |b| b.entries.iter().map(move |e| (m.as_of, b, e)))
        })
        .collect();
    let mut t = Table::default();
    t.push("as_of", Values::Int(rows.iter().map(|r| r.0).collect()))
        .push(
            "topic",
            Values::Text(rows.iter().map(|r| r.1.topic.clone()).collect()),
        )
        .push(
            "topic_name",
            Values::Text(rows.iter().map(|r| r.1.name.clone()).collect()),
        )
        .push(
            "rank",
            Values::Count(rows.iter().map(|r| r.2.rank).collect()),
        )
        .push(
            "account",
            Values::Text(rows.iter().map(|r| r.2.account.clone()).collect()),
        )
        .push(
            "value",
            Values::Float(rows.iter().map(|r| r.2.value).collect()),
        )
        .push(
            "expertise",
            Values::Float(rows.iter().map(|r| r.2.expertise).collect()),
        )
        .push(
            "topical_impact",
            Values::Float(rows.iter().map(|r| r.2.topical_impact).collect()),
        )
        .push(
            "score",
            Values::Float(rows.iter().map(|r| r.2.score).collect()),
        );
    t
}

/// Account, as-of, score, with the run's window and calibration (what `clout history` compares
/// by): sorted by account, then time, as `clout history` lists them.
fn history_table(runs: &Runs) -> Table {
    let mut rows: Vec<(&str, &RunMeta, f64)> = runs
        .metas
        .iter()
        .zip(&runs.accounts)
        .flat_map(|(m, a)| a.iter().map(move |r| (r.account.id.as_str(), m, r.score)))
        .collect();
    rows.sort_by(|x, y| x.0.cmp(y.0).then(x.1.as_of.cmp(&y.1.as_of)));
    let mut t = Table::default();
    t.push(
        "account",
        Values::Text(rows.iter().map(|r| r.0.to_string()).collect()),
    )
    .push(
        "as_of",
        Values::Int(rows.iter().map(|r| r.1.as_of).collect()),
    )
    .push("score", Values::Float(rows.iter().map(|r| r.2).collect()))
    .push(
        "window",
        Values::OptInt(rows.iter().map(|r| r.1.window).collect()),
    )
    .push(
        "calibration",
        Values::Text(rows.iter().map(|r| r.1.calibration.clone()).collect()),
    );
    t
}

//! Reading a report's records from a [`Store`]: the run (the latest, or the one at a given
//! as-of), the topic (slug or display name), its leaderboard, every account's score for the
//! distribution, and the entries' records, evidence posts and score history up to the run.

use std::collections::HashSet;

use super::data::{ReportData, ReportParts};
use super::topic::find_topic;
use crate::error::{Error, Result};
use crate::store::{comparable, Leaderboard, RunMeta, Store, TopicInfo};
use crate::topics::builtin;

/// A stored run, its topics and the leaderboard of `topic` (slug or display name) in it.
pub struct StoredBoard {
    pub run: RunMeta,
    pub topics: Vec<TopicInfo>,
    pub board: Leaderboard,
}

/// The leaderboard of `topic` in the run at `as_of` (default: the latest run of `store`).
pub fn stored_board(store: &Store, topic: &str, as_of: Option<i64>) -> Result<StoredBoard> {
    let run = match as_of {
        Some(t) => store
            .run(t)?
            .ok_or_else(|| Error::store(store.path(), format!("no run as of {t} in the store")))?,
        None => store
            .latest()?
            .ok_or_else(|| Error::store(store.path(), "the store holds no run yet"))?,
    };
    let topics: Vec<TopicInfo> = store.topics(run.as_of)?;
    let slug = find_topic(&topics, topic)?.topic.clone();
    let board = store.leaderboard(run.as_of, &slug)?.ok_or_else(|| {
        Error::store(
            store.path(),
            format!("topic {slug:?} is listed but has no leaderboard"),
        )
    })?;
    Ok(StoredBoard { run, topics, board })
}

/// The report of the `n` best accounts of `topic` in the run at `as_of` (default: the latest).
/// Every query runs in one read transaction, so a run replaced meanwhile is never half-read.
pub fn from_store(store: &Store, topic: &str, as_of: Option<i64>, n: usize) -> Result<ReportData> {
    store.read_consistent(|store| read_report(store, topic, as_of, n))
}

fn read_report(store: &Store, topic: &str, as_of: Option<i64>, n: usize) -> Result<ReportData> {
    let StoredBoard { run, topics, board } = stored_board(store, topic, as_of)?;
    let wanted: Vec<&str> = board
        .entries
        .iter()
        .take(n)
        .map(|e| e.account.as_str())
        .collect();
    let set: HashSet<&str> = wanted.iter().copied().collect();
    let mut scores = Vec::new();
    let mut accounts = Vec::with_capacity(wanted.len());
    let all = store.accounts(run.as_of)?;
    for a in &all {
        scores.push(a.score);
        if set.contains(a.account.id.as_str()) {
            accounts.push(a.clone());
        }
    }
    let persons: HashSet<&str> = accounts.iter().map(|a| a.account.person.as_str()).collect();
    let networks = persons
        .into_iter()
        .map(|p| {
            let n = super::badges::engaged_networks(&all, p);
            (p.to_string(), n.into_iter().map(str::to_string).collect())
        })
        .collect();
    let ids: Vec<String> = accounts
        .iter()
        .flat_map(|a| a.topics.iter().flat_map(|t| t.evidence.iter().cloned()))
        .collect();
    let posts = store.posts(run.as_of, &ids)?;
    let mut history = Vec::with_capacity(wanted.len());
    for id in &wanted {
        let mut points = comparable(store.history_with_topics(id)?, run.window, &run.calibration);
        points.retain(|p| p.as_of <= run.as_of);
        history.push((id.to_string(), points));
    }
    let names = ontology_names(&run.ontology, &topics);
    let parts = ReportParts {
        run: Some(run),
        topics,
        board: Some(board),
        scores,
        accounts,
        posts,
        history,
        names,
        networks,
    };
    ReportData::assemble(parts, n)
}

/// Names of the slugs in the topics' paths, from the built-in taxonomy when the run used it
/// (other ontologies are not at hand: their slugs are shown as they are).
fn ontology_names(ontology: &str, topics: &[TopicInfo]) -> Vec<(String, String)> {
    if ontology != "builtin" {
        return Vec::new();
    }
    let o = builtin();
    let mut slugs: Vec<&String> = topics.iter().flat_map(|t| &t.path).collect();
    slugs.sort();
    slugs.dedup();
    slugs
        .into_iter()
        .filter_map(|s| Some((s.clone(), o.topic(o.by_id(s)?).name.clone())))
        .collect()
}

//! What a report shows, assembled from a run's records (run metadata, one topic leaderboard, the
//! entries' account records, their evidence posts and score history). Pure: reading the store is
//! left to [`super::load`], drawing to the renderers.

use std::collections::{BTreeMap, HashMap};

use super::badges::{self, Badge};
use crate::error::{Error, Result};
use crate::store::{
    AccountRecord, EvidencePost, HistoryPoint, LeaderEntry, Leaderboard, RunMeta, TopicInfo,
};

/// Evidence posts shown per entry, at most.
pub const MAX_EVIDENCE: usize = 3;

/// Bins of the score histogram: `[0, 10)`, `[10, 20)`, …, `[90, 100]`.
pub const HISTOGRAM_BINS: usize = 10;

/// The records a report is made from, as the store (or a test) hands them over.
#[derive(Debug, Clone, Default)]
pub struct ReportParts {
    pub run: Option<RunMeta>,
    /// The run's topics (display names and paths for the topic mix and evidence).
    pub topics: Vec<TopicInfo>,
    pub board: Option<Leaderboard>,
    /// Every account's 1–100 score in the run (for the distribution).
    pub scores: Vec<f64>,
    /// At least the records of the leaderboard's first `n` accounts.
    pub accounts: Vec<AccountRecord>,
    /// At least the evidence posts those records reference.
    pub posts: Vec<EvidencePost>,
    /// Score history per account (one point per run).
    pub history: Vec<(String, Vec<HistoryPoint>)>,
    /// Display names of slugs that are not among `topics` (e.g. super-topics in a path).
    pub names: Vec<(String, String)>,
    /// Networks on which each person of the entries was engaged in the run (for badges;
    /// absent: the record's own network when it was engaged).
    pub networks: Vec<(String, Vec<String>)>,
}

/// One bin of the score histogram.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Bin {
    /// Inclusive lower bound.
    pub lo: f64,
    /// Exclusive upper bound (inclusive for the last bin).
    pub hi: f64,
    pub count: u64,
}

/// One ranked influencer with everything the report says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportEntry {
    /// The leaderboard's line: rank, topic influence, expertise, topical impact.
    pub leader: LeaderEntry,
    /// The account's record in the run.
    pub record: AccountRecord,
    /// Posts that show the account's expertise in the topic, most engaging first.
    pub evidence: Vec<EvidencePost>,
    /// Score by run, oldest first.
    pub history: Vec<HistoryPoint>,
    /// Achievements in the run ([`super::badges`]).
    pub badges: Vec<Badge>,
}

/// A ranked influencer report for one topic of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportData {
    pub run: RunMeta,
    pub topic: TopicInfo,
    /// Display name of every topic slug of the run.
    pub topic_names: BTreeMap<String, String>,
    /// The run's score distribution.
    pub distribution: Vec<Bin>,
    /// Best first.
    pub entries: Vec<ReportEntry>,
}

impl ReportData {
    /// Assembles the report of the leaderboard's first `n` entries (`n ≥ 1`).
    ///
    /// Fails when a part is missing or an entry's account has no record.
    pub fn assemble(parts: ReportParts, n: usize) -> Result<ReportData> {
        if n == 0 {
            return Err(Error::param("n", "must be at least 1"));
        }
        let run = parts
            .run
            .ok_or_else(|| Error::Inconsistent("the report has no run".into()))?;
        let board = parts
            .board
            .ok_or_else(|| Error::Inconsistent("the report has no leaderboard".into()))?;
        let topic = topic_info(&parts.topics, &board);
        let topic_names = parts
            .names
            .into_iter()
            .chain(
                parts
                    .topics
                    .iter()
                    .map(|t| (t.topic.clone(), t.name.clone())),
            )
            .chain([(board.topic.clone(), board.name.clone())])
            .collect();
        let mut records: HashMap<String, AccountRecord> = parts
            .accounts
            .into_iter()
            .map(|r| (r.account.id.clone(), r))
            .collect();
        let posts: HashMap<&str, &EvidencePost> =
            parts.posts.iter().map(|p| (p.id.as_str(), p)).collect();
        let mut history: HashMap<String, Vec<HistoryPoint>> = parts.history.into_iter().collect();
        let networks: HashMap<&str, &Vec<String>> = parts
            .networks
            .iter()
            .map(|(p, n)| (p.as_str(), n))
            .collect();
        let is_ancestor = badges::ancestry(
            parts
                .topics
                .iter()
                .map(|t| (t.topic.as_str(), t.path.as_slice())),
        );
        let mut entries = Vec::with_capacity(n.min(board.entries.len()));
        for leader in board.entries.into_iter().take(n) {
            let record = records.remove(&leader.account).ok_or_else(|| {
                Error::Inconsistent(format!(
                    "leaderboard {:?} ranks account {:?}, which has no record in the run as of {}",
                    board.topic, leader.account, run.as_of
                ))
            })?;
            let evidence = evidence(&record, &parts.topics, &board.topic, &posts);
            let mut points = history.remove(&leader.account).unwrap_or_default();
            points.sort_by_key(|p| p.as_of);
            let nets: Vec<&str> = match networks.get(record.account.person.as_str()) {
                Some(n) => n.iter().map(String::as_str).collect(),
                None => badges::engaged_networks([&record], &record.account.person),
            };
            let badges =
                badges::of_record(&run, &record, &nets, points.clone(), &is_ancestor).badges;
            entries.push(ReportEntry {
                leader,
                record,
                evidence,
                history: points,
                badges,
            });
        }
        Ok(ReportData {
            run,
            topic,
            topic_names,
            distribution: histogram(&parts.scores),
            entries,
        })
    }

    /// The display name of a topic slug (the slug itself when unknown).
    pub fn topic_name<'a>(&'a self, slug: &'a str) -> &'a str {
        self.topic_names.get(slug).map_or(slug, String::as_str)
    }
}

/// The leaderboard's topic as a [`TopicInfo`], with its entry count from the run's list.
fn topic_info(topics: &[TopicInfo], board: &Leaderboard) -> TopicInfo {
    topics
        .iter()
        .find(|t| t.topic == board.topic)
        .cloned()
        .unwrap_or_else(|| TopicInfo {
            topic: board.topic.clone(),
            name: board.name.clone(),
            path: board.path.clone(),
            entries: board.entries.len() as u32,
        })
}

/// The evidence posts of `record` for `topic`: those of the topic itself, else those of its
/// sub-topics (the run's topic paths say which), in the record's order; at most
/// [`MAX_EVIDENCE`], posts missing from the run skipped.
fn evidence(
    record: &AccountRecord,
    topics: &[TopicInfo],
    topic: &str,
    posts: &HashMap<&str, &EvidencePost>,
) -> Vec<EvidencePost> {
    let under = |slug: &str| {
        topics
            .iter()
            .any(|t| t.topic == slug && t.path.iter().any(|p| p == topic))
    };
    let exact = record.topics.iter().filter(|t| t.topic == topic);
    let sub = record
        .topics
        .iter()
        .filter(|t| t.topic != topic && under(&t.topic));
    let mut seen = Vec::new();
    for id in exact.chain(sub).flat_map(|t| &t.evidence) {
        if seen.len() == MAX_EVIDENCE {
            break;
        }
        if let Some(p) = posts.get(id.as_str()) {
            if !seen.iter().any(|q: &EvidencePost| q.id == p.id) {
                seen.push((*p).clone());
            }
        }
    }
    seen
}

/// Counts of scores per bin of width 10 over 0–100 (scores outside are clamped; NaN skipped).
pub fn histogram(scores: &[f64]) -> Vec<Bin> {
    let width = 100.0 / HISTOGRAM_BINS as f64;
    let mut bins: Vec<Bin> = (0..HISTOGRAM_BINS)
        .map(|i| Bin {
            lo: i as f64 * width,
            hi: (i + 1) as f64 * width,
            count: 0,
        })
        .collect();
    for &s in scores.iter().filter(|s| !s.is_nan()) {
        let i = ((s / width).floor().max(0.0) as usize).min(HISTOGRAM_BINS - 1);
        bins[i].count += 1;
    }
    bins
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_bins_edges() {
        let bins = histogram(&[1.0, 9.99, 10.0, 55.0, 100.0, 99.9, f64::NAN, 150.0]);
        let counts: Vec<u64> = bins.iter().map(|b| b.count).collect();
        assert_eq!(counts, [2, 1, 0, 0, 0, 1, 0, 0, 0, 3]);
        assert_eq!((bins[9].lo, bins[9].hi), (90.0, 100.0));
    }
}

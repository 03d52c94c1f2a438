//! The JSON report: one object `{"run", "topic", "distribution", "entries"}`, each entry with
//! its rank, leaderboard values, sub-scores with raw units, topics, influence, ledger signals,
//! evidence posts and score history.

use serde::Serialize;

use super::badges::Badge;
use super::data::{Bin, ReportData, ReportEntry};
use crate::ingest::time::format_time;
use crate::store::{
    AccountRef, AccountTopic, Counterpart, Deltas, EvidencePost, HistoryPoint, LedgerSummary,
    Measure, TopicInfo,
};

#[derive(Serialize)]
struct Doc<'a> {
    run: Run<'a>,
    topic: &'a TopicInfo,
    distribution: &'a [Bin],
    entries: Vec<Entry<'a>>,
}

/// The run without its wall-clock finish time, so that reports are reproducible.
#[derive(Serialize)]
struct Run<'a> {
    as_of: i64,
    as_of_utc: String,
    window: Option<i64>,
    source: &'a str,
    input_digest: &'a str,
    calibration: &'a str,
    ontology: &'a str,
    accounts: u64,
    people: u64,
    interactions: u64,
    posts: u64,
}

#[derive(Serialize)]
struct Entry<'a> {
    rank: u32,
    account: &'a AccountRef,
    topic_influence: f64,
    score: f64,
    percentile: f64,
    true_reach: &'a Measure,
    amplification: &'a Measure,
    network_impact: &'a Measure,
    expertise: f64,
    topical_impact: f64,
    delta: &'a Deltas,
    topics: &'a [AccountTopic],
    influencers: &'a [Counterpart],
    influencees: &'a [Counterpart],
    ledger: &'a LedgerSummary,
    evidence: &'a [EvidencePost],
    history: &'a [HistoryPoint],
    badges: &'a [Badge],
}

/// Renders the report (pretty-printed, newline-terminated).
pub fn render(data: &ReportData) -> Vec<u8> {
    let m = &data.run;
    let doc = Doc {
        run: Run {
            as_of: m.as_of,
            as_of_utc: format_time(m.as_of),
            window: m.window,
            source: &m.source,
            input_digest: &m.input_digest,
            calibration: &m.calibration,
            ontology: &m.ontology,
            accounts: m.accounts,
            people: m.people,
            interactions: m.interactions,
            posts: m.posts,
        },
        topic: &data.topic,
        distribution: &data.distribution,
        entries: data.entries.iter().map(entry).collect(),
    };
    // Plain data with string keys: serialising it cannot fail.
    let mut out = serde_json::to_vec_pretty(&doc).expect("report JSON");
    out.push(b'\n');
    out
}

fn entry(e: &ReportEntry) -> Entry<'_> {
    let r = &e.record;
    Entry {
        rank: e.leader.rank,
        account: &r.account,
        topic_influence: e.leader.value,
        score: r.score,
        percentile: r.percentile,
        true_reach: &r.true_reach,
        amplification: &r.amplification,
        network_impact: &r.network_impact,
        expertise: e.leader.expertise,
        topical_impact: e.leader.topical_impact,
        delta: &r.delta,
        topics: &r.topics,
        influencers: &r.influencers,
        influencees: &r.influencees,
        ledger: &r.ledger,
        evidence: &e.evidence,
        history: &e.history,
        badges: &e.badges,
    }
}

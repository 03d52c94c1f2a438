//! The CSV report: a header, then one row per entry (RFC 4180 quoting by the `csv` crate).
//! Lists inside a cell (actions, influencers, evidence) are `;`-separated; evidence texts are
//! separated by newlines, which the quoting keeps. Every text cell is neutralised against
//! formula injection ([`super::safe::csv_cell`]); numbers are written as numbers.

use super::data::{ReportData, ReportEntry};
use super::safe::csv_cell;
use super::why::TOP_INFLUENCERS;

/// The columns, in order.
pub const HEADER: [&str; 24] = [
    "rank",
    "account",
    "network",
    "person",
    "topic",
    "topic_influence",
    "score",
    "percentile",
    "true_reach",
    "true_reach_raw",
    "amplification",
    "amplification_raw",
    "network_impact",
    "network_impact_raw",
    "expertise",
    "topical_impact",
    "engaged_accounts",
    "posts",
    "posts_acted_on",
    "actions",
    "top_influencers",
    "evidence_ids",
    "evidence_reactors",
    "evidence_text",
];

/// Renders the report.
pub fn render(data: &ReportData) -> Vec<u8> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail: an error here is a bug.
    w.write_record(HEADER).expect("CSV to memory");
    for e in &data.entries {
        w.write_record(row(data, e)).expect("CSV to memory");
    }
    w.into_inner().expect("CSV to memory")
}

fn row(data: &ReportData, e: &ReportEntry) -> [String; 24] {
    let r = &e.record;
    let l = &r.ledger;
    let text = |s: &str| csv_cell(s).into_owned();
    let [actions, influencers, ids, reactors, texts] = lists(e).map(|v| text(&v));
    [
        e.leader.rank.to_string(),
        text(&r.account.id),
        text(&r.account.network),
        text(&r.account.person),
        text(&data.topic.topic),
        e.leader.value.to_string(),
        r.score.to_string(),
        r.percentile.to_string(),
        r.true_reach.score.to_string(),
        r.true_reach.raw.to_string(),
        r.amplification.score.to_string(),
        r.amplification.raw.to_string(),
        r.network_impact.score.to_string(),
        r.network_impact.raw.to_string(),
        e.leader.expertise.to_string(),
        e.leader.topical_impact.to_string(),
        l.engaged_accounts.to_string(),
        l.posts.to_string(),
        l.posts_acted_on.to_string(),
        actions,
        influencers,
        ids,
        reactors,
        texts,
    ]
}

/// The list cells of an entry, as written (not yet made CSV-safe): actions by kind
/// (`kind=n;…`), top influencers (`id=actions;…`), evidence ids and reactors (`;`-separated)
/// and evidence texts (newline-separated).
pub(super) fn lists(e: &ReportEntry) -> [String; 5] {
    let r = &e.record;
    [
        r.ledger
            .actions_by_kind
            .iter()
            .map(|(k, n)| format!("{k}={n}"))
            .collect::<Vec<_>>()
            .join(";"),
        r.influencers
            .iter()
            .take(TOP_INFLUENCERS)
            .map(|c| format!("{}={}", c.id, c.actions))
            .collect::<Vec<_>>()
            .join(";"),
        e.evidence
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        e.evidence
            .iter()
            .map(|p| p.reactors.to_string())
            .collect::<Vec<_>>()
            .join(";"),
        e.evidence
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    ]
}

//! The Parquet report: the CSV report's columns, typed (ranks and counts as integers, measures
//! as float64), text as is (a Parquet cell is never a formula), the list cells as in CSV.

use super::csv::{lists, HEADER};
use super::data::{ReportData, ReportEntry};
use crate::export::{Table, Values};

/// The report as a table with the CSV report's header.
pub fn table(data: &ReportData) -> Table {
    let es = &data.entries;
    let text = |f: &dyn Fn(&ReportEntry) -> String| Values::Text(es.iter().map(f).collect());
    let float = |f: &dyn Fn(&ReportEntry) -> f64| Values::Float(es.iter().map(f).collect());
    let count = |f: &dyn Fn(&ReportEntry) -> u32| Values::Count(es.iter().map(f).collect());
    let list = |i: usize| Values::Text(es.iter().map(|e| lists(e)[i].clone()).collect());
    let columns = [
        count(&|e| e.leader.rank),
        text(&|e| e.record.account.id.clone()),
        text(&|e| e.record.account.network.clone()),
        text(&|e| e.record.account.person.clone()),
        text(&|_| data.topic.topic.clone()),
        float(&|e| e.leader.value),
        float(&|e| e.record.score),
        float(&|e| e.record.percentile),
        float(&|e| e.record.true_reach.score),
        float(&|e| e.record.true_reach.raw),
        float(&|e| e.record.amplification.score),
        float(&|e| e.record.amplification.raw),
        float(&|e| e.record.network_impact.score),
        float(&|e| e.record.network_impact.raw),
        float(&|e| e.leader.expertise),
        float(&|e| e.leader.topical_impact),
        count(&|e| e.record.ledger.engaged_accounts),
        count(&|e| e.record.ledger.posts),
        count(&|e| e.record.ledger.posts_acted_on),
        list(0),
        list(1),
        list(2),
        list(3),
        list(4),
    ];
    let mut t = Table::default();
    for (name, values) in HEADER.iter().zip(columns) {
        t.push(*name, values);
    }
    t
}

/// Renders the report as the bytes of a Parquet file.
pub fn render(data: &ReportData) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Equal-length columns written to memory cannot fail: an error here is a bug.
    table(data)
        .write_parquet(&mut bytes)
        .expect("Parquet to memory");
    bytes
}

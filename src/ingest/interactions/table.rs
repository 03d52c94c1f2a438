//! Interactions as a CSV table with a header row, as researchers export them: columns found
//! by name (any order, any case; unknown columns ignored), `-` or an empty cell meaning absent
//! wherever a field is optional, and an optional count column (`count`, `weight`, `n`): a row
//! standing for that many interactions of its kind.

use super::{absent, parse_kind, Bad, Builder, Part};
use crate::error::{Error, Result};
use crate::ingest::edges::{csv_error, csv_reader, find_column};
use crate::ingest::skips::SkipKind;
use crate::ingest::source::Source;
use crate::ingest::time::parse_time;

/// Names of each column, in order of preference.
const ACTOR: &[&str] = &[
    "actor", "source", "src", "from", "user", "user_id", "engager",
];
const TARGET: &[&str] = &["target", "dst", "to", "author", "author_id", "target_id"];
const KIND: &[&str] = &["kind", "type", "action", "interaction", "interaction_type"];
const TIME: &[&str] = &["time", "timestamp", "created_at", "date", "datetime", "ts"];
const POST: &[&str] = &["post_id", "post", "status_id", "tweet_id", "message_id"];
const NETWORK: &[&str] = &["network", "platform", "site"];
const COUNT: &[&str] = &["count", "weight", "n", "times"];

/// The most interactions one row may stand for: a larger count is an error, not memory.
pub const MAX_COUNT: u64 = 10_000;

/// Whether the first data line of `head` is a CSV header naming an actor and a target column.
pub fn recognises(head: &str) -> bool {
    let Some(first) = head
        .lines()
        .map(|l| l.trim_end_matches('\r').trim())
        .find(|l| !l.is_empty() && !l.starts_with('#'))
    else {
        return false;
    };
    let cells: Vec<String> = first
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let has = |names: &[&str]| cells.iter().any(|c| names.contains(&c.as_str()));
    cells.len() >= 3 && has(ACTOR) && has(TARGET)
}

/// Where each field is in a row.
struct Columns {
    actor: usize,
    target: usize,
    kind: Option<usize>,
    time: usize,
    post: Option<usize>,
    network: Option<usize>,
    count: Option<usize>,
}

impl Columns {
    fn find(header: &csv::StringRecord) -> std::result::Result<Columns, String> {
        let find = |names: &[&str]| find_column(header, names);
        let need = |names: &[&str], what: &str| {
            find(names).ok_or_else(|| {
                format!(
                    "the header names no {what} column (one of {}); columns: {}",
                    names.join(", "),
                    header.iter().collect::<Vec<_>>().join(",")
                )
            })
        };
        Ok(Columns {
            actor: need(ACTOR, "actor")?,
            target: need(TARGET, "target")?,
            kind: find(KIND),
            time: need(TIME, "time")?,
            post: find(POST),
            network: find(NETWORK),
            count: find(COUNT),
        })
    }
}

/// Reads a CSV interactions table (streamed) into one part; errors name the line.
pub(super) fn parse_table(source: &Source, lenient: bool) -> Result<Part> {
    let path = source.path();
    let mut reader = csv_reader(source)?;
    let header = reader
        .headers()
        .map_err(|e| csv_error(path, 1, "bad CSV header", e))?
        .clone();
    let header_line = header.position().map_or(1, |p| p.line());
    let cols = Columns::find(&header).map_err(|r| Error::parse(path, header_line, r))?;
    let mut b = Builder::default();
    let mut lines = header_line;
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(lines + 1, |p| p.line());
            csv_error(path, line, "bad CSV record", e)
        })?;
        let line = rec.position().map_or(lines + 1, |p| p.line());
        lines = line;
        if rec == header {
            return Err(Error::parse(
                path,
                line,
                format!("the header row (line {header_line}) appears again: two files concatenated? Remove the repeated header"),
            ));
        }
        match row(&mut b, &cols, &rec) {
            Ok(()) => {}
            Err((kind, _)) if lenient => b.skips.add(kind, line),
            Err((_, reason)) => return Err(Error::parse(path, line, reason)),
        }
    }
    Ok(Part {
        b,
        lines,
        error: None,
    })
}

/// One row into `b`.
fn row(b: &mut Builder, cols: &Columns, rec: &csv::StringRecord) -> std::result::Result<(), Bad> {
    let cell = |i: usize| rec.get(i).filter(|c| !absent(c));
    let id = |i: usize, what: &str| {
        cell(i).ok_or_else(|| (SkipKind::BadId, format!("the {what} is empty")))
    };
    let (actor, target) = (id(cols.actor, "actor")?, id(cols.target, "target")?);
    let kind = match cols.kind.and_then(cell) {
        Some(k) => parse_kind(k)?,
        None => crate::ingest::Kind::Reaction,
    };
    let t = cell(cols.time).ok_or_else(|| (SkipKind::BadTime, "the time is empty".to_string()))?;
    let time = parse_time(t).ok_or_else(|| super::bad_time(t))?;
    let count = match cols.count.and_then(cell) {
        None => 1,
        Some(c) => c
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=MAX_COUNT).contains(n))
            .ok_or_else(|| {
                (
                    SkipKind::BadWeight,
                    format!("count `{c}` is not a whole number from 1 to {MAX_COUNT}"),
                )
            })?,
    };
    let post = cols.post.and_then(cell);
    let network = cols.network.and_then(cell);
    for _ in 0..count {
        b.push(actor, target, kind, time, post, network)?;
    }
    Ok(())
}

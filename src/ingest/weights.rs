//! Per-node value files (`id value` lines), such as a PageRank personalization vector: values
//! are matched to the nodes of an already-built id map; nodes not listed get zero.

use std::path::Path;

use super::ids::IdMap;
use super::skips::{SkipKind, Skips};
use super::source::{Flow, Source};
use crate::error::{Error, Result};

/// Reads `id value` lines into one value per node of `ids` (0 where absent). An id that is not a
/// node, a bad value (not finite or negative) or a repeated id is an error naming the line, or a
/// counted skip when `lenient`.
pub fn read_node_values(path: &Path, ids: &IdMap, lenient: bool) -> Result<(Vec<f64>, Skips)> {
    let source = Source::open(path)?;
    let index = ids.index();
    let mut values = vec![0.0; ids.len()];
    let mut seen = vec![false; ids.len()];
    let mut skips = Skips::default();
    source.lines(|line_no, raw| {
        let raw = String::from_utf8_lossy(raw);
        let line = raw.trim_end_matches('\r').trim();
        if line.is_empty() || line.starts_with('#') {
            return Ok(Flow::Continue(()));
        }
        let f: Vec<&str> = line
            .split(|c: char| c == ' ' || c == '\t' || c == ',')
            .filter(|s| !s.is_empty())
            .collect();
        let result = match f.as_slice() {
            [id, value] => match (index.get(id), value.parse::<f64>()) {
                (None, _) => Err((
                    SkipKind::BadId,
                    format!("`{id}` is not a node of the graph"),
                )),
                (_, Ok(v)) if !(v.is_finite() && v >= 0.0) => Err((
                    SkipKind::BadWeight,
                    format!("value `{value}` is not a finite number ≥ 0"),
                )),
                (_, Err(_)) => Err((
                    SkipKind::BadWeight,
                    format!("value `{value}` is not a number"),
                )),
                (Some(n), Ok(_)) if seen[n as usize] => {
                    Err((SkipKind::BadId, format!("`{id}` is listed twice")))
                }
                (Some(n), Ok(v)) => {
                    seen[n as usize] = true;
                    values[n as usize] = v;
                    Ok(())
                }
            },
            _ => Err((
                SkipKind::TooFewFields,
                format!("expected `id value`, found {} fields", f.len()),
            )),
        };
        match result {
            Ok(()) => {}
            Err((kind, _)) if lenient => skips.add(kind, line_no),
            Err((_, reason)) => return Err(Error::parse(path, line_no, reason)),
        }
        Ok(Flow::Continue(()))
    })?;
    Ok((values, skips))
}

//! `score(...)`: every account's explained score from interaction files, as columns.

use std::path::{Path, PathBuf};

use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use clout::export::scores::{people_table, scores_table};
use clout::export::{Table, Values};
use clout::ingest::Source;
use clout::pipeline::inputs::post_source_note;
use clout::pipeline::{read_inputs, ReadInputs, ScoreFiles};
use clout::score::amplification::PostSource;
use clout::score::combine::percentiles;
use clout::score::history;
use clout::score::networks::{people_at, person_deltas, Identities};
use clout::score::{window, Calibration, ScoreParams};

use super::err;

/// Scores every account of `interactions` (with `follows` and `posts` when given) as `clout
/// score` does: one row per account, or one per person over several networks or with
/// `identities`, with `clout score --csv`'s columns unrounded (and the day / week / month
/// changes unless `deltas` is false). Returns `(columns, notes)`: a dict of equal-length
/// columns (best first) and what a person should know about the inputs.
#[pyfunction]
#[pyo3(signature = (interactions, follows=None, posts=None, identities=None, as_of=None, window="90d", calibration="v5", lenient=false, allow_far_times=false, deltas=true))]
#[allow(clippy::too_many_arguments)]
pub fn score<'py>(
    py: Python<'py>,
    interactions: PathBuf,
    follows: Option<PathBuf>,
    posts: Option<PathBuf>,
    identities: Option<PathBuf>,
    as_of: Option<&str>,
    window: &str,
    calibration: &str,
    lenient: bool,
    allow_far_times: bool,
    deltas: bool,
) -> PyResult<(Bound<'py, PyDict>, Vec<String>)> {
    let as_of = as_of
        .map(|s| {
            clout::ingest::time::parse_time(s).ok_or_else(|| {
                err(format!(
                    "as_of {s:?} is not Unix seconds or an ISO 8601 date"
                ))
            })
        })
        .transpose()?;
    let params = ScoreParams {
        as_of,
        window: window::parse_length(window).map_err(err)?,
        calibration: Calibration::by_version(calibration)
            .ok_or_else(|| err(format!("unknown calibration {calibration:?}")))?,
    };
    let files = ScoreFiles {
        interactions,
        follows,
        posts,
        lenient,
        cache_dir: None,
        allow_far_times,
    };
    let read = py.detach(|| read_inputs(&files, params)).map_err(err)?;
    if identities.is_some() || read.inter.networks.len() > 1 {
        return people(py, read, identities.as_deref(), deltas);
    }
    let (table, notes) = py
        .detach(|| -> clout::error::Result<_> {
            let scored = read.score()?;
            let d = deltas
                .then(|| history::deltas(&scored.inputs(), &scored.scores))
                .transpose()?;
            let order = scored.scores.ranked(&scored.inter.accounts, None);
            let name = |v| scored.inter.accounts.name(v).to_string();
            let t = scores_table(&scored.scores, &order, name, d.as_deref());
            Ok((t, scored.notes))
        })
        .map_err(err)?;
    Ok((table_dict(py, table)?, notes))
}

/// One row per person, as `clout score` gives over several networks or with identities: the
/// combined score, its percentile, the score on each network and the changes.
fn people<'py>(
    py: Python<'py>,
    read: ReadInputs,
    identities: Option<&Path>,
    deltas: bool,
) -> PyResult<(Bound<'py, PyDict>, Vec<String>)> {
    let ids = &read.inter.accounts;
    let (table, ns) = py
        .detach(|| -> clout::error::Result<_> {
            let id = match identities {
                Some(path) => Identities::parse(&Source::open(path)?, ids)?,
                None => Identities::singletons(ids),
            };
            let (ns, people) = people_at(&read.inputs(), &read.params, &id)?;
            let d = deltas
                .then(|| person_deltas(&read.inputs(), &read.params, &id, &people))
                .transpose()?;
            let pct = percentiles(&people.iter().map(|p| p.score).collect::<Vec<_>>());
            let cal = read.params.calibration;
            let t = people_table(&people, &pct, &ns.names, cal, d.as_deref(), people.len());
            Ok((t, ns))
        })
        .map_err(err)?;
    let mut notes = read.notes;
    if let Some(s) = ns
        .scores
        .iter()
        .find(|s| s.post_source != PostSource::PostIds)
    {
        notes.extend(post_source_note(s.post_source));
    }
    Ok((table_dict(py, table)?, notes))
}

/// A table as a dict of numpy columns: counts as uint32, integers as int64, missing floats as
/// NaN, text as lists of str.
fn table_dict(py: Python<'_>, table: Table) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    for (name, values) in table.columns {
        match values {
            Values::Text(v) => d.set_item(name, v)?,
            Values::Float(v) => d.set_item(name, v.into_pyarray(py))?,
            Values::OptFloat(v) => {
                let v: Vec<f64> = v.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect();
                d.set_item(name, v.into_pyarray(py))?
            }
            Values::Int(v) => d.set_item(name, v.into_pyarray(py))?,
            Values::OptInt(v) => d.set_item(name, v)?,
            Values::Count(v) => d.set_item(name, v.into_pyarray(py))?,
            Values::Flag(v) => d.set_item(name, v)?,
        }
    }
    Ok(d)
}

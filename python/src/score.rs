//! `score(...)`: every account's explained score from interaction files, as columns.

use std::path::{Path, PathBuf};

use numpy::IntoPyArray;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use clout::ingest::Source;
use clout::pipeline::inputs::post_source_note;
use clout::pipeline::{read_inputs, ReadInputs, ScoreFiles};
use clout::score::amplification::PostSource;
use clout::score::combine::percentiles;
use clout::score::networks::{people_at, Identities};
use clout::score::{window, Calibration, ScoreParams};

use super::err;

/// Scores every account of `interactions` (with `follows` and `posts` when given) as `clout
/// score` does: one row per account, or one per person over several networks or with
/// `identities`. Returns `(columns, notes)`: a dict of equal-length columns (best first) and
/// what a person should know about the inputs.
#[pyfunction]
#[pyo3(signature = (interactions, follows=None, posts=None, identities=None, as_of=None, window="90d", calibration="v4", lenient=false, allow_far_times=false))]
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
) -> PyResult<(Bound<'py, PyDict>, Vec<String>)> {
    let as_of = as_of
        .map(|s| {
            clout::ingest::time::parse_time(s)
                .ok_or_else(|| err(format!("as_of {s:?} is not Unix seconds or an ISO 8601 date")))
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
        return people(py, read, identities.as_deref());
    }
    let scored = py.detach(|| read.score()).map_err(err)?;
    let s = &scored.scores;
    let order = s.ranked(&scored.inter.accounts, None);
    let col = |f: &dyn Fn(usize) -> f64| -> Vec<f64> { order.iter().map(|&v| f(v as usize)).collect() };
    let a = &s.accounts;
    let d = PyDict::new(py);
    let ids: Vec<String> = order
        .iter()
        .map(|&v| scored.inter.accounts.name(v).to_string())
        .collect();
    d.set_item("id", ids)?;
    d.set_item("score", col(&|v| a[v].score()).into_pyarray(py))?;
    d.set_item("percentile", col(&|v| a[v].percentile).into_pyarray(py))?;
    d.set_item("true_reach", col(&|v| f64::from(a[v].reach.engaged)).into_pyarray(py))?;
    d.set_item("true_reach_weighted", col(&|v| a[v].reach.weighted).into_pyarray(py))?;
    d.set_item("true_reach_sub", col(&|v| a[v].sub[0]).into_pyarray(py))?;
    d.set_item("amplification", col(&|v| a[v].amplification.value).into_pyarray(py))?;
    d.set_item(
        "amplification_probability",
        col(&|v| a[v].amplification.probability).into_pyarray(py),
    )?;
    d.set_item("posts", col(&|v| f64::from(a[v].amplification.posts)).into_pyarray(py))?;
    d.set_item("amplification_sub", col(&|v| a[v].sub[1]).into_pyarray(py))?;
    d.set_item("network_impact", col(&|v| a[v].impact_rank).into_pyarray(py))?;
    d.set_item("network_impact_scaled", col(&|v| a[v].impact).into_pyarray(py))?;
    d.set_item("network_impact_sub", col(&|v| a[v].sub[2]).into_pyarray(py))?;
    Ok((d, scored.notes))
}

/// One row per person, as `clout score` gives over several networks or with identities: the
/// combined score, its percentile and the score on each network.
fn people<'py>(
    py: Python<'py>,
    read: ReadInputs,
    identities: Option<&Path>,
) -> PyResult<(Bound<'py, PyDict>, Vec<String>)> {
    let ids = &read.inter.accounts;
    let (ns, people) = py
        .detach(|| {
            let id = match identities {
                Some(path) => Identities::parse(&Source::open(path)?, ids)?,
                None => Identities::singletons(ids),
            };
            people_at(&read.inputs(), &read.params, &id)
        })
        .map_err(err)?;
    let cal = read.params.calibration;
    let mut notes = read.notes;
    if let Some(s) = ns.scores.iter().find(|s| s.post_source != PostSource::PostIds) {
        notes.extend(post_source_note(s.post_source));
    }
    let scores: Vec<f64> = people.iter().map(|p| p.score).collect();
    let d = PyDict::new(py);
    d.set_item("id", people.iter().map(|p| p.id.clone()).collect::<Vec<_>>())?;
    d.set_item("percentile", percentiles(&scores).into_pyarray(py))?;
    d.set_item("score", scores.into_pyarray(py))?;
    for (i, name) in ns.names.iter().enumerate() {
        let per: Vec<f64> = people.iter().map(|p| cal.points(p.network_strengths[i])).collect();
        d.set_item(name, per.into_pyarray(py))?;
    }
    Ok((d, notes))
}

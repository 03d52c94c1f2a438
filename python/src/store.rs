//! `Store(path)`: a run store's leaderboards, history and runs, as JSON documents that the
//! Python side turns into DataFrames.

use std::path::PathBuf;

use pyo3::prelude::*;

use clout::ingest::lookup::IdMatch;
use clout::store::Store as RunStore;
use pyo3::exceptions::PyValueError;

use super::err;

/// A run store written by `clout run`, opened read-only for each call.
#[pyclass(frozen, module = "clout._clout")]
pub struct Store {
    path: PathBuf,
}

impl Store {
    fn open(&self) -> PyResult<RunStore> {
        RunStore::open(&self.path).map_err(err)
    }

    /// The as-of instant asked for, or the latest run's.
    fn as_of(&self, store: &RunStore, as_of: Option<&str>) -> PyResult<i64> {
        if let Some(s) = as_of {
            return clout::ingest::time::parse_time(s).ok_or_else(|| {
                err(format!(
                    "as_of {s:?} is not Unix seconds or an ISO 8601 date"
                ))
            });
        }
        let latest = store.latest().map_err(err)?;
        latest.map(|m| m.as_of).ok_or_else(|| {
            err(format!(
                "{}: no run stored yet (run `clout run DIR`)",
                self.path.display()
            ))
        })
    }
}

#[pymethods]
impl Store {
    #[new]
    fn new(path: PathBuf) -> PyResult<Store> {
        let s = Store { path };
        s.open()?;
        Ok(s)
    }

    /// The stored runs (JSON list of run metadata).
    fn runs_json(&self, py: Python<'_>) -> PyResult<String> {
        let runs = py.detach(|| self.open()?.runs().map_err(err))?;
        serde_json::to_string(&runs).map_err(err)
    }

    /// A topic's leaderboard (JSON of `{topic, name, path, entries}`) at `as_of` or the latest.
    #[pyo3(signature = (topic, as_of=None))]
    fn leaderboard_json(
        &self,
        py: Python<'_>,
        topic: &str,
        as_of: Option<&str>,
    ) -> PyResult<String> {
        let board = py.detach(|| {
            let store = self.open()?;
            let at = self.as_of(&store, as_of)?;
            let board = store.leaderboard(at, topic).map_err(err)?;
            match board {
                Some(b) => Ok(b),
                None => {
                    let topics = store.topics(at).map_err(err)?;
                    let known: Vec<&str> = topics.iter().take(12).map(|t| t.topic.as_str()).collect();
                    Err(err(format!(
                        "no leaderboard for topic {topic:?} in the run as of {at}; topics include: {}",
                        known.join(", ")
                    )))
                }
            }
        })?;
        serde_json::to_string(&board).map_err(err)
    }

    /// An account's score at every stored run of its latest run's window, or at every run
    /// with `all_windows` (JSON list of `{as_of, score, window}`).
    #[pyo3(signature = (account, all_windows=false))]
    fn history_json(&self, py: Python<'_>, account: &str, all_windows: bool) -> PyResult<String> {
        // The id by clout's rule (exact, else case-insensitive when unambiguous); an unknown
        // id has no history, an ambiguous one is an error naming the candidates.
        let mut points = py.detach(|| {
            let store = self.open()?;
            let found = store.resolve_id(account).map_err(err)?;
            match found {
                IdMatch::Missing => Ok(Vec::new()),
                IdMatch::Ambiguous { .. } => Err(PyValueError::new_err(
                    found.failure(account, "account").unwrap_or_default(),
                )),
                IdMatch::Exact(id) | IdMatch::Folded(id) => store.history(&id).map_err(err),
            }
        })?;
        if !all_windows {
            if let Some(last) = points.last().cloned() {
                points = clout::store::comparable(points, last.window, &last.calibration);
            }
        }
        serde_json::to_string(&points).map_err(err)
    }
}

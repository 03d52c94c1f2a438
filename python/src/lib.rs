//! The Python bindings of clout: graphs (read, PageRank, centralities, communities), scores
//! from interaction files, and stored runs, each a thin call into the library with the GIL
//! released while it computes. The `clout` Python package wraps these into numpy arrays and
//! pandas DataFrames.

use std::path::PathBuf;
use std::sync::Arc;

use numpy::{IntoPyArray, PyArray1};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use clout::graph::{load, Graph as CsrGraph, LoadOptions};
use clout::metrics::centrality::{centrality, CentralityParams, Measure, Values};
use clout::metrics::communities::{communities, CommunityParams, Method};
use clout::metrics::{pagerank, CsrPropagator, PageRankParams};

create_exception!(
    _clout,
    CloutError,
    PyException,
    "An error from clout, with its message."
);

fn err(e: impl std::fmt::Display) -> PyErr {
    CloutError::new_err(e.to_string())
}

/// A graph read from a file: nodes numbered `0..num_nodes`, with their ids in `ids()`.
#[pyclass(frozen, module = "clout._clout")]
struct Graph {
    inner: Arc<CsrGraph>,
}

#[pyfunction]
#[pyo3(signature = (path, undirected=false, weighted=false, lenient=false, keep_self_loops=false))]
fn read_graph(
    py: Python<'_>,
    path: PathBuf,
    undirected: bool,
    weighted: bool,
    lenient: bool,
    keep_self_loops: bool,
) -> PyResult<Graph> {
    let opts = LoadOptions {
        weighted,
        keep_self_loops,
        lenient,
        undirected,
        cache_dir: None,
    };
    let loaded = py.detach(|| load(&path, &opts)).map_err(err)?;
    Ok(Graph {
        inner: Arc::new(loaded.graph),
    })
}

#[pymethods]
impl Graph {
    #[getter]
    fn num_nodes(&self) -> usize {
        self.inner.num_nodes()
    }

    /// Edges as read: undirected graphs count each pair once.
    #[getter]
    fn num_edges(&self) -> usize {
        self.inner.num_edges_as_read()
    }

    #[getter]
    fn undirected(&self) -> bool {
        self.inner.is_undirected()
    }

    #[getter]
    fn weighted(&self) -> bool {
        self.inner.is_weighted()
    }

    /// The external id of every node, in node order.
    fn ids(&self) -> Vec<String> {
        let ids = self.inner.ids();
        (0..self.inner.num_nodes() as u32)
            .map(|v| ids.name(v).to_string())
            .collect()
    }

    /// PageRank of every node, in node order: (ranks, iterations, converged).
    #[pyo3(signature = (damping=0.85, tol=1e-6, max_iter=100, weighted=false))]
    fn pagerank<'py>(
        &self,
        py: Python<'py>,
        damping: f64,
        tol: f64,
        max_iter: usize,
        weighted: bool,
    ) -> PyResult<(Bound<'py, PyArray1<f64>>, usize, bool)> {
        let g = Arc::clone(&self.inner);
        let params = PageRankParams {
            damping,
            tol,
            max_iter,
            weighted: weighted && g.is_weighted(),
            ..Default::default()
        }
        .check(g.num_nodes())
        .map_err(err)?;
        let pr = py.detach(|| pagerank(&CsrPropagator::new(&g), &params));
        Ok((pr.ranks.into_pyarray(py), pr.iterations, pr.converged))
    }

    /// Centrality measures: a list of (column name, values in node order).
    #[pyo3(signature = (measures, weighted=false, alpha=0.1, tol=None, max_iter=None, samples=None, seed=0))]
    #[allow(clippy::too_many_arguments)]
    fn centrality<'py>(
        &self,
        py: Python<'py>,
        measures: Vec<String>,
        weighted: bool,
        alpha: f64,
        tol: Option<f64>,
        max_iter: Option<usize>,
        samples: Option<usize>,
        seed: u64,
    ) -> PyResult<Vec<(String, Bound<'py, PyAny>)>> {
        let measures = measures
            .iter()
            .map(|m| m.parse::<Measure>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        let g = Arc::clone(&self.inner);
        let params = CentralityParams {
            measures,
            weighted,
            katz_alpha: alpha,
            tol,
            max_iter,
            samples,
            seed,
            ..Default::default()
        }
        .check(&g)
        .map_err(err)?;
        let c = py.detach(|| centrality(&g, &params)).map_err(err)?;
        Ok(c.columns
            .into_iter()
            .map(|col| {
                let values = match col.values {
                    Values::Count(x) => x.into_pyarray(py).into_any(),
                    Values::Real(x) => x.into_pyarray(py).into_any(),
                };
                (col.name.to_string(), values)
            })
            .collect())
    }

    /// Communities of the undirected graph: a dict with `membership` (numpy, node order),
    /// `modularity`, `sizes`, `rounds`, `converged`.
    #[pyo3(signature = (method="leiden", resolution=1.0, seed=0, iterations=Some(10), randomness=0.01))]
    fn communities<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        resolution: f64,
        seed: u64,
        iterations: Option<usize>,
        randomness: f64,
    ) -> PyResult<Bound<'py, PyDict>> {
        let params = CommunityParams {
            method: method.parse::<Method>().map_err(err)?,
            resolution,
            seed,
            randomness,
            iterations,
        }
        .check()
        .map_err(err)?;
        let g = Arc::clone(&self.inner);
        let c = py.detach(|| communities(&g, &params)).map_err(err)?;
        let d = PyDict::new(py);
        d.set_item("membership", c.membership.into_pyarray(py))?;
        d.set_item("modularity", c.modularity)?;
        d.set_item("sizes", c.sizes)?;
        d.set_item("rounds", c.rounds)?;
        d.set_item("converged", c.converged)?;
        Ok(d)
    }
}

mod score;
mod store;

#[pymodule]
fn _clout(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("CloutError", m.py().get_type::<CloutError>())?;
    m.add_class::<Graph>()?;
    m.add_class::<store::Store>()?;
    m.add_function(wrap_pyfunction!(read_graph, m)?)?;
    m.add_function(wrap_pyfunction!(score::score, m)?)?;
    Ok(())
}

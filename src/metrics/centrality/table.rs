//! The result of a centrality run: one named column per value a measure gives (degree gives
//! three on a directed graph, HITS two), how each iterative measure ended, and the sampling
//! error of an estimated betweenness. Rendering is left to the report and CLI layers.

use super::betweenness::Sampling;
use super::params::Measure;

/// A column's values, one per node.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Integer measures (unweighted degree, core number, triangles): exact.
    Count(Vec<u64>),
    Real(Vec<f64>),
}

impl Values {
    /// The value of node `v` as a float (for ranking).
    pub fn get(&self, v: usize) -> f64 {
        match self {
            Values::Count(x) => x[v] as f64,
            Values::Real(x) => x[v],
        }
    }

    /// All values as floats.
    pub fn to_f64(&self) -> Vec<f64> {
        match self {
            Values::Count(x) => x.iter().map(|&c| c as f64).collect(),
            Values::Real(x) => x.clone(),
        }
    }
}

/// One output column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: &'static str,
    pub values: Values,
}

impl Column {
    pub fn new(name: &'static str, values: Values) -> Column {
        Column { name, values }
    }
}

/// How an iterative measure ended.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Convergence {
    #[serde(serialize_with = "measure_name")]
    pub measure: Measure,
    pub iterations: usize,
    pub converged: bool,
}

fn measure_name<S: serde::Serializer>(m: &Measure, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(m.name())
}

/// Every column asked for, in the order of the measures.
#[derive(Debug, Clone, PartialEq)]
pub struct Centrality {
    pub columns: Vec<Column>,
    pub convergence: Vec<Convergence>,
    /// Set when betweenness was estimated from sampled sources.
    pub sampling: Option<Sampling>,
}

impl Centrality {
    /// The column called `name`, if computed.
    pub fn column(&self, name: &str) -> Option<&Values> {
        self.columns
            .iter()
            .find(|c| c.name == name)
            .map(|c| &c.values)
    }
}

//! The errors of the centrality measures: bad measure names and parameters, and measures asked
//! of a graph they are not defined on. Failing to converge is not an error: it is reported with
//! the result.

/// Why a centrality request was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CentralityError {
    /// A measure name that is not one of ours.
    #[error("unknown measure {name:?}; valid measures: {valid}")]
    UnknownMeasure { name: String, valid: String },
    /// No measure asked for.
    #[error("no measure given; valid measures: {valid}")]
    NoMeasure { valid: String },
    /// A parameter out of its range.
    #[error("{name}: {reason}")]
    Param { name: &'static str, reason: String },
    /// A measure defined on undirected graphs only (networkx raises too).
    #[error("{measure} is defined on undirected graphs only: read the graph with --undirected")]
    NeedsUndirected { measure: &'static str },
    /// A measure that self-loops make undefined (networkx raises too).
    #[error("{measure} is not defined on graphs with self-loops ({loops} here): drop them (the default) or leave out {measure}")]
    SelfLoops { measure: &'static str, loops: usize },
    /// A measure that takes no weights, asked for with weights.
    #[error("{measure} takes no weights; weights apply to degree, pagerank, hits, eigenvector, katz, harmonic and betweenness")]
    Unweighted { measure: &'static str },
    /// A weight that cannot be a distance for a shortest-path measure.
    #[error("{measure} with --weighted reads weights as distances, which must be {need}: edge {from} → {to} has weight {weight}")]
    BadWeight {
        measure: &'static str,
        need: &'static str,
        from: String,
        to: String,
        weight: f64,
    },
    /// Katz's series diverged: values overflowed, so there is no centrality to report
    /// (networkx raises `PowerIterationFailedConvergence`).
    #[error("katz diverged after {iterations} iterations (values overflowed): alpha {alpha} is at least 1/λ_max of this graph; give a smaller --alpha")]
    Diverged { alpha: f64, iterations: usize },
}

impl CentralityError {
    pub(super) fn param(name: &'static str, reason: impl Into<String>) -> Self {
        CentralityError::Param {
            name,
            reason: reason.into(),
        }
    }
}

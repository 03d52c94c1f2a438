//! Which measures to compute and with what parameters: [`CentralityParams`], checked once
//! against the graph into [`ValidCentralityParams`]. The measures themselves live in their own
//! files.

use std::str::FromStr;

use super::error::CentralityError;
use crate::graph::Graph;

/// A centrality measure, named as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    Degree,
    PageRank,
    Hits,
    Eigenvector,
    Katz,
    Core,
    Clustering,
    Triangles,
    Harmonic,
    Betweenness,
}

impl Measure {
    /// Every measure, in the order `--measure` help lists them.
    pub const ALL: [Measure; 10] = [
        Measure::Degree,
        Measure::PageRank,
        Measure::Hits,
        Measure::Eigenvector,
        Measure::Katz,
        Measure::Core,
        Measure::Clustering,
        Measure::Triangles,
        Measure::Harmonic,
        Measure::Betweenness,
    ];

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Degree => "degree",
            Measure::PageRank => "pagerank",
            Measure::Hits => "hits",
            Measure::Eigenvector => "eigenvector",
            Measure::Katz => "katz",
            Measure::Core => "core",
            Measure::Clustering => "clustering",
            Measure::Triangles => "triangles",
            Measure::Harmonic => "harmonic",
            Measure::Betweenness => "betweenness",
        }
    }

    /// The valid names, comma-separated.
    pub fn valid_names() -> String {
        Measure::ALL.map(Measure::name).join(", ")
    }

    /// Whether edge weights can enter the measure (harmonic and betweenness take them as
    /// distances).
    pub fn takes_weights(self) -> bool {
        matches!(
            self,
            Measure::Degree
                | Measure::PageRank
                | Measure::Hits
                | Measure::Eigenvector
                | Measure::Katz
                | Measure::Harmonic
                | Measure::Betweenness
        )
    }

    /// Whether the measure reads the weights as distances (shortest paths by Dijkstra).
    pub fn weights_are_distances(self) -> bool {
        matches!(self, Measure::Harmonic | Measure::Betweenness)
    }

    /// networkx's default `(tol, max_iter)` of an iterative measure.
    pub fn default_tolerance(self) -> Option<(f64, usize)> {
        match self {
            Measure::PageRank | Measure::Eigenvector => Some((1e-6, 100)),
            Measure::Hits => Some((1e-8, 100)),
            Measure::Katz => Some((1e-6, 1000)),
            _ => None,
        }
    }
}

impl FromStr for Measure {
    type Err = CentralityError;
    fn from_str(s: &str) -> Result<Measure, CentralityError> {
        let s = s.trim().to_ascii_lowercase();
        Measure::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| CentralityError::UnknownMeasure {
                name: s,
                valid: Measure::valid_names(),
            })
    }
}

/// Centrality parameters, unchecked. Turn them into [`ValidCentralityParams`] with [`check`].
///
/// | name | default | range |
/// |---|---|---|
/// | `measures` | none | at least one; repeats are dropped |
/// | `weighted` | false | only with degree, pagerank, hits, eigenvector, katz, harmonic, betweenness; harmonic needs weights `≥ 0`, betweenness `> 0` (finite) |
/// | `katz_alpha` | 0.1 | `> 0`, finite (converges only below 1/λ_max) |
/// | `katz_beta` | 1.0 | finite |
/// | `tol` | networkx's per measure: pagerank, eigenvector, katz 1e-6; hits 1e-8 | `> 0`, finite |
/// | `max_iter` | networkx's per measure: 100; katz 1000 | `≥ 1` |
/// | `samples` | none (exact betweenness) | `2..=nodes`, with betweenness only |
/// | `seed` | 0 | any: which sources a sampled betweenness uses |
///
/// [`check`]: CentralityParams::check
#[derive(Debug, Clone)]
pub struct CentralityParams {
    pub measures: Vec<Measure>,
    pub weighted: bool,
    pub katz_alpha: f64,
    pub katz_beta: f64,
    pub tol: Option<f64>,
    pub max_iter: Option<usize>,
    pub samples: Option<usize>,
    pub seed: u64,
}

impl Default for CentralityParams {
    fn default() -> Self {
        CentralityParams {
            measures: Vec::new(),
            weighted: false,
            katz_alpha: 0.1,
            katz_beta: 1.0,
            tol: None,
            max_iter: None,
            samples: None,
            seed: 0,
        }
    }
}

/// Checked centrality parameters for one graph.
#[derive(Debug, Clone)]
pub struct ValidCentralityParams {
    pub(super) measures: Vec<Measure>,
    pub(super) weighted: bool,
    pub(super) katz_alpha: f64,
    pub(super) katz_beta: f64,
    tol: Option<f64>,
    max_iter: Option<usize>,
    pub(super) samples: Option<usize>,
    pub(super) seed: u64,
}

impl ValidCentralityParams {
    /// The measures, in the order asked for.
    pub fn measures(&self) -> &[Measure] {
        &self.measures
    }

    /// `(tol, max_iter)` for an iterative measure: the caller's, else networkx's default.
    pub(super) fn tolerance(&self, m: Measure) -> (f64, usize) {
        let (tol, max_iter) = m.default_tolerance().unwrap_or((1e-6, 100));
        (self.tol.unwrap_or(tol), self.max_iter.unwrap_or(max_iter))
    }
}

impl CentralityParams {
    /// Validates the parameters for `g`.
    pub fn check(self, g: &Graph) -> Result<ValidCentralityParams, CentralityError> {
        let mut measures = Vec::new();
        for &m in &self.measures {
            if !measures.contains(&m) {
                measures.push(m);
            }
        }
        if measures.is_empty() {
            return Err(CentralityError::NoMeasure {
                valid: Measure::valid_names(),
            });
        }
        check_numbers(&self)?;
        for &m in &measures {
            check_measure(m, g, self.weighted)?;
        }
        if let Some(k) = self.samples {
            if !measures.contains(&Measure::Betweenness) {
                return Err(CentralityError::param(
                    "samples",
                    "applies to betweenness only",
                ));
            }
            if k < 2 || k > g.num_nodes() {
                let reason = format!("{k} is not in 2..={} (the number of nodes)", g.num_nodes());
                return Err(CentralityError::param("samples", reason));
            }
        }
        Ok(ValidCentralityParams {
            measures,
            weighted: self.weighted,
            katz_alpha: self.katz_alpha,
            katz_beta: self.katz_beta,
            tol: self.tol,
            max_iter: self.max_iter,
            samples: self.samples,
            seed: self.seed,
        })
    }
}

fn check_numbers(p: &CentralityParams) -> Result<(), CentralityError> {
    if !(p.katz_alpha.is_finite() && p.katz_alpha > 0.0) {
        let reason = format!("{} is not a positive number", p.katz_alpha);
        return Err(CentralityError::param("alpha", reason));
    }
    if !p.katz_beta.is_finite() {
        let reason = format!("{} is not a finite number", p.katz_beta);
        return Err(CentralityError::param("beta", reason));
    }
    if let Some(tol) = p.tol.filter(|t| !(t.is_finite() && *t > 0.0)) {
        return Err(CentralityError::param(
            "tol",
            format!("{tol} is not a positive number"),
        ));
    }
    if p.max_iter == Some(0) {
        return Err(CentralityError::param("max_iter", "must be at least 1"));
    }
    Ok(())
}

fn check_measure(m: Measure, g: &Graph, weighted: bool) -> Result<(), CentralityError> {
    if weighted && !m.takes_weights() {
        return Err(CentralityError::Unweighted { measure: m.name() });
    }
    if weighted && m.weights_are_distances() {
        super::dijkstra::check_weights(g, m)?;
    }
    if m == Measure::Triangles && !g.is_undirected() {
        return Err(CentralityError::NeedsUndirected { measure: m.name() });
    }
    if m == Measure::Core {
        let loops = g.num_self_loops();
        if loops > 0 {
            return Err(CentralityError::SelfLoops {
                measure: m.name(),
                loops,
            });
        }
    }
    Ok(())
}

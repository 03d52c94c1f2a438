//! Which community method to run and with what parameters: [`CommunityParams`], checked once
//! into [`ValidCommunityParams`]; and the errors of community detection.

use std::str::FromStr;

/// A community detection method, named as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// Traag et al.'s refinement of Louvain: communities always connected.
    #[default]
    Leiden,
    Louvain,
    LabelPropagation,
}

impl Method {
    pub const ALL: [Method; 3] = [Method::Leiden, Method::Louvain, Method::LabelPropagation];

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Method::Leiden => "leiden",
            Method::Louvain => "louvain",
            Method::LabelPropagation => "label-propagation",
        }
    }

    /// What the method's rounds are: Leiden's passes, Louvain's levels, label propagation's
    /// sweeps.
    pub fn rounds_name(self) -> &'static str {
        match self {
            Method::Leiden => "passes",
            Method::Louvain => "levels",
            Method::LabelPropagation => "sweeps",
        }
    }

    /// Whether the method optimises modularity at a resolution (label propagation does not).
    pub fn uses_resolution(self) -> bool {
        self != Method::LabelPropagation
    }
}

impl FromStr for Method {
    type Err = CommunityError;

    fn from_str(s: &str) -> Result<Method, CommunityError> {
        let wanted = s.trim().to_ascii_lowercase().replace('_', "-");
        Method::ALL
            .into_iter()
            .find(|m| m.name() == wanted || (wanted == "lpa" && *m == Method::LabelPropagation))
            .ok_or_else(|| CommunityError::UnknownMethod {
                name: s.to_string(),
                valid: Method::ALL.map(Method::name).join(", "),
            })
    }
}

/// Why a community request was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CommunityError {
    #[error("unknown community method {name:?}; valid methods: {valid}")]
    UnknownMethod { name: String, valid: String },
    #[error("{name} must be a finite number above 0, not {value}")]
    Param { name: &'static str, value: f64 },
    #[error("the graph has no edges: modularity is not defined")]
    NoEdges,
    #[error("community number {label} is out of range: a partition of {nodes} nodes numbers its communities below {nodes}")]
    Label { label: u32, nodes: usize },
    #[error(
        "a partition needs one community per node: the graph has {nodes} nodes, {given} were given"
    )]
    Membership { nodes: usize, given: usize },
}

/// What community detection is asked for, before checking.
#[derive(Debug, Clone, Copy)]
pub struct CommunityParams {
    pub method: Method,
    /// γ of modularity: above 1 favours smaller communities, below 1 larger ones.
    pub resolution: f64,
    /// Seed of the random node orders and choices.
    pub seed: u64,
    /// Leiden's refinement randomness θ (in edge-weight units; leidenalg's and igraph's 0.01).
    pub randomness: f64,
    /// Leiden's passes, each from the previous one's communities (igraph's `n_iterations`);
    /// `None`: until a pass changes nothing.
    pub iterations: Option<usize>,
}

/// Leiden's default number of passes.
pub const DEFAULT_ITERATIONS: usize = 10;

impl Default for CommunityParams {
    fn default() -> Self {
        CommunityParams {
            method: Method::Leiden,
            resolution: 1.0,
            seed: 0,
            randomness: 0.01,
            iterations: Some(DEFAULT_ITERATIONS),
        }
    }
}

impl CommunityParams {
    /// Checks the parameters once.
    pub fn check(self) -> Result<ValidCommunityParams, CommunityError> {
        check_resolution(self.resolution)?;
        positive("randomness", self.randomness)?;
        if self.iterations == Some(0) {
            return Err(CommunityError::Param {
                name: "iterations",
                value: 0.0,
            });
        }
        Ok(ValidCommunityParams(self))
    }
}

/// Checked [`CommunityParams`].
#[derive(Debug, Clone, Copy)]
pub struct ValidCommunityParams(CommunityParams);

impl ValidCommunityParams {
    pub fn method(&self) -> Method {
        self.0.method
    }
    pub fn resolution(&self) -> f64 {
        self.0.resolution
    }
    pub fn seed(&self) -> u64 {
        self.0.seed
    }
    pub fn randomness(&self) -> f64 {
        self.0.randomness
    }
    /// Leiden's bound on passes.
    pub fn max_passes(&self) -> usize {
        self.0.iterations.unwrap_or(super::leiden::UNTIL_STABLE)
    }
}

pub(super) fn check_resolution(r: f64) -> Result<f64, CommunityError> {
    positive("resolution", r)
}

fn positive(name: &'static str, value: f64) -> Result<f64, CommunityError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(CommunityError::Param { name, value })
    }
}

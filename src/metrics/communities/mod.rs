//! Community detection on the undirected graph: Leiden, Louvain and label propagation, with
//! networkx's modularity. [`communities`] runs the method a [`ValidCommunityParams`] names and
//! returns each node's community (numbered by size, largest first), the sizes and the
//! modularity; the same seed gives the same communities.

mod leiden;
mod louvain;
mod lpa;
mod modularity;
mod net;
mod params;

pub use params::{
    CommunityError, CommunityParams, Method, ValidCommunityParams, DEFAULT_ITERATIONS,
};

use crate::graph::Graph;
use crate::rng::SplitMix;
use net::Net;

/// The communities found.
#[derive(Debug, Clone, PartialEq)]
pub struct Communities {
    /// The community of each node: 0 is the largest (ties: the one holding the lowest node).
    pub membership: Vec<u32>,
    /// The number of nodes in each community, largest first.
    pub sizes: Vec<usize>,
    /// networkx's modularity of `membership` at the resolution asked for.
    pub modularity: f64,
    /// Louvain: levels; Leiden: passes; label propagation: sweeps.
    pub rounds: usize,
    /// Whether the method stopped by itself (nothing left to change) rather than at its bound
    /// on rounds (Leiden: `--iterations`).
    pub converged: bool,
}

/// What a method returns before numbering by size.
#[derive(Debug)]
struct Found {
    membership: Vec<u32>,
    rounds: usize,
    converged: bool,
}

/// The communities of `g` (read as undirected: see [`Net::from_graph`]) by `params`' method.
pub fn communities(
    g: &Graph,
    params: &ValidCommunityParams,
) -> Result<Communities, CommunityError> {
    let net = undirected_net(g)?;
    let mut rng = SplitMix::stream(params.seed(), 0x636f_6d6d, 0);
    let gamma = params.resolution();
    let found = match params.method() {
        Method::Louvain => louvain::louvain(&net, gamma, &mut rng),
        Method::Leiden => leiden::leiden(
            &net,
            gamma,
            params.randomness(),
            params.max_passes(),
            &mut rng,
        ),
        Method::LabelPropagation => lpa::label_propagation(&net, &mut rng),
    };
    let (membership, sizes) = by_size(&found.membership);
    Ok(Communities {
        modularity: modularity::modularity(&net, &membership, gamma),
        membership,
        sizes,
        rounds: found.rounds,
        converged: found.converged,
    })
}

/// networkx's modularity of the partition `membership` (a community number per node) of `g`
/// read as undirected, at resolution `resolution`.
pub fn modularity(g: &Graph, membership: &[u32], resolution: f64) -> Result<f64, CommunityError> {
    if membership.len() != g.num_nodes() {
        return Err(CommunityError::Membership {
            nodes: g.num_nodes(),
            given: membership.len(),
        });
    }
    if let Some(&c) = membership.iter().find(|&&c| c as usize >= membership.len()) {
        return Err(CommunityError::Label {
            label: c,
            nodes: membership.len(),
        });
    }
    let resolution = params::check_resolution(resolution)?;
    Ok(modularity::modularity(
        &undirected_net(g)?,
        membership,
        resolution,
    ))
}

fn undirected_net(g: &Graph) -> Result<Net, CommunityError> {
    let net = Net::from_graph(g);
    if net.total() <= 0.0 {
        return Err(CommunityError::NoEdges);
    }
    Ok(net)
}

/// Renumbers `labels` densely in order of first appearance; returns how many there are.
fn dense(labels: &mut [u32]) -> usize {
    let mut map = vec![u32::MAX; labels.iter().max().map_or(0, |&l| l as usize + 1)];
    let mut next = 0;
    for l in labels.iter_mut() {
        let m = &mut map[*l as usize];
        if *m == u32::MAX {
            *m = next;
            next += 1;
        }
        *l = *m;
    }
    next as usize
}

/// Renumbers communities by size, largest first (ties: lowest first node), with the sizes.
fn by_size(membership: &[u32]) -> (Vec<u32>, Vec<usize>) {
    let mut labels = membership.to_vec();
    let k = dense(&mut labels);
    let mut sizes = vec![0usize; k];
    for &c in &labels {
        sizes[c as usize] += 1;
    }
    // Dense numbering is by first node already, so a stable sort by size keeps the tie rule.
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(sizes[c]));
    let mut rank = vec![0u32; k];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r as u32;
    }
    for c in labels.iter_mut() {
        *c = rank[*c as usize];
    }
    let sizes = order.iter().map(|&c| sizes[c]).collect();
    (labels, sizes)
}

#[cfg(test)]
mod tests;

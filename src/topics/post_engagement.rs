//! The engagement each post earned: its distinct reactors (accounts other than the author that
//! acted on it), counted and weighted (`Σ w(r)` over distinct reactors `r`, with the reactor
//! weights of the score when given, else 1 each). Which interactions count (the time window,
//! the network) is the caller's predicate; choosing the reactor weights is left to `score`.

use rayon::prelude::*;

use crate::ingest::{Interaction, Interactions, Node};

/// What one post earned.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PostEngagement {
    /// Distinct reactors.
    pub reactors: u32,
    /// `Σ w(r)` over the distinct reactors.
    pub weight: f64,
}

/// The engagement of every post of `inter` (indexed like `inter.posts`), counting the records
/// that carry a post id, are not self-interactions, and pass `keep`. `weights`, when given, is
/// the weight of every account of `inter` as a reactor.
pub fn post_engagement(
    inter: &Interactions,
    weights: Option<&[f64]>,
    keep: impl Fn(&Interaction) -> bool + Sync,
) -> Vec<PostEngagement> {
    if let Some(w) = weights {
        assert_eq!(w.len(), inter.accounts.len(), "one weight per account");
    }
    let mut keys: Vec<u64> = inter
        .records
        .par_iter()
        .filter(|r| r.actor != r.target && keep(r))
        .filter_map(|r| r.post.map(|p| (p as u64) << 32 | r.actor as u64))
        .collect();
    keys.par_sort_unstable();
    keys.dedup();
    let mut out = vec![PostEngagement::default(); inter.posts.len()];
    for key in keys {
        let (post, actor) = ((key >> 32) as usize, key as Node);
        let e = &mut out[post];
        e.reactors += 1;
        e.weight += weights.map_or(1.0, |w| w[actor as usize]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::interactions::parse_interactions;
    use crate::ingest::Source;

    #[test]
    fn distinct_reactors_weighted() {
        // p1 by a: b twice, c once, a itself; p2 by b: a once (too late for the window).
        let text =
            "b a like 10 p1\nb a share 11 p1\nc a like 12 p1\na a like 12 p1\na b reply 50 p2\n";
        let inter = parse_interactions(&Source::from_bytes("i.txt", text.into()), false).unwrap();
        let p1 = inter.posts.find("p1").unwrap() as usize;
        let p2 = inter.posts.find("p2").unwrap() as usize;
        let e = post_engagement(&inter, None, |_| true);
        assert_eq!((e[p1].reactors, e[p1].weight), (2, 2.0));
        assert_eq!(e[p2].reactors, 1);
        let w: Vec<f64> = (0..inter.accounts.len())
            .map(
                |v| match inter.accounts.name(v as Node).to_string().as_str() {
                    "b" => 0.5,
                    "c" => 0.25,
                    _ => 1.0,
                },
            )
            .collect();
        let e = post_engagement(&inter, Some(&w), |r| r.time < 40);
        assert_eq!((e[p1].reactors, e[p1].weight), (2, 0.75));
        assert_eq!(e[p2], PostEngagement::default());
    }
}

//! The engagement each post earned: its distinct reactors (accounts other than the author that
//! acted on it), counted and weighted (`Σ w(r, a)` over distinct reactors `r` of a post by `a`,
//! with the score's reactor shares — reactor weight × ring discount × flood scale — when given,
//! else 1 each). Which interactions count (the time window,
//! the network) is the caller's predicate; choosing the reactor weights is left to `score`.

use rayon::prelude::*;

use crate::ingest::{Interaction, Interactions, Node};

/// What one post earned.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PostEngagement {
    /// Distinct reactors.
    pub reactors: u32,
    /// `Σ w(r, author)` over the distinct reactors.
    pub weight: f64,
}

/// What a reactor's action on a post weighs: `(actor, target) → w`, the target being the
/// post's author as the interaction names it.
pub type ReactorShare<'a> = &'a (dyn Fn(Node, Node) -> f64 + Sync);

/// The engagement of every post of `inter` (indexed like `inter.posts`), counting the records
/// that carry a post id, are not self-interactions, and pass `keep`. `share`, when given,
/// weighs each distinct reactor (else 1 each); a reactor recorded against several targets for
/// one post (inconsistent data) counts once, with its first target in record order.
pub fn post_engagement(
    inter: &Interactions,
    share: Option<ReactorShare>,
    keep: impl Fn(&Interaction) -> bool + Sync,
) -> Vec<PostEngagement> {
    // (post << 32 | actor, record index): the first record of each (post, actor) decides.
    let mut keys: Vec<(u64, u32)> = inter
        .records
        .par_iter()
        .enumerate()
        .filter(|(_, r)| r.actor != r.target && keep(r))
        .filter_map(|(i, r)| {
            r.post
                .map(|p| ((p as u64) << 32 | r.actor as u64, i as u32))
        })
        .collect();
    keys.par_sort_unstable();
    keys.dedup_by_key(|k| k.0);
    let mut out = vec![PostEngagement::default(); inter.posts.len()];
    for (key, i) in keys {
        let r = &inter.records[i as usize];
        let e = &mut out[(key >> 32) as usize];
        e.reactors += 1;
        e.weight += share.map_or(1.0, |f| f(r.actor, r.target));
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
        let name = |v: Node| inter.accounts.name(v).to_string();
        // b's actions on a weigh 0.5, c's 0.25; the author is passed as the target.
        let share = |actor: Node, target: Node| match (name(actor).as_str(), name(target).as_str())
        {
            ("b", "a") => 0.5,
            ("c", "a") => 0.25,
            _ => 1.0,
        };
        let e = post_engagement(&inter, Some(&share), |r| r.time < 40);
        assert_eq!((e[p1].reactors, e[p1].weight), (2, 0.75));
        assert_eq!(e[p2], PostEngagement::default());
    }
}

//! The built-in taxonomy: 16 broad roots and about two hundred common topics with parents and
//! keywords, written for clout and embedded in the binary (`builtin_taxonomy.tsv`, the
//! [`custom`](super::custom) format), so that topics work on a fresh machine with no data.

use std::path::Path;

use super::custom::parse_taxonomy;
use super::Ontology;

/// The embedded taxonomy source.
pub const BUILTIN_TAXONOMY: &str = include_str!("builtin_taxonomy.tsv");

/// The built-in taxonomy.
pub fn builtin() -> Ontology {
    parse_taxonomy(BUILTIN_TAXONOMY, Path::new("builtin_taxonomy.tsv"))
        .expect("the built-in taxonomy is checked by tests")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_is_consistent() {
        let o = builtin();
        assert_eq!(o.roots().len(), 16);
        assert!(o.len() >= 190, "{}", o.len());
        for (i, t) in o.topics().iter().enumerate() {
            let path = o.path(i as u32);
            assert!(
                o.roots().contains(&path[0]),
                "{} does not reach a root",
                t.id
            );
            assert!(!t.keywords.is_empty(), "{} has no keywords", t.id);
        }
        let curry_like = o.find("NBA").unwrap();
        let path: Vec<&str> = o
            .path(curry_like)
            .iter()
            .map(|&i| o.topic(i).id.as_str())
            .collect();
        assert_eq!(path, ["sports-and-recreation", "basketball"]);
    }
}

#[cfg(test)]
mod phrase_tests {
    use super::*;
    use crate::text::AnalyzerRegistry;
    use crate::topics::classify::zero_shot::Scratch;
    use crate::topics::ZeroShot;

    /// No name or keyword of a topic matches, by itself, a topic that is neither the topic nor
    /// one of its ancestors or descendants: "machine learning" must not also mean education,
    /// "country music" must not mean places. The one exception is the English stemmer's:
    /// "animals" and "anime" both stem to "anim".
    const STEMMER_COLLISIONS: [(&str, &str); 1] = [("animals", "anime")];

    #[test]
    fn phrases_name_only_their_own_lineage() {
        let o = builtin();
        let analyzer = AnalyzerRegistry::default().get("social").unwrap();
        let zs = ZeroShot::new(&o, &analyzer);
        let mut s = Scratch::default();
        let mut bad = Vec::new();
        for (i, t) in o.topics().iter().enumerate() {
            let i = i as u32;
            let lineage =
                |j: u32| j == i || o.ancestors(i).contains(&j) || o.ancestors(j).contains(&i);
            let names =
                std::iter::once(t.name.as_str()).chain(t.keywords.iter().map(String::as_str));
            for phrase in names {
                for (j, _) in zs.classify(&analyzer, phrase, usize::MAX, &mut s) {
                    let pair = (t.id.as_str(), o.topic(j).id.as_str());
                    if !lineage(j) && !STEMMER_COLLISIONS.contains(&pair) {
                        bad.push(format!("{}: {phrase:?} also names {}", t.id, o.topic(j).id));
                    }
                }
            }
        }
        assert!(
            bad.is_empty(),
            "{} collisions:\n{}",
            bad.len(),
            bad.join("\n")
        );
    }
}

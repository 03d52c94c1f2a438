//! The built-in taxonomy: 16 broad roots and about two hundred common topics with parents and
//! keywords, written for clout and embedded in the binary (`builtin_taxonomy.tsv`, the
//! [`custom`](super::custom) format), so that topics work on a fresh machine with no data.

use std::path::Path;

use super::custom::parse_taxonomy;
use super::ontology::Ontology;

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

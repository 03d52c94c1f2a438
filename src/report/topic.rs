//! Which of a run's topics a user means: a slug or a display name, case-insensitive; an unknown
//! one is an error listing the closest topics (`topics::closest_items`: exact, prefix, word
//! matches, then edit distance).

use crate::error::{Error, Result};
use crate::store::TopicInfo;
use crate::topics::{closest_items, normalize_key, suggestion};

/// Topics listed in the error for an unknown topic.
const SUGGESTIONS: usize = 5;

/// The topic of `topics` whose slug or display name matches `query` (slugs first).
pub fn find_topic<'a>(topics: &'a [TopicInfo], query: &str) -> Result<&'a TopicInfo> {
    let q = normalize_key(query);
    let by_slug = topics.iter().find(|t| normalize_key(&t.topic) == q);
    if let Some(t) = by_slug.or_else(|| topics.iter().find(|t| normalize_key(&t.name) == q)) {
        return Ok(t);
    }
    if topics.is_empty() {
        return Err(Error::param(
            "topic",
            format!("unknown topic {query:?}: the run has no topic leaderboards"),
        ));
    }
    let names: Vec<String> = closest(topics, &q)
        .into_iter()
        .map(|t| format!("{} ({})", t.name, t.topic))
        .collect();
    Err(Error::param(
        "topic",
        format!("unknown topic {query:?}{}", suggestion(&names)),
    ))
}

/// The topics whose slug or name is nearest to the query (see `topics::closest_items`), ties
/// by slug.
fn closest<'a>(topics: &'a [TopicInfo], q: &str) -> Vec<&'a TopicInfo> {
    let names = topics.iter().flat_map(|t| {
        [
            (t.topic.as_str(), t.topic.as_str()),
            (t.topic.as_str(), t.name.as_str()),
        ]
    });
    let slugs = closest_items(q, names, SUGGESTIONS);
    slugs
        .into_iter()
        .filter_map(|s| topics.iter().find(|t| t.topic == s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(slug: &str, name: &str) -> TopicInfo {
        TopicInfo {
            topic: slug.into(),
            name: name.into(),
            path: vec![slug.into()],
            entries: 1,
        }
    }

    #[test]
    fn slug_or_name_case_insensitive_and_closest() {
        let topics = [
            topic("gardening", "Gardening"),
            topic("nba", "Basketball"),
            topic("cooking", "Cooking and Recipes"),
        ];
        assert_eq!(find_topic(&topics, "GARDENING").unwrap().topic, "gardening");
        assert_eq!(find_topic(&topics, "basketball").unwrap().topic, "nba");
        assert_eq!(
            find_topic(&topics, "cooking-and-recipes").unwrap().topic,
            "cooking"
        );
        let err = find_topic(&topics, "gardenin").unwrap_err().to_string();
        assert!(err.ends_with("closest: Gardening (gardening)"), "{err}");
        // A prefix is a match; names many edits away are no suggestion.
        let err = find_topic(&topics, "cook").unwrap_err().to_string();
        assert!(
            err.ends_with("closest: Cooking and Recipes (cooking)"),
            "{err}"
        );
        let err = find_topic(&topics, "astronomy").unwrap_err().to_string();
        assert!(err.ends_with("; no topic has a similar name"), "{err}");
        assert!(find_topic(&[], "x")
            .unwrap_err()
            .to_string()
            .contains("no topic"));
    }
}

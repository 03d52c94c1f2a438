//! Which of a run's topics a user means: a slug or a display name, case-insensitive; an unknown
//! one is an error listing the closest topics (edit distance, `topics::edit_distance`).

use crate::error::{Error, Result};
use crate::store::TopicInfo;
use crate::topics::{edit_distance, normalize_key};

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
        format!("unknown topic {query:?}; closest: {}", names.join(", ")),
    ))
}

/// The topics whose slug or name is nearest to the normalised query, ties by slug.
fn closest<'a>(topics: &'a [TopicInfo], q: &str) -> Vec<&'a TopicInfo> {
    let mut scored: Vec<(usize, &TopicInfo)> = topics
        .iter()
        .map(|t| {
            let d = edit_distance(q, &normalize_key(&t.topic))
                .min(edit_distance(q, &normalize_key(&t.name)));
            (d, t)
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.topic.cmp(&b.1.topic)));
    scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, t)| t)
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
        assert!(err.contains("closest: Gardening (gardening), "), "{err}");
        assert!(find_topic(&[], "x")
            .unwrap_err()
            .to_string()
            .contains("no topic"));
    }
}

//! What the ontology contributes to classifying into a set of labels: the zero-shot matcher,
//! every topic's roll-up (itself and its ancestors), and a map from each label to ontology
//! topics. The map is found from the label's name: the whole name (`food_&_dining` →
//! "food dining"), then each `&`-separated part ("food", "dining"), then, for a part that
//! names no topic, each of its words; every name is looked up among topic slugs, display names
//! and keywords (`Ontology::lookup`). Then the label also maps to every root (super-topic)
//! with a name word that equals or starts with a word of at least four letters of the label or
//! of a found topic's name (`sport` → Sports and Recreation, `tech` → Technology), so that a
//! label found as a narrow topic of a big ontology (Klout's `sports`) still collects everything
//! under its super-topic. A label's ontology evidence in a text is the number of
//! tokens that matched topics at or under its mapped topics.

use rustc_hash::FxHashMap;

use super::features::topic_key;
use super::zero_shot::ZeroShot;
use crate::text::{TextAnalyzer, Tokens};
use crate::topics::ontology::{normalize_key, Ontology, TopicIdx};

/// An ontology bound to a label set.
#[derive(Debug)]
pub(crate) struct LabelLink {
    pub ontology: Ontology,
    pub matcher: ZeroShot,
    /// Per topic: the feature keys of itself and its ancestors.
    pub rolled_keys: Vec<Vec<u64>>,
    /// Per topic: the labels mapped to it or to one of its ancestors.
    pub label_hits: Vec<Vec<u32>>,
    /// Per label: the topics it maps to.
    pub label_topics: Vec<Vec<TopicIdx>>,
}

/// The ontology topics a label name maps to (see the module docs), sorted.
pub(crate) fn map_label(ontology: &Ontology, label: &str) -> Vec<TopicIdx> {
    let mut found: Vec<TopicIdx> = ontology.lookup(&normalize_key(label));
    if found.is_empty() {
        for part in label.split('&') {
            let key = normalize_key(part);
            if key.is_empty() {
                continue;
            }
            let hits = ontology.lookup(&key);
            if hits.is_empty() {
                for word in key.split(' ') {
                    found.extend(ontology.lookup(word));
                }
            } else {
                found.extend(hits);
            }
        }
    }
    let mut words: Vec<String> = normalize_key(label).split(' ').map(str::to_owned).collect();
    for &t in &found {
        words.extend(
            normalize_key(&ontology.topic(t).name)
                .split(' ')
                .map(str::to_owned),
        );
    }
    words.retain(|w| w.chars().count() >= 4);
    for &r in ontology.roots() {
        let name = normalize_key(&ontology.topic(r).name);
        if name
            .split(' ')
            .any(|rw| words.iter().any(|w| rw.starts_with(w.as_str())))
        {
            found.push(r);
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// A label that maps to no topic of an ontology, with the topics closest to its name
/// (`Name (slug)`, see [`Ontology::closest`]; none when no name is near).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmappedLabel {
    pub label: String,
    pub closest: Vec<String>,
}

/// Topics suggested for an unmapped label.
const SUGGESTIONS: usize = 3;

/// The labels among `labels` whose `topics` (parallel) are empty, with suggestions.
pub(crate) fn unmapped(
    ontology: &Ontology,
    labels: &[String],
    topics: &[Vec<TopicIdx>],
) -> Vec<UnmappedLabel> {
    labels
        .iter()
        .zip(topics)
        .filter(|(_, t)| t.is_empty())
        .map(|(l, _)| UnmappedLabel {
            label: l.clone(),
            closest: ontology.closest_names(l, SUGGESTIONS),
        })
        .collect()
}

/// The labels that map to no topic of `ontology` (see the module docs): zero-shot never
/// predicts them and the ontology adds nothing to them in a trained model.
pub fn unmapped_labels(ontology: &Ontology, labels: &[String]) -> Vec<UnmappedLabel> {
    let topics: Vec<Vec<TopicIdx>> = labels.iter().map(|l| map_label(ontology, l)).collect();
    unmapped(ontology, labels, &topics)
}

impl LabelLink {
    /// The labels mapped to no topic, with suggestions.
    pub fn unmapped(&self, labels: &[String]) -> Vec<UnmappedLabel> {
        unmapped(&self.ontology, labels, &self.label_topics)
    }

    /// Binds `ontology` to `labels`; `map` gives each label's topics (by slug or id) when
    /// known, else they are found from the label's name.
    pub fn new(
        ontology: Ontology,
        analyzer: &TextAnalyzer,
        labels: &[String],
        map: Option<&[Vec<String>]>,
    ) -> Self {
        let matcher = ZeroShot::new(&ontology, analyzer);
        let n = ontology.len();
        let label_topics: Vec<Vec<TopicIdx>> = match map {
            Some(m) => m
                .iter()
                .map(|slugs| {
                    slugs
                        .iter()
                        .filter_map(|s| ontology.lookup(s).first().copied())
                        .collect()
                })
                .collect(),
            None => labels.iter().map(|l| map_label(&ontology, l)).collect(),
        };
        let mut rolled_keys = Vec::with_capacity(n);
        let mut label_hits = Vec::with_capacity(n);
        let mut by_topic: FxHashMap<TopicIdx, Vec<u32>> = FxHashMap::default();
        for (l, ts) in label_topics.iter().enumerate() {
            for &t in ts {
                by_topic.entry(t).or_default().push(l as u32);
            }
        }
        for i in 0..n as TopicIdx {
            let mut up = ontology.ancestors(i);
            up.insert(0, i);
            rolled_keys.push(
                up.iter()
                    .map(|&t| topic_key(&ontology.topic(t).slug))
                    .collect(),
            );
            let mut hits: Vec<u32> = up
                .iter()
                .filter_map(|t| by_topic.get(t))
                .flatten()
                .copied()
                .collect();
            hits.sort_unstable();
            hits.dedup();
            label_hits.push(hits);
        }
        LabelLink {
            ontology,
            matcher,
            rolled_keys,
            label_hits,
            label_topics,
        }
    }

    /// The label map as slugs (for the model file).
    pub fn label_slugs(&self) -> Vec<Vec<String>> {
        self.label_topics
            .iter()
            .map(|ts| {
                ts.iter()
                    .map(|&t| self.ontology.topic(t).slug.clone())
                    .collect()
            })
            .collect()
    }

    /// Matches `tokens`: appends the rolled-up topic feature keys (each once) to `keys`, and
    /// adds each label's evidence to `evidence` (length = labels; not cleared). `names`, if
    /// given, records the feature names.
    pub fn apply(
        &self,
        tokens: &Tokens,
        joined: &mut String,
        scores: &mut FxHashMap<TopicIdx, f64>,
        keys: &mut Vec<u64>,
        evidence: &mut [f32],
        names: Option<&mut FxHashMap<u64, String>>,
    ) {
        self.matcher.score_tokens(tokens, joined, scores);
        if scores.is_empty() {
            return;
        }
        let start = keys.len();
        for (&t, &s) in scores.iter() {
            keys.extend_from_slice(&self.rolled_keys[t as usize]);
            for &l in &self.label_hits[t as usize] {
                evidence[l as usize] += s as f32;
            }
        }
        keys[start..].sort_unstable();
        let mut w = start;
        for r in start..keys.len() {
            if r == start || keys[r] != keys[w - 1] {
                keys[w] = keys[r];
                w += 1;
            }
        }
        keys.truncate(w);
        if let Some(names) = names {
            for &t in scores.keys() {
                let mut up = self.ontology.ancestors(t);
                up.push(t);
                for u in up {
                    let slug = &self.ontology.topic(u).slug;
                    names
                        .entry(topic_key(slug))
                        .or_insert_with(|| format!("t:{slug}"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_names_map_to_builtin_topics() {
        let o = crate::topics::builtin();
        let slugs = |l: &str| -> Vec<String> {
            map_label(&o, l)
                .into_iter()
                .map(|t| o.topic(t).slug.clone())
                .collect()
        };
        assert_eq!(slugs("sport"), ["sports-and-recreation"]);
        assert!(slugs("food_&_dining").contains(&"food-and-drink".to_string()));
        assert!(slugs("business").contains(&"business".to_string()));
        assert!(slugs("zzz_&_qqq").is_empty());
        assert!(slugs("tech").contains(&"technology".to_string()));
        assert!(slugs("diaries_&_daily_life").contains(&"lifestyle".to_string()));
    }

    #[test]
    fn unmapped_labels_come_with_the_closest_topics() {
        let o = crate::topics::builtin();
        let labels = ["sport".to_string(), "basketbal".to_string()];
        let u = unmapped_labels(&o, &labels);
        assert_eq!(u.len(), 1, "{u:?}");
        assert_eq!(u[0].label, "basketbal");
        assert_eq!(u[0].closest[0], "Basketball (basketball)", "{u:?}");
    }
}

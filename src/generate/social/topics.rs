//! The topics the synthetic accounts care about: every topic of the built-in taxonomy with the
//! phrases posts are written from, its hashtag and its ancestors, and the popularity
//! distribution interests are drawn from (a fixed set of headline topics holds most of the mass,
//! every other leaf topic shares the rest evenly).

use crate::topics::{builtin, Ontology, TopicIdx};

use crate::rng::SplitMix;

/// Popular topics, most popular first; they hold [`HEADLINE_MASS`] of the interest mass.
pub const HEADLINE: [&str; 12] = [
    "gardening",
    "basketball",
    "artificial-intelligence",
    "photography",
    "football",
    "video-games",
    "coffee",
    "running",
    "space",
    "pets",
    "cryptocurrency",
    "baking",
];

/// Share of the interest mass on the headline topics.
pub const HEADLINE_MASS: f64 = 0.65;

/// One topic as the generator uses it.
#[derive(Debug, Clone)]
pub struct TopicInfo {
    pub slug: String,
    /// Lower-case phrases: the display name and the keywords.
    pub phrases: Vec<String>,
    /// CamelCase display name, e.g. `ArtificialIntelligence`.
    pub hashtag: String,
    /// Every ancestor (not the topic itself), deduplicated.
    pub ancestors: Vec<TopicIdx>,
}

/// The taxonomy as the generator uses it, with the interest distribution.
#[derive(Debug, Clone)]
pub struct TopicTable {
    pub ontology: Ontology,
    pub topics: Vec<TopicInfo>,
    /// Topics interests are drawn from, and their cumulative probabilities.
    candidates: Vec<TopicIdx>,
    cumulative: Vec<f64>,
}

fn camel(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            let first = c.next().map(|f| f.to_uppercase().collect::<String>());
            first.unwrap_or_default() + c.as_str()
        })
        .collect()
}

impl TopicTable {
    /// Built from [`builtin`].
    pub fn builtin() -> TopicTable {
        let ontology = builtin();
        let topics = ontology
            .topics()
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut phrases = vec![t.name.to_lowercase()];
                phrases.extend(t.keywords.iter().map(|k| k.to_lowercase()));
                let mut ancestors = ontology.ancestors(i as TopicIdx);
                ancestors.retain(|&a| a != i as TopicIdx);
                ancestors.sort_unstable();
                ancestors.dedup();
                TopicInfo {
                    slug: t.slug.clone(),
                    phrases,
                    hashtag: camel(&t.name.replace('\'', "")),
                    ancestors,
                }
            })
            .collect();
        let headline: Vec<TopicIdx> = HEADLINE
            .iter()
            .map(|s| {
                ontology
                    .by_id(s)
                    .expect("headline topics are in the builtin taxonomy")
            })
            .collect();
        let tail: Vec<TopicIdx> = (0..ontology.len() as TopicIdx)
            .filter(|&i| ontology.children(i).is_empty() && !ontology.parents(i).is_empty())
            .filter(|i| !headline.contains(i))
            .collect();
        let h_norm: f64 = (1..=headline.len()).map(|r| (r as f64).powf(-0.25)).sum();
        let mut weights: Vec<f64> = (1..=headline.len())
            .map(|r| HEADLINE_MASS * (r as f64).powf(-0.25) / h_norm)
            .collect();
        weights.extend(
            tail.iter()
                .map(|_| (1.0 - HEADLINE_MASS) / tail.len() as f64),
        );
        let mut acc = 0.0;
        let cumulative = weights
            .iter()
            .map(|w| {
                acc += w;
                acc
            })
            .collect();
        let candidates = headline.into_iter().chain(tail).collect();
        TopicTable {
            ontology,
            topics,
            candidates,
            cumulative,
        }
    }

    /// A topic drawn from the interest distribution.
    pub fn draw(&self, rng: &mut SplitMix) -> TopicIdx {
        let total = *self.cumulative.last().expect("candidates");
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c <= x);
        self.candidates[i.min(self.candidates.len() - 1)]
    }

    /// Topics interests can be drawn from.
    pub fn candidates(&self) -> &[TopicIdx] {
        &self.candidates
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_from_the_builtin_taxonomy() {
        let t = TopicTable::builtin();
        let ai = t.ontology.by_id("artificial-intelligence").unwrap() as usize;
        assert_eq!(t.topics[ai].hashtag, "ArtificialIntelligence");
        assert!(t.topics[ai]
            .phrases
            .contains(&"machine learning".to_string()));
        let tech = t.ontology.by_id("technology").unwrap();
        assert_eq!(t.topics[ai].ancestors, vec![tech]);
        let w = t.ontology.by_id("womens-fashion").unwrap() as usize;
        assert_eq!(t.topics[w].hashtag, "WomensFashion");
        // The headline topics get most draws, in order.
        let mut rng = SplitMix::stream(1, 0, 0);
        let mut counts = vec![0u32; t.ontology.len()];
        for _ in 0..100_000 {
            counts[t.draw(&mut rng) as usize] += 1;
        }
        let g = counts[t.ontology.by_id("gardening").unwrap() as usize];
        let b = counts[t.ontology.by_id("baking").unwrap() as usize];
        let total: f64 = (1..=12).map(|r| (r as f64).powf(-0.25)).sum();
        assert!((f64::from(g) / 1e5 - HEADLINE_MASS / total).abs() < 0.005);
        assert!(g > b && b > 2000);
        assert!(counts.iter().filter(|&&c| c > 0).count() > 100);
    }
}

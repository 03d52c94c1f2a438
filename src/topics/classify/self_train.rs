//! Self-training of the teacher's topics on a corpus of short posts: the semantic zero-shot
//! teacher labels every distinct text, then each text takes the topics of a student (TF-IDF,
//! the ontology's features and the text's embedding) trained on the teacher's topics of the
//! other folds, so that what the embedding model says across the corpus corrects single
//! texts. No true label is used. The same method as `topics eval`'s self-training
//! ([`evaluate_self_trained`](super::semantic_eval::evaluate_self_trained)), in the ontology's
//! topics instead of a labelled set's labels.

use super::distill::{label_ancestors, most_specific, training_set};
use super::eval::out_of_fold;
use super::label_link::LabelLink;
use super::model::TrainParams;
use super::semantic_eval::{
    self_train_params, short_posts, SELF_TRAIN_FOLDS, SELF_TRAIN_MIN_TEXTS,
};
use crate::embed::Embeddings;
use crate::error::Result;
use crate::text::Lang;
use crate::topics::ontology::{Ontology, TopicIdx};

/// When the teacher's topics are self-trained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum When {
    /// On a corpus of short posts: a median text of at most
    /// [`SHORT_POST_CHARS`](super::semantic_eval::SHORT_POST_CHARS) characters.
    Auto,
    Always,
    /// The default of the topic engine: in the ontology's topics, self-training measured no
    /// gain on real tweets (README).
    #[default]
    Never,
}

impl When {
    /// Whether a corpus of `n` distinct `texts` is self-trained: never under
    /// [`SELF_TRAIN_MIN_TEXTS`] texts (too few to cross-fit), else as `self` says.
    pub fn applies<'a>(self, n: usize, texts: impl Iterator<Item = &'a str>) -> bool {
        n >= SELF_TRAIN_MIN_TEXTS
            && match self {
                When::Always => true,
                When::Never => false,
                When::Auto => short_posts(texts),
            }
    }

    /// Why a corpus of `n` distinct texts that [`When::applies`] turned down is not
    /// self-trained, when self-training was asked for (`Always`, `Auto`); `None` for `Never`.
    pub fn why_not(self, n: usize) -> Option<String> {
        match self {
            When::Never => None,
            _ if n < SELF_TRAIN_MIN_TEXTS => Some(format!(
                "{n} distinct texts, under the {SELF_TRAIN_MIN_TEXTS} it needs"
            )),
            When::Auto => Some(format!(
                "not short posts (a median text over {} characters)",
                super::semantic_eval::SHORT_POST_CHARS
            )),
            When::Always => None,
        }
    }
}

/// The self-trained topics of `texts` (distinct, in an order that does not depend on the
/// input's: the fold of text `i` is `i mod` [`SELF_TRAIN_FOLDS`]), from the teacher's
/// `labels` of them and their embeddings `emb` (row `i` for text `i`), at most `top` per text.
/// `None` when the teacher found no topic at all (nothing to learn).
pub fn self_train(
    o: &Ontology,
    texts: &[(&str, Option<Lang>)],
    labels: &[Vec<(TopicIdx, f64)>],
    emb: &Embeddings,
    top: usize,
) -> Result<Option<Vec<Vec<(TopicIdx, f64)>>>> {
    let (set, topics) = training_set(o, texts, labels, |_| true);
    if set.labels.is_empty() {
        return Ok(None);
    }
    let params = self_train_params(&TrainParams::default().analyzer);
    let analyzer = super::classifier::analyzer_named(&params.analyzer)?;
    let map: Vec<Vec<String>> = topics
        .iter()
        .map(|&t| vec![o.topic(t).id.clone()])
        .collect();
    let link = LabelLink::new(o.clone(), &analyzer, &set.labels, Some(&map));
    let gold: Vec<Vec<u32>> = set.records.iter().map(|r| r.labels.clone()).collect();
    let k = SELF_TRAIN_FOLDS.min(texts.len());
    let predicted = out_of_fold(&set, &params, Some(&link), k, &gold, Some(emb))?;
    let ancestors = label_ancestors(o, &topics);
    Ok(Some(
        predicted
            .into_iter()
            .map(|kept| most_specific(&topics, &ancestors, &kept, top))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn why_not_names_the_reason_only_when_asked_for() {
        assert_eq!(When::Never.why_not(5), None);
        assert!(When::Always
            .why_not(5)
            .unwrap()
            .contains("5 distinct texts, under the 100"));
        assert!(When::Auto.why_not(500).unwrap().contains("not short posts"));
        assert_eq!(When::Always.why_not(500), None);
    }

    #[test]
    fn when_needs_enough_texts_and_short_posts_for_auto() {
        let tweet = "just planted tomatoes";
        let article = "x".repeat(2_000);
        let tweets = || std::iter::repeat(tweet).take(100);
        assert!(When::Auto.applies(100, tweets()));
        assert!(
            !When::Auto.applies(99, tweets().take(99)),
            "too few to cross-fit"
        );
        assert!(!When::Auto.applies(100, std::iter::repeat(article.as_str()).take(100)));
        assert!(When::Always.applies(100, std::iter::repeat(article.as_str()).take(100)));
        assert!(!When::Always.applies(99, tweets().take(99)));
        assert!(!When::Never.applies(100, tweets()));
        assert_eq!(When::default(), When::Never);
    }
}

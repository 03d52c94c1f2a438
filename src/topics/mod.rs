//! Topics: ontologies (the built-in taxonomy, the Klout Topic Ontology, IAB Content Taxonomy
//! 3.1, or our TSV format) with their roll-up structure, zero-shot classification, and
//! per-account expertise from the engagement posts earned on each topic; text analysis is left to `text`.
//!
//! ```
//! let o = clout::topics::builtin();
//! let nba = o.find("nba").unwrap();
//! let path: Vec<&str> = o.path(nba).iter().map(|&i| o.topic(i).name.as_str()).collect();
//! assert_eq!(path, ["Sports and Recreation", "Basketball"]);
//! ```

mod builtin;
mod cache_hint;
pub mod classifier;
mod closest;
pub mod custom;
pub mod distill;
pub mod endorse;
pub mod engine;
pub mod eval;
pub mod expertise;
mod fast_model;
mod features;
pub mod iab;
pub mod input;
pub mod klout;
mod label_link;
mod linear;
mod logit_rule;
pub mod model;
mod model_file;
pub mod ontology;
mod phrase_trie;
pub mod post_engagement;
pub mod post_inputs;
pub mod post_topics;
mod raw_memo;
pub mod self_train;
pub mod semantic;
mod semantic_classifier;
pub mod semantic_eval;
mod source;
mod text_lines;
pub mod vector_cache;
pub mod zero_shot;

pub use builtin::{builtin, BUILTIN_TAXONOMY};
pub use classifier::{with_thread_scratch, Classifier, ClassifierScratch, ClassifierSource};
pub use closest::{closest_items, edit_distance, suggestion};
pub use engine::{Labelling, PostLabeler, PostTopicEngine, TopicEngine, TopicList};
pub use expertise::{Expertise, ExpertiseParams, PostEvidence, TopicExpertise};
pub use label_link::{unmapped_labels, UnmappedLabel};
pub use linear::Link;
pub use model::{Algorithm, DecisionRule, TopicModel, TrainParams};
pub use model_file::{ModelData, MAGIC as MODEL_MAGIC, VERSION as MODEL_VERSION};
pub use ontology::{normalize_key, Ontology, OntologyBuilder, Topic, TopicIdx};
pub use semantic::{SemanticParams, TopicVectors, ValidSemanticParams};
pub use semantic_classifier::SemanticClassifier;
pub use source::{default_data_dir, OntologySource};
pub use vector_cache::VectorCache;
pub use zero_shot::ZeroShot;

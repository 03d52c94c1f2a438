//! Topics, in three parts: [`ontology`] (the built-in taxonomy, the Klout Topic Ontology, IAB
//! Content Taxonomy 3.1, or our TSV format, with their roll-up structure), [`classify`] (texts to
//! topics: zero-shot, supervised models, the teacher → student engine, evaluation) and
//! [`expertise`] (per-account expertise from the engagement posts earned on each topic, and
//! +K endorsements); text analysis is left to `text`.
//!
//! ```
//! let o = clout::topics::builtin();
//! let nba = o.find("nba").unwrap();
//! let path: Vec<&str> = o.path(nba).iter().map(|&i| o.topic(i).name.as_str()).collect();
//! assert_eq!(path, ["Sports and Recreation", "Basketball"]);
//! ```

pub mod classify;
pub mod expertise;
pub mod ontology;

pub use classify::classifier::{
    with_thread_scratch, Classifier, ClassifierScratch, ClassifierSource,
};
pub use classify::engine::{Labelling, PostLabeler, PostTopicEngine, TopicEngine, TopicList};
pub use classify::label_link::{unmapped_labels, UnmappedLabel};
pub use classify::linear::Link;
pub use classify::model::{Algorithm, DecisionRule, TopicModel, TrainParams};
pub use classify::model_file::{ModelData, MAGIC as MODEL_MAGIC, VERSION as MODEL_VERSION};
pub use classify::semantic::{SemanticParams, TopicVectors, ValidSemanticParams};
pub use classify::semantic_classifier::SemanticClassifier;
pub use classify::vector_cache::VectorCache;
pub use classify::zero_shot::ZeroShot;
pub use expertise::{Expertise, ExpertiseParams, PostEvidence, TopicExpertise};
pub use ontology::builtin::{builtin, BUILTIN_TAXONOMY};
pub use ontology::closest::{closest_items, edit_distance, suggestion};
pub use ontology::source::{default_data_dir, OntologySource};
pub use ontology::{normalize_key, Ontology, OntologyBuilder, Topic, TopicIdx};

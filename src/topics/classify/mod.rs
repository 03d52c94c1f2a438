//! Classification: turning texts into topics — zero-shot (keywords and the embedding
//! model), supervised linear models and their files, the teacher → student distillation and
//! the engine that picks one for a corpus, and their evaluation on labelled texts.

pub mod classifier;
pub mod distill;
pub mod engine;
pub mod eval;
pub(crate) mod fast_model;
pub(crate) mod features;
pub mod input;
pub mod label_cache;
pub(crate) mod label_link;
pub mod label_map;
pub(crate) mod linear;
pub(crate) mod logit_rule;
pub mod model;
pub(crate) mod model_file;
pub(crate) mod phrase_trie;
pub(crate) mod raw_memo;
pub mod self_train;
pub mod semantic;
pub(crate) mod semantic_classifier;
pub mod semantic_eval;
pub(crate) mod text_lines;
pub mod vector_cache;
pub mod zero_shot;

//! The text pipeline for social posts: a tokenizer that knows URLs, @mentions, #hashtags,
//! emoji, numbers and contractions (after Unicode NFKC), then filters chained into analyzers
//! registered by name, tantivy-style: case folding, elongations, stop words and Snowball stems
//! per language, with language detection. Analysis writes into a reusable [`Tokens`] buffer,
//! so a warmed-up pipeline allocates only for words it has not stemmed before (stems are
//! memoised per buffer).
//!
//! What tokens mean (topics, features, classifiers) is left to `topics`.
//!
//! ```
//! use clout::text::{AnalyzerRegistry, Tokens};
//! let analyzers = AnalyzerRegistry::default();
//! let social = analyzers.get("social").unwrap();
//! let mut tokens = Tokens::new();
//! social.analyze("Loving these #GardeningTips sooo much!", &mut tokens);
//! assert_eq!(tokens.to_strings(), ["love", "#gardeningtips", "garden", "tip", "soo", "much"]);
//! ```

mod analyzer;
mod chars;
pub mod chunks;
mod elongation;
mod filter;
mod hashtag;
pub mod lang;
mod lower_caser;
mod registry;
mod remove_kinds;
mod stem_cache;
mod stemmer;
mod stop_words;
mod tokenizer;
mod tokens;

pub use analyzer::{LanguagePolicy, TextAnalyzer, TextAnalyzerBuilder};
pub use elongation::Elongation;
pub use filter::TokenFilter;
pub use lang::Lang;
pub use lower_caser::LowerCaser;
pub use registry::AnalyzerRegistry;
pub use remove_kinds::RemoveKinds;
pub use stemmer::Stemmer;
pub use stop_words::StopWordFilter;
pub use tokenizer::{SocialTokenizer, Tokenizer};
pub use tokens::{Token, TokenKind, Tokens};

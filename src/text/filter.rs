//! The filter interface: a filter rewrites or drops tokens of a [`Tokens`] buffer in place.
//! Each filter lives in its own file; the analyzer chains them.

use super::tokens::Tokens;

/// One step of an analyzer after the tokenizer.
pub trait TokenFilter: Send + Sync + std::fmt::Debug {
    /// Rewrites `tokens` (whose language, if known, is `tokens.lang()`).
    fn apply(&self, tokens: &mut Tokens);
}

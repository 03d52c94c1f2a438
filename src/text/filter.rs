//! The filter interface: a filter rewrites or drops tokens of a [`Tokens`] buffer in place.
//! Each filter lives in its own file; the analyzer chains them.

use super::tokens::Tokens;

/// One step of an analyzer after the tokenizer.
pub trait TokenFilter: Send + Sync + std::fmt::Debug {
    /// Rewrites `tokens` (whose language, if known, is `tokens.lang()`).
    fn apply(&self, tokens: &mut Tokens);

    /// True when each token's output depends only on that token's kind and text and on the
    /// language (`tokens.lang()`), never on its neighbours: then analysing a text piece by
    /// piece gives the tokens of analysing it whole, which lets callers memoise analysis
    /// per whitespace-separated chunk (see [`chunks`](super::chunks)). Default: false.
    fn token_local(&self) -> bool {
        false
    }
}

//! Analyzers: a tokenizer, a language policy and a chain of filters, built once by
//! [`TextAnalyzerBuilder`] and then shared read-only across threads. Analysis writes into a
//! caller-owned [`Tokens`] buffer.

use super::filter::TokenFilter;
use super::lang::{self, Lang};
use super::tokenizer::Tokenizer;
use super::tokens::Tokens;

/// How an analyzer decides the language of a text, which language-aware filters then use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LanguagePolicy {
    /// The caller's hint (a post's `lang`) if any, else this language. No detection cost.
    HintOr(Lang),
    /// The hint if any, else detection with whatlang, else this fallback.
    Detect(Lang),
}

/// A tokenizer followed by filters.
///
/// # Example
/// ```
/// use clout::text::{LowerCaser, SocialTokenizer, Stemmer, TextAnalyzer, Tokens};
/// let analyzer = TextAnalyzer::builder(SocialTokenizer::default())
///     .filter(LowerCaser)
///     .filter(Stemmer::new(rust_stemmers::Algorithm::English))
///     .build();
/// let mut tokens = Tokens::new();
/// analyzer.analyze("#GardeningTips for Running", &mut tokens);
/// assert_eq!(tokens.to_strings(), ["#gardeningtips", "garden", "tip", "for", "run"]);
/// ```
#[derive(Debug)]
pub struct TextAnalyzer {
    tokenizer: Box<dyn Tokenizer>,
    filters: Vec<Box<dyn TokenFilter>>,
    policy: LanguagePolicy,
    chunk_local: bool,
}

impl TextAnalyzer {
    /// Starts an analyzer on `tokenizer`, English unless told otherwise.
    pub fn builder(tokenizer: impl Tokenizer + 'static) -> TextAnalyzerBuilder {
        TextAnalyzerBuilder {
            tokenizer: Box::new(tokenizer),
            filters: Vec::new(),
            policy: LanguagePolicy::HintOr(Lang::Eng),
        }
    }

    /// Analyzes `text` into `out` (cleared first).
    pub fn analyze(&self, text: &str, out: &mut Tokens) {
        self.analyze_with_hint(text, None, out);
    }

    /// Analyzes `text` whose language may be known (`hint`, e.g. a post's `lang`).
    pub fn analyze_with_hint(&self, text: &str, hint: Option<Lang>, out: &mut Tokens) {
        self.analyze_in(text, self.resolve_lang(text, hint), out);
    }

    /// The language the filters use for `text` (with the caller's `hint`, if any).
    pub fn resolve_lang(&self, text: &str, hint: Option<Lang>) -> Lang {
        match (hint, self.policy) {
            (Some(l), _) => l,
            (None, LanguagePolicy::HintOr(l)) => l,
            (None, LanguagePolicy::Detect(fallback)) => lang::detect(text).unwrap_or(fallback),
        }
    }

    /// Analyzes `text` (a whole text or a piece of one) as being in `lang`.
    pub fn analyze_in(&self, text: &str, lang: Lang, out: &mut Tokens) {
        self.tokenizer.tokenize(text, out);
        out.set_lang(Some(lang));
        for filter in &self.filters {
            filter.apply(out);
        }
    }

    /// True when the tokenizer is chunk-local and every filter token-local: then the tokens
    /// of a text are the tokens of its [`chunks`](super::chunks) analysed one by one (with
    /// the text's language), and analysis can be memoised per chunk.
    pub fn is_chunk_local(&self) -> bool {
        self.chunk_local
    }

    /// The language policy.
    pub fn policy(&self) -> LanguagePolicy {
        self.policy
    }
}

/// Builds a [`TextAnalyzer`].
#[derive(Debug)]
pub struct TextAnalyzerBuilder {
    tokenizer: Box<dyn Tokenizer>,
    filters: Vec<Box<dyn TokenFilter>>,
    policy: LanguagePolicy,
}

impl TextAnalyzerBuilder {
    /// Appends a filter to the chain.
    pub fn filter(mut self, filter: impl TokenFilter + 'static) -> Self {
        self.filters.push(Box::new(filter));
        self
    }

    /// Sets the language policy (default: `HintOr(English)`).
    pub fn language(mut self, policy: LanguagePolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The finished analyzer.
    pub fn build(self) -> TextAnalyzer {
        let chunk_local =
            self.tokenizer.chunk_local() && self.filters.iter().all(|f| f.token_local());
        TextAnalyzer {
            chunk_local,
            tokenizer: self.tokenizer,
            filters: self.filters,
            policy: self.policy,
        }
    }
}

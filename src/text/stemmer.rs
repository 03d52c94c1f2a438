//! Stemming with the Snowball stemmers of `rust-stemmers` (18 languages), on words and
//! hashtag parts. Like tantivy's, the filter stores only the algorithm and creates the stemmer
//! per text; expects lower-cased tokens. Stems are memoised in the caller's `Tokens`.

use rust_stemmers::Algorithm;

use super::filter::TokenFilter;
use super::lang::{self, Lang};
use super::tokens::Tokens;

/// Stems tokens, in a fixed language or in the language of each text.
#[derive(Debug, Clone, Copy)]
pub struct Stemmer {
    fixed: Option<Algorithm>,
    fallback: Lang,
}

impl Stemmer {
    /// Always stems with `algorithm`.
    pub fn new(algorithm: Algorithm) -> Self {
        Stemmer {
            fixed: Some(algorithm),
            fallback: Lang::Eng,
        }
    }

    /// Stems in each text's language (`Tokens::lang`), or `fallback`'s when unknown; texts in
    /// a language without a Snowball stemmer are left as they are.
    pub fn per_language(fallback: Lang) -> Self {
        Stemmer {
            fixed: None,
            fallback,
        }
    }
}

impl TokenFilter for Stemmer {
    fn apply(&self, tokens: &mut Tokens) {
        let algorithm = self
            .fixed
            .or_else(|| lang::stemmer_algorithm(tokens.lang().unwrap_or(self.fallback)));
        let Some(algorithm) = algorithm else {
            return;
        };
        let stemmer = rust_stemmers::Stemmer::create(algorithm);
        tokens.rewrite_with_stems(|kind, text, out, cache| {
            if kind.is_wordlike() {
                cache.stem_into(algorithm, text, out, |w| stemmer.stem(w).into_owned());
            } else {
                out.push_str(text);
            }
            true
        });
    }

    fn token_local(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::TokenKind;

    fn run(filter: Stemmer, lang: Option<Lang>, words: &[&str]) -> Vec<String> {
        let mut t = Tokens::new();
        for (i, w) in words.iter().enumerate() {
            t.push(TokenKind::Word, w, i as u32);
        }
        t.push(TokenKind::Mention, "@running", 99);
        t.set_lang(lang);
        filter.apply(&mut t);
        let mut v = t.to_strings();
        assert_eq!(v.pop().unwrap(), "@running");
        v
    }

    #[test]
    fn stems_words_only() {
        let en = Stemmer::new(Algorithm::English);
        assert_eq!(
            run(en, None, &["running", "gardens", "tips"]),
            ["run", "garden", "tip"]
        );
        let auto = Stemmer::per_language(Lang::Eng);
        assert_eq!(run(auto, Some(Lang::Fra), &["jardins"]), ["jardin"]);
        assert_eq!(run(auto, Some(Lang::Pol), &["ogrody"]), ["ogrody"]);
    }

    #[test]
    fn every_language_stems() {
        for (lang, algorithm) in lang::stemmed_languages() {
            let s = rust_stemmers::Stemmer::create(algorithm);
            assert!(!s.stem("a").is_empty(), "{lang:?}");
        }
    }
}

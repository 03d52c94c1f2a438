//! Stop words: drops the function words of a language (`the`, `und`, `les`) from words and
//! hashtag parts. Lists come from the `stop-words` crate (NLTK's where it has one, else
//! stopwords-iso); expects lower-cased tokens, so put it after [`LowerCaser`](super::LowerCaser).

use rustc_hash::{FxHashMap, FxHashSet};

use super::filter::TokenFilter;
use super::lang::{self, Lang};
use super::tokens::Tokens;

/// Removes stop words, in a fixed language or in the language of each text.
#[derive(Debug, Clone)]
pub struct StopWordFilter {
    sets: FxHashMap<Lang, FxHashSet<&'static str>>,
    fixed: Option<Lang>,
    fallback: Lang,
}

impl StopWordFilter {
    /// Stop words of `lang` only (none when the language has no list).
    pub fn new(lang: Lang) -> Self {
        let mut sets = FxHashMap::default();
        if let Some(set) = set_of(lang) {
            sets.insert(lang, set);
        }
        StopWordFilter {
            sets,
            fixed: Some(lang),
            fallback: lang,
        }
    }

    /// Stop words of each text's language (`Tokens::lang`), or of `fallback` when unknown.
    pub fn per_language(fallback: Lang) -> Self {
        let sets = Lang::all()
            .iter()
            .filter_map(|&l| set_of(l).map(|s| (l, s)))
            .collect();
        StopWordFilter {
            sets,
            fixed: None,
            fallback,
        }
    }

    /// Whether `word` is a stop word of `lang`.
    pub fn is_stop_word(&self, lang: Lang, word: &str) -> bool {
        self.sets.get(&lang).is_some_and(|s| s.contains(word))
    }
}

fn set_of(lang: Lang) -> Option<FxHashSet<&'static str>> {
    lang::stop_words(lang).map(|words| words.iter().copied().collect())
}

impl TokenFilter for StopWordFilter {
    fn apply(&self, tokens: &mut Tokens) {
        let lang = self.fixed.or(tokens.lang()).unwrap_or(self.fallback);
        let Some(set) = self.sets.get(&lang) else {
            return;
        };
        tokens.retain(|kind, text| !(kind.is_wordlike() && set.contains(text)));
    }

    fn token_local(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::TokenKind;

    fn run(filter: &StopWordFilter, lang: Option<Lang>, words: &[&str]) -> Vec<String> {
        let mut t = Tokens::new();
        for (i, w) in words.iter().enumerate() {
            t.push(TokenKind::Word, w, i as u32);
        }
        t.set_lang(lang);
        filter.apply(&mut t);
        t.to_strings()
    }

    #[test]
    fn fixed_and_per_language() {
        let en = StopWordFilter::new(Lang::Eng);
        assert_eq!(
            run(&en, None, &["the", "cat", "don't", "sat"]),
            ["cat", "sat"]
        );
        let auto = StopWordFilter::per_language(Lang::Eng);
        assert_eq!(
            run(&auto, Some(Lang::Deu), &["der", "hund", "the"]),
            ["hund", "the"]
        );
        assert_eq!(run(&auto, None, &["der", "the"]), ["der"]);
        assert!(auto.is_stop_word(Lang::Fra, "les"));
    }
}

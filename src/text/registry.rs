//! Analyzers registered by name, like tantivy's `TokenizerManager`. Built-in names:
//!
//! | name | pipeline |
//! |---|---|
//! | `raw` | social tokenizer only (case kept) |
//! | `default` | social tokenizer, lower case |
//! | `social` | social tokenizer, lower case, elongations cut, stop words and stems in the post's language (hint, else English) |
//! | `social_detect` | as `social`, the language detected when there is no hint |
//! | `en_stem`, `fr_stem`, … | lower case, elongations cut, stop words and Snowball stems of one language: one per rust-stemmers language (`ar da nl en fi fr de el hu it no pt ro ru es sv ta tr`) |

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::analyzer::{LanguagePolicy, TextAnalyzer};
use super::elongation::Elongation;
use super::lang::{self, Lang};
use super::lower_caser::LowerCaser;
use super::stemmer::Stemmer;
use super::stop_words::StopWordFilter;
use super::tokenizer::SocialTokenizer;

/// Named analyzers; cheap to clone (analyzers are shared).
#[derive(Debug, Clone)]
pub struct AnalyzerRegistry {
    analyzers: FxHashMap<String, Arc<TextAnalyzer>>,
}

impl Default for AnalyzerRegistry {
    fn default() -> Self {
        let mut r = AnalyzerRegistry {
            analyzers: FxHashMap::default(),
        };
        r.register(
            "raw",
            TextAnalyzer::builder(SocialTokenizer::default()).build(),
        );
        r.register(
            "default",
            TextAnalyzer::builder(SocialTokenizer::default())
                .filter(LowerCaser)
                .build(),
        );
        r.register("social", social(LanguagePolicy::HintOr(Lang::Eng)));
        r.register("social_detect", social(LanguagePolicy::Detect(Lang::Eng)));
        for (l, algorithm) in lang::stemmed_languages() {
            let code = lang::iso_639_1(l).expect("every stemmed language has a 639-1 code");
            let analyzer = TextAnalyzer::builder(SocialTokenizer::default())
                .filter(LowerCaser)
                .filter(Elongation::default())
                .filter(StopWordFilter::new(l))
                .filter(Stemmer::new(algorithm))
                .language(LanguagePolicy::HintOr(l))
                .build();
            r.register(&format!("{code}_stem"), analyzer);
        }
        r
    }
}

fn social(policy: LanguagePolicy) -> TextAnalyzer {
    let fallback = match policy {
        LanguagePolicy::HintOr(l) | LanguagePolicy::Detect(l) => l,
    };
    TextAnalyzer::builder(SocialTokenizer::default())
        .filter(LowerCaser)
        .filter(Elongation::default())
        .filter(StopWordFilter::per_language(fallback))
        .filter(Stemmer::per_language(fallback))
        .language(policy)
        .build()
}

impl AnalyzerRegistry {
    /// Registers (or replaces) `analyzer` under `name`.
    pub fn register(&mut self, name: &str, analyzer: TextAnalyzer) {
        self.analyzers.insert(name.to_owned(), Arc::new(analyzer));
    }

    /// The analyzer called `name`.
    pub fn get(&self, name: &str) -> Option<Arc<TextAnalyzer>> {
        self.analyzers.get(name).cloned()
    }

    /// All registered names, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.analyzers.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Tokens;

    fn analyze(name: &str, text: &str, hint: Option<Lang>) -> Vec<String> {
        let r = AnalyzerRegistry::default();
        let mut t = Tokens::new();
        r.get(name).unwrap().analyze_with_hint(text, hint, &mut t);
        t.to_strings()
    }

    #[test]
    fn names() {
        let r = AnalyzerRegistry::default();
        assert_eq!(r.names().len(), 4 + 18);
        assert!(r.get("en_stem").is_some() && r.get("tr_stem").is_some());
        assert!(r.get("nope").is_none());
    }

    #[test]
    fn social_pipeline_end_to_end() {
        assert_eq!(
            analyze(
                "social",
                "Sooooo happy about the #GardeningTips from @BBC 😀 https://t.co/x",
                None
            ),
            [
                "soo",
                "happi",
                "#gardeningtips",
                "garden",
                "tip",
                "@bbc",
                "😀",
                "https://t.co/x"
            ]
        );
        assert_eq!(
            analyze("social", "Les jardins de Paris", Some(Lang::Fra)),
            ["jardin", "paris"]
        );
        assert_eq!(
            analyze(
                "social_detect",
                "Die Kinder spielen heute im großen Garten hinter dem Haus",
                None
            ),
            ["kind", "spiel", "heut", "gross", "gart", "haus"]
        );
        assert_eq!(analyze("de_stem", "Die Gärten", None), ["gart"]);
        assert_eq!(analyze("raw", "Don’t", None), ["Don't"]);
    }
}

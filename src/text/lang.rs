//! Languages: detection with `whatlang` (trigram models, 69 languages), and for each language
//! its ISO 639-1 code, its stop-word list and its Snowball stemmer when there is one. Which
//! filters use the language is the analyzer's business.

use rust_stemmers::Algorithm;

pub use whatlang::Lang;

/// whatlang's confidence below which a detection is ignored. Its own `is_reliable` rejects
/// most tweets (a clear English sentence scores 0.32); short texts like `so happy today` score
/// near 0 and fall back to the analyzer's default language.
pub const MIN_CONFIDENCE: f64 = 0.25;

/// Detects the language of `text`, or `None` when whatlang is not confident (short or mixed
/// texts). Costs microseconds per tweet: analyzers only detect when asked.
pub fn detect(text: &str) -> Option<Lang> {
    whatlang::detect(text)
        .filter(|info| info.is_reliable() || info.confidence() >= MIN_CONFIDENCE)
        .map(|info| info.lang())
}

/// A language from an ISO 639-1 (`en`) or 639-3 (`eng`) code, or an English name
/// (`english`), case-insensitively.
pub fn from_code(code: &str) -> Option<Lang> {
    let code = code.trim().to_ascii_lowercase();
    if let Some(&(lang, _)) = ISO_639_1.iter().find(|(_, c)| *c == code) {
        return Some(lang);
    }
    Lang::from_code(code.as_str()).or_else(|| {
        Lang::all()
            .iter()
            .copied()
            .find(|l| l.eng_name().eq_ignore_ascii_case(&code))
    })
}

/// The ISO 639-1 code of `lang`, when it has one.
pub fn iso_639_1(lang: Lang) -> Option<&'static str> {
    ISO_639_1.iter().find(|(l, _)| *l == lang).map(|&(_, c)| c)
}

/// The Snowball stemmer for `lang`, if rust-stemmers has one.
pub fn stemmer_algorithm(lang: Lang) -> Option<Algorithm> {
    STEMMERS.iter().find(|(l, _)| *l == lang).map(|&(_, a)| a)
}

/// Every language rust-stemmers can stem, with its algorithm.
pub fn stemmed_languages() -> impl Iterator<Item = (Lang, Algorithm)> {
    STEMMERS.iter().copied()
}

/// The stop words of `lang` (NLTK's list where it has one, else stopwords-iso), if any.
pub fn stop_words(lang: Lang) -> Option<&'static [&'static str]> {
    iso_639_1(lang).and_then(stop_words::lookup)
}

const STEMMERS: &[(Lang, Algorithm)] = &[
    (Lang::Ara, Algorithm::Arabic),
    (Lang::Dan, Algorithm::Danish),
    (Lang::Nld, Algorithm::Dutch),
    (Lang::Eng, Algorithm::English),
    (Lang::Fin, Algorithm::Finnish),
    (Lang::Fra, Algorithm::French),
    (Lang::Deu, Algorithm::German),
    (Lang::Ell, Algorithm::Greek),
    (Lang::Hun, Algorithm::Hungarian),
    (Lang::Ita, Algorithm::Italian),
    (Lang::Nob, Algorithm::Norwegian),
    (Lang::Por, Algorithm::Portuguese),
    (Lang::Ron, Algorithm::Romanian),
    (Lang::Rus, Algorithm::Russian),
    (Lang::Spa, Algorithm::Spanish),
    (Lang::Swe, Algorithm::Swedish),
    (Lang::Tam, Algorithm::Tamil),
    (Lang::Tur, Algorithm::Turkish),
];

const ISO_639_1: &[(Lang, &str)] = &[
    (Lang::Epo, "eo"),
    (Lang::Eng, "en"),
    (Lang::Rus, "ru"),
    (Lang::Cmn, "zh"),
    (Lang::Spa, "es"),
    (Lang::Por, "pt"),
    (Lang::Ita, "it"),
    (Lang::Ben, "bn"),
    (Lang::Fra, "fr"),
    (Lang::Deu, "de"),
    (Lang::Ukr, "uk"),
    (Lang::Kat, "ka"),
    (Lang::Ara, "ar"),
    (Lang::Hin, "hi"),
    (Lang::Jpn, "ja"),
    (Lang::Heb, "he"),
    (Lang::Yid, "yi"),
    (Lang::Pol, "pl"),
    (Lang::Amh, "am"),
    (Lang::Jav, "jv"),
    (Lang::Kor, "ko"),
    (Lang::Nob, "no"),
    (Lang::Dan, "da"),
    (Lang::Swe, "sv"),
    (Lang::Fin, "fi"),
    (Lang::Tur, "tr"),
    (Lang::Nld, "nl"),
    (Lang::Hun, "hu"),
    (Lang::Ces, "cs"),
    (Lang::Ell, "el"),
    (Lang::Bul, "bg"),
    (Lang::Bel, "be"),
    (Lang::Mar, "mr"),
    (Lang::Kan, "kn"),
    (Lang::Ron, "ro"),
    (Lang::Slv, "sl"),
    (Lang::Hrv, "hr"),
    (Lang::Srp, "sr"),
    (Lang::Mkd, "mk"),
    (Lang::Lit, "lt"),
    (Lang::Lav, "lv"),
    (Lang::Est, "et"),
    (Lang::Tam, "ta"),
    (Lang::Vie, "vi"),
    (Lang::Urd, "ur"),
    (Lang::Tha, "th"),
    (Lang::Guj, "gu"),
    (Lang::Uzb, "uz"),
    (Lang::Pan, "pa"),
    (Lang::Aze, "az"),
    (Lang::Ind, "id"),
    (Lang::Tel, "te"),
    (Lang::Pes, "fa"),
    (Lang::Mal, "ml"),
    (Lang::Ori, "or"),
    (Lang::Mya, "my"),
    (Lang::Nep, "ne"),
    (Lang::Sin, "si"),
    (Lang::Khm, "km"),
    (Lang::Tuk, "tk"),
    (Lang::Aka, "ak"),
    (Lang::Zul, "zu"),
    (Lang::Sna, "sn"),
    (Lang::Afr, "af"),
    (Lang::Lat, "la"),
    (Lang::Slk, "sk"),
    (Lang::Cat, "ca"),
    (Lang::Tgl, "tl"),
    (Lang::Hye, "hy"),
    (Lang::Cym, "cy"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_whatlang_language_has_an_iso_code() {
        for &lang in Lang::all() {
            assert!(iso_639_1(lang).is_some(), "{lang:?}");
        }
        assert_eq!(stemmed_languages().count(), 18);
    }

    #[test]
    fn codes_and_names() {
        assert_eq!(from_code("en"), Some(Lang::Eng));
        assert_eq!(from_code("DEU"), Some(Lang::Deu));
        assert_eq!(from_code("French"), Some(Lang::Fra));
        assert_eq!(from_code("xx"), None);
    }

    #[test]
    fn detection_and_resources() {
        assert_eq!(
            detect("The quick brown fox jumps over the lazy dog near the river bank"),
            Some(Lang::Eng)
        );
        assert_eq!(
            detect("Le renard brun saute par-dessus le chien paresseux près de la rivière"),
            Some(Lang::Fra)
        );
        assert_eq!(detect("so happy today"), None);
        assert!(stop_words(Lang::Eng).unwrap().contains(&"the"));
        assert!(stop_words(Lang::Fra).unwrap().contains(&"le"));
        assert_eq!(stemmer_algorithm(Lang::Deu), Some(Algorithm::German));
        assert_eq!(stemmer_algorithm(Lang::Pol), None);
    }
}

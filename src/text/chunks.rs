//! Whitespace-separated chunks of a text, the unit of per-thread analysis memos: a text is
//! cut at ASCII whitespace bytes (space, tab, line feed, vertical tab, form feed, carriage
//! return), and for a chunk-local analyzer ([`TextAnalyzer::is_chunk_local`]) the tokens of
//! the text are the tokens of its chunks, each analysed alone (with the whitespace byte that
//! follows it, if any) in the text's language. Social text repeats its chunks (Zipf), so a
//! memo from a chunk's raw bytes to what its tokens mean skips case folding, normalisation,
//! stop words and stemming for most of them.
//!
//! [`TextAnalyzer::is_chunk_local`]: super::TextAnalyzer::is_chunk_local

/// One chunk: `text` (no whitespace), `with_space` (the chunk and the whitespace byte after
/// it, what to analyse) and whether the text ends right after it (`at_end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk<'a> {
    pub text: &'a str,
    pub with_space: &'a str,
    pub at_end: bool,
}

/// The ASCII bytes that separate chunks (each is `char::is_whitespace`).
#[inline]
pub fn is_separator(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// The chunks of `text`, in order.
pub fn chunks(text: &str) -> impl Iterator<Item = Chunk<'_>> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos < bytes.len() && is_separator(bytes[pos]) {
            pos += 1;
        }
        if pos == bytes.len() {
            return None;
        }
        let start = pos;
        while pos < bytes.len() && !is_separator(bytes[pos]) {
            pos += 1;
        }
        let end = pos;
        let at_end = end == bytes.len();
        // Separators are ASCII, so these are character boundaries.
        let with_space = &text[start..if at_end { end } else { end + 1 }];
        Some(Chunk {
            text: &text[start..end],
            with_space,
            at_end,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{AnalyzerRegistry, Lang, TokenKind, Tokens};

    #[test]
    fn cuts_at_ascii_whitespace() {
        let c: Vec<_> = chunks("  a\tbc\u{a0}d\n e").collect();
        assert_eq!(
            c.iter().map(|c| c.text).collect::<Vec<_>>(),
            ["a", "bc\u{a0}d", "e"]
        );
        assert_eq!(c[0].with_space, "a\t");
        assert!(!c[1].at_end && c[2].at_end && c[2].with_space == "e");
        assert_eq!(chunks(" \r\n").count(), 0);
    }

    fn whole(name: &str, text: &str, lang: Lang) -> Vec<(TokenKind, String)> {
        let a = AnalyzerRegistry::default().get(name).unwrap();
        let mut t = Tokens::new();
        a.analyze_in(text, lang, &mut t);
        t.iter().map(|(k, s)| (k, s.to_owned())).collect()
    }

    fn by_chunks(name: &str, text: &str, lang: Lang) -> Vec<(TokenKind, String)> {
        let a = AnalyzerRegistry::default().get(name).unwrap();
        assert!(a.is_chunk_local());
        let mut t = Tokens::new();
        let mut v = Vec::new();
        for c in chunks(text) {
            a.analyze_in(c.with_space, lang, &mut t);
            v.extend(t.iter().map(|(k, s)| (k, s.to_owned())));
        }
        v
    }

    #[test]
    fn hand_cases_split_like_the_whole_text() {
        let texts = [
            "see http:// now www. x https://t.co/a).",
            "ends with http://",
            "İstanbul'da ŞEHİR Straße ÉTÉ déjà-vu naïve café",
            "👨\u{200D}👩\u{200D}👧 🇫🇷🇩🇪 👍🏽 #NBAFinals2024 @Jack_D don’t Curry's",
            "中文字 ｆｕｌｌｗｉｄｔｈ ﬁne x\u{a8}y a\u{3000}b e\u{301}t\u{301}e\u{301}",
            "1,000.5 10:30 sooooo goooal #black_friday",
        ];
        for name in ["social", "default", "raw", "de_stem", "tr_stem"] {
            for lang in [Lang::Eng, Lang::Tur, Lang::Deu] {
                for t in texts {
                    assert_eq!(
                        by_chunks(name, t, lang),
                        whole(name, t, lang),
                        "{name} {t:?}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        /// Any text of social pieces, separators, non-ASCII whitespace and combining marks:
        /// chunk by chunk equals whole.
        #[test]
        fn chunks_analyse_like_the_whole_text(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                " ", "\t", "\n", "\r\n", "\u{b}", "\u{c}", "\u{a0}", "\u{3000}", "\u{2009}",
                "http://", "https://", "www.", "t.co/x", "#", "@", "_", "'", "’", ".", ",", ":",
                "!", "(", ")", "a", "Z", "9", "İ", "ı", "ß", "ẞ", "é", "e\u{301}", "\u{301}",
                "\u{a8}", "ﬁ", "ｆ", "中", "カ", "😀", "\u{200D}", "🇫", "🏽", "\u{fe0f}", "Σ",
                "ooo", "Running", "Gardening", "Tips", "the", "it's", "NBA",
            ]), 0..24),
            lang in proptest::sample::select(vec![Lang::Eng, Lang::Tur, Lang::Deu, Lang::Fra]),
        ) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(by_chunks("social", &text, lang), whole("social", &text, lang));
        }
    }
}

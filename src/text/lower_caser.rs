//! Case folding: every token but URLs (whose paths are case-sensitive) to lower case. ASCII
//! takes a byte loop; other text uses Unicode lower-casing (`Σ` → `σ`, `İ` → `i̇`).

use super::filter::TokenFilter;
use super::tokens::{TokenKind, Tokens};

/// Lower-cases tokens.
#[derive(Debug, Clone, Copy, Default)]
pub struct LowerCaser;

impl TokenFilter for LowerCaser {
    fn apply(&self, tokens: &mut Tokens) {
        // Nothing to fold in an all-lower-case ASCII text: skip the rewrite then.
        if tokens
            .texts()
            .all(|t| t.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()))
        {
            return;
        }
        let fold = |kind| kind != TokenKind::Url && kind != TokenKind::Emoji;
        // ASCII keeps its length when folded: fold in place, without a copy.
        if tokens
            .iter()
            .all(|(kind, text)| !fold(kind) || text.is_ascii())
        {
            tokens.fold_ascii_in_place(fold);
            return;
        }
        tokens.rewrite(|kind, text, out| {
            if !fold(kind) {
                out.push_str(text);
            } else if text.is_ascii() {
                out.extend(text.bytes().map(|b| b.to_ascii_lowercase() as char));
            } else {
                out.extend(text.chars().flat_map(char::to_lowercase));
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

    #[test]
    fn folds_all_but_urls() {
        let mut t = Tokens::new();
        t.push(TokenKind::Word, "HeLLo", 0);
        t.push(TokenKind::Url, "https://X.co/AbC", 1);
        t.push(TokenKind::Mention, "@BBCNews", 2);
        t.push(TokenKind::Word, "ΣΟΦΊΑ", 3);
        LowerCaser.apply(&mut t);
        assert_eq!(
            t.to_strings(),
            ["hello", "https://X.co/AbC", "@bbcnews", "σοφία"]
        );
    }

    fn kind(k: u8) -> TokenKind {
        [
            TokenKind::Word,
            TokenKind::Url,
            TokenKind::Emoji,
            TokenKind::Mention,
        ][k as usize % 4]
    }

    proptest::proptest! {
        /// Folding in place (ASCII) or by rewriting gives each token's own lower case.
        #[test]
        fn folding_matches_per_token_lower_case(
            words in proptest::collection::vec(("[a-zA-Zé ΣΑİ]{1,6}", 0u8..4), 0..8)
        ) {
            let mut t = Tokens::new();
            for (i, (w, k)) in words.iter().enumerate() {
                t.push(kind(*k), w, i as u32);
            }
            LowerCaser.apply(&mut t);
            let expected: Vec<String> = words
                .iter()
                .map(|(w, k)| match kind(*k) {
                    TokenKind::Url | TokenKind::Emoji => w.clone(),
                    _ => w.chars().flat_map(char::to_lowercase).collect(),
                })
                .collect();
            proptest::prop_assert_eq!(t.to_strings(), expected);
        }
    }
}

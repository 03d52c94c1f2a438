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
        tokens.rewrite(|kind, text, out| {
            if kind == TokenKind::Url || kind == TokenKind::Emoji {
                out.push_str(text);
            } else if text.is_ascii() {
                out.extend(text.bytes().map(|b| b.to_ascii_lowercase() as char));
            } else {
                out.extend(text.chars().flat_map(char::to_lowercase));
            }
            true
        });
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
}

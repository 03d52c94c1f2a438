//! Dropping whole kinds of tokens (URLs, mentions, the `#tag` token beside its parts, …) for
//! analyzers that only want words.

use super::filter::TokenFilter;
use super::tokens::{TokenKind, Tokens};

/// Drops the tokens of the given kinds.
#[derive(Debug, Clone)]
pub struct RemoveKinds {
    kinds: Vec<TokenKind>,
}

impl RemoveKinds {
    /// Drops every token whose kind is in `kinds`.
    pub fn new(kinds: &[TokenKind]) -> Self {
        RemoveKinds {
            kinds: kinds.to_vec(),
        }
    }
}

impl TokenFilter for RemoveKinds {
    fn apply(&self, tokens: &mut Tokens) {
        tokens.retain(|kind, _| !self.kinds.contains(&kind));
    }

    fn token_local(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_kinds() {
        let mut t = Tokens::new();
        t.push(TokenKind::Url, "http://a.b", 0);
        t.push(TokenKind::Word, "hi", 1);
        t.push(TokenKind::Mention, "@x", 2);
        RemoveKinds::new(&[TokenKind::Url, TokenKind::Mention]).apply(&mut t);
        assert_eq!(t.to_strings(), ["hi"]);
    }
}

//! The token buffer every tokenizer writes and every filter rewrites: one text arena and a
//! vector of spans, reused from post to post so that analysis allocates nothing per token once
//! the buffers have grown. Owns no linguistics; tokenizers and filters live in their own files.

use super::lang::Lang;
use super::stem_cache::StemCache;

/// What a token is; filters use it to decide what to touch (stemmers leave URLs alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A run of letters and digits, possibly with inner apostrophes (`don't`).
    Word,
    /// Digits with inner `.`, `,` or `:` (`3.5`, `1,000`, `10:30`).
    Number,
    /// `http://…`, `https://…` or `www.…`, as written.
    Url,
    /// `@name`, with the `@`.
    Mention,
    /// `#Tag`, with the `#`, as written.
    Hashtag,
    /// One part of a hashtag split at case and digit boundaries (`#GardeningTips` → `Gardening`).
    HashtagPart,
    /// One emoji, with its modifiers, variation selectors and zero-width-joined sequence.
    Emoji,
}

impl TokenKind {
    /// True for the kinds that carry words of a language (words and hashtag parts), which
    /// stop-word filters and stemmers act on.
    pub fn is_wordlike(self) -> bool {
        matches!(self, TokenKind::Word | TokenKind::HashtagPart)
    }
}

/// One token: a span of the arena, its kind and its position in the token stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    start: u32,
    end: u32,
    /// What the token is.
    pub kind: TokenKind,
    /// Position in the stream as the tokenizer numbered it; filters that drop tokens leave
    /// gaps, like tantivy.
    pub position: u32,
}

/// A reusable buffer of tokens. Create one per thread and pass it to
/// [`TextAnalyzer::analyze`](super::TextAnalyzer::analyze) for every text.
#[derive(Debug, Default, Clone)]
pub struct Tokens {
    arena: String,
    tokens: Vec<Token>,
    scratch: String,
    pub(super) normalized: String,
    pub(super) stem_cache: StemCache,
    lang: Option<Lang>,
}

impl Tokens {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Empties the buffer, keeping its capacity.
    pub fn clear(&mut self) {
        self.arena.clear();
        self.tokens.clear();
        self.lang = None;
    }

    /// Appends a token.
    pub fn push(&mut self, kind: TokenKind, text: &str, position: u32) {
        let start = self.arena.len();
        self.arena.push_str(text);
        self.push_span(kind, start, position);
    }

    /// Appends a token whose text the caller has just written at the end of the arena, from
    /// byte `start` on (see [`Tokens::arena_mut`]).
    pub(super) fn push_span(&mut self, kind: TokenKind, start: usize, position: u32) {
        let end = self.arena.len();
        assert!(end <= u32::MAX as usize, "token arena over 4 GiB");
        self.tokens.push(Token {
            start: start as u32,
            end: end as u32,
            kind,
            position,
        });
    }

    /// The arena, to write a token's text in place before [`Tokens::push_span`].
    pub(super) fn arena_mut(&mut self) -> &mut String {
        &mut self.arena
    }

    /// The text of every token, back to back (possibly with the text of dropped tokens).
    pub(super) fn arena(&self) -> &str {
        &self.arena
    }

    /// ASCII-lower-cases, in place, the text of every token whose kind `fold` accepts; the
    /// caller makes sure those texts are ASCII (whose case folding keeps lengths).
    pub(super) fn fold_ascii_in_place(&mut self, fold: impl Fn(TokenKind) -> bool) {
        // ASCII lower-casing keeps every byte's length, so the spans stay valid.
        let arena = &mut self.arena;
        for t in self.tokens.iter().filter(|t| fold(t.kind)) {
            arena[t.start as usize..t.end as usize].make_ascii_lowercase();
        }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The language the analyzer settled on for this text, if any.
    pub fn lang(&self) -> Option<Lang> {
        self.lang
    }

    /// Sets the language (the analyzer does this before the filters run).
    pub fn set_lang(&mut self, lang: Option<Lang>) {
        self.lang = lang;
    }

    /// The text of `token`.
    pub fn text(&self, token: &Token) -> &str {
        &self.arena[token.start as usize..token.end as usize]
    }

    /// The tokens in order.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// `(kind, text)` of every token, in order.
    pub fn iter(&self) -> impl Iterator<Item = (TokenKind, &str)> + '_ {
        self.tokens.iter().map(|t| (t.kind, self.text(t)))
    }

    /// The texts of every token, in order.
    pub fn texts(&self) -> impl Iterator<Item = &str> + '_ {
        self.tokens.iter().map(|t| self.text(t))
    }

    /// The texts as owned strings (for tests and examples; allocates).
    pub fn to_strings(&self) -> Vec<String> {
        self.texts().map(str::to_owned).collect()
    }

    /// Keeps the tokens for which `keep(kind, text)` is true; texts are not copied.
    pub fn retain(&mut self, mut keep: impl FnMut(TokenKind, &str) -> bool) {
        let arena = &self.arena;
        self.tokens
            .retain(|t| keep(t.kind, &arena[t.start as usize..t.end as usize]));
    }

    /// Rewrites every token: `f(kind, text, out)` appends the new text to `out` (and only
    /// appends) and returns whether to keep the token. Runs in two arenas that swap, so no
    /// token allocates.
    pub fn rewrite(&mut self, mut f: impl FnMut(TokenKind, &str, &mut String) -> bool) {
        self.rewrite_with_stems(|kind, text, out, _| f(kind, text, out));
    }

    /// [`Tokens::rewrite`] with this buffer's stem memo at hand (for the stemmer).
    pub(super) fn rewrite_with_stems(
        &mut self,
        mut f: impl FnMut(TokenKind, &str, &mut String, &mut StemCache) -> bool,
    ) {
        self.scratch.clear();
        let cache = &mut self.stem_cache;
        let arena = &self.arena;
        let scratch = &mut self.scratch;
        self.tokens.retain_mut(|t| {
            let mark = scratch.len();
            let keep = f(
                t.kind,
                &arena[t.start as usize..t.end as usize],
                scratch,
                cache,
            );
            if !keep {
                scratch.truncate(mark);
                return false;
            }
            t.start = mark as u32;
            t.end = scratch.len() as u32;
            true
        });
        std::mem::swap(&mut self.arena, &mut self.scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrite_and_retain_keep_spans_consistent() {
        let mut t = Tokens::new();
        t.push(TokenKind::Word, "Hello", 0);
        t.push(TokenKind::Url, "http://x.y", 1);
        t.push(TokenKind::Word, "World", 2);
        t.rewrite(|kind, text, out| {
            if kind == TokenKind::Url {
                return false;
            }
            out.push_str(&text.to_lowercase());
            true
        });
        assert_eq!(t.to_strings(), ["hello", "world"]);
        t.retain(|_, text| text != "hello");
        assert_eq!(t.to_strings(), ["world"]);
        assert_eq!(t.tokens()[0].position, 2);
    }
}

//! Tokenizers: text → [`Tokens`]. [`SocialTokenizer`] knows social text (URLs, @mentions,
//! #hashtags split at case boundaries, emoji, numbers, contractions) and applies Unicode NFKC
//! first; it keeps case (the [`LowerCaser`](super::LowerCaser) filter folds it) because hashtag
//! splitting needs it. What happens to tokens afterwards belongs to the filters.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use super::chars::{
    is_apostrophe, is_emoji, is_emoji_modifier, is_ideograph, is_regional_indicator, is_word_char,
};
use super::hashtag::split_parts;
use super::tokens::{TokenKind, Tokens};

/// Splits a text into tokens.
pub trait Tokenizer: Send + Sync + std::fmt::Debug {
    /// Clears `out` and fills it with the tokens of `text`.
    fn tokenize(&self, text: &str, out: &mut Tokens);

    /// True when tokenizing a text equals tokenizing its chunks (see
    /// [`chunks`](super::chunks)) one by one, each with the whitespace byte after it, and
    /// concatenating the tokens (positions aside). Default: false.
    fn chunk_local(&self) -> bool {
        false
    }
}

/// The tokenizer for social posts.
///
/// | input | tokens (kind) |
/// |---|---|
/// | `https://t.co/x?a=1` | `https://t.co/x?a=1` (Url; trailing `.,;:!?)` dropped) |
/// | `@Jack_Dorsey` | `@Jack_Dorsey` (Mention) |
/// | `#GardeningTips` | `#GardeningTips` (Hashtag), `Gardening`, `Tips` (HashtagPart) |
/// | `1,000.5` `10:30` | Number |
/// | `don’t` | `don't` (Word; apostrophes unified) |
/// | `Curry's` | `Curry` (possessive `'s` dropped, but `it's`, `that's`, … kept) |
/// | `😀` `👍🏽` `👨‍👩‍👧` `🇫🇷` | one Emoji each |
/// | `中文` | `中`, `文` (one token per ideograph) |
/// | `ｆｕｌｌｗｉｄｔｈ` | `fullwidth` (NFKC) |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocialTokenizer {
    /// Apply Unicode NFKC before tokenizing (default: yes; ASCII text skips it at no cost).
    pub nfkc: bool,
}

impl Default for SocialTokenizer {
    fn default() -> Self {
        SocialTokenizer { nfkc: true }
    }
}

impl Tokenizer for SocialTokenizer {
    fn tokenize(&self, text: &str, out: &mut Tokens) {
        out.clear();
        if self.nfkc && !text.is_ascii() && is_nfkc_quick(text.chars()) != IsNormalized::Yes {
            let mut normalized = std::mem::take(&mut out.normalized);
            normalized.clear();
            normalized.extend(text.nfkc());
            Scanner::new(&normalized, out).run();
            out.normalized = normalized;
        } else {
            Scanner::new(text, out).run();
        }
    }

    /// Yes: every rule looks at most one character past a token (`prev_is_word`, the next
    /// character of a word, mention, hashtag or emoji), and an ASCII whitespace character
    /// there answers like the start or end of the text; URLs end at whitespace. The one rule
    /// that tells "whitespace follows" from "the text ends" (a URL prefix needs a character
    /// after it) sees the same because each chunk is tokenized with its whitespace byte.
    /// NFKC maps ASCII whitespace to itself, and nothing composes with or across it.
    fn chunk_local(&self) -> bool {
        true
    }
}

/// Contractions whose `'s` is not a possessive.
const S_CONTRACTIONS: &[&str] = &[
    "it", "he", "she", "that", "what", "there", "here", "where", "who", "let", "how",
];

struct Scanner<'a, 'o> {
    s: &'a str,
    pos: usize,
    position: u32,
    out: &'o mut Tokens,
    /// Take the ASCII shortcuts (off only in tests, which compare both ways).
    ascii_fast: bool,
}

impl<'a, 'o> Scanner<'a, 'o> {
    fn new(s: &'a str, out: &'o mut Tokens) -> Self {
        Scanner {
            s,
            pos: 0,
            position: 0,
            out,
            ascii_fast: true,
        }
    }

    fn peek(&self, at: usize) -> Option<char> {
        self.s[at..].chars().next()
    }

    fn emit(&mut self, kind: TokenKind, text: &str) {
        self.out.push(kind, text, self.position);
        self.position += 1;
    }

    /// Whether the character before byte `at` is a word character (a byte test when ASCII).
    fn prev_is_word(&self, at: usize) -> bool {
        match self.s.as_bytes()[..at].last() {
            None => false,
            Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
            Some(_) => self.s[..at].chars().next_back().is_some_and(is_word_char),
        }
    }

    fn run(mut self) {
        let bytes = self.s.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            // ASCII that starts nothing (spaces, punctuation): no word, ideograph or emoji
            // character is ASCII, and URLs, mentions and hashtags start with a letter, `@`, `#`.
            if self.ascii_fast
                && b.is_ascii()
                && !(b.is_ascii_alphanumeric() || b == b'@' || b == b'#')
            {
                self.pos += 1;
                continue;
            }
            let Some(c) = self.peek(self.pos) else { break };
            let start = self.pos;
            if c.is_ascii_alphabetic() && !self.prev_is_word(start) && self.url_start() {
                self.url();
            } else if c == '@'
                && !self.prev_is_word(start)
                && self.next_is(|n| n.is_ascii_alphanumeric() || n == '_')
            {
                self.mention();
            } else if c == '#' && !self.prev_is_word(start) && self.next_is(is_word_char) {
                self.hashtag();
            } else if is_word_char(c) {
                self.word();
            } else if is_ideograph(c) {
                self.pos += c.len_utf8();
                self.emit(TokenKind::Word, &self.s[start..self.pos]);
            } else if is_emoji(c) {
                self.emoji(c);
            } else {
                self.pos += c.len_utf8();
            }
        }
    }

    fn next_is(&self, f: impl Fn(char) -> bool) -> bool {
        self.s[self.pos + 1..].chars().next().is_some_and(f)
    }

    fn url_start(&self) -> bool {
        let rest = self.s[self.pos..].as_bytes();
        let starts = |p: &[u8]| rest.len() > p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
        starts(b"http://") || starts(b"https://") || starts(b"www.")
    }

    fn url(&mut self) {
        let start = self.pos;
        let end = self.s[start..]
            .find(char::is_whitespace)
            .map_or(self.s.len(), |i| start + i);
        self.pos = end;
        let url =
            self.s[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
        self.emit(TokenKind::Url, url);
    }

    fn mention(&mut self) {
        let start = self.pos;
        self.pos += 1;
        self.pos += self.s[self.pos..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        self.emit(TokenKind::Mention, &self.s[start..self.pos]);
    }

    fn hashtag(&mut self) {
        let start = self.pos;
        self.pos += 1;
        self.pos += self.s[self.pos..]
            .char_indices()
            .find(|&(_, c)| !(is_word_char(c) || c == '_'))
            .map_or(self.s.len() - self.pos, |(i, _)| i);
        let s = self.s;
        self.emit(TokenKind::Hashtag, &s[start..self.pos]);
        split_parts(&s[start + 1..self.pos], |part, is_number| {
            let kind = if is_number {
                TokenKind::Number
            } else {
                TokenKind::HashtagPart
            };
            self.emit(kind, part);
        });
    }

    /// A word or a number: word characters with inner apostrophes; digits with inner `.,:`.
    fn word(&mut self) {
        if !(self.ascii_fast && self.word_ascii()) {
            self.word_unicode();
        }
    }

    /// [`Scanner::word`] by bytes when the word and the character after it are ASCII (most
    /// words); false, having done nothing, otherwise.
    fn word_ascii(&mut self) -> bool {
        let b = self.s.as_bytes();
        let start = self.pos;
        let (mut numeric, mut apostrophe) = (true, false);
        let mut i = start;
        while let Some(&c) = b.get(i) {
            let next = b.get(i + 1).copied();
            if !c.is_ascii() || next.is_some_and(|n| !n.is_ascii()) {
                return false;
            }
            if c.is_ascii_alphanumeric() {
                numeric &= c.is_ascii_digit();
            } else if c == b'\'' && next.is_some_and(|n| n.is_ascii_alphabetic()) && !numeric {
                apostrophe = true;
            } else if matches!(c, b'.' | b',' | b':')
                && numeric
                && next.is_some_and(|n| n.is_ascii_digit())
            {
            } else {
                break;
            }
            i += 1;
        }
        self.pos = i;
        self.emit_word(start, i, numeric, apostrophe);
        true
    }

    /// [`Scanner::word`] for any text.
    fn word_unicode(&mut self) {
        let s = self.s;
        let start = self.pos;
        let mut numeric = true;
        let mut apostrophe = false;
        let mut iter = s[start..].char_indices().peekable();
        let mut end = start;
        while let Some((i, c)) = iter.next() {
            let next = iter.peek().map(|&(_, n)| n);
            if is_word_char(c) {
                numeric &= c.is_ascii_digit();
            } else if is_apostrophe(c) && next.is_some_and(char::is_alphabetic) && !numeric {
                apostrophe = true;
            } else if matches!(c, '.' | ',' | ':')
                && numeric
                && next.is_some_and(|n| n.is_ascii_digit())
            {
            } else {
                break;
            }
            end = start + i + c.len_utf8();
        }
        self.pos = end;
        self.emit_word(start, end, numeric, apostrophe);
    }

    fn emit_word(&mut self, start: usize, end: usize, numeric: bool, apostrophe: bool) {
        let s = self.s;
        let text = &s[start..end];
        if numeric {
            self.emit(TokenKind::Number, text);
        } else if apostrophe {
            self.contraction(text);
        } else {
            self.emit(TokenKind::Word, text);
        }
    }

    /// Writes a word with apostrophes unified to `'`, its possessive `'s` dropped.
    fn contraction(&mut self, text: &str) {
        let arena_start = self.out.arena_mut().len();
        let arena = self.out.arena_mut();
        for c in text.chars() {
            arena.push(if is_apostrophe(c) { '\'' } else { c });
        }
        let word = &arena[arena_start..];
        if let Some(stem) = word.strip_suffix("'s").or_else(|| word.strip_suffix("'S")) {
            if !S_CONTRACTIONS.iter().any(|k| stem.eq_ignore_ascii_case(k)) {
                let keep = arena_start + stem.len();
                arena.truncate(keep);
            }
        }
        self.out
            .push_span(TokenKind::Word, arena_start, self.position);
        self.position += 1;
    }

    /// One emoji with its modifiers and zero-width-joined followers; two regional indicators
    /// make one flag.
    fn emoji(&mut self, first: char) {
        let start = self.pos;
        self.pos += first.len_utf8();
        if is_regional_indicator(first) {
            if let Some(c) = self.peek(self.pos).filter(|&c| is_regional_indicator(c)) {
                self.pos += c.len_utf8();
            }
        }
        while let Some(c) = self.peek(self.pos) {
            if is_emoji_modifier(c) {
                self.pos += c.len_utf8();
            } else if c == '\u{200D}' {
                match self.peek(self.pos + 3) {
                    Some(n) if is_emoji(n) => self.pos += 3 + n.len_utf8(),
                    _ => break,
                }
            } else {
                break;
            }
        }
        self.emit(TokenKind::Emoji, &self.s[start..self.pos]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(text: &str) -> Vec<(TokenKind, String)> {
        let mut out = Tokens::new();
        SocialTokenizer::default().tokenize(text, &mut out);
        out.iter().map(|(k, t)| (k, t.to_owned())).collect()
    }

    fn texts(text: &str) -> Vec<String> {
        tok(text).into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn urls_mentions_hashtags() {
        use TokenKind::*;
        let t = tok("RT @Jack_D: see https://t.co/AbC?x=1. #GardeningTips!");
        assert_eq!(
            t,
            vec![
                (Word, "RT".into()),
                (Mention, "@Jack_D".into()),
                (Word, "see".into()),
                (Url, "https://t.co/AbC?x=1".into()),
                (Hashtag, "#GardeningTips".into()),
                (HashtagPart, "Gardening".into()),
                (HashtagPart, "Tips".into()),
            ]
        );
        assert_eq!(texts("mail me: a@b.com"), ["mail", "me", "a", "b", "com"]);
        assert_eq!(
            texts("www.bbc.co.uk/news, ok"),
            ["www.bbc.co.uk/news", "ok"]
        );
        assert_eq!(texts("C#"), ["C"]);
    }

    #[test]
    fn numbers_contractions_possessives() {
        use TokenKind::*;
        assert_eq!(
            tok("1,000.5 at 10:30, 3."),
            vec![
                (Number, "1,000.5".into()),
                (Word, "at".into()),
                (Number, "10:30".into()),
                (Number, "3".into())
            ]
        );
        assert_eq!(
            texts("don’t Curry's it's 'quoted'"),
            ["don't", "Curry", "it's", "quoted"]
        );
        assert_eq!(texts("2nd covid19"), ["2nd", "covid19"]);
    }

    #[test]
    fn emoji_sequences_and_flags() {
        let t = tok("wow😀👍🏽👨‍👩‍👧🇫🇷❤️");
        let kinds: Vec<_> = t.iter().map(|(k, _)| *k).collect();
        assert_eq!(t[0].1, "wow");
        assert_eq!(&kinds[1..], [TokenKind::Emoji; 5]);
        assert_eq!(t[3].1, "👨‍👩‍👧");
        assert_eq!(t[4].1, "🇫🇷");
    }

    #[test]
    fn nfkc_ideographs_and_marks() {
        assert_eq!(texts("ｆｕｌｌｗｉｄｔｈ ﬁne"), ["fullwidth", "fine"]);
        assert_eq!(texts("中文ok"), ["中", "文", "ok"]);
        assert_eq!(texts("नमस्ते दुनिया"), ["नमस्ते", "दुनिया"]);
        assert_eq!(texts(""), Vec::<String>::new());
        assert_eq!(texts("  ... !!! "), Vec::<String>::new());
    }

    proptest::proptest! {
        /// The ASCII shortcuts give exactly the tokens of the general character loop.
        #[test]
        fn ascii_shortcuts_match_the_general_scanner(
            text in "([a-zA-Z0-9 .,:'’@#_!?/é中😀-]|https://t\\.co/x|www\\.a\\.b|\u{301}|\u{2019}s){0,40}"
        ) {
            let mut fast = Tokens::new();
            Scanner::new(&text, &mut fast).run();
            let mut slow = Tokens::new();
            let mut reference = Scanner::new(&text, &mut slow);
            reference.ascii_fast = false;
            reference.run();
            let pairs = |t: &Tokens| -> Vec<(TokenKind, String, u32)> {
                t.tokens().iter().map(|k| (k.kind, t.text(k).to_owned(), k.position)).collect()
            };
            proptest::prop_assert_eq!(pairs(&fast), pairs(&slow));
        }
    }

    #[test]
    fn positions_count_tokens() {
        let mut out = Tokens::new();
        SocialTokenizer::default().tokenize("a #BigDay b", &mut out);
        let pos: Vec<u32> = out.tokens().iter().map(|t| t.position).collect();
        assert_eq!(pos, [0, 1, 2, 3, 4]);
    }
}

//! Character classes the social tokenizer needs: word characters (letters, digits, combining
//! marks), ideographs that form one token each, and emoji with their modifiers. Tables are small
//! hand-written range checks, ordered so that ASCII answers first.

/// Letters, digits and combining marks (so that Devanagari or Thai vowel signs stay inside
/// their word).
#[inline]
pub(super) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    (c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)) && !is_ideograph(c)
}

/// Han ideographs and Japanese kana: scripts written without spaces, one token per character.
#[inline]
pub(super) fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FFFF) // CJK extensions B–F
}

/// Characters that start an emoji.
#[inline]
pub(super) fn is_emoji(c: char) -> bool {
    let u = c as u32;
    if u < 0x2000 {
        return matches!(u, 0xA9 | 0xAE);
    }
    matches!(u,
        0x1F000..=0x1FAFF     // pictographs, emoticons, transport, flags' regional indicators
        | 0x2600..=0x27BF     // miscellaneous symbols, dingbats
        | 0x231A..=0x231B | 0x2328 | 0x23CF | 0x23E9..=0x23FA
        | 0x2B05..=0x2B07 | 0x2B1B..=0x2B1C | 0x2B50 | 0x2B55
        | 0x203C | 0x2049 | 0x2194..=0x21AA | 0x24C2 | 0x25AA..=0x25FE
        | 0x3030 | 0x303D | 0x3297 | 0x3299)
}

/// Characters that continue an emoji: variation selectors, skin tones, the keycap mark and tag
/// characters (subdivision flags). A zero-width joiner is handled by the tokenizer.
#[inline]
pub(super) fn is_emoji_modifier(c: char) -> bool {
    matches!(c as u32, 0xFE0E..=0xFE0F | 0x1F3FB..=0x1F3FF | 0x20E3 | 0xE0020..=0xE007F)
}

/// Regional indicator letters: two of them make a flag.
#[inline]
pub(super) fn is_regional_indicator(c: char) -> bool {
    matches!(c as u32, 0x1F1E6..=0x1F1FF)
}

/// Apostrophes inside words (`don't`, `don’t`); written as `'` in tokens.
#[inline]
pub(super) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_word_char('a') && is_word_char('é') && is_word_char('9'));
        assert!(is_word_char('\u{093E}')); // Devanagari vowel sign AA
        assert!(!is_word_char('中') && is_ideograph('中'));
        assert!(is_emoji('😀') && is_emoji('❤') && is_emoji('🇫'));
        assert!(!is_emoji('a') && !is_emoji('#'));
        assert!(is_emoji_modifier('\u{1F3FD}') && is_emoji_modifier('\u{FE0F}'));
    }
}

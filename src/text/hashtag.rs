//! Splitting a hashtag body into words at case and digit boundaries: `GardeningTips` →
//! `Gardening`, `Tips`; `NBAFinals2024` → `NBA`, `Finals`, `2024`; `black_friday` → `black`,
//! `friday`. An all-lower-case tag (`#gardeningtips`) stays one part: no dictionary is used.

/// Calls `part(text, is_number)` for each part of `body` (the hashtag without `#`), in order.
pub(super) fn split_parts(body: &str, mut part: impl FnMut(&str, bool)) {
    let mut start = 0;
    let mut prev: Option<char> = None;
    let mut iter = body.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '_' {
            emit(&body[start..i], &mut part);
            start = i + c.len_utf8();
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            let next = iter.peek().map(|&(_, n)| n);
            if is_boundary(p, c, next) {
                emit(&body[start..i], &mut part);
                start = i;
            }
        }
        prev = Some(c);
    }
    emit(&body[start..], &mut part);
}

fn emit(text: &str, part: &mut impl FnMut(&str, bool)) {
    if !text.is_empty() {
        part(text, text.chars().all(|c| c.is_ascii_digit()));
    }
}

/// A boundary between `p` and `c` (with `next` after `c`).
fn is_boundary(p: char, c: char, next: Option<char>) -> bool {
    let digit_change = p.is_numeric() != c.is_numeric();
    let lower_upper = p.is_lowercase() && c.is_uppercase();
    // The last capital of an acronym starts the next word: `NBAFinals` → `NBA` | `Finals`.
    let acronym_end =
        p.is_uppercase() && c.is_uppercase() && next.is_some_and(|n| n.is_lowercase());
    digit_change || lower_upper || acronym_end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(body: &str) -> Vec<String> {
        let mut v = Vec::new();
        split_parts(body, |t, _| v.push(t.to_owned()));
        v
    }

    #[test]
    fn camel_case_acronyms_digits_underscores() {
        assert_eq!(parts("GardeningTips"), ["Gardening", "Tips"]);
        assert_eq!(parts("NBAFinals2024"), ["NBA", "Finals", "2024"]);
        assert_eq!(parts("black_friday"), ["black", "friday"]);
        assert_eq!(parts("gardeningtips"), ["gardeningtips"]);
        assert_eq!(parts("COVID19"), ["COVID", "19"]);
        assert_eq!(parts("ÉtéChaud"), ["Été", "Chaud"]);
        assert_eq!(parts("__"), Vec::<String>::new());
    }
}

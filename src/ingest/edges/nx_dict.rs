//! Edge-list records that end in a Python dict of edge data, as networkx's `write_edgelist`
//! writes them by default (`1 2 {}`, `a b {'weight': 3.5, 'color': 'red'}`): the two ids, then
//! the dict, whose `weight` entry is the edge weight.

use crate::ingest::skips::SkipKind;

/// A malformed record: the kind to count it as and what was wrong.
pub(super) type Bad = (SkipKind, String);

/// `(src, dst, dict)` when the record's third field opens a dict; `None` for any other record.
pub(super) fn split(line: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    memchr::memchr(b'{', line)?;
    let (a, rest) = field(line);
    let (b, rest) = field(rest);
    let rest = skip_blanks(rest);
    (!a.is_empty() && !b.is_empty() && rest.first() == Some(&b'{')).then_some((a, b, rest))
}

/// The weight a dict gives when read `weighted`: its `weight` entry, 1 without one (or when
/// not weighted; the dict must be well-formed either way).
pub(super) fn weight(dict: &[u8], weighted: bool) -> Result<f64, Bad> {
    let mut weight = None;
    entries(dict, |key, value| {
        if key == "weight" {
            weight = Some(value);
        }
    })?;
    match weight.filter(|_| weighted) {
        None => Ok(1.0),
        Some(v) => number(v).ok_or_else(|| (SkipKind::BadWeight, super::bad_weight(v))),
    }
}

/// The first blank-separated field and what follows it.
fn field(line: &[u8]) -> (&[u8], &[u8]) {
    let line = skip_blanks(line);
    let end = line
        .iter()
        .position(|&c| c == b' ' || c == b'\t')
        .unwrap_or(line.len());
    line.split_at(end)
}

fn skip_blanks(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|&c| c != b' ' && c != b'\t')
        .unwrap_or(s.len());
    &s[start..]
}

/// Hands `(key, raw value)` of every entry of a dict literal to `f`; string keys unquoted.
fn entries<'a>(dict: &'a [u8], mut f: impl FnMut(String, &'a [u8])) -> Result<(), Bad> {
    let bad = |what: &str| {
        (
            SkipKind::BadAttributes,
            format!(
                "edge data `{}` is not a Python dict: {what}",
                String::from_utf8_lossy(dict)
            ),
        )
    };
    let inner = dict
        .strip_prefix(b"{")
        .and_then(|d| d.strip_suffix(b"}"))
        .ok_or_else(|| bad("it must be `{…}` and end the line"))?;
    let mut rest = inner;
    loop {
        rest = skip_blanks(rest);
        if rest.is_empty() {
            return Ok(());
        }
        let (key, after) = item(rest).map_err(&bad)?;
        let after = skip_blanks(after);
        let after = after
            .strip_prefix(b":")
            .ok_or_else(|| bad("expected `:` after a key"))?;
        let (value, after) = item(skip_blanks(after)).map_err(&bad)?;
        f(unquote(key), trim_end(value));
        rest = skip_blanks(after);
        match rest.first() {
            None => return Ok(()),
            Some(b',') => rest = &rest[1..],
            Some(_) => return Err(bad("expected `,` between entries")),
        }
    }
}

/// One key or value at the start of `s` (up to a `,` or `:` outside quotes and brackets) and
/// what follows it.
fn item(s: &[u8]) -> Result<(&[u8], &[u8]), &'static str> {
    let mut depth = 0usize;
    let mut quote = None;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        match quote {
            Some(_) if c == b'\\' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'\'' | b'"' => quote = Some(c),
                b'[' | b'(' | b'{' => depth += 1,
                b']' | b')' | b'}' if depth == 0 => return Err("unbalanced brackets"),
                b']' | b')' | b'}' => depth -= 1,
                b',' | b':' if depth == 0 => break,
                _ => {}
            },
        }
        i += 1;
    }
    if quote.is_some() || depth > 0 {
        return Err("an unclosed quote or bracket");
    }
    if i == 0 {
        return Err("an empty key or value");
    }
    Ok(s.split_at(i))
}

fn trim_end(s: &[u8]) -> &[u8] {
    let end = s
        .iter()
        .rposition(|&c| c != b' ' && c != b'\t')
        .map_or(0, |i| i + 1);
    &s[..end]
}

/// A key as text: a quoted string without its quotes (escapes kept), else the token.
fn unquote(key: &[u8]) -> String {
    let key = trim_end(key);
    let inner = match key {
        [q @ (b'\'' | b'"'), mid @ .., last] if last == q => mid,
        _ => key,
    };
    String::from_utf8_lossy(inner).into_owned()
}

/// A weight value: a number, or one wrapped in a numeric type's constructor as numpy prints
/// its scalars (`np.float64(2.5)`).
fn number(v: &[u8]) -> Option<f64> {
    let v = match v.iter().position(|&c| c == b'(') {
        Some(open) if v.last() == Some(&b')') => {
            let name = &v[..open];
            let named = name
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'.');
            if !named || name.is_empty() {
                return None;
            }
            trim_end(skip_blanks(&v[open + 1..v.len() - 1]))
        }
        _ => v,
    };
    super::parse_weight(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_records_with_a_dict() {
        let (a, b, d) = split(b"1 2 {'weight': 3, 'c': 'x y'}").unwrap();
        assert_eq!(
            (a, b, d),
            (&b"1"[..], &b"2"[..], &b"{'weight': 3, 'c': 'x y'}"[..])
        );
        assert!(split(b"1 2 3").is_none());
        assert!(split(b"{a} b").is_none());
        assert_eq!(split(b"a\tb\t{}").unwrap().2, b"{}");
    }

    fn weight_of(dict: &[u8]) -> Result<f64, Bad> {
        weight(dict, true)
    }

    #[test]
    fn the_weight_entry_is_the_weight() {
        assert_eq!(weight(b"{'weight': 'heavy'}", false).unwrap(), 1.0);
        assert!(weight(b"{'weight' 3}", false).is_err());
        assert_eq!(weight_of(b"{}").unwrap(), 1.0);
        assert_eq!(weight_of(b"{'weight': 3}").unwrap(), 3.0);
        assert_eq!(weight_of(b"{\"weight\": 2.5e0}").unwrap(), 2.5);
        assert_eq!(
            weight_of(b"{'c': {'weight': 9, 'l': [1, 2]}, 'weight': np.float64(0.5)}").unwrap(),
            0.5
        );
        assert_eq!(
            weight_of(b"{'label': 'a, b: c', 'weight': 4}").unwrap(),
            4.0
        );
        let (kind, msg) = weight_of(b"{'weight': 'heavy'}").unwrap_err();
        assert_eq!(kind, SkipKind::BadWeight, "{msg}");
        for bad in [
            &b"{'weight' 3}"[..],
            b"{'weight': 3",
            b"{'a': [1}",
            b"{'a': 1 'b': 2}",
        ] {
            let (kind, msg) = weight_of(bad).unwrap_err();
            assert_eq!(kind, SkipKind::BadAttributes, "{msg}");
        }
    }
}

//! Text from the data made safe for where it is shown: CSV cells that a spreadsheet would run
//! as formulas, and control characters that a terminal would obey. (HTML escaping is in
//! `html`; Markdown in `md`.) Renderers and the CLI call these on every text that came from
//! input — ids, handles, names, post texts — and never on the numbers they format.

use std::borrow::Cow;

/// A CSV cell neutralised against formula injection, as OWASP recommends: a text starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'`, so that
/// spreadsheets show it as text instead of evaluating it. A cell that is a plain number
/// (`-5`, `+1.5e3`) is left as it is: numbers stay numbers. Quoting is left to the CSV writer.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    let risky = matches!(
        s.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if risky && s.parse::<f64>().map_or(true, |x| !x.is_finite()) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A text for a terminal: every control character (C0, DEL, C1: escape sequences, bells,
/// carriage returns, backspaces) written as a visible `\u{…}` escape, and the backslash as
/// `\\` only when an escape was needed, so that ordinary ids print unchanged.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+cmd"), "'+cmd");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("\rx"), "'\rx");
        assert_eq!(csv_cell("-inf"), "'-inf");
        for n in ["-5", "+1.5e3", "-0.25", "42", "tw:alice", ""] {
            assert_eq!(csv_cell(n), n);
        }
    }

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(terminal("alice"), "alice");
        assert_eq!(terminal("a\\b"), "a\\b");
        assert_eq!(terminal("\x1b]0;pwned\x07x"), "\\u{1b}]0;pwned\\u{7}x");
        assert_eq!(terminal("a\\\x1b[2J"), "a\\\\\\u{1b}[2J");
        assert_eq!(terminal("\u{9b}31m"), "\\u{9b}31m");
    }
}

//! The common edge-list record, `digits sep digits [\r…]`, parsed eight bytes at a time (SWAR):
//! one load finds where a number ends and three multiplications give its value, so the number's
//! length costs no branch. Anything else (weights, comments, long ids, errors) is left to the
//! general record parser.

/// Parses the record starting at `body[start]` when it is `a sep b` with canonical decimal ids
/// (no leading zeros), `sep` one or more spaces or tabs, and the line ending at `\n`, `\r`s or
/// the end of `body`. Returns `(a, b, end)`, `end` being the index of the line's `\n` (or
/// `body.len()`); `None` for any other line.
#[inline(always)]
pub(super) fn fast_line(body: &[u8], start: usize) -> Option<(u64, u64, usize)> {
    let (a, i) = number_at(body, start)?;
    let mut j = i;
    while matches!(body.get(j), Some(b' ' | b'\t')) {
        j += 1;
    }
    if j == i {
        return None;
    }
    let (b, mut k) = number_at(body, j)?;
    while body.get(k) == Some(&b'\r') {
        k += 1;
    }
    match body.get(k) {
        None | Some(b'\n') => Some((a, b, k)),
        _ => None,
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// The canonical decimal at `s[i..]` and the index just past it.
#[inline(always)]
pub(super) fn number_at(s: &[u8], i: usize) -> Option<(u64, usize)> {
    if let Some(bytes) = s.get(i..i + 8) {
        let w = u64::from_le_bytes(bytes.try_into().ok()?);
        // A byte is a digit when its high nibble is 3 and adding 6 keeps it so. A carry out of
        // a byte ≥ 0xFA can only spoil bytes after a non-digit, which are never read.
        let high = 0xF0 * ONES;
        let not_digit =
            ((w & high) ^ (0x30 * ONES)) | ((w.wrapping_add(0x06 * ONES) & high) ^ (0x30 * ONES));
        if not_digit != 0 {
            let n = (not_digit.trailing_zeros() / 8) as usize;
            if n == 0 || (n > 1 && bytes[0] == b'0') {
                return None;
            }
            // The digits move to the top bytes; the zero bytes below are leading zeros.
            let value = eight_digits((w & (0x0F * ONES)) << (8 * (8 - n)));
            return Some((value, i + n));
        }
    }
    scalar_number(s, i)
}

/// Eight digit values, the most significant in the lowest byte, as one number (Lemire's
/// `parse_eight_digits_unrolled`).
#[inline]
fn eight_digits(mut v: u64) -> u64 {
    // The products overflow on purpose: only their top parts are kept.
    v = v.wrapping_mul(2561) >> 8;
    v = (v & 0x00FF_00FF_00FF_00FF).wrapping_mul(6_553_601) >> 16;
    (v & 0x0000_FFFF_0000_FFFF).wrapping_mul(42_949_672_960_001) >> 32
}

/// Numbers of eight or more digits, and numbers near the end of `s`: at most 19 digits (longer
/// ones may overflow and are left to the general parser).
#[inline]
fn scalar_number(s: &[u8], i: usize) -> Option<(u64, usize)> {
    let mut x = 0u64;
    let mut n = 0;
    while let Some(d) = s
        .get(i + n)
        .map(|c| c.wrapping_sub(b'0'))
        .filter(|&d| d <= 9)
    {
        if n == 19 {
            return None;
        }
        x = x * 10 + d as u64;
        n += 1;
    }
    if n == 0 || (s[i] == b'0' && n > 1) {
        return None;
    }
    Some((x, i + n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lines_that_take_the_fast_path() {
        let body = b"12 34\n7\t\t0\r\r\n1234567890123 5";
        assert_eq!(fast_line(body, 0), Some((12, 34, 5)));
        assert_eq!(fast_line(body, 6), Some((7, 0, 12)));
        assert_eq!(fast_line(body, 13), Some((1234567890123, 5, body.len())));
    }

    #[test]
    fn lines_left_to_the_general_parser() {
        for line in [
            &b"12 34 1.5"[..],
            b"12 34 ",
            b"012 34",
            b"12 034",
            b" 12 34",
            b"12",
            b"12 ",
            b"# 1 2",
            b"12,34",
            b"1x 2",
            b"12 3x",
            b"99999999999999999999 1",
            b"",
        ] {
            assert_eq!(
                fast_line(line, 0),
                None,
                "{}",
                String::from_utf8_lossy(line)
            );
        }
    }

    proptest! {
        /// Any id, at any position in a buffer, parses as `str::parse` does, whatever follows.
        #[test]
        fn numbers_agree_with_std(x in any::<u64>(), digits in 1u32..20, tail in "[ \t\r\n:a0-9]{0,9}") {
            let x = if digits < 20 { x % 10u64.pow(digits) } else { x };
            let text = format!("{x}{tail}");
            let (got, end) = number_at(text.as_bytes(), 0).unwrap_or((u64::MAX, 0));
            let len = text.bytes().take_while(u8::is_ascii_digit).count();
            if len <= 19 && (len == 1 || !text.starts_with('0')) {
                prop_assert_eq!((got, end), (text[..len].parse::<u64>().unwrap(), len));
            } else {
                prop_assert_eq!(end, 0);
            }
        }
    }
}

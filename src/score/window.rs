//! The time window a score looks at: `(as_of − length, as_of]`, in Unix seconds. Parses window
//! lengths such as `90d`, `12h`, `2w`, `30m`, `45s` or `all`; the as-of instant itself is parsed
//! by [`crate::ingest::time::parse_time`]. Selecting records is left to the measures.

use crate::error::{Error, Result};
use crate::ingest::Interaction;

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// A half-open window `(as_of − length, as_of]`; `length: None` means all time up to `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Window {
    /// The window's end (inclusive), Unix seconds.
    pub as_of: i64,
    /// The window's length in seconds, or `None` for everything up to `as_of`.
    pub length: Option<i64>,
}

impl Window {
    /// Whether an instant lies in the window.
    #[inline]
    pub fn contains(&self, t: i64) -> bool {
        t <= self.as_of
            && self
                .length
                .is_none_or(|len| t > self.as_of.saturating_sub(len))
    }

    /// The same window moved `secs` seconds into the past (for score deltas).
    pub fn back(&self, secs: i64) -> Window {
        Window {
            as_of: self.as_of.saturating_sub(secs),
            length: self.length,
        }
    }

    /// The same length, ending at `as_of`.
    pub fn ending_at(&self, as_of: i64) -> Window {
        Window {
            as_of,
            length: self.length,
        }
    }

    /// The first instant excluded before the window (`None` for all time).
    pub fn start(&self) -> Option<i64> {
        self.length.map(|len| self.as_of.saturating_sub(len))
    }
}

/// A window length for people: `90-day window`, `3600-second window`, `all time`.
pub fn describe(length: Option<i64>) -> String {
    match length {
        Some(w) if w % DAY == 0 => format!("{}-day window", w / DAY),
        Some(w) => format!("{w}-second window"),
        None => "all time".into(),
    }
}

/// Parses a window length: a positive integer with a unit `s`, `m`, `h`, `d` or `w`, or `all`.
///
/// # Example
/// ```
/// use clout::score::window::parse_length;
/// assert_eq!(parse_length("90d").unwrap(), Some(90 * 86_400));
/// assert_eq!(parse_length("all").unwrap(), None);
/// ```
pub fn parse_length(s: &str) -> Result<Option<i64>> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("all") {
        return Ok(None);
    }
    let bad = || {
        Error::param(
            "window",
            format!("`{s}` is not like 90d, 12h, 2w, 30m, 45s or all"),
        )
    };
    let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (num, unit) = s.split_at(split);
    let n: i64 = num.parse().map_err(|_| bad())?;
    let mult = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => DAY,
        "w" => 7 * DAY,
        _ => return Err(bad()),
    };
    if n == 0 {
        return Err(Error::param("window", "must be longer than zero"));
    }
    n.checked_mul(mult).map(Some).ok_or_else(bad)
}

/// The latest interaction time: the default as-of instant. `None` when there are no records.
pub fn latest_time(records: &[Interaction]) -> Option<i64> {
    records.iter().map(|r| r.time).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_membership() {
        assert_eq!(parse_length("2w").unwrap(), Some(14 * DAY));
        assert_eq!(parse_length("12h").unwrap(), Some(43_200));
        for bad in ["", "d", "0d", "5y", "-3d", "1.5d", "99999999999999999w"] {
            assert!(parse_length(bad).is_err(), "{bad}");
        }
        let w = Window {
            as_of: 100,
            length: Some(10),
        };
        assert!(w.contains(100) && w.contains(91) && !w.contains(90) && !w.contains(101));
        assert!(!w.back(5).contains(96) && w.back(5).contains(95));
        let all = Window {
            as_of: 100,
            length: None,
        };
        assert!(all.contains(i64::MIN) && !all.contains(101));
    }
}

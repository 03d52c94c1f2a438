//! Timestamps in input files → Unix seconds: integer or fractional seconds, milliseconds when
//! asked, or RFC 3339 / ISO 8601 UTC (`2012-07-04T09:00:00Z`, `+hh:mm` offsets, `2012-07-04`).

/// Parses a timestamp into Unix seconds; `None` if it is neither a number nor an ISO date.
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(x) = s.parse::<i64>() {
        return Some(x);
    }
    if let Ok(x) = s.parse::<f64>() {
        return (x.is_finite() && x.abs() < 1e15).then(|| x.floor() as i64);
    }
    parse_iso(s)
}

/// The latest instant clout shows and scores at: 9999-12-31T23:59:59Z.
pub const LATEST: i64 = 253_402_300_799;

/// Timestamps far beyond the rest of the data (one typo, `9999-12-31`, would otherwise make
/// the default as-of instant and empty the default window): those after `limit`, the 99.9th
/// percentile of the times plus the larger of one year and the span between their 0.1st and
/// 99.9th percentiles. With fewer than 1,000 times the percentiles are those of the rest of the
/// data: a single stray time is compared with the second latest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FarTimes {
    /// How many times lie beyond `limit`.
    pub count: usize,
    /// The earliest of them.
    pub first: i64,
    /// The latest time within the limit.
    pub latest_rest: i64,
    pub limit: i64,
}

/// The far times among `times`, if any.
pub fn far_times(times: impl Iterator<Item = i64>) -> Option<FarTimes> {
    let mut t: Vec<i64> = times.collect();
    if t.len() < 2 {
        return None;
    }
    // Two selections, not a sort: this runs on every scoring input.
    let last = t.len() - 1;
    let at = |q: f64| (last as f64 * q).floor() as usize;
    let lo = *t.select_nth_unstable(at(0.001)).1;
    let hi = *t.select_nth_unstable(at(0.999)).1;
    let limit = hi.saturating_add(hi.saturating_sub(lo).max(365 * 86_400));
    let far = || t.iter().copied().filter(|&x| x > limit);
    Some(FarTimes {
        count: far().count(),
        first: far().min()?,
        latest_rest: t.iter().copied().filter(|&x| x <= limit).max()?,
        limit,
    })
}

/// Parses Unix milliseconds into seconds.
pub fn parse_millis(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().map(|ms| ms.div_euclid(1000))
}

/// Formats Unix seconds as ISO 8601 UTC (`2012-07-04T09:00:00Z`), the inverse of
/// [`parse_time`] on such strings.
pub fn format_time(t: i64) -> String {
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The proleptic Gregorian date of a day number since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + (m <= 2) as i64, m, d)
}

fn parse_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&mo) || !(1..=days_in_month(y, mo)).contains(&d) {
        return None;
    }
    let mut secs = days_from_civil(y, mo, d) * 86_400;
    if b.len() == 10 {
        return Some(secs);
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if h > 23 || mi > 59 || se > 60 {
        return None;
    }
    secs += h * 3600 + mi * 60 + se;
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let k = frac.bytes().take_while(|c| c.is_ascii_digit()).count();
        if k == 0 {
            return None;
        }
        rest = &frac[k..];
    }
    let offset = match rest {
        "Z" | "z" | "" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let r = &rest[1..];
            if r.len() != 5 || r.as_bytes()[2] != b':' {
                return None;
            }
            let (oh, om): (i64, i64) = (r[0..2].parse().ok()?, r[3..5].parse().ok()?);
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(secs - offset)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stray_year_is_far_a_long_history_is_not() {
        let week: Vec<i64> = (0..5000).map(|k| 1_341_100_000 + 120 * k).collect();
        assert_eq!(far_times(week.iter().copied()), None);
        let stray = parse_time("9999-12-31").unwrap();
        let f = far_times(week.iter().copied().chain([stray])).unwrap();
        assert_eq!(
            (f.count, f.first, f.latest_rest),
            (1, stray, 1_341_100_000 + 120 * 4999)
        );
        // Ten years of daily data, then one more day: nothing is far.
        let decade: Vec<i64> = (0..3700).map(|d| d * 86_400).collect();
        assert_eq!(far_times(decade.into_iter()), None);
        // Three records, one a century later.
        let f = far_times([100, 200, 100 * 365 * 86_400].into_iter()).unwrap();
        assert_eq!((f.count, f.latest_rest), (1, 200));
        assert_eq!(far_times([5].into_iter()), None);
    }

    #[test]
    fn format_time_inverts_parse_time() {
        assert_eq!(format_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_time(1_341_392_400), "2012-07-04T09:00:00Z");
        assert_eq!(format_time(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_time(-1), "1969-12-31T23:59:59Z");
        for t in [-86_400_123, 0, 1_709_164_799, 4_102_444_800, 1_700_006_400] {
            assert_eq!(parse_time(&format_time(t)), Some(t));
        }
    }

    #[test]
    fn known_instants() {
        // Values checked with `date -u -d … +%s`.
        assert_eq!(parse_time("1341100972"), Some(1_341_100_972));
        assert_eq!(parse_time("2012-07-01T00:02:52Z"), Some(1_341_100_972));
        assert_eq!(parse_time("2012-07-01T02:02:52+02:00"), Some(1_341_100_972));
        assert_eq!(parse_time("2012-07-01 00:02:52.250"), Some(1_341_100_972));
        assert_eq!(parse_time("2000-02-29"), Some(951_782_400));
        assert_eq!(parse_time("1969-12-31T23:59:59Z"), Some(-1));
        assert_eq!(parse_time("1.5"), Some(1));
        assert_eq!(parse_millis("1413331199002"), Some(1_413_331_199));
        for bad in [
            "2001-02-29",
            "2012-13-01",
            "yesterday",
            "2012-07-01T25:00:00Z",
            "NaN",
            "",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }
}

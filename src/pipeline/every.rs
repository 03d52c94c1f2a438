//! A service's cadence (`clout run DIR --every P`): runs end at the ends of periods of `P`
//! seconds aligned to the Unix epoch (with `1d`, at 23:59:59 UTC), a period is run once the data
//! has moved past it, and the periods missed while the service was down are caught up.

/// Missed periods caught up at most (the most recent ones).
pub const MAX_CATCH_UP: usize = 31;

/// The end of the latest period of `period` seconds that ended before the one holding
/// `latest`: the data has moved past it.
pub fn period_end(latest: i64, period: i64) -> i64 {
    latest
        .div_euclid(period)
        .saturating_mul(period)
        .saturating_sub(1)
}

/// The period ends strictly between a stored run at `last` and a new run at `end`, oldest
/// first, at most [`MAX_CATCH_UP`] (the most recent).
pub fn missed(last: i64, end: i64, period: i64) -> Vec<i64> {
    let mut e = period_end(last.saturating_add(1), period).saturating_add(period);
    let mut out = Vec::new();
    while e < end {
        out.push(e);
        e = e.saturating_add(period);
    }
    let skip = out.len().saturating_sub(MAX_CATCH_UP);
    out.split_off(skip)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn periods_end_before_the_one_holding_the_latest_record() {
        // 2024-03-05T13:00Z: the latest complete day ended at 2024-03-04T23:59:59Z.
        let t0 = 1_709_251_200; // 2024-03-01T00:00:00Z
        assert_eq!(period_end(t0 + 4 * DAY + 13 * 3_600, DAY), t0 + 4 * DAY - 1);
        // A record at the very start of a day completes the day before.
        assert_eq!(period_end(t0 + 4 * DAY, DAY), t0 + 4 * DAY - 1);
        assert_eq!(period_end(t0 + 4 * DAY - 1, DAY), t0 + 3 * DAY - 1);
        assert_eq!(period_end(-1, DAY), -DAY - 1, "before the epoch too");
    }

    #[test]
    fn missed_periods_are_those_between_oldest_first_and_capped() {
        let end = |d: i64| (d + 1) * DAY - 1;
        assert_eq!(missed(end(3), end(6), DAY), vec![end(4), end(5)]);
        assert_eq!(missed(end(5), end(6), DAY), Vec::<i64>::new());
        // A stored run at an instant that is no period end: the next end after it.
        assert_eq!(missed(end(3) - 500, end(5), DAY), vec![end(3), end(4)]);
        let many = missed(end(0), end(100), DAY);
        assert_eq!(many.len(), MAX_CATCH_UP);
        assert_eq!(many.last(), Some(&end(99)));
    }
}

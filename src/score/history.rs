//! History and change, one definition for every output (`score`, `run` and the store,
//! `history`, the API, reports): an account's change over a look-back L (a day, a week, a
//! month of 30 days) is its score at `as_of` minus its score at `as_of − L`, re-scored from the
//! same inputs with the same window length and calibration; **none** when the data does not
//! reach that far back (no interaction at or before `as_of − L`) or the account did not exist
//! then (it neither acted nor was acted on at or before `as_of − L`).

use rayon::prelude::*;

use super::{score, Inputs, Scores, ValidScoreParams};
use crate::error::Result;
use crate::ingest::Interactions;

/// Score changes of one account (`None`: not defined, see the module).
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Delta {
    pub day: Option<f64>,
    pub week: Option<f64>,
    pub month: Option<f64>,
}

impl Delta {
    /// Every change mapped by `f` (rounding for display, say).
    pub fn map(self, f: impl Fn(f64) -> f64) -> Delta {
        Delta {
            day: self.day.map(&f),
            week: self.week.map(&f),
            month: self.month.map(&f),
        }
    }
}

/// The look-backs, in days.
pub const LOOKBACK_DAYS: [i64; 3] = [1, 7, 30];

/// The instant each account first acted or was acted on (`i64::MAX`: never).
pub fn first_seen(inter: &Interactions) -> Vec<i64> {
    let mut first = vec![i64::MAX; inter.accounts.len()];
    for r in &inter.records {
        for v in [r.actor, r.target] {
            let f = &mut first[v as usize];
            *f = (*f).min(r.time);
        }
    }
    first
}

/// Whether each account existed at `as_of`: it acted or was acted on at or before it.
pub fn present_at(inter: &Interactions, as_of: i64) -> Vec<bool> {
    let mut present = vec![false; inter.accounts.len()];
    for r in inter.records.iter().filter(|r| r.time <= as_of) {
        present[r.actor as usize] = true;
        present[r.target as usize] = true;
    }
    present
}

/// The instants the changes compare with: `as_of − L` for each look-back, `None` where the
/// data (whose first record is at `earliest`) does not reach back to it.
pub fn past_instants(as_of: i64, earliest: Option<i64>) -> [Option<i64>; 3] {
    LOOKBACK_DAYS.map(|days| {
        let then = as_of.checked_sub(days * super::window::DAY)?;
        earliest.is_some_and(|e| e <= then).then_some(then)
    })
}

/// The changes of every entity from its score `now[v]`, the scores `then[k]` at the past
/// instants `at[k]` (`None`: not defined there) and the instant it first appeared
/// (`first[v]`).
pub fn changes(
    now: &[f64],
    first: &[i64],
    at: &[Option<i64>; 3],
    then: &[Option<Vec<f64>>; 3],
) -> Vec<Delta> {
    let change = |k: usize, v: usize| match (at[k], &then[k]) {
        (Some(t), Some(past)) if first[v] <= t => Some(now[v] - past[v]),
        _ => None,
    };
    (0..now.len())
        .map(|v| Delta {
            day: change(0, v),
            week: change(1, v),
            month: change(2, v),
        })
        .collect()
}

/// Every account's changes (see the module), the re-scorings in parallel (each is
/// deterministic, so the result does not depend on the threads).
pub fn deltas(input: &Inputs, now: &Scores) -> Result<Vec<Delta>> {
    deltas_known(input, now, Default::default())
}

/// The look-back instants of a scoring of `inter` as of `as_of` ([`past_instants`] from its
/// first record).
pub fn lookbacks(inter: &Interactions, as_of: i64) -> [Option<i64>; 3] {
    let earliest = inter.records.iter().map(|r| r.time).min();
    past_instants(as_of, earliest)
}

/// [`deltas`], taking the scores at a look-back instant from `known` where given (a stored run
/// that is that re-scoring) and re-scoring the others.
pub fn deltas_known(
    input: &Inputs,
    now: &Scores,
    mut known: [Option<Vec<f64>>; 3],
) -> Result<Vec<Delta>> {
    let inter = input.interactions;
    let at = lookbacks(inter, now.params.window.as_of);
    let todo: [Option<i64>; 3] = std::array::from_fn(|k| at[k].filter(|_| known[k].is_none()));
    let mut then = rescore_at(&todo, |then| {
        let params = ValidScoreParams {
            window: now.params.window.ending_at(then),
            calibration: now.params.calibration,
        };
        Ok(score(input, &params)?.values())
    })?;
    for (k, slot) in then.iter_mut().enumerate() {
        if at[k].is_some() && slot.is_none() {
            *slot = known[k].take();
        }
    }
    Ok(changes(&now.values(), &first_seen(inter), &at, &then))
}

/// `score_at(t)` for each defined instant of `at`, in parallel.
pub fn rescore_at(
    at: &[Option<i64>; 3],
    score_at: impl Fn(i64) -> Result<Vec<f64>> + Sync,
) -> Result<[Option<Vec<f64>>; 3]> {
    let past: Vec<Option<Vec<f64>>> = at
        .par_iter()
        .map(|t| t.map(&score_at).transpose())
        .collect::<Result<_>>()?;
    let [a, b, c]: [Option<Vec<f64>>; 3] = past.try_into().expect("three look-backs");
    Ok([a, b, c])
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400;

    #[test]
    fn a_change_is_none_before_the_data_or_the_account() {
        let as_of = 100 * DAY;
        // The data starts 5 days before as_of: a day back is defined, a week and a month not.
        let at = past_instants(as_of, Some(as_of - 5 * DAY));
        assert_eq!(at, [Some(as_of - DAY), None, None]);
        let then = [Some(vec![10.0, 20.0]), None, None];
        // Account 1 first appears after as_of − 1 day: it did not exist then.
        let first = [as_of - 5 * DAY, as_of - DAY / 2];
        let d = changes(&[15.0, 30.0], &first, &at, &then);
        assert_eq!(
            d[0],
            Delta {
                day: Some(5.0),
                week: None,
                month: None
            }
        );
        assert_eq!(d[1], Delta::default());
        // Data that starts exactly at the past instant reaches it.
        assert_eq!(
            past_instants(as_of, Some(as_of - 30 * DAY))[2],
            Some(as_of - 30 * DAY)
        );
        assert_eq!(past_instants(as_of, None), [None, None, None]);
        assert_eq!(
            past_instants(i64::MIN, Some(i64::MIN)),
            [None, None, None],
            "no overflow"
        );
    }
}

//! History and change: an account's score at `as_of` minus its score one day, one week and one
//! month (30 days) earlier, each re-scored from the same inputs with the same window length.

use rayon::prelude::*;

use super::{score, Inputs, Scores, ValidScoreParams};
use crate::error::Result;

/// Score changes of one account.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Delta {
    pub day: f64,
    pub week: f64,
    pub month: f64,
}

/// The look-backs, in days.
pub const LOOKBACK_DAYS: [i64; 3] = [1, 7, 30];

/// Score changes of every account against re-scorings 1, 7 and 30 days earlier (the three in
/// parallel; each is deterministic, so the result does not depend on the threads).
pub fn deltas(input: &Inputs, now: &Scores) -> Result<Vec<Delta>> {
    let current = now.values();
    let past = LOOKBACK_DAYS
        .par_iter()
        .map(|&days| {
            let params = ValidScoreParams {
                window: now.params.window.back(days * super::window::DAY),
                calibration: now.params.calibration,
            };
            Ok(score(input, &params)?.values())
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(current
        .iter()
        .enumerate()
        .map(|(v, s)| Delta {
            day: s - past[0][v],
            week: s - past[1][v],
            month: s - past[2][v],
        })
        .collect())
}

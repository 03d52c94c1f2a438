//! The generator's parameters: an unchecked struct turned into [`SocialSpec`] by `check()`.

use crate::error::{Error, Result};

/// The end of the generated time span: 2026-01-01T00:00:00Z (fixed, never the wall clock).
pub const EPOCH_END: i64 = 1_767_225_600;

/// Parameters of `clout generate social`, unchecked.
///
/// | name | default | range |
/// |---|---|---|
/// | `accounts` | 3000 | 200..=50,000,000 (all networks, bots included) |
/// | `seed` | 1 | any |
/// | `posts_per_account` | 2 | 0.1..=1000 (mean; active and influential accounts post more) |
/// | `interactions_per_account` | 6 | 0..=10,000 (mean, approximate: cascades are random) |
/// | `follows_per_account` | 8 | 1..=10,000 (mean out-degree before duplicates are merged) |
/// | `days` | 120 | 1..=3650 (the span ending at [`EPOCH_END`]) |
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SocialParams {
    pub accounts: u32,
    pub seed: u64,
    pub posts_per_account: f64,
    pub interactions_per_account: f64,
    pub follows_per_account: f64,
    pub days: u32,
}

impl Default for SocialParams {
    fn default() -> Self {
        SocialParams {
            accounts: 3000,
            seed: 1,
            posts_per_account: 2.0,
            interactions_per_account: 6.0,
            follows_per_account: 8.0,
            days: 120,
        }
    }
}

/// Checked parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SocialSpec(SocialParams);

impl SocialSpec {
    /// The checked values.
    pub fn params(&self) -> &SocialParams {
        &self.0
    }
}

fn in_range(name: &'static str, x: f64, lo: f64, hi: f64) -> Result<()> {
    if x.is_finite() && (lo..=hi).contains(&x) {
        Ok(())
    } else {
        Err(Error::param(name, format!("{x} is not in {lo}..={hi}")))
    }
}

impl SocialParams {
    /// Validates the parameters.
    pub fn check(self) -> Result<SocialSpec> {
        in_range("accounts", f64::from(self.accounts), 200.0, 50e6)?;
        in_range("posts_per_account", self.posts_per_account, 0.1, 1000.0)?;
        in_range(
            "interactions_per_account",
            self.interactions_per_account,
            0.0,
            10_000.0,
        )?;
        in_range(
            "follows_per_account",
            self.follows_per_account,
            1.0,
            10_000.0,
        )?;
        in_range("days", f64::from(self.days), 1.0, 3650.0)?;
        Ok(SocialSpec(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_enforced() {
        assert!(SocialParams::default().check().is_ok());
        let bad = [
            SocialParams {
                accounts: 10,
                ..Default::default()
            },
            SocialParams {
                posts_per_account: f64::NAN,
                ..Default::default()
            },
            SocialParams {
                interactions_per_account: -1.0,
                ..Default::default()
            },
            SocialParams {
                days: 0,
                ..Default::default()
            },
        ];
        for p in bad {
            assert!(p.check().is_err(), "{p:?}");
        }
    }
}

//! The embedder's parameters, checked once into [`ValidEmbedParams`].
//!
//! | name | default | range | meaning |
//! |---|---|---|---|
//! | `max_tokens` | 128 | 2 ..= 512 | tokens per post, `[CLS]` and `[SEP]` included; longer posts are truncated (the model was trained on 128) |
//! | `batch_size` | 32 | 1 ..= 4096 | posts per forward pass (batches run in parallel); posts are sorted by length first, and a batch is never padded |

use crate::error::{Error, Result};

/// Unchecked embedder parameters (see the module doc for defaults and ranges).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmbedParams {
    /// Tokens kept per post, special tokens included.
    pub max_tokens: usize,
    /// Posts per forward pass.
    pub batch_size: usize,
}

impl Default for EmbedParams {
    fn default() -> Self {
        EmbedParams {
            max_tokens: 128,
            batch_size: 32,
        }
    }
}

/// Parameters that passed [`EmbedParams::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidEmbedParams(EmbedParams);

impl EmbedParams {
    /// Validates the parameters against their documented ranges.
    pub fn check(self) -> Result<ValidEmbedParams> {
        if !(2..=512).contains(&self.max_tokens) {
            return Err(Error::param(
                "max_tokens",
                format!("{} is not in 2..=512", self.max_tokens),
            ));
        }
        if !(1..=4096).contains(&self.batch_size) {
            return Err(Error::param(
                "batch_size",
                format!("{} is not in 1..=4096", self.batch_size),
            ));
        }
        Ok(ValidEmbedParams(self))
    }
}

impl ValidEmbedParams {
    /// Tokens kept per post.
    pub fn max_tokens(&self) -> usize {
        self.0.max_tokens
    }

    /// Posts per forward pass.
    pub fn batch_size(&self) -> usize {
        self.0.batch_size
    }
}

impl Default for ValidEmbedParams {
    fn default() -> Self {
        ValidEmbedParams(EmbedParams::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_checked() {
        assert!(EmbedParams::default().check().is_ok());
        let bad = EmbedParams {
            max_tokens: 1,
            ..Default::default()
        };
        assert!(bad.check().unwrap_err().to_string().contains("max_tokens"));
        let bad = EmbedParams {
            batch_size: 0,
            ..Default::default()
        };
        assert!(bad.check().unwrap_err().to_string().contains("batch_size"));
    }
}

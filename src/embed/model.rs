//! The [`Embedder`]: a loaded sentence-embedding model (tokenizer + BERT encoder + mean
//! pooling) turning posts into unit vectors. Batches run in parallel on rayon, each writing its
//! own rows, so the output does not depend on the thread count.

use std::sync::Arc;

use rayon::prelude::*;
use tokenizers::Tokenizer;

use super::batch::Plan;
use super::bert::{Bert, Workspace};
use super::error::EmbedError;
use super::files::ModelDir;
use super::params::ValidEmbedParams;
use super::pool::mean_normalized;
use super::{load, Embeddings};

/// Posts tokenized per round: bounds the tokenizer's memory on large inputs.
const ROUND: usize = 8192;

/// A loaded sentence-embedding model.
pub struct Embedder {
    network: Bert,
    tokenizer: Tokenizer,
    params: ValidEmbedParams,
    dim: usize,
    /// Told the number of texts each finished batch held (for a progress bar).
    progress: Option<Arc<dyn Fn(u64) + Send + Sync>>,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder")
            .field("dim", &self.dim)
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl Embedder {
    /// Loads the model in `dir` (see [`super::load`] for what is checked).
    pub fn load(dir: &ModelDir, params: ValidEmbedParams) -> Result<Self, EmbedError> {
        let config = load::config(dir)?;
        let tokenizer = load::tokenizer(dir, &config, params.max_tokens())?;
        let network = load::network(dir, &config)?;
        Ok(Embedder {
            dim: network.hidden(),
            network,
            tokenizer,
            params,
            progress: None,
        })
    }

    /// Calls `on_batch(texts)` after each batch of texts is embedded (from any thread), so that
    /// a caller can show progress; it never changes a result.
    pub fn with_progress(mut self, on_batch: impl Fn(u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(on_batch));
        self
    }

    /// Dimensions of a vector (384 for all-MiniLM-L6-v2).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The parameters it runs with.
    pub fn params(&self) -> ValidEmbedParams {
        self.params
    }

    /// Unit-length embeddings of `texts`, row `i` for `texts[i]`.
    pub fn embed<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<Embeddings, EmbedError> {
        let mut out = Embeddings::zeros(texts.len(), self.dim);
        let mut plan = Plan::default();
        for (r, chunk) in texts.chunks(ROUND).enumerate() {
            self.tokenize(chunk, &mut plan)?;
            let rows = &mut out.data[r * ROUND * self.dim..][..chunk.len() * self.dim];
            self.run(&plan, rows);
        }
        Ok(out)
    }

    /// Token counts of `texts` after truncation, special tokens included.
    pub fn token_counts<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
    ) -> Result<Vec<usize>, EmbedError> {
        let mut plan = Plan::default();
        self.tokenize(texts, &mut plan)?;
        Ok((0..plan.len()).map(|i| plan.post(i).len()).collect())
    }

    fn tokenize<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        plan: &mut Plan,
    ) -> Result<(), EmbedError> {
        let inputs: Vec<&str> = texts.iter().map(AsRef::as_ref).collect();
        let encodings = self
            .tokenizer
            .encode_batch_fast(inputs, true)
            .map_err(|e| EmbedError::Inference(format!("tokenizer: {e}")))?;
        plan.clear();
        for e in &encodings {
            plan.push(e.get_ids());
        }
        plan.sort();
        Ok(())
    }

    /// Runs every batch of `plan`, writing post `i`'s vector to `rows[i * dim..]`.
    fn run(&self, plan: &Plan, rows: &mut [f32]) {
        let (dim, size) = (self.dim, self.params.batch_size());
        let mut sorted = vec![0f32; rows.len()];
        let batches: Vec<_> = plan.batches(size).collect();
        sorted
            .par_chunks_mut(size * dim)
            .zip(batches)
            .for_each_init(
                || (Vec::new(), Vec::new(), Workspace::default()),
                |(ids, lens, ws), (out, batch)| {
                    plan.gather(batch, ids, lens);
                    let hidden = self.network.encode(ids, lens, ws);
                    let mut at = 0;
                    for (slot, &len) in out.chunks_exact_mut(dim).zip(lens.iter()) {
                        mean_normalized(&hidden[at * dim..][..len * dim], dim, len, slot);
                        at += len;
                    }
                    if let Some(p) = &self.progress {
                        p(lens.len() as u64);
                    }
                },
            );
        for (pos, &post) in plan.order.iter().enumerate() {
            rows[post as usize * dim..][..dim].copy_from_slice(&sorted[pos * dim..][..dim]);
        }
    }
}

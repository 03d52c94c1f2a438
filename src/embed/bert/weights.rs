//! Reading the encoder's tensors out of `model.safetensors`: every tensor BERT needs, named as
//! Hugging Face names them (with or without the `bert.` prefix), in f32, with the shape the
//! config implies; anything else is an error naming the file and the tensor.

use std::path::Path;

use safetensors::{Dtype, SafeTensors};

use super::config::BertConfig;
use super::layer_norm::LayerNorm;
use super::linear::Linear;
use super::{Bert, Layer};
use crate::embed::error::EmbedError;

/// The tensors of one file, with the name prefix its encoder uses.
struct Tensors<'a> {
    file: SafeTensors<'a>,
    prefix: &'static str,
    path: &'a Path,
}

impl Tensors<'_> {
    /// Tensor `name` as f32, checked to have `shape`.
    fn get(&self, name: &str, shape: &[usize]) -> Result<Vec<f32>, EmbedError> {
        let full = format!("{}{name}", self.prefix);
        let t = self
            .file
            .tensor(&full)
            .map_err(|e| EmbedError::bad(self.path, format!("tensor {full}: {e}")))?;
        if t.dtype() != Dtype::F32 || t.shape() != shape {
            let why = format!(
                "tensor {full} is {:?} {:?}, expected F32 {shape:?}",
                t.dtype(),
                t.shape()
            );
            return Err(EmbedError::bad(self.path, why));
        }
        Ok(t.data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect())
    }

    /// A dense layer `name.weight` (`[outputs, inputs]`) and `name.bias`, unpacked.
    fn dense(
        &self,
        name: &str,
        outputs: usize,
        inputs: usize,
    ) -> Result<(Vec<f32>, Vec<f32>), EmbedError> {
        let w = self.get(&format!("{name}.weight"), &[outputs, inputs])?;
        let b = self.get(&format!("{name}.bias"), &[outputs])?;
        Ok((w, b))
    }

    fn linear(&self, name: &str, outputs: usize, inputs: usize) -> Result<Linear, EmbedError> {
        let (w, b) = self.dense(name, outputs, inputs)?;
        Ok(Linear::new(&w, b))
    }

    fn layer_norm(&self, name: &str, size: usize, eps: f32) -> Result<LayerNorm, EmbedError> {
        let w = self.get(&format!("{name}.weight"), &[size])?;
        let b = self.get(&format!("{name}.bias"), &[size])?;
        Ok(LayerNorm::new(w, b, eps))
    }
}

/// The encoder in `bytes`, the contents of the safetensors file at `path`.
pub(crate) fn read(path: &Path, bytes: &[u8], config: &BertConfig) -> Result<Bert, EmbedError> {
    let file = SafeTensors::deserialize(bytes).map_err(|e| EmbedError::bad(path, e))?;
    let prefix = if file.names().iter().any(|n| n.starts_with("embeddings.")) {
        ""
    } else {
        "bert."
    };
    let t = Tensors { file, prefix, path };
    let (h, eps) = (config.hidden_size, config.layer_norm_eps as f32);
    let mut layers = Vec::with_capacity(config.num_hidden_layers);
    for i in 0..config.num_hidden_layers {
        let p = format!("encoder.layer.{i}.");
        let q = t.dense(&format!("{p}attention.self.query"), h, h)?;
        let k = t.dense(&format!("{p}attention.self.key"), h, h)?;
        let v = t.dense(&format!("{p}attention.self.value"), h, h)?;
        layers.push(Layer {
            qkv: Linear::concat(&[(&q.0, &q.1), (&k.0, &k.1), (&v.0, &v.1)]),
            attention_out: t.linear(&format!("{p}attention.output.dense"), h, h)?,
            attention_norm: t.layer_norm(&format!("{p}attention.output.LayerNorm"), h, eps)?,
            up: t.linear(
                &format!("{p}intermediate.dense"),
                config.intermediate_size,
                h,
            )?,
            down: t.linear(&format!("{p}output.dense"), h, config.intermediate_size)?,
            output_norm: t.layer_norm(&format!("{p}output.LayerNorm"), h, eps)?,
        });
    }
    let token_type = t.get(
        "embeddings.token_type_embeddings.weight",
        &[config.type_vocab_size, h],
    )?;
    Ok(Bert {
        hidden: h,
        heads: config.num_attention_heads,
        words: t.get("embeddings.word_embeddings.weight", &[config.vocab_size, h])?,
        positions: t.get(
            "embeddings.position_embeddings.weight",
            &[config.max_position_embeddings, h],
        )?,
        token_type: token_type[..h].to_vec(),
        embedding_norm: t.layer_norm("embeddings.LayerNorm", h, eps)?,
        layers,
    })
}

//! The BERT hyper-parameters of `config.json` that the encoder uses, and the checks that it can
//! run them (an exact-GELU encoder with absolute positions and heads that divide the hidden size).

/// The fields of a Hugging Face BERT `config.json` that matter here; others are ignored.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct BertConfig {
    pub(crate) vocab_size: usize,
    pub(crate) hidden_size: usize,
    pub(crate) num_hidden_layers: usize,
    pub(crate) num_attention_heads: usize,
    pub(crate) intermediate_size: usize,
    pub(crate) max_position_embeddings: usize,
    #[serde(default = "two")]
    pub(crate) type_vocab_size: usize,
    #[serde(default = "layer_norm_eps")]
    pub(crate) layer_norm_eps: f64,
    #[serde(default = "gelu")]
    pub(crate) hidden_act: String,
    #[serde(default = "absolute")]
    pub(crate) position_embedding_type: String,
}

fn two() -> usize {
    2
}
fn layer_norm_eps() -> f64 {
    1e-12
}
fn gelu() -> String {
    "gelu".into()
}
fn absolute() -> String {
    "absolute".into()
}

impl BertConfig {
    /// Why the encoder cannot run this configuration, if it cannot.
    pub(crate) fn unsupported(&self) -> Option<String> {
        let heads = self.num_attention_heads;
        if self.hidden_size == 0 || heads == 0 || !self.hidden_size.is_multiple_of(heads) {
            return Some(format!(
                "hidden_size {} not divisible into {heads} heads",
                self.hidden_size
            ));
        }
        if self.hidden_act != "gelu" {
            return Some(format!(
                "hidden_act {:?}: only \"gelu\" (exact, erf) is supported",
                self.hidden_act
            ));
        }
        if self.position_embedding_type != "absolute" {
            return Some(format!(
                "position_embedding_type {:?}: only \"absolute\" is supported",
                self.position_embedding_type
            ));
        }
        if self.type_vocab_size == 0 || self.max_position_embeddings < 2 {
            return Some("no token types or fewer than 2 positions".into());
        }
        None
    }
}

//! A BERT encoder's forward pass on the CPU in f32, written for short posts: all tokens of a
//! batch form one `[tokens, hidden]` matrix without padding, so the dense layers are single
//! large matrix products (`gemm`), while attention runs per post over its own tokens. The
//! elementwise kernels (GELU, softmax, layer norm, attention) are compiled once more for
//! AVX-512 and for AVX2, picked at run time; they sum in a fixed order and never fuse a
//! multiply-add, so they give the same floats on every instruction set (gemm's kernels differ
//! in the last bits). Owns the network; tokenizing, batching and pooling are left to `embed`.

mod attention;
mod config;
mod gelu;
mod lanes;
mod layer_norm;
mod linear;
mod softmax;
#[cfg(test)]
mod tests;
mod weights;

pub(crate) use config::BertConfig;
pub(crate) use weights::read;

use layer_norm::LayerNorm;
use linear::Linear;

/// One transformer layer.
#[derive(Debug)]
pub(crate) struct Layer {
    /// Query, key and value projections side by side: `hidden → 3·hidden`.
    qkv: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    /// `hidden → intermediate`, followed by GELU.
    up: Linear,
    down: Linear,
    output_norm: LayerNorm,
}

/// A loaded BERT encoder.
#[derive(Debug)]
pub(crate) struct Bert {
    hidden: usize,
    heads: usize,
    /// Word embeddings, `vocab × hidden`.
    words: Vec<f32>,
    /// Position embeddings, `max_positions × hidden`.
    positions: Vec<f32>,
    /// The embedding of token type 0 (every token here is of type 0).
    token_type: Vec<f32>,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
}

/// One thread's buffers for [`Bert::encode`], grown to the largest batch and then reused.
#[derive(Debug, Default)]
pub(crate) struct Workspace {
    /// Hidden states, `tokens × hidden`: the output.
    x: Vec<f32>,
    /// Residual sums before layer norm, `tokens × hidden`.
    sum: Vec<f32>,
    qkv: Vec<f32>,
    ctx: Vec<f32>,
    /// The feed-forward's inner activations, `tokens × intermediate`.
    inner: Vec<f32>,
    scratch: attention::Scratch,
}

impl Bert {
    /// Hidden size (the length of a token vector).
    pub(crate) fn hidden(&self) -> usize {
        self.hidden
    }

    /// The last hidden states of a batch of posts: `ids` holds their token ids one post after
    /// another, `lens` their lengths (each at most the number of positions); returns the
    /// `ids.len() × hidden` floats, post after post, held in `ws`.
    pub(crate) fn encode<'w>(
        &self,
        ids: &[u32],
        lens: &[usize],
        ws: &'w mut Workspace,
    ) -> &'w [f32] {
        assert_eq!(
            lens.iter().sum::<usize>(),
            ids.len(),
            "lengths add up to the tokens"
        );
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            if has!("avx2") && has!("fma") {
                if has!("avx512f") {
                    // SAFETY: the CPU has the features the function is compiled for.
                    unsafe { self.encode_avx512(ids, lens, ws) };
                } else {
                    // SAFETY: as above.
                    unsafe { self.encode_avx2(ids, lens, ws) };
                }
                return &ws.x;
            }
        }
        self.encode_inline(ids, lens, ws);
        &ws.x
    }

    /// [`Self::encode_inline`] compiled for AVX-512 (16 lanes).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx2,fma")]
    unsafe fn encode_avx512(&self, ids: &[u32], lens: &[usize], ws: &mut Workspace) {
        self.encode_inline(ids, lens, ws)
    }

    /// [`Self::encode_inline`] compiled for AVX2 (8 lanes).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn encode_avx2(&self, ids: &[u32], lens: &[usize], ws: &mut Workspace) {
        self.encode_inline(ids, lens, ws)
    }

    /// The forward pass, inlined into each instruction-set variant above.
    #[inline(always)]
    fn encode_inline(&self, ids: &[u32], lens: &[usize], ws: &mut Workspace) {
        let (h, tokens) = (self.hidden, ids.len());
        let heads = attention::Heads {
            hidden: h,
            count: self.heads,
        };
        ws.x.resize(tokens * h, 0.0);
        ws.sum.resize(tokens * h, 0.0);
        ws.ctx.resize(tokens * h, 0.0);
        self.embed(ids, lens, &mut ws.x);
        for layer in &self.layers {
            ws.qkv.resize(tokens * layer.qkv.outputs(), 0.0);
            ws.inner.resize(tokens * layer.up.outputs(), 0.0);
            layer.qkv.product(&ws.x, &mut ws.qkv);
            let mut at = 0;
            for &len in lens {
                let qkv = &ws.qkv[at * 3 * h..(at + len) * 3 * h];
                let ctx = &mut ws.ctx[at * h..(at + len) * h];
                attention::attend(qkv, layer.qkv.bias(), heads, ctx, &mut ws.scratch);
                at += len;
            }
            layer.attention_out.product(&ws.ctx, &mut ws.sum);
            let bias = layer.attention_out.bias();
            layer
                .attention_norm
                .apply_residual(&mut ws.sum, bias, &ws.x);
            std::mem::swap(&mut ws.x, &mut ws.sum);
            layer.up.product(&ws.x, &mut ws.inner);
            gelu::gelu_in_place(&mut ws.inner, layer.up.bias());
            layer.down.product(&ws.inner, &mut ws.sum);
            layer
                .output_norm
                .apply_residual(&mut ws.sum, layer.down.bias(), &ws.x);
            std::mem::swap(&mut ws.x, &mut ws.sum);
        }
    }

    /// Word + position + token-type embeddings, layer-normalised, into `x`.
    #[inline(always)]
    fn embed(&self, ids: &[u32], lens: &[usize], x: &mut [f32]) {
        let h = self.hidden;
        let mut rows = x.chunks_exact_mut(h);
        let mut ids = ids.iter();
        for &len in lens {
            for (pos, (row, &id)) in rows.by_ref().zip(ids.by_ref()).take(len).enumerate() {
                let word = &self.words[id as usize * h..][..h];
                let position = &self.positions[pos * h..][..h];
                for (((o, &w), &p), &t) in
                    row.iter_mut().zip(word).zip(position).zip(&self.token_type)
                {
                    *o = w + p + t;
                }
            }
        }
        self.embedding_norm.apply(x);
    }
}

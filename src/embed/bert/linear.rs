//! A dense layer `y = x·Wᵀ + b` over many token vectors at once (all tokens of a batch as one
//! matrix, no padding), through the `gemm` crate's f32 kernels, which pick AVX-512 or AVX2+FMA
//! at run time. The weight is kept transposed, `[inputs, outputs]` row-major, the layout gemm
//! reads fastest. Each call runs on the calling thread (batches are what run in parallel).

/// A dense layer's weight and bias.
#[derive(Debug)]
pub(crate) struct Linear {
    /// `W` transposed: `inputs` rows of `outputs` floats.
    weight_t: Vec<f32>,
    bias: Vec<f32>,
    inputs: usize,
}

impl Linear {
    /// From PyTorch's layout: `weight` is `[outputs, inputs]` row-major, `bias` has `outputs`.
    pub(crate) fn new(weight: &[f32], bias: Vec<f32>) -> Self {
        let outputs = bias.len();
        assert!(
            outputs > 0 && weight.len().is_multiple_of(outputs),
            "weight shape"
        );
        let inputs = weight.len() / outputs;
        let mut weight_t = vec![0.0; weight.len()];
        for (o, row) in weight.chunks_exact(inputs).enumerate() {
            for (i, &w) in row.iter().enumerate() {
                weight_t[i * outputs + o] = w;
            }
        }
        Linear {
            weight_t,
            bias,
            inputs,
        }
    }

    /// Several layers side by side as one (`[Q; K; V]` → one product for all three).
    pub(crate) fn concat(parts: &[(&[f32], &[f32])]) -> Self {
        let weight: Vec<f32> = parts.iter().flat_map(|(w, _)| w.iter().copied()).collect();
        let bias: Vec<f32> = parts.iter().flat_map(|(_, b)| b.iter().copied()).collect();
        Linear::new(&weight, bias)
    }

    /// Output features.
    pub(crate) fn outputs(&self) -> usize {
        self.bias.len()
    }

    /// The bias, for callers that add it themselves (fused into their next pass).
    pub(crate) fn bias(&self) -> &[f32] {
        &self.bias
    }

    /// `out = x·Wᵀ` without the bias, for every row of `x` (`inputs` floats each); `out` holds
    /// as many rows of `outputs` floats.
    pub(crate) fn product(&self, x: &[f32], out: &mut [f32]) {
        let (k, n) = (self.inputs, self.outputs());
        let m = x.len() / k;
        assert!(
            x.len() == m * k && out.len() == m * n,
            "linear layer shapes"
        );
        if m == 0 {
            return;
        }
        // SAFETY: the three matrices are row-major with the strides given, and the assert
        // above checks that `x` is m×k, `weight_t` k×n (by construction) and `out` m×n.
        unsafe {
            gemm::gemm(
                m,
                n,
                k,
                out.as_mut_ptr(),
                1,
                n as isize,
                false,
                x.as_ptr(),
                1,
                k as isize,
                self.weight_t.as_ptr(),
                1,
                n as isize,
                0.0,
                1.0,
                false,
                false,
                false,
                gemm::Parallelism::None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_without_the_bias_and_layers_side_by_side() {
        // W = [[1, 2], [3, 4], [5, 6]] (3 outputs, 2 inputs), b = [1, 0, -1].
        let layer = Linear::new(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], vec![1.0, 0.0, -1.0]);
        let x = [1.0, 1.0, 2.0, -1.0];
        let mut out = [f32::NAN; 6];
        layer.product(&x, &mut out);
        assert_eq!(out, [3.0, 7.0, 11.0, 0.0, 2.0, 4.0]);
        let both = Linear::concat(&[(&[1.0, 2.0], &[1.0]), (&[3.0, 4.0, 5.0, 6.0], &[0.0, -1.0])]);
        assert_eq!(both.bias(), [1.0, 0.0, -1.0]);
        let mut out2 = [0.0; 6];
        both.product(&x, &mut out2);
        assert_eq!(out2, [3.0, 7.0, 11.0, 0.0, 2.0, 4.0]);
    }
}

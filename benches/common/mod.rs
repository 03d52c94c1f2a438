//! What the graph benches share: the Kronecker graph they run on, sized by `CLOUT_BENCH_SCALE`.

use clout::generate::{Kronecker, KroneckerParams};

/// The scale from `CLOUT_BENCH_SCALE`, else `default`.
pub fn scale(default: u32) -> u32 {
    std::env::var("CLOUT_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The Graph500 Kronecker generator at `scale` (edge factor 16, seed 1) and its edge list as
/// text.
pub fn kronecker(scale: u32) -> (Kronecker, Vec<u8>) {
    let k = KroneckerParams {
        scale,
        edge_factor: 16,
        seed: 1,
    }
    .check()
    .expect("valid Kronecker parameters");
    let text = k.write_text(0..k.num_edges());
    (k, text)
}

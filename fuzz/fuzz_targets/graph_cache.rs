//! Any bytes as a graph cache file: the loader must reject or load, never panic or misbehave.
#![no_main]
use clout::graph::cache::{self, CacheKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("clout-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join("g.graph");
    if std::fs::write(&file, data).is_err() {
        return;
    }
    // A key matching whatever the header claims would be needed to reach the layout checks;
    // the loader reads the key from the header, so try the plain options.
    for (weighted, loops) in [(false, false), (true, false)] {
        let key = CacheKey { source_len: 0, source_mtime_ns: 0, weighted, keep_self_loops: loops };
        if let Ok(Some((g, _))) = cache::load(&file, &key) {
            let _ = clout::metrics::stats::graph_stats(&g);
        }
    }
});

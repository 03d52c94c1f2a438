//! Any bytes into the edge-list parser (every option combination) and, when they parse, into the
//! graph builder and one PageRank step: errors are fine, panics are not.
#![no_main]
use clout::graph::GraphBuilder;
use clout::ingest::{edges::parse_edge_list, EdgeListOptions, Source};
use clout::metrics::{pagerank, CsrPropagator, PageRankParams};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else { return };
    let opts = EdgeListOptions { weighted: flags & 1 != 0, lenient: flags & 2 != 0 };
    let source = Source::from_bytes("fuzz.txt", body.to_vec());
    if let Ok(list) = parse_edge_list(&source, opts) {
        let (g, _) = GraphBuilder::new().keep_self_loops(flags & 4 != 0).build(list);
        let p = PageRankParams { iterations: Some(2), weighted: opts.weighted, ..Default::default() };
        let _ = pagerank(&CsrPropagator::new(&g), &p.check(g.num_nodes()).unwrap());
    }
});

//! No panic on any input: random bytes, and random mixtures of valid and broken records, into
//! every parser (the `fuzz/` targets do the same at length with libFuzzer).

use clout::ingest::{
    edges::parse_edge_list, interactions::parse_interactions, posts::parse_posts, EdgeListOptions,
    Source,
};
use proptest::prelude::*;

fn src(bytes: Vec<u8>) -> Source {
    Source::from_bytes("fuzz.txt", bytes)
}

/// Fragments that real and broken files are made of.
fn fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "1",
        "0",
        "007",
        "-5",
        "18446744073709551615",
        "18446744073709551616",
        "@bob",
        "é",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\r\r\n",
        "#",
        "%",
        ",",
        "\"",
        "2.5",
        "NaN",
        "inf",
        "-1",
        "RT",
        "MT",
        "like",
        "2012-07-01T00:00:00Z",
        "{",
        "}",
        "{\"id\":1,\"author\":\"a\",\"time\":1,\"text\":\"t\"}",
        "{\"actor\":\"a\",\"target\":\"b\",\"kind\":\"like\",\"time\":1}",
        "src,dst,weight",
        "\u{0}",
        "\u{feff}",
    ])
}

/// Fragments of the graph formats that declare their nodes (GraphML, GML, Pajek) and of
/// networkx's data-dict edge lists.
fn graph_fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "<graph edgedefault=\"undirected\">",
        "<graph edgedefault=\"directed\">",
        "<key id=\"w\" for=\"edge\" attr.name=\"weight\"><default>2</default></key>",
        "<key id=\"l\" for=\"node\" attr.name=\"label\"/>",
        "<node id=\"a\">",
        "<node id=\"b\"/>",
        "</node>",
        "<data key=\"l\">x &amp; y</data>",
        "<data key=\"w\">-1</data>",
        "<edge source=\"a\" target=\"b\">",
        "<edge source=\"b\" target=\"a\" directed=\"false\"/>",
        "</edge>",
        "</graph>",
        "</graphml>",
        "<hyperedge/>",
        "node [",
        "edge [",
        "graph [",
        "id 1",
        "id 2",
        "label \"a&#34;\"",
        "label \"b",
        "source 1",
        "target 2",
        "weight 3",
        "directed 1",
        "directed 0",
        "[",
        "]",
        "*Vertices 3",
        "*Arcs",
        "*Edges",
        "*Arcslist",
        "*Matrix",
        "1 2",
        "2 3 1.5",
        "3 \"c d\"",
        "1 9",
        "1 2 {'weight': 2}",
        "1 2 {}",
        "{'weight': [",
        "'",
        " ",
        "\n",
        "#",
        "%",
    ])
}

/// How a generated graph file starts: what makes it one format or another.
fn graph_prefix() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "<?xml version='1.0'?>\n<graphml>\n",
        "Creator \"x\"\ngraph [\n",
        "*Vertices 3\n",
        "a;b;weight\n",
        "",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_graph_files_never_panic(prefix in graph_prefix(), parts in prop::collection::vec(graph_fragment(), 0..60), flags in 0u8..4) {
        let text = format!("{prefix}{}", parts.join(" "));
        let opts = EdgeListOptions { weighted: flags & 1 != 0, lenient: flags & 2 != 0 };
        if let Ok(list) = parse_edge_list(&src(text.into_bytes()), opts) {
            prop_assert_eq!(list.src.len(), list.dst.len());
            prop_assert!(list.src.iter().chain(&list.dst).all(|&v| (v as usize) < list.ids.len()));
            let (g, _) = clout::graph::GraphBuilder::new().build(list);
            let p = clout::metrics::PageRankParams { iterations: Some(3), weighted: opts.weighted, ..Default::default() };
            let r = clout::metrics::pagerank(&clout::metrics::CsrPropagator::new(&g), &p.check(g.num_nodes()).unwrap());
            prop_assert!((r.ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), flags in 0u8..4) {
        let opts = EdgeListOptions { weighted: flags & 1 != 0, lenient: flags & 2 != 0 };
        let _ = parse_edge_list(&src(bytes.clone()), opts);
        let _ = parse_interactions(&src(bytes.clone()), opts.lenient);
        let _ = parse_posts(&src(bytes), opts.lenient);
    }

    #[test]
    fn random_records_never_panic_and_lenient_accounts_for_every_line(parts in prop::collection::vec(fragment(), 0..80), flags in 0u8..4) {
        let text: String = parts.concat();
        let opts = EdgeListOptions { weighted: flags & 1 != 0, lenient: flags & 2 != 0 };
        if let Ok(list) = parse_edge_list(&src(text.clone().into_bytes()), opts) {
            prop_assert_eq!(list.src.len(), list.dst.len());
            prop_assert!(list.src.iter().chain(&list.dst).all(|&v| (v as usize) < list.ids.len()));
            let (g, _) = clout::graph::GraphBuilder::new().build(list);
            let p = clout::metrics::PageRankParams { iterations: Some(3), weighted: opts.weighted, ..Default::default() };
            let r = clout::metrics::pagerank(&clout::metrics::CsrPropagator::new(&g), &p.check(g.num_nodes()).unwrap());
            prop_assert!((r.ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        let _ = parse_interactions(&src(text.clone().into_bytes()), opts.lenient);
        let _ = parse_posts(&src(text.into_bytes()), opts.lenient);
    }
}

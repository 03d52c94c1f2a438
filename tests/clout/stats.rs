//! `graph stats` against networkx 3.x (tests/reference/graph_stats.json, made by
//! scripts/reference/graph_stats_networkx.py).

use clout::graph::{load, LoadOptions};
use clout::metrics::stats::graph_stats;

use crate::common::{repo, shared_data};

#[test]
fn stats_match_networkx() {
    let want: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo("tests/reference/graph_stats.json")).unwrap(),
    )
    .unwrap();
    for (name, rel) in [
        ("wiki-vote", "graphs/wiki-vote/Wiki-Vote.txt"),
        ("slashdot", "graphs/slashdot/soc-Slashdot0902.txt.gz"),
        ("email-eu-core", "graphs/email-eu-core/email-Eu-core.txt"),
    ] {
        let Some(path) = shared_data(rel) else { return };
        let g = load(&path, &LoadOptions::default()).unwrap().graph;
        let s = graph_stats(&g);
        let w = &want[name];
        let got = [
            s.nodes,
            s.edges,
            s.dangling,
            s.out_degree.max,
            s.in_degree.max,
            s.out_degree.median,
            s.weak_components,
            s.largest_weak_component,
        ];
        let keys = [
            "nodes",
            "edges",
            "dangling",
            "max_out_degree",
            "max_in_degree",
            "median_out_degree_low",
            "weak_components",
            "largest_weak_component",
        ];
        for (k, g) in keys.iter().zip(got) {
            assert_eq!(Some(g), w[k].as_u64(), "{name}: {k}");
        }
        assert!(
            (s.reciprocity - w["reciprocity"].as_f64().unwrap()).abs() < 1e-12,
            "{name}: reciprocity"
        );
    }
}

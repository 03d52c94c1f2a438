//! Graph files as researchers have them (GraphML, GML, Pajek, networkx edge lists with data
//! dicts, `;` and `|` CSV), told apart by content, against networkx's reading of the same
//! files (tests/reference/formats, made with the fixtures by
//! scripts/reference/graph_formats.py): node and edge counts, PageRank by label to 1e-9,
//! unweighted and weighted; undirected declarations read undirected and said; malformed
//! records named by file and line.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{clout, repo, stderr};

const FIXTURES: &[&str] = &[
    "directed.graphml",
    "directed.graphml.gz",
    "undirected.graphml",
    "directed.gml",
    "undirected.gml",
    "igraph.gml",
    "directed.net",
    "undirected.net",
    "nx_dict.edgelist",
    "semicolon.csv",
    "pipe.csv",
    "connected.graphml",
    "connected.edges",
];

fn reference(name: &str) -> Value {
    let path = repo(&format!("tests/reference/formats/{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn fixture(name: &str) -> String {
    repo(&format!("data/fixtures/graphs/{name}"))
        .to_str()
        .unwrap()
        .to_string()
}

/// `clout pagerank FILE --json` with networkx's stopping rule; the parsed output and stderr.
fn pagerank(file: &str, extra: &[&str]) -> (Value, String) {
    let mut args = vec!["pagerank", file, "--json", "--tol", "1e-12"];
    args.extend(["--max-iter", "10000", "--no-cache"]);
    args.extend(extra);
    let o = clout(&args, None);
    assert!(o.status.success(), "{file} {extra:?}: {}", stderr(&o));
    (serde_json::from_slice(&o.stdout).unwrap(), stderr(&o))
}

/// `id → rank` of a PageRank listing.
fn ranks(out: &Value) -> HashMap<String, f64> {
    out["ranks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let id = r["id"].as_str().unwrap().to_string();
            (id, r["rank"].as_f64().unwrap())
        })
        .collect()
}

fn assert_ranks(what: &str, got: &HashMap<String, f64>, want: &Value) {
    let want = want.as_object().unwrap();
    assert_eq!(got.len(), want.len(), "{what}: node count");
    for (id, w) in want {
        let Some(g) = got.get(id) else {
            panic!("{what}: node `{id}` missing from {:?}", got.keys());
        };
        let w = w.as_f64().unwrap();
        assert!((g - w).abs() <= 1e-9, "{what}: {id}: {g} vs networkx {w}");
    }
}

/// Every fixture: counts and PageRank (unweighted and weighted) as networkx reads the file;
/// a file that says it is undirected is read so, with a note, and `--undirected` agrees.
#[test]
fn pagerank_matches_networkx_for_every_format() {
    for name in FIXTURES {
        let want = reference(name);
        let file = fixture(name);
        let directed = want["directed"].as_bool().unwrap();
        for (flag, key) in [
            (None, "pagerank"),
            (Some("--weighted"), "pagerank_weighted"),
        ] {
            let extra: Vec<&str> = flag.into_iter().collect();
            let (out, err) = pagerank(&file, &extra);
            let what = format!("{name} {key}");
            assert_eq!(out["nodes"], want["nodes"], "{what}: nodes");
            assert_eq!(out["edges"], want["edges"], "{what}: edges");
            assert_ranks(&what, &ranks(&out), &want[key]);
            assert_eq!(
                err.contains("says its graph is undirected"),
                !directed,
                "{what}: {err}"
            );
            if !directed {
                let mut asked = extra.clone();
                asked.push("--undirected");
                let (again, err) = pagerank(&file, &asked);
                assert_ranks(&format!("{what} --undirected"), &ranks(&again), &want[key]);
                assert!(!err.contains("says its graph"), "{what}: {err}");
            }
        }
    }
}

/// `graph stats` counts nodes (isolated ones included) and edges as networkx does.
#[test]
fn graph_stats_counts_match_networkx() {
    for name in FIXTURES {
        let want = reference(name);
        let o = clout(
            &["graph", "stats", &fixture(name), "--json", "--no-cache"],
            None,
        );
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let s: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(s["nodes"], want["nodes"], "{name}");
        assert_eq!(s["edges"], want["edges"], "{name}");
        assert_eq!(
            s["undirected"],
            !want["directed"].as_bool().unwrap(),
            "{name}"
        );
    }
}

/// The same graph as GraphML and as a plain edge list: the same PageRank, node by node (the
/// edge list spells spaces in labels as `_`).
#[test]
fn graphml_and_edge_list_give_the_same_pagerank() {
    for extra in [&[][..], &["--weighted"][..]] {
        let (xml, _) = pagerank(&fixture("connected.graphml"), extra);
        let (plain, _) = pagerank(&fixture("connected.edges"), extra);
        let xml: HashMap<String, f64> = ranks(&xml)
            .into_iter()
            .map(|(id, r)| (id.replace(' ', "_"), r))
            .collect();
        let plain = ranks(&plain);
        assert_eq!(xml.len(), plain.len());
        for (id, r) in &plain {
            assert!(
                (xml[id] - r).abs() <= 1e-15,
                "{id} {extra:?}: {} vs {r}",
                xml[id]
            );
        }
    }
}

/// A gzip-compressed GraphML is read as the plain one (detected by content under `.gz`).
#[test]
fn gzip_graphml_reads_as_the_plain_file() {
    let (plain, _) = pagerank(&fixture("directed.graphml"), &["--weighted"]);
    let (packed, _) = pagerank(&fixture("directed.graphml.gz"), &["--weighted"]);
    assert_eq!(plain["ranks"], packed["ranks"]);
}

/// Writes `text` as `name` in `dir`; the path.
fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// A malformed record of each format fails naming the file, the line and what was wrong;
/// `--lenient` skips it and says how many of which kind.
#[test]
fn bad_records_name_file_and_line_and_lenient_skips_them() {
    let dir = tempfile::tempdir().unwrap();
    let graphml = "<?xml version='1.0'?>\n<graphml>\n<graph edgedefault=\"directed\">\n\
                   <node id=\"a\"/>\n<edge source=\"a\" target=\"b\"/>\n<edge source=\"a\"/>\n\
                   </graph>\n</graphml>\n";
    let gml = "graph [\n  directed 1\n  edge [ source 1 target 2 ]\n  edge [ target 2 ]\n]\n";
    let pajek = "*Vertices 3\n1 \"a\"\n*Arcs\n1 2\n1 7\n";
    let dicts = "a b {'weight': 1}\nb c {'weight': 2\n";
    let semicolons = "source;target;weight\na;b;1\nb;c;heavy\n";
    let cases = [
        (
            "bad.graphml",
            graphml,
            ":6: GraphML <edge> without a `target`",
            "bad node or edge",
        ),
        (
            "bad.gml",
            gml,
            ":4: GML edge without a `source`",
            "bad node or edge",
        ),
        (
            "bad.net",
            pajek,
            ":5: vertex `7` is not a number from 1 to 3",
            "bad id",
        ),
        (
            "bad.edgelist",
            dicts,
            ":2: edge data `{'weight': 2` is not a Python dict",
            "dict",
        ),
        ("bad.csv", semicolons, ":3: weight `heavy`", "bad weight"),
    ];
    for (name, text, want, kind) in cases {
        let file = write(dir.path(), name, text);
        let o = clout(&["graph", "stats", &file, "--weighted", "--no-cache"], None);
        assert!(!o.status.success(), "{name} was accepted");
        let err = stderr(&o);
        assert!(err.contains(&format!("{file}{want}")), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        let o = clout(
            &[
                "graph",
                "stats",
                &file,
                "--weighted",
                "--lenient",
                "--no-cache",
            ],
            None,
        );
        assert!(o.status.success(), "{name} --lenient: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains("1 records skipped") && err.contains(kind),
            "{name}: {err}"
        );
    }
}

/// Broken structure is an error even with `--lenient`: XML that is not well-formed, an
/// unclosed GML list, XML that is not GraphML, a Pajek file with a matrix.
#[test]
fn broken_structure_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "broken.graphml",
            "<graphml>\n<graph>\n<node id=\"a\">\n</graph>\n",
            ":4: not well-formed XML",
        ),
        (
            "open.gml",
            "graph [\n  node [ id 1 ]\n  edge [ source 1 target 1\n",
            ": the file ends inside",
        ),
        (
            "other.xml",
            "<?xml version='1.0'?>\n<gexf>\n</gexf>\n",
            ":2: an XML file whose root is <gexf>",
        ),
        (
            "matrix.net",
            "*Vertices 2\n*Matrix\n0 1\n1 0\n",
            ":2: Pajek *Matrix sections are not read",
        ),
    ];
    for (name, text, want) in cases {
        let file = write(dir.path(), name, text);
        let o = clout(&["pagerank", &file, "--lenient", "--no-cache"], None);
        assert!(!o.status.success(), "{name} was accepted");
        let err = stderr(&o);
        assert!(err.contains(&file) && err.contains(want), "{name}: {err}");
    }
}

/// A graph read undirected because its file says so is still said to be when it comes from
/// the graph cache.
#[test]
fn the_undirected_note_survives_the_cache() {
    let cache = tempfile::tempdir().unwrap();
    let file = fixture("undirected.gml");
    for _ in 0..2 {
        let o = clout(&["pagerank", &file, "--json"], Some(cache.path()));
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("says its graph is undirected"),
            "{}",
            stderr(&o)
        );
        let out: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(out["edges"], reference("undirected.gml")["edges"]);
    }
}

/// Every fixture cut short anywhere, or with a byte changed, reads or fails with an error,
/// strict and lenient: never a panic.
#[test]
fn cut_or_corrupted_files_never_panic() {
    use clout::ingest::edges::{parse_edge_list, EdgeListOptions};
    use clout::ingest::Source;
    let mut state = 15u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for name in FIXTURES {
        let bytes = std::fs::read(repo(&format!("data/fixtures/graphs/{name}"))).unwrap();
        let mut inputs: Vec<Vec<u8>> = (1..bytes.len())
            .step_by(5)
            .map(|cut| bytes[..cut].to_vec())
            .collect();
        for _ in 0..300 {
            let mut b = bytes.clone();
            let at = next() % b.len();
            let pool = b"<>[]\"'{}&;#%*\n 0123456789xyz\xff";
            b[at] = pool[next() % pool.len()];
            inputs.push(b);
        }
        for input in inputs {
            for lenient in [false, true] {
                let opts = EdgeListOptions {
                    weighted: true,
                    lenient,
                };
                let _ = parse_edge_list(&Source::from_bytes(*name, input.clone()), opts);
            }
        }
    }
}

/// `graph centrality` reads the formats as `pagerank` does: labels as ids, a declared
/// undirected graph undirected, isolated nodes included.
#[test]
fn centrality_reads_graph_files_too() {
    for name in ["undirected.graphml", "directed.net"] {
        let want = reference(name);
        let args = [
            "graph",
            "centrality",
            &fixture(name),
            "--measure",
            "pagerank,degree",
            "--json",
            "--tol",
            "1e-12",
            "--max-iter",
            "10000",
            "--no-cache",
        ];
        let o = clout(&args, None);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let out: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(out["nodes"], want["nodes"], "{name}");
        assert_eq!(out["edges"], want["edges"], "{name}");
        assert_eq!(
            out["undirected"],
            !want["directed"].as_bool().unwrap(),
            "{name}"
        );
        let got: HashMap<String, f64> = out["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let id = r["id"].as_str().unwrap().to_string();
                (id, r["pagerank"].as_f64().unwrap())
            })
            .collect();
        assert_ranks(&format!("{name} centrality"), &got, &want["pagerank"]);
    }
}

/// A gzip GraphML of 250 MB (a few MB compressed) whose nodes carry 4 KB of data clout does
/// not read (yEd-style graphics): streamed, so the peak resident memory stays far below the
/// file's size (the compressed bytes are mapped and count in it too).
#[test]
fn graphml_is_streamed_not_loaded() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.graphml.gz");
    let file = std::fs::File::create(&path).unwrap();
    let mut z = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let head = "<?xml version='1.0'?>\n<graphml>\n\
                <key id=\"g\" for=\"node\" attr.name=\"graphics\"/>\n\
                <graph edgedefault=\"directed\">";
    writeln!(z, "{head}").unwrap();
    let nodes = 60_000u64;
    let mut written = 0usize;
    for i in 0..nodes {
        let tokens: String = (0..4).map(|_| format!("{:016x}", next())).collect();
        let junk = tokens.repeat(64);
        let node = format!("<node id=\"v{i}\"><data key=\"g\">{junk}</data></node>\n");
        let edge = format!(
            "<edge source=\"v{i}\" target=\"v{}\"/>\n",
            (i * 7 + 1) % nodes
        );
        z.write_all(node.as_bytes()).unwrap();
        z.write_all(edge.as_bytes()).unwrap();
        written += node.len() + edge.len();
    }
    writeln!(z, "</graph>\n</graphml>").unwrap();
    z.finish().unwrap();
    assert!(written > 250_000_000, "{written}");
    let file = path.to_str().unwrap();
    let o = clout(
        &["pagerank", file, "--timings", "--no-cache", "--top", "1"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let line = err
        .lines()
        .find(|l| l.starts_with("clout-timings "))
        .unwrap();
    let t: Value = serde_json::from_str(&line["clout-timings ".len()..]).unwrap();
    assert_eq!(t["nodes"], nodes);
    let peak = t["peak_rss_bytes"].as_u64().unwrap();
    let stored = std::fs::metadata(&path).unwrap().len();
    eprintln!("{written} bytes of GraphML, {stored} gzip, peak resident {peak}");
    assert!(
        peak < 80 << 20,
        "peak resident memory {peak} bytes for {written} bytes"
    );
}

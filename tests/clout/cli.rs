//! The command line end to end: output formats, bad input, lenient mode, atomic output.

use std::io::Write;

use crate::common::{clout, repo, stderr, stdout};

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn json_output_is_sorted_with_ties_by_id_and_top_k() {
    let dir = tempfile::tempdir().unwrap();
    // A symmetric 3-cycle: all ranks equal, so the order is by id.
    let f = write(dir.path(), "c.txt", b"b c\nc a\na b\n");
    let o = clout(&["pagerank", &f, "--json", "--top", "2"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (
            v["nodes"].as_u64(),
            v["edges"].as_u64(),
            v["converged"].as_bool()
        ),
        (Some(3), Some(3), Some(true))
    );
    let ranks = v["ranks"].as_array().unwrap();
    assert_eq!(ranks.len(), 2);
    assert_eq!(
        (ranks[0]["id"].as_str(), ranks[1]["id"].as_str()),
        (Some("a"), Some("b"))
    );
    assert!((ranks[0]["rank"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
}

#[test]
fn csv_output_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "g.txt", b"1 2\n3 2\n");
    let out = dir.path().join("ranks.csv");
    let o = clout(
        &["pagerank", &f, "--csv", "--out", out.to_str().unwrap()],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[0], "id,rank");
    assert!(rows[1].starts_with("2,"));
    assert_eq!(rows.len(), 4);
}

#[test]
fn bad_input_names_file_and_line_and_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let cases: Vec<(String, &str)> = vec![
        (write(dir.path(), "bad.txt", b"1 2\n2 3\n4\n"), "bad.txt:3"),
        (write(dir.path(), "w.txt", b"1 2 1\n2 3 oops\n"), "w.txt:2"),
        (write(dir.path(), "empty.txt", b""), "empty"),
        (
            write(dir.path(), "comments.txt", b"# nothing\n"),
            "no edges",
        ),
        (
            dir.path().join("missing.txt").to_str().unwrap().to_string(),
            "missing.txt",
        ),
        (
            write(dir.path(), "trunc.gz", &truncated_gzip()),
            "truncated",
        ),
    ];
    for (file, needle) in cases {
        let o = clout(
            &[
                "pagerank",
                &file,
                "--weighted",
                "--json",
                "--out",
                out.to_str().unwrap(),
            ],
            None,
        );
        assert!(!o.status.success(), "{file} should fail");
        assert!(stderr(&o).contains(needle), "{file}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
        assert!(!out.exists(), "no partial output for {file}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".clout-tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

fn truncated_gzip() -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..50_000 {
        writeln!(enc, "{i} {}", i * 3 + 1).unwrap();
    }
    let full = enc.finish().unwrap();
    full[..full.len() * 2 / 3].to_vec()
}

#[test]
fn lenient_skips_and_reports_by_kind() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "l.txt", b"1 2 1\n3\n2 3 x\n3 1 2\n1 2 3 4 5\n");
    let o = clout(&["pagerank", &f, "--weighted", "--lenient", "--json"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("3 records skipped"), "{err}");
    assert!(err.contains("1 too few fields (first at line 2)"), "{err}");
    assert!(err.contains("1 bad weight (first at line 3)"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["edges"], 2);
}

#[test]
fn stats_on_the_demo_graph_and_generator_determinism() {
    let o = clout(
        &[
            "graph",
            "stats",
            repo("data/kronecker/follows.txt").to_str().unwrap(),
            "--json",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["build"]["records"], 16384);
    let edges = v["edges"].as_u64().unwrap();
    assert_eq!(
        edges
            + v["build"]["self_loops_dropped"].as_u64().unwrap()
            + v["build"]["duplicates_merged"].as_u64().unwrap(),
        16384
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("k.txt");
    let o = clout(
        &[
            "generate",
            "kronecker",
            "--scale",
            "10",
            "--seed",
            "42",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(&out).unwrap(),
        std::fs::read(repo("data/kronecker/follows.txt")).unwrap(),
        "the demo graph is reproducible"
    );
}

#[test]
fn non_convergence_is_reported() {
    let o = clout(
        &[
            "pagerank",
            repo("data/kronecker/follows.txt").to_str().unwrap(),
            "--max-iter",
            "2",
            "--tol",
            "1e-15",
            "--json",
        ],
        None,
    );
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("did not converge in 2 iterations"),
        "{}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["iterations"].as_u64(), v["converged"].as_bool()),
        (Some(2), Some(false))
    );
    let _ = stdout(&o);
}

#[test]
fn personalization_file_moves_the_teleport() {
    let dir = tempfile::tempdir().unwrap();
    // A 3-cycle: uniform ranks; teleporting only to `a` makes a > b > c (a → b → c → a).
    let f = write(dir.path(), "c.txt", b"a b\nb c\nc a\n");
    let p = write(dir.path(), "p.txt", b"# id value\na 1\n");
    let o = clout(
        &[
            "pagerank",
            &f,
            "--json",
            "--personalization",
            &p,
            "--tol",
            "1e-14",
            "--max-iter",
            "1000",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = v["ranks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["a", "b", "c"]);
    // Hand-solved: x_a = 0.15 + 0.85 x_c, x_b = 0.85 x_a, x_c = 0.85 x_b → x_a = 0.15 / (1 − 0.85³).
    let xa = v["ranks"][0]["rank"].as_f64().unwrap();
    assert!((xa - 0.15 / (1.0 - 0.85f64.powi(3))).abs() < 1e-12, "{xa}");
    let bad = write(dir.path(), "bad.txt", b"a 1\nzzz 2\n");
    let o = clout(&["pagerank", &f, "--personalization", &bad], None);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("bad.txt:2") && stderr(&o).contains("zzz"),
        "{}",
        stderr(&o)
    );
}

//! `clout graph centrality` against networkx 3.6 reference values (tests/reference/centrality,
//! made by scripts/reference/centrality_networkx.py) on the shared graphs: integer measures
//! exactly, the others to 1e-9 (relative above 1), `--weighted` harmonic and betweenness
//! (Dijkstra) on CollegeMsg weighted by message counts, `--undirected` PageRank against
//! `nx.pagerank(nx.Graph)`, and the undirected-looking warning of `graph stats`.

use std::collections::HashMap;

use serde_json::Value;

use crate::common::{clout, repo, shared_data, stderr, stdout};

const MEASURES: &str =
    "degree,pagerank,hits,eigenvector,katz,core,clustering,triangles,harmonic,betweenness";

fn reference(name: &str) -> Value {
    let path = repo(&format!("tests/reference/centrality/{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `id → row` of a `--json` listing.
fn rows(out: &Value) -> HashMap<String, Value> {
    out["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r.clone()))
        .collect()
}

fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol * want.abs().max(1.0)
}

/// Runs `measures` on the reference graph with tolerance `tol`; `id → row`.
fn run(want: &Value, path: &str, measures: &str, tol: &str) -> HashMap<String, Value> {
    let alpha = want["katz_alpha"].to_string();
    let mut args = vec!["graph", "centrality", path, "--measure", measures, "--json"];
    args.extend(["--alpha", &alpha, "--tol", tol, "--max-iter", "100000"]);
    if want["undirected"].as_bool().unwrap() {
        args.push("--undirected");
    }
    let o = clout(&args, None);
    assert!(o.status.success(), "{measures}: {}", stderr(&o));
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(out["nodes"], want["nodes"], "nodes");
    assert_eq!(out["edges"], want["edges"], "edges");
    for c in out["convergence"].as_array().unwrap() {
        assert_eq!(c["converged"], true, "{c}");
    }
    rows(&out)
}

/// Runs every measure on reference `name` and checks it. The iterative measures run to tight
/// tolerances, as the reference did (networkx's defaults of 1e-6 would leave both sides about
/// 1e-7 from the fixed point, so they could not agree to 1e-9). PageRank runs with the
/// reference's own tolerance, 1e-12: the same stopping rule stops at the same iteration, while
/// a tighter one would differ from networkx's vector by up to its own N·1e-12 in L1.
fn check(name: &str) {
    let want = reference(name);
    let Some(path) = shared_data(want["file"].as_str().unwrap()) else {
        return;
    };
    let path = path.to_str().unwrap();
    let mut measures = MEASURES.replace("pagerank,", "");
    if !want["undirected"].as_bool().unwrap() {
        measures = measures.replace(",triangles", "");
    }
    let mut rows = run(&want, path, &measures, "1e-15");
    for (id, row) in run(&want, path, "pagerank", "1e-12") {
        rows.get_mut(&id).unwrap()["pagerank"] = row["pagerank"].clone();
    }
    check_integers(name, &want, &rows);
    check_floats(name, &want, &rows);
}

fn check_integers(name: &str, want: &Value, rows: &HashMap<String, Value>) {
    let ids = want["ids"].as_array().unwrap();
    for (measure, values) in want["int"].as_object().unwrap() {
        for (id, v) in ids.iter().zip(values.as_array().unwrap()) {
            let got = &rows[id.as_str().unwrap()][measure];
            assert_eq!(got, v, "{name}: {measure} of {id}");
        }
    }
}

fn check_floats(name: &str, want: &Value, rows: &HashMap<String, Value>) {
    let ids = want["ids"].as_array().unwrap();
    let n = ids.len() as f64;
    for (measure, summary) in want["float"].as_object().unwrap() {
        let get = |id: &str| rows[id][measure].as_f64().unwrap();
        let mut worst = 0.0f64;
        for pair in summary["top"].as_array().unwrap() {
            let (id, v) = (pair[0].as_str().unwrap(), pair[1].as_f64().unwrap());
            assert!(
                close(get(id), v, 1e-9),
                "{name}: {measure} of {id}: {} vs networkx {v}",
                get(id)
            );
            worst = worst.max((get(id) - v).abs());
        }
        let sum: f64 = ids.iter().map(|id| get(id.as_str().unwrap())).sum();
        let weighted: f64 = ids
            .iter()
            .enumerate()
            .map(|(k, id)| get(id.as_str().unwrap()) * (k + 1) as f64 / n)
            .sum();
        let (s, w) = (
            summary["sum"].as_f64().unwrap(),
            summary["weighted_sum"].as_f64().unwrap(),
        );
        assert!(close(sum, s, 1e-9), "{name}: {measure} sum {sum} vs {s}");
        assert!(
            close(weighted, w, 1e-9),
            "{name}: {measure} checksum {weighted} vs {w}"
        );
        eprintln!("{name}: {measure}: largest top-200 difference from networkx {worst:e}");
    }
}

#[test]
fn email_eu_core_matches_networkx() {
    check("email-eu-core");
}

#[test]
fn email_eu_core_undirected_matches_networkx() {
    check("email-eu-core-undirected");
}

#[test]
fn college_msg_matches_networkx() {
    check("college-msg");
}

#[test]
fn ego_facebook_matches_networkx() {
    check("ego-facebook");
}

#[test]
fn wiki_vote_matches_networkx() {
    check("wiki-vote");
}

/// `--weighted` harmonic and betweenness on reference `name`: CollegeMsg's first two columns
/// (written to a temporary file) read with `--weighted`, so each line weighs 1 and duplicate
/// edges add up to the number of messages, as the reference script builds the graph.
fn check_weighted(name: &str) {
    let want = reference(name);
    let Some(src) = shared_data(want["file"].as_str().unwrap()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pairs.txt");
    let text = std::fs::read_to_string(src).unwrap();
    let pairs: String = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>().join(" ") + "\n")
        .collect();
    std::fs::write(&path, pairs).unwrap();
    let path = path.to_str().unwrap();
    let measures = "harmonic,betweenness";
    let mut args = vec![
        "graph",
        "centrality",
        path,
        "--weighted",
        "-m",
        measures,
        "--json",
    ];
    if want["undirected"].as_bool().unwrap() {
        args.push("--undirected");
    }
    let o = clout(&args, Some(dir.path()));
    assert!(o.status.success(), "{}", stderr(&o));
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(out["nodes"], want["nodes"], "nodes");
    assert_eq!(out["edges"], want["edges"], "edges");
    let rows = rows(&out);
    check_floats(name, &want, &rows);
}

#[test]
fn college_msg_weighted_matches_networkx() {
    check_weighted("college-msg-weighted");
}

#[test]
fn college_msg_weighted_undirected_matches_networkx() {
    check_weighted("college-msg-weighted-undirected");
}

/// `clout pagerank --undirected` is `nx.pagerank(nx.Graph(…))`.
#[test]
fn undirected_pagerank_matches_networkx_graph() {
    let want = reference("email-eu-core-undirected");
    let Some(path) = shared_data(want["file"].as_str().unwrap()) else {
        return;
    };
    let path = path.to_str().unwrap();
    let args = [
        "pagerank",
        path,
        "--undirected",
        "--json",
        "--tol",
        "1e-12",
        "--max-iter",
        "10000",
    ];
    let o = clout(&args, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ranks: HashMap<&str, f64> = out["ranks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["rank"].as_f64().unwrap()))
        .collect();
    for pair in want["float"]["pagerank"]["top"].as_array().unwrap() {
        let (id, v) = (pair[0].as_str().unwrap(), pair[1].as_f64().unwrap());
        assert!((ranks[id] - v).abs() < 1e-12, "{id}: {} vs {v}", ranks[id]);
    }
}

/// A file written one line per undirected pair: `graph stats` warns on a directed read and
/// counts undirected edges on an undirected one.
#[test]
fn stats_warns_about_undirected_looking_files() {
    let want = reference("ego-facebook");
    let Some(path) = shared_data(want["file"].as_str().unwrap()) else {
        return;
    };
    let path = path.to_str().unwrap();
    let o = clout(&["graph", "stats", path, "--json"], None);
    assert!(o.status.success());
    assert!(stderr(&o).contains("looks undirected"), "{}", stderr(&o));
    let o = clout(&["graph", "stats", path, "--json", "--undirected"], None);
    assert!(!stderr(&o).contains("looks undirected"));
    let s: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (s["edges"].clone(), s["undirected"].clone()),
        (want["edges"].clone(), true.into())
    );
}

#[test]
fn small_files_by_hand_and_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("g.txt");
    // Triangle 1-2-3 with a tail 3-4, written with one edge given both ways.
    std::fs::write(&f, "1 2\n2 3\n3 1\n3 4\n4 3\n").unwrap();
    let f = f.to_str().unwrap();
    let args = [
        "graph",
        "centrality",
        f,
        "--undirected",
        "--measure",
        "betweenness,triangles,core",
        "--csv",
    ];
    let o = clout(&args, None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "id,betweenness,triangles,core\n3,0.6666666666666666,1,2\n1,0.0,1,2\n2,0.0,1,2\n4,0.0,0,1\n"
    );
    let o = clout(
        &["graph", "centrality", f, "--measure", "degree,closeness"],
        None,
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("unknown measure \"closeness\"; valid measures: degree, pagerank"));
    let o = clout(&["graph", "centrality", f, "--measure", "triangles"], None);
    assert!(
        stderr(&o).contains("undirected graphs only"),
        "{}",
        stderr(&o)
    );
    let o = clout(
        &["graph", "centrality", f, "-m", "core", "--weighted"],
        None,
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("core takes no weights"),
        "{}",
        stderr(&o)
    );
    weighted_files_by_hand(dir.path());
    let o = clout(
        &[
            "graph",
            "centrality",
            f,
            "-m",
            "betweenness",
            "--samples",
            "3",
            "--json",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["sampling"]["samples"], 3);
    assert!(v["sampling"]["error_bound"].as_f64().unwrap() >= 0.0);
}

/// `--weighted` harmonic and betweenness: weights are distances (Dijkstra); a zero weight is
/// refused for betweenness, naming the edge, and allowed for harmonic.
fn weighted_files_by_hand(dir: &std::path::Path) {
    let f = dir.join("w.txt");
    // 1 → 2 → 4 and 1 → 3 → 4 (length 2 each) beat 1 → 4 (length 5).
    std::fs::write(&f, "1 2 1\n2 4 1\n1 3 1\n3 4 1\n1 4 5\n").unwrap();
    let f = f.to_str().unwrap();
    let args = [
        "graph",
        "centrality",
        f,
        "--weighted",
        "-m",
        "betweenness,harmonic",
        "--csv",
    ];
    let o = clout(&args, None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "id,betweenness,harmonic\n2,0.08333333333333333,1.0\n3,0.08333333333333333,1.0\n1,0.0,0.0\n4,0.0,2.5\n"
    );
    // Sampled: every source (4 of 4) gives the exact values back, with the sampling note.
    let args = [
        "graph",
        "centrality",
        f,
        "--weighted",
        "-m",
        "betweenness",
        "--samples",
        "4",
        "--json",
    ];
    let o = clout(&args, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["sampling"]["samples"], 4);
    let b: HashMap<String, f64> = rows(&v)
        .into_iter()
        .map(|(id, r)| (id, r["betweenness"].as_f64().unwrap()))
        .collect();
    assert!((b["2"] - 1.0 / 12.0).abs() < 1e-15 && (b["3"] - 1.0 / 12.0).abs() < 1e-15);
    assert!(b["1"].abs() < 1e-15 && b["4"].abs() < 1e-15, "{b:?}");
    std::fs::write(dir.join("z.txt"), "1 2 0\n2 3 2\n").unwrap();
    let z = dir.join("z.txt");
    let z = z.to_str().unwrap();
    let o = clout(
        &["graph", "centrality", z, "--weighted", "-m", "betweenness"],
        None,
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("edge 1 → 2 has weight 0"),
        "{}",
        stderr(&o)
    );
    let o = clout(
        &[
            "graph",
            "centrality",
            z,
            "--weighted",
            "-m",
            "harmonic",
            "--csv",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "id,harmonic\n3,1.0\n1,0.0\n2,0.0\n");
}

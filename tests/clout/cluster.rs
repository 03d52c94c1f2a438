//! `clout pagerank --cluster`: several real `clout` processes on loopback give the
//! single-machine answer (within 1e-12 in L1, same iterations and convergence flag), stop with
//! an error naming a killed process, resume from checkpoints, and refuse bad setups clearly.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{clout, shared_data, stderr};

/// `n` ports free on loopback just now.
fn free_ports(n: usize) -> Vec<u16> {
    let held: Vec<std::net::TcpListener> = (0..n)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    held.iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

/// A hostfile for `n` processes on loopback.
fn hostfile(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("hosts");
    let lines: Vec<String> = free_ports(n)
        .iter()
        .map(|p| format!("127.0.0.1:{p}"))
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn spawn(args: &[&str], hosts: &Path, process: usize) -> Child {
    Command::new(env!("CARGO_BIN_EXE_clout"))
        .args(args)
        .arg("--cluster")
        .arg(hosts)
        .args(["--process", &process.to_string(), "--connect-timeout", "30"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("clout starts")
}

/// Waits for `child` (reading its output meanwhile, so that a long listing cannot block it),
/// killing it after `limit`.
fn finish(child: Child, limit: Duration) -> Output {
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output().unwrap()));
    match rx.recv_timeout(limit) {
        Ok(o) => o,
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            let o = rx.recv().unwrap();
            panic!("still running after {limit:?}: {}", stderr(&o));
        }
    }
}

/// Runs `args` on `processes` processes; every process's output, process 0 first.
fn run_cluster(args: &[&str], processes: usize, dir: &Path) -> Vec<Output> {
    let hosts = hostfile(dir, processes);
    let children: Vec<Child> = (0..processes).map(|i| spawn(args, &hosts, i)).collect();
    children
        .into_iter()
        .map(|c| finish(c, Duration::from_secs(120)))
        .collect()
}

/// A `--json` listing: `(nodes, edges, iterations, converged, id → rank)`.
struct Listing {
    head: (u64, u64, u64, bool),
    ranks: HashMap<String, f64>,
}

fn listing(o: &Output) -> Listing {
    assert!(o.status.success(), "{}", stderr(o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let head = (
        v["nodes"].as_u64().unwrap(),
        v["edges"].as_u64().unwrap(),
        v["iterations"].as_u64().unwrap(),
        v["converged"].as_bool().unwrap(),
    );
    let ranks = v["ranks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["rank"].as_f64().unwrap(),
            )
        })
        .collect();
    Listing { head, ranks }
}

/// The single-machine listing of `file` with `args`.
fn single(file: &Path, args: &[&str]) -> Listing {
    let mut all = vec!["pagerank", file.to_str().unwrap(), "--json", "--no-cache"];
    all.extend_from_slice(args);
    listing(&clout(&all, None))
}

/// Asserts that a cluster run of `file` with `args` on `processes` × `workers` gives the
/// single-machine listing.
fn same_as_single(file: &Path, args: &[&str], processes: usize, workers: usize) {
    let want = single(file, args);
    let dir = tempfile::tempdir().unwrap();
    let w = workers.to_string();
    let mut all = vec![
        "pagerank",
        file.to_str().unwrap(),
        "--json",
        "--workers",
        &w,
    ];
    all.extend_from_slice(args);
    let outs = run_cluster(&all, processes, dir.path());
    for (i, o) in outs.iter().enumerate().skip(1) {
        assert!(o.status.success(), "process {i}: {}", stderr(o));
        assert!(o.stdout.is_empty(), "only process 0 writes the result");
    }
    let got = listing(&outs[0]);
    let what = format!("{} {args:?} on {processes}×{workers}", file.display());
    assert_eq!(
        got.head, want.head,
        "{what}: nodes, edges, iterations, converged"
    );
    assert_eq!(got.ranks.len(), want.ranks.len(), "{what}");
    let l1: f64 = want
        .ranks
        .iter()
        .map(|(id, r)| {
            (r - got
                .ranks
                .get(id)
                .unwrap_or_else(|| panic!("{what}: {id} missing")))
            .abs()
        })
        .sum();
    assert!(l1 < 1e-12, "{what}: L1 distance {l1:e}");
    eprintln!("{what}: L1 distance to one machine {l1:e}");
}

/// A small graph with the quirks: text ids, a header comment, CRLF, tabs, a duplicate edge, a
/// self-loop, dangling nodes, weights.
fn fixture(dir: &Path) -> PathBuf {
    let mut text = String::from("# a fixture\r\n");
    let mut x = 7u64;
    for i in 0..400u64 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let (a, b) = ((x >> 33) % 90, (x >> 17) % 120);
        let sep = if i % 3 == 0 { "\t" } else { " " };
        text += &format!("n{a}{sep}n{b} {}\r\n", 1 + (x >> 50) % 5);
    }
    text += "n1 n2 2\nn1 n2 3\nn5 n5 1\nn3 tail-only 1\n";
    let path = dir.join("fixture.txt");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn small_graphs_match_one_machine_on_2_and_3_processes() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture(dir.path());
    same_as_single(&g, &[], 2, 1);
    same_as_single(&g, &["--weighted", "--tol", "1e-12"], 3, 1);
    same_as_single(&g, &["--undirected", "--keep-self-loops"], 3, 2);
    same_as_single(&g, &["--iterations", "7", "--damping", "0.6"], 2, 2);
    let gz = dir.path().join("fixture.txt.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut enc, &std::fs::read(&g).unwrap()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    same_as_single(&gz, &["--weighted"], 3, 1);
}

#[test]
fn wiki_vote_matches_one_machine() {
    let Some(path) = shared_data("graphs/wiki-vote/Wiki-Vote.txt") else {
        return;
    };
    same_as_single(&path, &["--tol", "1e-12", "--max-iter", "10000"], 2, 1);
    same_as_single(&path, &[], 3, 1);
}

#[test]
fn slashdot_matches_one_machine() {
    let Some(path) = shared_data("graphs/slashdot/soc-Slashdot0902.txt.gz") else {
        return;
    };
    same_as_single(&path, &["--tol", "1e-12", "--max-iter", "10000"], 3, 1);
}

#[test]
fn weighted_higgs_retweets_match_one_machine() {
    let Some(path) = shared_data("higgs/higgs-retweet_network.edgelist.gz") else {
        return;
    };
    let args = ["--weighted", "--tol", "1e-12", "--max-iter", "10000"];
    same_as_single(&path, &args, 2, 2);
}

#[test]
fn bad_setups_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixture(dir.path());
    let g = g.to_str().unwrap();
    let bad = dir.path().join("bad-hosts");
    std::fs::write(&bad, "127.0.0.1:4000\nlocalhost\n").unwrap();
    let o = clout(
        &[
            "pagerank",
            g,
            "--cluster",
            bad.to_str().unwrap(),
            "--process",
            "0",
        ],
        None,
    );
    let e = stderr(&o);
    assert!(
        !o.status.success() && e.contains("bad-hosts:2: `localhost` is not `host:port`"),
        "{e}"
    );
    let hosts = hostfile(dir.path(), 2);
    let h = hosts.to_str().unwrap();
    let o = clout(&["pagerank", g, "--cluster", h, "--process", "2"], None);
    let e = stderr(&o);
    assert!(
        !o.status.success() && e.contains("--process 2 is out of range"),
        "{e}"
    );
    // Process 1 waits for process 0, which never comes.
    let args = [
        "pagerank",
        g,
        "--cluster",
        h,
        "--process",
        "1",
        "--connect-timeout",
        "1",
    ];
    let o = clout(&args, None);
    let e = stderr(&o);
    assert!(
        !o.status.success() && e.contains("process 0 (127.0.0.1:") && e.contains("not reachable"),
        "{e}"
    );
    assert!(!e.contains("panicked"), "{e}");
}

#[test]
fn a_bad_record_in_one_share_stops_every_process_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut text: String = (0..200)
        .map(|i| format!("{i} {}\n", (i * 7) % 200))
        .collect();
    text += "150 151 152 153\n";
    let path = dir.path().join("bad.txt");
    std::fs::write(&path, text).unwrap();
    let outs = run_cluster(&["pagerank", path.to_str().unwrap()], 2, dir.path());
    for o in &outs {
        let e = stderr(o);
        assert!(!o.status.success(), "{e}");
        assert!(
            e.contains("bad.txt:201: expected `src dst [weight]`, found 4 fields"),
            "{e}"
        );
    }
}

/// A graph that takes a while at `--round-delay-ms`: many iterations of a small ring.
fn slow_graph(dir: &Path) -> PathBuf {
    let text: String = (0..300)
        .map(|i| format!("{i} {}\n{i} {}\n", (i + 1) % 300, (i * 13) % 301))
        .collect();
    let path = dir.join("ring.txt");
    std::fs::write(&path, text).unwrap();
    path
}

/// Waits until `dir` holds a checkpoint round of at least `round`.
fn wait_for_checkpoint(dir: &Path, round: u64) {
    let t0 = Instant::now();
    loop {
        let newest = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_str()?
                    .strip_prefix("round-")?
                    .parse::<u64>()
                    .ok()
            })
            .max();
        if newest.is_some_and(|r| r >= round) {
            return;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(60),
            "no checkpoint {round} in time"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_killed_process_stops_the_others_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let g = slow_graph(dir.path());
    let ck = dir.path().join("ck");
    let args = [
        "pagerank",
        g.to_str().unwrap(),
        "--iterations",
        "400",
        "--round-delay-ms",
        "20",
        "--checkpoint",
        ck.to_str().unwrap(),
        "--every",
        "2",
    ];
    let hosts = hostfile(dir.path(), 3);
    let mut children: Vec<Child> = (0..3).map(|i| spawn(&args, &hosts, i)).collect();
    wait_for_checkpoint(&ck, 4);
    children[1].kill().unwrap();
    let t0 = Instant::now();
    for (i, c) in children.into_iter().enumerate() {
        if i == 1 {
            let _ = c.wait_with_output();
            continue;
        }
        let o = finish(c, Duration::from_secs(15));
        let e = stderr(&o);
        assert!(!o.status.success(), "process {i}: {e}");
        assert!(e.contains("lost process 1 (127.0.0.1:"), "process {i}: {e}");
        assert!(!e.contains("panicked"), "process {i}: {e}");
    }
    assert!(
        t0.elapsed() < Duration::from_secs(10),
        "stopped in {:?}",
        t0.elapsed()
    );
}

#[test]
fn a_restarted_cluster_resumes_from_its_checkpoint_to_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    let g = slow_graph(dir.path());
    let ck = dir.path().join("ck");
    let gs = g.to_str().unwrap();
    let base = [
        "pagerank",
        gs,
        "--json",
        "--iterations",
        "60",
        "--checkpoint",
        ck.to_str().unwrap(),
        "--every",
        "5",
    ];
    let mut slow = base.to_vec();
    slow.extend(["--round-delay-ms", "30"]);
    let hosts = hostfile(dir.path(), 2);
    let mut children: Vec<Child> = (0..2).map(|i| spawn(&slow, &hosts, i)).collect();
    wait_for_checkpoint(&ck, 10);
    children[0].kill().unwrap();
    for c in children {
        let _ = finish(c, Duration::from_secs(15));
    }
    let outs = run_cluster(&base, 2, dir.path());
    let e = stderr(&outs[0]);
    let resumed: u64 = e
        .split("resumed from the checkpoint of iteration ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no resume: {e}"));
    assert!((10..60).contains(&resumed), "{e}");
    let got = listing(&outs[0]);
    let want = single(&g, &["--iterations", "60"]);
    assert_eq!(got.head, want.head);
    let l1: f64 = want
        .ranks
        .iter()
        .map(|(id, r)| (r - got.ranks[id]).abs())
        .sum();
    assert!(l1 < 1e-12, "L1 {l1:e}");
    // And bit for bit what an uninterrupted cluster run gives.
    let fresh = tempfile::tempdir().unwrap();
    let plain = ["pagerank", gs, "--json", "--iterations", "60"];
    let again = listing(&run_cluster(&plain, 2, fresh.path())[0]);
    assert_eq!(again.ranks, got.ranks);
}

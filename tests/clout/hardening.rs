//! Issue 13's hardening, each found by a probe: CSV formula injection, terminal escape
//! injection, `--out` file modes under the umask, and a closed pipe.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::common::{clout, stderr, stdout};

const FORMULA: &str = "=HYPERLINK(\"http://evil\",\"x\")";
const ESCAPES: &str = "evil\u{1b}]0;pwned\u{7}\u{1b}[2J";

/// Interactions where the formula id and the escape id each get engaged by three accounts.
fn hostile_interactions(dir: &std::path::Path) -> String {
    let mut lines = Vec::new();
    for target in [FORMULA, ESCAPES, "-5", "+plain"] {
        for a in ["a", "b", "c"] {
            lines.push(
                serde_json::json!({"actor": a, "target": target, "kind": "share", "time": 100})
                    .to_string(),
            );
        }
    }
    let path = dir.join("i.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn csv_output_neutralises_formulas_and_keeps_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let i = hostile_interactions(dir.path());
    let o = clout(&["score", "--interactions", &i, "--csv"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut rd = csv::Reader::from_reader(o.stdout.as_slice());
    let ids: Vec<String> = rd.records().map(|r| r.unwrap()[0].to_string()).collect();
    assert!(ids.contains(&format!("'{FORMULA}")), "{ids:?}");
    assert!(
        ids.contains(&"'+plain".to_string()) && ids.contains(&"-5".to_string()),
        "{ids:?}"
    );
    // The same through `pagerank --csv` on an edge list.
    let edges = dir.path().join("e.txt");
    std::fs::write(&edges, "@SUM(A1) b\nb c\nc @SUM(A1)\n").unwrap();
    let o = clout(
        &["pagerank", edges.to_str().unwrap(), "--csv", "--no-cache"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).lines().any(|l| l.starts_with("'@SUM(A1),")),
        "{}",
        stdout(&o)
    );
}

#[test]
fn text_output_escapes_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let i = hostile_interactions(dir.path());
    for args in [
        vec!["score", "--interactions", &i],
        vec!["explain", ESCAPES, "--interactions", &i],
    ] {
        let o = clout(&args, None);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(
            !o.stdout.contains(&0x1b) && !o.stdout.contains(&0x07),
            "{args:?}"
        );
        assert!(
            stdout(&o).contains("evil\\u{1b}]0;pwned\\u{7}"),
            "{}",
            stdout(&o)
        );
    }
}

#[cfg(unix)]
#[test]
fn out_files_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let i = hostile_interactions(dir.path());
    let plain = dir.path().join("plain");
    std::fs::File::create(&plain).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let out = dir.path().join("scores.csv");
    let o = clout(
        &[
            "score",
            "--interactions",
            &i,
            "--csv",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&out), mode(&plain));
    assert_ne!(mode(&out), 0o600);
}

/// `clout … | head -1`: the reader goes away; clout exits 0 without a message.
#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let graph = dir.path().join("k.txt");
    let g = graph.to_str().unwrap();
    let o = clout(
        &["generate", "kronecker", "--scale", "14", "--out", g],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut child = Command::new(env!("CARGO_BIN_EXE_clout"))
        .args(["pagerank", g, "--csv", "--no-cache"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{:?}: {}", o.status, stderr(&o));
    assert!(!stderr(&o).contains("Broken pipe"), "{}", stderr(&o));
}

/// Duplicate weights that add up past `f64::MAX` (or out-weights that do) are an error at the
/// line where the sum overflowed, not NaN ranks with exit 0.
#[test]
fn weight_overflow_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "b c 1\na b 1e308\nc a 1\na b 1e308\n",
            "w.txt:4",
            "edge a → b",
        ),
        (
            "a b 1e308\nb c 1\na c 1e308\nc a 1\n",
            "w.txt:3",
            "out-weights of node a",
        ),
    ];
    for (text, at, what) in cases {
        let path = dir.path().join("w.txt");
        std::fs::write(&path, text).unwrap();
        let o = clout(
            &[
                "pagerank",
                path.to_str().unwrap(),
                "--weighted",
                "--no-cache",
            ],
            None,
        );
        assert!(!o.status.success(), "{}", stdout(&o));
        let err = stderr(&o);
        assert!(err.contains(at) && err.contains(what), "{err}");
    }
}

/// Personalization values near `f64::MAX` give the same ranks as the same values scaled down
/// (they used to overflow the normalising sum: ranks summing to 1.6e-5, "converged").
#[test]
fn huge_personalization_values_normalise_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let g = dir.path().join("g.txt");
    std::fs::write(&g, "a b\nb c\nc a\nc b\n").unwrap();
    let ranks = |values: &str| -> Vec<f64> {
        let p = dir.path().join("p.txt");
        std::fs::write(&p, values).unwrap();
        let o = clout(
            &[
                "pagerank",
                g.to_str().unwrap(),
                "--personalization",
                p.to_str().unwrap(),
                "--csv",
                "--no-cache",
            ],
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let mut rows: Vec<(String, f64)> = stdout(&o)
            .lines()
            .skip(1)
            .map(|l| {
                let (id, r) = l.split_once(',').unwrap();
                (id.to_string(), r.parse().unwrap())
            })
            .collect();
        rows.sort_by(|x, y| x.0.cmp(&y.0));
        rows.into_iter().map(|r| r.1).collect()
    };
    let huge = ranks(&format!("a {}\nb {}\nc 0\n", f64::MAX, f64::MAX / 2.0));
    let small = ranks("a 2\nb 1\nc 0\n");
    assert!((huge.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{huge:?}");
    for (x, y) in huge.iter().zip(&small) {
        assert!((x - y).abs() < 1e-12, "{huge:?} vs {small:?}");
    }
}

/// One interaction dated 9999-12-31 used to become the default as-of instant and silently
/// empty the default window; an as-of instant past year 9999 was stored and shown.
#[test]
fn far_future_times_are_refused_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("i.txt");
    std::fs::write(
        &path,
        "a b RT 100\nc b RT 200\nb a MT 300\nd a RT 253402214400\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let o = clout(&["score", "--interactions", p], None);
    let err = stderr(&o);
    assert!(!o.status.success(), "{}", stdout(&o));
    assert!(
        err.contains("i.txt")
            && err.contains("9999-12-31T00:00:00Z")
            && err.contains("--allow-far-times"),
        "{err}"
    );
    let o = clout(&["score", "--interactions", p, "--allow-far-times"], None);
    assert!(
        o.status.success() && stderr(&o).contains("warning"),
        "{}",
        stderr(&o)
    );
    let o = clout(&["score", "--interactions", p, "--as-of", "300"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("3 interactions in the window"),
        "{}",
        stdout(&o)
    );
    let o = clout(
        &[
            "score",
            "--interactions",
            p,
            "--as-of",
            "9223372036854775807",
        ],
        None,
    );
    assert!(
        !o.status.success() && stderr(&o).contains("9999-12-31T23:59:59Z"),
        "{}",
        stderr(&o)
    );
}

/// A posts file given twice over (every post id repeated) scores exactly as the file once:
/// repeated ids used to count twice in Amplification.
#[test]
fn repeated_post_ids_do_not_change_amplification() {
    let dir = tempfile::tempdir().unwrap();
    let demo = crate::common::repo("data/demo");
    let posts = std::fs::read_to_string(demo.join("posts.jsonl")).unwrap();
    let twice = dir.path().join("twice.jsonl");
    std::fs::write(&twice, format!("{posts}{posts}")).unwrap();
    let i = demo.join("interactions.txt");
    let run = |p: &std::path::Path| {
        let o = clout(
            &[
                "score",
                "--interactions",
                i.to_str().unwrap(),
                "--posts",
                p.to_str().unwrap(),
                "--json",
                "--top",
                "50",
            ],
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        (stdout(&o), stderr(&o))
    };
    let (once, _) = run(&demo.join("posts.jsonl"));
    let (again, note) = run(&twice);
    assert_eq!(once, again);
    assert!(
        note.contains("duplicate post id (merged into the first)"),
        "{note}"
    );
}

/// `clout top` on a damaged store says what is wrong with it, without the hint meant for a
/// missing store (which it used to put first).
#[test]
fn top_on_a_damaged_store_reports_the_damage() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.store");
    std::fs::write(&bad, "garbage, not SQLite").unwrap();
    let o = clout(
        &[
            "top",
            "--topic",
            "gardening",
            "--store",
            bad.to_str().unwrap(),
        ],
        None,
    );
    let err = stderr(&o);
    assert!(!o.status.success());
    assert!(
        err.contains("not a clout store") && !err.contains("no leaderboard to show"),
        "{err}"
    );
    let missing = dir.path().join("none.store");
    let o = clout(
        &[
            "top",
            "--topic",
            "gardening",
            "--store",
            missing.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        stderr(&o).contains("does not exist") && stderr(&o).contains("clout run"),
        "{}",
        stderr(&o)
    );
}

//! `clout topics experts` end to end on a hand-made fixture.

use crate::common::{clout, stderr, stdout};

const POSTS: &str = r##"{"id":"p1","author":"gina","time":100,"text":"Compost your garden beds #GardeningTips"}
{"id":"p2","author":"gina","time":200,"text":"Pruning roses in the garden today"}
{"id":"p3","author":"gina","time":300,"text":"Giveaway! Win a free phone"}
{"id":"p6","author":"carl","time":200,"text":"my garden, my garden"}
{"id":"p7","author":"carl","time":210,"text":"happy holidays everyone"}
{"id":"p8","author":"carl","time":220,"text":"the garden again"}
"##;

// gina: p1 and p2 earn two reactors each (bob likes p2 twice: one reactor). carl: p6 earns
// one, p8 none (one engaged gardening post: no expert).
const INTERACTIONS: &str = "bob gina like 110 p1\ncarl gina like 120 p1\ndan gina share 130 p2\nbob gina like 210 p2\nbob gina like 215 p2\nbob carl like 250 p6\ndan carl like 260 p7\n";

fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("posts.jsonl"), POSTS).unwrap();
    std::fs::write(dir.path().join("inter.txt"), INTERACTIONS).unwrap();
    dir
}

#[test]
fn experts_rank_engaged_posts_with_evidence() {
    let dir = fixture();
    let (p, i) = (dir.path().join("posts.jsonl"), dir.path().join("inter.txt"));
    let args = |topic: &str| {
        vec![
            "topics".to_string(),
            "experts".into(),
            "--posts".into(),
            p.display().to_string(),
            "--interactions".into(),
            i.display().to_string(),
            "--window".into(),
            "all".into(),
            "--topic".into(),
            topic.into(),
            "--json".into(),
            "--keywords".into(),
        ]
    };
    let run = |topic: &str| {
        let a = args(topic);
        let o = clout(&a.iter().map(String::as_str).collect::<Vec<_>>(), None);
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let out = run("GARDENING");
    let rows: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 1, "{out}");
    // S = 2 + 2 over n = 2 posts: 4 · 2 / (2 + 2) = 2.
    assert_eq!(rows[0]["account"], "gina");
    assert!((rows[0]["score"].as_f64().unwrap() - 2.0).abs() < 1e-12);
    assert_eq!(rows[0]["evidence"], serde_json::json!(["p1", "p2"]));
    // Rolled up to the root: the same evidence.
    let out = run("hobbies");
    assert!(out.contains("\"account\":\"gina\""), "{out}");
    // A one-off post makes no expert.
    assert!(!run("holidays").contains("carl"));
    let a = args("gardenin");
    let o = clout(&a.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("Gardening (gardening)"),
        "{}",
        stderr(&o)
    );
}

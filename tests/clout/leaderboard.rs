//! Leaderboards: the formula against an independent single-vector PageRank, ties, filters and
//! roll-up on a hand-made fixture.

use clout::ingest::interactions::parse_interactions;
use clout::ingest::posts::parse_posts;
use clout::ingest::{Interactions, Posts, Source};
use clout::leaderboard::{
    leaderboards, topical::impact_graph, BoardInputs, LeaderboardParams, Leaderboards,
};
use clout::metrics::{pagerank, CsrPropagator, PageRankParams};
use clout::score::{score, Inputs, ScoreParams, Scores};
use clout::topics::expertise::endorse::Endorsement;
use clout::topics::{builtin, Classifier, ClassifierScratch, TopicIdx};

/// Two gardeners with identical posts and audiences (`zz_gina` appears first, `aa_gus` sorts
/// first), a third gardener engaged by two fans only, a basketball account on another network.
fn fixture() -> (Interactions, Posts) {
    let mut posts = String::new();
    let mut inter = String::new();
    let garden = [
        "Compost your garden beds #GardeningTips",
        "Pruning roses in the garden today",
        "Seedlings and raised beds: my gardening notes",
    ];
    for (a, net) in [("zz_gina", "tw"), ("aa_gus", "tw"), ("mo_gardener", "tw")] {
        for (i, text) in garden.iter().enumerate() {
            let id = format!("{a}_p{i}");
            posts.push_str(&format!(
                "{{\"id\":\"{id}\",\"author\":\"{a}\",\"time\":{},\"text\":\"{text}\"}}\n",
                100 + i
            ));
            let fans: &[&str] = if a == "mo_gardener" {
                &["f1", "f2"]
            } else {
                &["f1", "f2", "f3", "f4"]
            };
            for f in fans {
                inter.push_str(&format!("{f} {a} like {} {id} {net}\n", 200 + i));
            }
        }
    }
    for i in 0..2 {
        let id = format!("bo_p{i}");
        posts.push_str(&format!(
            "{{\"id\":\"{id}\",\"author\":\"bo\",\"time\":100,\"text\":\"NBA finals and basketball dunks\"}}\n"
        ));
        for f in ["f5", "f6", "f7"] {
            inter.push_str(&format!("{f} bo share 300 {id} ig\n"));
        }
    }
    // The fans engage with each other a little, so that they are not hollow.
    for (a, b) in [
        ("f1", "f5"),
        ("f5", "f2"),
        ("f3", "f6"),
        ("f7", "f4"),
        ("f6", "f1"),
    ] {
        inter.push_str(&format!("{a} {b} reply 50 x_{a}_{b} tw\n"));
    }
    let i = parse_interactions(&Source::from_bytes("i.txt", inter.into_bytes()), false).unwrap();
    let p = parse_posts(&Source::from_bytes("p.jsonl", posts.into_bytes()), false).unwrap();
    (i, p)
}

fn classifier() -> Classifier {
    Classifier::zero_shot(builtin(), "social").unwrap()
}

fn boards(
    inter: &Interactions,
    posts: &Posts,
    scores: &Scores,
    c: &Classifier,
    topics: &[TopicIdx],
    params: LeaderboardParams,
) -> Leaderboards {
    boards_plus_k(inter, posts, scores, c, topics, params, &[])
}

fn boards_plus_k(
    inter: &Interactions,
    posts: &Posts,
    scores: &Scores,
    c: &Classifier,
    topics: &[TopicIdx],
    params: LeaderboardParams,
    endorsements: &[Endorsement],
) -> Leaderboards {
    let input = BoardInputs {
        interactions: inter,
        follows: None,
        posts,
        scores,
        endorsements: clout::leaderboard::Endorsers {
            records: endorsements,
            person_of: &[],
        },
    };
    let params = params.check(inter).unwrap();
    leaderboards(
        &input,
        c.ontology(),
        &|p: &clout::ingest::Post, s: &mut ClassifierScratch| c.classify(&p.text, None, 3, s),
        Some(topics),
        &params,
    )
    .unwrap()
}

/// Every account's score over all time.
fn all_time_scores(inter: &Interactions) -> Scores {
    score(
        &Inputs::new(inter),
        &ScoreParams {
            as_of: None,
            window: None,
            ..Default::default()
        }
        .check(inter)
        .unwrap(),
    )
    .unwrap()
}

fn names(inter: &Interactions, rows: &[clout::leaderboard::Leader]) -> Vec<String> {
    rows.iter()
        .map(|r| inter.accounts.name(r.account).to_string())
        .collect()
}

#[test]
fn formula_ties_filters_and_roll_up_on_a_fixture() {
    let (inter, posts) = fixture();
    let scores = all_time_scores(&inter);
    let c = classifier();
    let o = c.ontology();
    let (gardening, hobbies, basketball) = (
        o.find("gardening").unwrap(),
        o.find("Hobbies").unwrap(),
        o.find("basketball").unwrap(),
    );
    let all = boards(
        &inter,
        &posts,
        &scores,
        &c,
        &[gardening, hobbies, basketball],
        LeaderboardParams::default(),
    );
    let g = &all.boards[0].1;
    // Ties by id: the two identical gardeners tie, and `aa_gus` comes first.
    assert_eq!(names(&inter, g), ["aa_gus", "zz_gina", "mo_gardener"]);
    assert_eq!(g[0].value, g[1].value);
    assert_eq!(g[0].value, 100.0);
    // The formula, against a separate single-vector PageRank whose teleport is the expertise.
    let (graph, weighted) = impact_graph(&scores, None, &inter.accounts, scores.params.calibration);
    let mut teleport = vec![0.0; inter.accounts.len()];
    for r in g {
        teleport[r.account as usize] = r.expertise;
    }
    let pr = pagerank(
        &CsrPropagator::new(&graph),
        &PageRankParams {
            tol: 1e-12,
            max_iter: 1000,
            weighted,
            personalization: Some(teleport),
            ..Default::default()
        }
        .check(graph.num_nodes())
        .unwrap(),
    );
    let e_max = g.iter().map(|r| r.expertise).fold(0.0, f64::max);
    let pr_max = g
        .iter()
        .map(|r| pr.ranks[r.account as usize])
        .fold(0.0, f64::max);
    for r in g {
        let p = pr.ranks[r.account as usize];
        assert!(
            (r.topical_impact - p).abs() < 1e-8,
            "{} vs {p}",
            r.topical_impact
        );
        let want = 100.0 * (r.expertise / e_max).sqrt() * (p / pr_max).sqrt();
        assert!((r.value - want).abs() < 1e-6, "{} vs {want}", r.value);
    }
    // Roll-up: the super-topic ranks the gardeners; basketball has its own expert.
    assert_eq!(names(&inter, &all.boards[1].1), names(&inter, g));
    assert_eq!(names(&inter, &all.boards[2].1), ["bo"]);
    // Minimum True Reach 3 drops the gardener with two engagers; values do not move.
    let filtered = boards(
        &inter,
        &posts,
        &scores,
        &c,
        &[gardening],
        LeaderboardParams {
            min_reach: 3,
            ..Default::default()
        },
    );
    assert_eq!(names(&inter, &filtered.boards[0].1), ["aa_gus", "zz_gina"]);
    assert_eq!(filtered.boards[0].1[0].value, g[0].value);
    // Network: basketball's expert is on ig only.
    let tw = boards(
        &inter,
        &posts,
        &scores,
        &c,
        &[basketball],
        LeaderboardParams {
            network: Some("TW".into()),
            ..Default::default()
        },
    );
    assert!(tw.boards[0].1.is_empty());
    let err = LeaderboardParams {
        network: Some("myspace".into()),
        ..Default::default()
    }
    .check(&inter)
    .unwrap_err();
    assert!(err.to_string().contains("tw, ig"), "{err}");
}

#[test]
fn clout_top_reads_a_directory_and_names_close_topics() {
    use crate::common::{clout, stderr, stdout};
    let dir = tempfile::tempdir().unwrap();
    let (p, i) = (
        dir.path().join("posts.jsonl"),
        dir.path().join("interactions.txt"),
    );
    let mut posts = String::new();
    let mut inter = String::new();
    for a in ["gina", "gus"] {
        for k in 0..3 {
            posts.push_str(&format!(
                "{{\"id\":\"{a}{k}\",\"author\":\"{a}\",\"time\":10,\"text\":\"my garden and compost\"}}\n"
            ));
            let fans = if a == "gina" { 3 } else { 1 };
            for f in 0..fans {
                inter.push_str(&format!("fan{f} {a} like 20 {a}{k}\n"));
            }
        }
    }
    std::fs::write(&p, posts).unwrap();
    std::fs::write(&i, inter).unwrap();
    let d = dir.path().to_str().unwrap();
    let o = clout(&["top", "--topic", "GARDENING", "--dir", d, "--json"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let b: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(b["topic"], "gardening");
    assert_eq!(b["path"], serde_json::json!(["hobbies", "gardening"]));
    let who: Vec<&str> = b["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["account"].as_str().unwrap())
        .collect();
    assert_eq!(who, ["gina", "gus"]);
    assert_eq!(b["entries"][0]["value"], 100.0);
    let o = clout(&["top", "--topic", "gardenin", "--dir", d, "-n", "1"], None);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("Gardening (gardening)"),
        "{}",
        stderr(&o)
    );
    let o = clout(
        &["top", "--topic", "gardening", "--dir", d, "-n", "1"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o)
            .lines()
            .filter(|l| l.contains("\tgina\t"))
            .count(),
        1,
        "{}",
        stdout(&o)
    );
    assert!(!stdout(&o).contains("gus"));
}

/// Issue 17, +K: the two identical gardeners tie until fans endorse `zz_gina` on gardening;
/// her expertise is then scaled by hand's `1 + 0.1 · ln(1 + K)` with `K` the endorsers' scores
/// over 100 (a repeated endorsement counts once, a mutual one keeps 0.2), and she leads. An
/// account without gardening expertise gains no place from +K.
#[test]
fn plus_k_scales_expertise_by_the_endorsers_scores_with_a_cap() {
    let (inter, posts) = fixture();
    let scores = all_time_scores(&inter);
    let c = classifier();
    let gardening = c.ontology().find("gardening").unwrap();
    let id = |n: &str| inter.accounts.find(n).unwrap();
    let e = |by: &str, of: &str| Endorsement {
        endorser: id(by),
        account: id(of),
        topic: gardening,
        time: 10,
    };
    let plus = [
        e("f1", "zz_gina"),
        e("f1", "zz_gina"),
        e("f2", "zz_gina"),
        e("aa_gus", "zz_gina"),
        e("zz_gina", "aa_gus"),
        e("f3", "bo"),
    ];
    let b = boards_plus_k(
        &inter,
        &posts,
        &scores,
        &c,
        &[gardening],
        LeaderboardParams::default(),
        &plus,
    );
    let g = &b.boards[0].1;
    assert_eq!(names(&inter, g), ["zz_gina", "aa_gus", "mo_gardener"]);
    let s = |n: &str| scores.accounts[id(n) as usize].score() / 100.0;
    let k_gina = s("f1") + s("f2") + 0.2 * s("aa_gus");
    let k_gus = 0.2 * s("zz_gina");
    let base = b.expertise.get(id("mo_gardener"), gardening).unwrap().score;
    assert!(base > 0.0);
    let (gina, gus) = (g[0].expertise, g[1].expertise);
    let plain = gina / (1.0 + 0.1 * k_gina.ln_1p());
    assert!(
        (plain - gus / (1.0 + 0.1 * k_gus.ln_1p())).abs() < 1e-12,
        "{plain} {gus}"
    );
    let pk = b.plus_k[&(id("zz_gina"), gardening)];
    assert_eq!((pk.endorsers, pk.mutual), (3, 1));
    assert!((pk.weight - k_gina).abs() < 1e-12);
    // `bo` has no gardening expertise: +K gives it none.
    assert!(!b.plus_k.contains_key(&(id("bo"), gardening)));
    assert!(!names(&inter, g).contains(&"bo".to_string()));
}

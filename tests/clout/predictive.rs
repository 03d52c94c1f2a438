//! Issue 13: predictive validity (`clout analyze predictive`) on a hand-computed case and on
//! the real Higgs week, and calibrations v4 and v5 against planted attacks on real Higgs
//! activity.

use clout::ingest::interactions::parse_interactions;
use clout::ingest::{Interactions, Source};
use clout::score::coordination::{BURST, LOCKSTEP, REGULAR};
use clout::score::{
    score, Calibration, Inputs, ScoreParams, Scores, CALIBRATION_V4, CALIBRATION_V5,
};
use serde_json::Value;

use crate::common::{clout as run_clout, shared_data, stderr, stdout};

const HIGGS: &str = "higgs/higgs-activity_time.txt.gz";
/// The end of 2012-07-04 (UTC), the later of the README's two splits.
const SPLIT: i64 = 1_341_446_400;

fn predictive(args: &[&str]) -> Value {
    let mut all = vec!["analyze", "predictive", "--json"];
    all.extend_from_slice(args);
    let o = run_clout(&all, None);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

fn row<'a>(r: &'a Value, target: usize, predictor: &str) -> &'a Value {
    r["targets"][target]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["predictor"] == predictor)
        .unwrap_or_else(|| panic!("no row {predictor}"))
}

/// Before the split (t ≤ 100): `a` has 3 engagers, `b` 2, `c` 1. After it: `b` gets 4
/// distinct sharers, `a` 2, `c` 0, `d` 1. By hand, past distinct engagers ranks a, b, c, d;
/// the target b, a, d, c. P@2 = 1; NDCG@2 = (2 + 4/log2 3) / (4 + 2/log2 3).
#[test]
fn predictive_measures_by_hand() {
    let mut lines = Vec::new();
    for (who, n) in [("a", 3), ("b", 2), ("c", 1)] {
        for k in 0..n {
            lines.push(format!("p{k} {who} RT 50"));
        }
    }
    for (who, n) in [("b", 4), ("a", 2), ("d", 1)] {
        for k in 0..n {
            lines.push(format!("f{k} {who} RT 200"));
            lines.push(format!("f{k} {who} MT 201"));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("i.txt");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let p = path.to_str().unwrap();
    let r = predictive(&[
        "--interactions",
        p,
        "--split",
        "100",
        "--k",
        "2",
        "--top",
        "4",
    ]);
    assert_eq!(r["future_records"], 14);
    let base = row(&r, 0, "past distinct engagers");
    let want = (2.0 + 4.0 / 3f64.log2()) / (4.0 + 2.0 / 3f64.log2());
    assert!((base["ndcg"].as_f64().unwrap() - want).abs() < 1e-12);
    assert_eq!(base["precision"], 1.0);
    // The second target counts every future interaction: b 8, a 4, d 2.
    assert_eq!(r["targets"][1]["target"], "future interactions received");
    let o = run_clout(
        &[
            "analyze",
            "predictive",
            "--interactions",
            p,
            "--split",
            "300",
        ],
        None,
    );
    assert!(!o.status.success() && stderr(&o).contains("no interactions after the split"));
    let o = run_clout(
        &[
            "analyze",
            "predictive",
            "--interactions",
            p,
            "--split",
            "100",
            "--calibrations",
            "v9",
        ],
        None,
    );
    assert!(!o.status.success() && stderr(&o).contains("known: v1, v2, v3, v4, v5"));
}

const BASELINES: [&str; 3] = [
    "past distinct engagers",
    "past interactions received",
    "PageRank of past interactions",
];

/// The README's tables: on the real Higgs week, at both reported splits and for both targets,
/// v5's score beats every simple baseline on NDCG@100 and v3's does not; v5 is at least as
/// good as the best baseline on 13 of the 16 measures. v4 beats them on NDCG@100 at the later
/// split only: at the end of 2012-07-02 (14,670 accounts had appeared, of the week's 304,691)
/// it falls below them once the accounts that did not exist yet no longer take teleport
/// shares (issue 17: a score at T depends only on what happened up to T); its earlier lead
/// there came from them.
#[test]
fn v4_and_v5_against_the_baselines_on_higgs() {
    let Some(path) = shared_data(HIGGS) else {
        return;
    };
    let p = path.to_str().unwrap();
    let (mut v4_misses, mut v5_misses) = (Vec::new(), Vec::new());
    for split in ["2012-07-03T00:00:00Z", "2012-07-05T00:00:00Z"] {
        let r = predictive(&[
            "--interactions",
            p,
            "--split",
            split,
            "--calibrations",
            "v3,v4,v5",
        ]);
        for target in 0..2 {
            let get = |name: &str, m: &str| row(&r, target, name)[m].as_f64().unwrap();
            for m in ["ndcg", "precision", "spearman_top", "spearman_all"] {
                let best = BASELINES
                    .map(|b| get(b, m))
                    .into_iter()
                    .fold(-1.0, f64::max);
                let (v4, v5) = (get("score v4", m), get("score v5", m));
                if m == "ndcg" {
                    assert!(v5 > best, "{split} {target}: v5 {v5}, best {best}");
                    assert!(get("score v3", m) < best);
                }
                // The measures are deterministic; the tolerance only absorbs rounding.
                let name = format!("{split} {target} {m}");
                if v4 < best - 1e-12 {
                    v4_misses.push((name.clone(), best - v4));
                }
                if v5 < best - 1e-12 {
                    v5_misses.push((name, best - v5));
                }
            }
        }
    }
    let names = |m: &[(String, f64)]| m.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&v5_misses),
        [
            "2012-07-03T00:00:00Z 1 precision",
            "2012-07-05T00:00:00Z 1 spearman_top",
            "2012-07-05T00:00:00Z 1 spearman_all",
        ]
    );
    // P@100: 24 of the top 100 against 25; the Spearman gaps are small.
    assert!((v5_misses[0].1 - 0.01).abs() < 1e-9);
    assert!(v5_misses[1..].iter().all(|m| m.1 < 0.002), "{v5_misses:?}");
    assert_eq!(
        names(&v4_misses),
        [
            "2012-07-03T00:00:00Z 0 ndcg",
            "2012-07-03T00:00:00Z 0 precision",
            "2012-07-03T00:00:00Z 1 ndcg",
            "2012-07-03T00:00:00Z 1 precision",
            "2012-07-05T00:00:00Z 1 spearman_top",
            "2012-07-05T00:00:00Z 1 spearman_all",
        ]
    );
}

/// Deterministic pseudo-random numbers (64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// The planted accounts' ids (numeric, far above Higgs's).
const FARM: u64 = 9_000_000;
const MESH: u64 = 9_200_000;
const RING: u64 = 9_300_000;
const SPREAD: u64 = 9_400_000;
/// The attacks' targets.
const F_FARM: u64 = 9_100_001;
const F_MESH: u64 = 9_100_002;
const F_SPREAD: [u64; 3] = [9_100_003, 9_100_004, 9_100_005];

/// Four attacks on the last day before the split, in Higgs's `A B time RT` format:
/// 1. a 300-bot farm sharing F_FARM twice each within five minutes, every bot also sharing 5
///    random posts of the 200 most engaged real accounts at random times of the week;
/// 2. 300 bots that each act every 10 minutes exactly: 4 shares of F_MESH and one of two other
///    bots (bots that engage one another a little);
/// 3. a 40-account long-cycle ring: each member shares the next three, three times a day;
/// 4. a farm spread over 24 hours: 600 bots each share the same three customers once, at
///    random times (300 would not reach the top 100 even unopposed: rank 126).
fn attacks(popular: &[String]) -> String {
    let day = SPLIT - 86_400;
    let mut rng = Lcg(13);
    let mut out = String::new();
    let mut line = |a: u64, b: &str, t: i64| out.push_str(&format!("{a} {b} {t} RT\n"));
    for b in 0..300u64 {
        let bot = FARM + b;
        let t = day + 64_800 + (b as i64) / 2;
        line(bot, &F_FARM.to_string(), t);
        line(bot, &F_FARM.to_string(), t + 150);
        for _ in 0..5 {
            let target = &popular[rng.below(popular.len() as u64) as usize];
            line(bot, target, SPLIT - 1 - rng.below(4 * 86_400) as i64);
        }
    }
    for b in 0..300u64 {
        let t0 = day + 3_600 + b as i64;
        let others = [MESH + (b + 1) % 300, MESH + (b + 7) % 300];
        let targets = [F_MESH, F_MESH, others[0], F_MESH, others[1], F_MESH];
        for (k, target) in targets.iter().enumerate() {
            line(MESH + b, &target.to_string(), t0 + 600 * k as i64);
        }
    }
    for i in 0..40u64 {
        for step in 1..=3u64 {
            for k in 0..3i64 {
                let t = day + 20_000 * k + (i * 7 + step) as i64;
                line(RING + i, &(RING + (i + step) % 40).to_string(), t);
            }
        }
    }
    for b in 0..600u64 {
        for f in F_SPREAD {
            line(SPREAD + b, &f.to_string(), day + rng.below(86_400) as i64);
        }
    }
    out
}

fn score_with(inter: &Interactions, cal: &'static Calibration) -> Scores {
    let params = ScoreParams {
        as_of: Some(SPLIT),
        window: None,
        calibration: cal,
    };
    score(&Inputs::new(inter), &params.check(inter).unwrap()).unwrap()
}

fn rank_of(s: &Scores, inter: &Interactions, id: u64) -> usize {
    let v = inter.accounts.find(&id.to_string()).unwrap();
    s.ranked(&inter.accounts, None)
        .iter()
        .position(|&u| u == v)
        .unwrap()
        + 1
}

fn top_names(s: &Scores, inter: &Interactions, k: usize) -> Vec<String> {
    s.ranked(&inter.accounts, Some(k))
        .into_iter()
        .map(|v| inter.accounts.name(v).to_string())
        .collect()
}

/// v4 and v5 without their coordination signals: what the attacks would buy.
static V4_BLIND: Calibration = Calibration {
    version: "v4-blind",
    coordination: None,
    ..CALIBRATION_V4
};
static V5_BLIND: Calibration = Calibration {
    version: "v5-blind",
    coordination: None,
    ..CALIBRATION_V5
};

#[test]
fn planted_attacks_stay_out_of_the_top_100_under_v4() {
    planted_attacks_stay_out_of_the_top_100(&CALIBRATION_V4, &V4_BLIND);
}

/// v5's volume bonus counts every action of an engager: the farm bots share twice, the mesh
/// bots four times, the ring three times a day; none of it buys a top-100 rank.
#[test]
fn planted_attacks_stay_out_of_the_top_100_under_v5() {
    planted_attacks_stay_out_of_the_top_100(&CALIBRATION_V5, &V5_BLIND);
}

fn planted_attacks_stay_out_of_the_top_100(cal: &'static Calibration, blind: &'static Calibration) {
    let Some(path) = shared_data(HIGGS) else {
        return;
    };
    let v = cal.version;
    let real = Source::open(&path).unwrap();
    let organic = parse_interactions(&real, false).unwrap();
    let clean = score_with(&organic, cal);
    let popular = top_names(&clean, &organic, 200);
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut real.reader().unwrap(), &mut bytes).unwrap();
    bytes.extend_from_slice(attacks(&popular).as_bytes());
    let planted = parse_interactions(&Source::from_bytes("higgs+attacks", bytes), false).unwrap();
    let s = score_with(&planted, cal);
    let blind = score_with(&planted, blind);
    let signal = |id: u64| {
        let v = planted.accounts.find(&id.to_string()).unwrap();
        s.coordination.target(v).map_or(0, |t| t.signals)
    };
    // The farm and the spread farm would buy a top-100 rank but for their signals.
    for (id, bit) in [(F_FARM, BURST), (F_SPREAD[0], LOCKSTEP)] {
        let (r, rb) = (rank_of(&s, &planted, id), rank_of(&blind, &planted, id));
        assert!(r > 100, "{id}: rank {r} under {v}");
        assert!(
            rb <= 100,
            "{id}: rank {rb} without coordination signals: not an attack"
        );
        assert_eq!(signal(id) & bit, bit, "{id}: signals {:b}", signal(id));
    }
    for f in F_SPREAD {
        assert!(rank_of(&s, &planted, f) > 100);
    }
    // The bots engaging one another: machine-regular, and a closed cluster besides.
    assert!(rank_of(&s, &planted, F_MESH) > 100);
    assert_eq!(signal(F_MESH) & REGULAR, REGULAR);
    let bot = planted.accounts.find(&MESH.to_string()).unwrap();
    assert!(s.coordination.suspect[bot as usize] && s.rings[bot as usize] > 0);
    // The ring: closed cluster (v3's signal), never near the top.
    for i in 0..40 {
        let v = planted.accounts.find(&(RING + i).to_string()).unwrap();
        assert_eq!(s.rings[v as usize], 40);
        assert!(rank_of(&s, &planted, RING + i) > 100);
    }
    // Organic accounts do not move: the same top 100, in the same order.
    assert_eq!(
        top_names(&s, &planted, 100),
        top_names(&clean, &organic, 100)
    );
}

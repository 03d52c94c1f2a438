//! Issue 17, +K: an `endorsements.txt` (or `.jsonl`) in a run directory scales topic expertise
//! by the rule of `clout::topics::expertise::endorse`, recorded per topic in the ledger, shown by the API;
//! a bad line is an error naming the file and the line.

use clout::store::Store;

use crate::common::{clout, repo, stderr};

/// Copies the demo's inputs into `dir/name`, with `endorsements` as `(file name, text)`.
fn demo_copy(
    dir: &std::path::Path,
    name: &str,
    endorsements: Option<(&str, &str)>,
) -> std::path::PathBuf {
    let data = dir.join(name);
    std::fs::create_dir(&data).unwrap();
    for f in ["interactions.txt", "posts.jsonl", "follows.txt"] {
        let src = repo("data/demo").join(f);
        if src.exists() {
            std::fs::copy(&src, data.join(f)).unwrap();
        }
    }
    if let Some((file, text)) = endorsements {
        std::fs::write(data.join(file), text).unwrap();
    }
    data
}

/// `clout run DATA --store STORE --keywords EXTRA…`.
fn clout_run(
    data: &std::path::Path,
    store: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "run",
        data.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
        "--keywords",
    ];
    args.extend_from_slice(extra);
    clout(&args, None)
}

/// Runs the demo with `endorsements` as its `endorsements.txt` (if any) into a fresh store
/// `dir/NAME.store`, and returns `(the store, its latest as-of)`.
fn run(dir: &std::path::Path, name: &str, endorsements: Option<&str>) -> (Store, i64) {
    let data = demo_copy(dir, name, endorsements.map(|e| ("endorsements.txt", e)));
    let st = dir.join(format!("{name}.store"));
    let o = clout_run(&data, &st, &["--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let store = Store::open(&st).unwrap();
    let as_of = store.latest().unwrap().unwrap().as_of;
    (store, as_of)
}

fn gardening(store: &Store, as_of: i64, id: &str) -> clout::store::AccountTopic {
    let rec = store.account(as_of, id).unwrap().unwrap();
    rec.topics
        .into_iter()
        .find(|t| t.topic == "gardening")
        .unwrap()
}

#[test]
fn endorsements_scale_expertise_once_per_endorser_and_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, t) = run(dir.path(), "plain", None);
    let target = "tw:farid_berg1844";
    let before = gardening(&plain, t, target);
    assert!(before.plus_k.is_none());
    // Three endorsers (one twice), one self-endorsement (ignored), one unknown account
    // (skipped), a JSON line.
    let lines = format!(
        "# endorser account topic time\n\
         tw:sami_muller1191 {target} gardening {t}\n\
         tw:sami_muller1191 {target} gardening {t}\n\
         ig:olga_moreau26 {target} gardening {t}\n\
         {target} {target} gardening {t}\n\
         nobody_here {target} gardening {t}\n\
         {{\"endorser\":\"ig:carla_rossi228\",\"account\":\"{target}\",\"topic\":\"gardening\",\"time\":{t}}}\n"
    );
    let (plus, t2) = run(dir.path(), "plus", Some(&lines));
    assert_eq!(t, t2);
    let after = gardening(&plus, t, target);
    let k = after.plus_k.expect("+K recorded");
    assert_eq!((k.endorsers, k.mutual), (3, 0));
    let w: f64 = [
        "tw:sami_muller1191",
        "ig:olga_moreau26",
        "ig:carla_rossi228",
    ]
    .iter()
    .map(|e| plus.account(t, e).unwrap().unwrap().score / 100.0)
    .sum();
    assert!((k.weight - w).abs() < 1e-9, "{} vs {w}", k.weight);
    let m = 1.0 + (0.1 * w.ln_1p()).min(1.0 / 3.0);
    assert!((k.multiplier - m).abs() < 1e-12);
    assert!(
        (after.expertise - before.expertise * m).abs() < 1e-9 * before.expertise,
        "{} vs {} × {m}",
        after.expertise,
        before.expertise
    );
    // The API shows it per topic and on the account page.
    let st = dir.path().join("plus.store");
    let (_serve, addr) = crate::api::cli::spawn(&st);
    let topics = crate::api::get_json(addr, "/v2/user.json/tw%3Afarid_berg1844/topics");
    let g = topics
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "gardening")
        .unwrap();
    assert_eq!(g["plusK"]["endorsers"], 3);
    assert!((g["plusK"]["multiplier"].as_f64().unwrap() - m).abs() < 1e-12);
    let page = crate::api::get(addr, "/account/tw%3Afarid_berg1844");
    assert!(
        page.body.contains("+K: 3 endorsers (0 mutual"),
        "{}",
        page.body
    );
    // Others' expertise does not move.
    let other = "tw:sami_muller1191";
    assert_eq!(
        gardening(&plain, t, other).expertise,
        gardening(&plus, t, other).expertise
    );
}

#[test]
fn a_bad_endorsement_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = demo_copy(dir.path(), "bad", None);
    for (text, want) in [
        (
            "a b gardening 1\na b knitting-circles-xyz 1\n",
            "endorsements.txt:2: invalid parameter topic: unknown topic \"knitting-circles-xyz\"",
        ),
        (
            "a b gardening\n",
            "endorsements.txt:1: expected `endorser account topic time`",
        ),
    ] {
        std::fs::write(data.join("endorsements.txt"), text).unwrap();
        let o = clout_run(&data, &dir.path().join("x.store"), &["--quiet"]);
        assert!(!o.status.success());
        assert!(stderr(&o).contains(want), "{}", stderr(&o));
    }
}

/// The same endorsements as JSON lines in `endorsements.jsonl` give the same expertise; with
/// `--lenient` a bad line and an unknown topic are skipped and counted.
#[test]
fn jsonl_endorsements_and_lenient_skips() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, t) = run(dir.path(), "plain", None);
    let target = "tw:farid_berg1844";
    let before = gardening(&plain, t, target).expertise;
    let text = format!(
        "{{\"endorser\":\"TW:SAMI_MULLER1191\",\"account\":\"{target}\",\"topic\":\"gardening\",\"time\":{t}}}\n\
         not json at all\n\
         {{\"endorser\":\"ig:olga_moreau26\",\"account\":\"{target}\",\"topic\":\"no-such-topic-xyz\",\"time\":{t}}}\n"
    );
    let data = demo_copy(dir.path(), "jsonl", Some(("endorsements.jsonl", &text)));
    let st = dir.path().join("jsonl.store");
    let o = clout_run(&data, &st, &["--lenient"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--lenient skipped 2 of 3 endorsements")
            && stderr(&o).contains("1 malformed, 1 naming an unknown topic"),
        "{}",
        stderr(&o)
    );
    let store = Store::open(&st).unwrap();
    let after = gardening(&store, t, target);
    // One endorser, matched ignoring case.
    let k = after.plus_k.expect("+K recorded");
    assert_eq!(k.endorsers, 1);
    let w = store
        .account(t, "tw:sami_muller1191")
        .unwrap()
        .unwrap()
        .score
        / 100.0;
    assert!((after.expertise - before * (1.0 + 0.1 * w.ln_1p())).abs() < 1e-9 * before);
}

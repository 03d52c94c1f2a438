//! Issue 17: one definition of the day / week / month changes across every output — `score
//! --json` and `--csv`, the run stored by `clout run`, and the API serving that run: the score
//! at T minus the score at T − L over the same window length; null when the data does not
//! reach back to T − L or the account did not exist then.

use std::fmt::Write as _;
use std::path::Path;

use clout::store::Store;

use crate::common::{clout, stderr, stdout};

const T: i64 = 1_709_251_200; // 2024-03-01T00:00:00Z
const DAY: i64 = 86_400;

/// Ten days of data ending at T: `old` is engaged from the first day, `late` first appears
/// three days before T; a crowd of engagers acts on both every day.
fn dataset(dir: &Path) {
    let mut inter = String::new();
    for d in 0..10 {
        let day = T - 10 * DAY + d * DAY + 3_600;
        for e in 0..(5 + d) {
            writeln!(inter, "fan{e} old share {} p{d} tw", day + e).unwrap();
            if day >= T - 3 * DAY {
                writeln!(inter, "fan{e} late share {} q{d} tw", day + e).unwrap();
            }
        }
    }
    std::fs::write(dir.join("interactions.txt"), inter).unwrap();
}

fn json_delta(out: &str, id: &str) -> serde_json::Value {
    out.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {out}"))["delta"]
        .clone()
}

#[test]
fn changes_are_null_before_the_data_or_the_account_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    dataset(&data);
    let inter = data.join("interactions.txt");
    let i = inter.to_str().unwrap();
    let as_of = T.to_string();
    let o = clout(
        &["score", "--interactions", i, "--as-of", &as_of, "--json"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let (old, late) = (json_delta(&out, "old"), json_delta(&out, "late"));
    // A day back is inside the data for both; a week back `late` did not exist yet; a month
    // back precedes the data.
    assert!(
        old["day"].as_f64().is_some() && old["week"].as_f64().is_some(),
        "{old}"
    );
    assert!(old["month"].is_null(), "{old}");
    assert!(late["day"].as_f64().is_some(), "{late}");
    assert!(late["week"].is_null() && late["month"].is_null(), "{late}");
    // The value: the score now minus the score re-computed a day earlier (each rounded).
    let day_before = (T - DAY).to_string();
    let o = clout(
        &[
            "score",
            "--interactions",
            i,
            "--as-of",
            &day_before,
            "--json",
        ],
        None,
    );
    let then: serde_json::Value = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["id"] == "old")
        .unwrap();
    let now: serde_json::Value = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["id"] == "old")
        .unwrap();
    let want = now["score"].as_f64().unwrap() - then["score"].as_f64().unwrap();
    let day = old["day"].as_f64().unwrap();
    assert!(
        (day - want).abs() < 0.011,
        "day change {day}, re-scored {want}"
    );
    assert!(day.abs() > 0.01, "the crowd grows every day: {day}");
    // CSV: the same numbers (2 decimals), empty cells where JSON has null.
    let o = clout(
        &["score", "--interactions", i, "--as-of", &as_of, "--csv"],
        None,
    );
    let mut rd = csv::Reader::from_reader(o.stdout.as_slice());
    let h = rd.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    for r in rd.records().map(Result::unwrap) {
        let want = json_delta(&out, &r[0]);
        for k in ["day", "week", "month"] {
            let cell = &r[col(&format!("delta_{k}"))];
            match want[k].as_f64() {
                Some(x) => assert_eq!(cell.parse::<f64>().unwrap(), x, "{k} of {}", &r[0]),
                None => assert_eq!(cell, "", "{k} of {}", &r[0]),
            }
        }
    }
    // The stored run: the same changes, unrounded.
    let st = dir.path().join("runs.store");
    let s = st.to_str().unwrap();
    let o = clout(
        &[
            "run",
            data.to_str().unwrap(),
            "--store",
            s,
            "--as-of",
            &as_of,
            "--quiet",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let store = Store::open(&st).unwrap();
    let accounts = store.accounts(T).unwrap();
    let stored = |id: &str| accounts.iter().find(|a| a.account.id == id).unwrap().delta;
    for (id, j) in [("old", &old), ("late", &late)] {
        let d = stored(id);
        for (k, got) in [("day", d.day), ("week", d.week), ("month", d.month)] {
            match j[k].as_f64() {
                Some(x) => assert!((got.unwrap() - x).abs() <= 0.005 + 1e-9, "{id} {k}"),
                None => assert_eq!(got, None, "{id} {k}"),
            }
        }
    }
    drop(store);
    // The API serving that run.
    let (_serve, addr) = crate::api::cli::spawn(&st);
    for (id, j) in [("old", &old), ("late", &late)] {
        let v = crate::api::get_json(addr, &format!("/v2/user.json/{id}/score"));
        let d = &v["scoreDelta"];
        for (k, name) in [
            ("day", "dayChange"),
            ("week", "weekChange"),
            ("month", "monthChange"),
        ] {
            match j[k].as_f64() {
                Some(x) => assert!((d[name].as_f64().unwrap() - x).abs() <= 0.005 + 1e-9),
                None => assert!(d[name].is_null(), "{id} {name}: {v}"),
            }
        }
    }
}

fn run(data: &Path, store: &str, as_of: i64, window: &str, extra: &[&str]) -> std::process::Output {
    let as_of = as_of.to_string();
    let mut args = vec![
        "run",
        data.to_str().unwrap(),
        "--store",
        store,
        "--as-of",
        &as_of,
        "--window",
        window,
        "--quiet",
        "--keywords",
    ];
    args.extend_from_slice(extra);
    clout(&args, None)
}

/// A run records its window; replacing a run with one of another window needs `--replace`;
/// `history` compares only runs of the latest run's window unless `--all-windows`, which marks
/// the others and never computes a change across windows.
#[test]
fn history_compares_runs_of_one_window_and_replacing_a_window_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    dataset(&data);
    let st = dir.path().join("runs.store");
    let s = st.to_str().unwrap();
    assert!(run(&data, s, T - 2 * DAY, "7d", &[]).status.success());
    assert!(run(&data, s, T - DAY, "30d", &[]).status.success());
    assert!(run(&data, s, T, "7d", &[]).status.success());
    // Another window on a stored as-of: refused, naming both windows; the run stays.
    let o = run(&data, s, T, "30d", &[]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("7-day window") && err.contains("30-day window") && err.contains("--replace"),
        "{err}"
    );
    let window = |st: &Path, t: i64| Store::open(st).unwrap().run(t).unwrap().unwrap().window;
    assert_eq!(window(&st, T), Some(7 * DAY));
    // The same window replaces without asking; another calibration is refused like a window.
    assert!(run(&data, s, T, "7d", &[]).status.success());
    let o = run(&data, s, T, "7d", &["--calibration", "v3"]);
    assert!(
        !o.status.success() && stderr(&o).contains("calibration v3"),
        "{}",
        stderr(&o)
    );
    // History: the two 7-day runs, the change between them, a note about the other.
    let o = clout(&["history", "old", "--store", s, "--json"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 of the account's runs have another window"),
        "{}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["window"], 7 * DAY);
    let h = v["history"].as_array().unwrap();
    assert_eq!(h.len(), 2);
    let change = h[1]["score"].as_f64().unwrap() - h[0]["score"].as_f64().unwrap();
    assert!((h[1]["change"].as_f64().unwrap() - change).abs() < 1e-12);
    // All windows: three rows, the 30-day one marked and without a change.
    let o = clout(&["history", "old", "--store", s, "--all-windows"], None);
    let text = stdout(&o);
    let marked: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("* 30-day window"))
        .collect();
    assert_eq!(marked.len(), 1, "{text}");
    assert!(marked[0].split_whitespace().nth(2) == Some("-"), "{text}");
    let o = clout(
        &["history", "old", "--store", s, "--all-windows", "--json"],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let h = v["history"].as_array().unwrap();
    assert_eq!(h.len(), 3);
    assert_eq!(h[1]["window"], 30 * DAY);
    assert!(h[1]["change"].is_null());
    // --replace replaces it.
    let o = run(&data, s, T, "30d", &["--replace"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(window(&st, T), Some(30 * DAY));
}

fn score_lines(interactions: &Path, as_of: i64) -> Vec<serde_json::Value> {
    let (i, t) = (interactions.to_str().unwrap(), as_of.to_string());
    let o = clout(
        &["score", "--interactions", i, "--as-of", &t, "--json"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A score at T depends only on what happened up to T: scoring the whole file as of T gives
/// the same accounts, scores, percentiles and changes as scoring the file cut at T, and a run
/// as of T stores neither accounts that first act after T nor counts records outside its
/// window.
#[test]
fn a_score_as_of_t_is_the_score_of_the_data_up_to_t() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    dataset(&data);
    let full = data.join("interactions.txt");
    let as_of = T - 5 * DAY;
    let cut = dir.path().join("cut.txt");
    let text = std::fs::read_to_string(&full).unwrap();
    let kept: String = text
        .lines()
        .filter(|l| l.split(' ').nth(3).unwrap().parse::<i64>().unwrap() <= as_of)
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(kept.len() < text.len(), "the cut drops records");
    std::fs::write(&cut, kept).unwrap();
    let (a, b) = (score_lines(&full, as_of), score_lines(&cut, as_of));
    let ids = |v: &[serde_json::Value]| -> Vec<String> {
        v.iter()
            .map(|x| x["id"].as_str().unwrap().to_owned())
            .collect()
    };
    // Days 0–4 are in: `old` and fan0–fan8; fan9–fan13 and `late` come later.
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(a.len(), 10, "{:?}", ids(&a));
    assert!(!ids(&a).contains(&"late".to_owned()));
    for (x, y) in a.iter().zip(&b) {
        for k in ["score", "percentile"] {
            let (p, q) = (x[k].as_f64().unwrap(), y[k].as_f64().unwrap());
            assert!((p - q).abs() < 1e-9, "{k} of {}: {p} vs {q}", x["id"]);
        }
        assert_eq!(x["delta"], y["delta"], "{}", x["id"]);
    }
    // The run as of that instant: the same accounts, and only the window's records counted.
    let st = dir.path().join("runs.store");
    let o = run(&data, st.to_str().unwrap(), as_of, "7d", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let store = Store::open(&st).unwrap();
    let meta = store.run(as_of).unwrap().unwrap();
    let stored: Vec<String> = store
        .accounts(as_of)
        .unwrap()
        .into_iter()
        .map(|r| r.account.id)
        .collect();
    assert_eq!(stored, ids(&a));
    assert_eq!(meta.accounts, 10);
    // (T − 12 d, T − 5 d] holds days 0–4: 5 + 6 + 7 + 8 + 9 records.
    assert_eq!(meta.interactions, 35);
    // `explain` of an account that did not exist yet says so.
    let t = as_of.to_string();
    let o = clout(
        &[
            "explain",
            "late",
            "--interactions",
            full.to_str().unwrap(),
            "--as-of",
            &t,
        ],
        None,
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("after the as-of instant"),
        "{}",
        stderr(&o)
    );
}

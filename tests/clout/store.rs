//! The run store: its API on the fixture run (round trip, replacement, history, look-ups, clear
//! errors), and `clout run` / `clout history` end to end, including a killed run.

use std::path::Path;

use clout::store::{fixture, RunData, Store};

const DAY: i64 = 86_400;
const T0: i64 = 1_700_006_400; // 2023-11-15 00:00 UTC; day number 19676, shift 6

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

fn created(path: &Path, runs: &[i64]) -> Store {
    let st = Store::create(path).unwrap();
    for &t in runs {
        st.write_run(&fixture::sample_run(t)).unwrap();
    }
    st
}

#[test]
fn store_round_trips_a_run() {
    let dir = tmp();
    let path = dir.path().join("clout.store");
    let run = fixture::sample_run(T0);
    created(&path, &[T0]);
    let st = Store::open(&path).unwrap();
    assert_eq!(st.runs().unwrap(), vec![run.meta.clone().unwrap()]);
    assert_eq!(st.latest().unwrap(), run.meta);
    assert_eq!(st.accounts(T0).unwrap(), run.accounts);
    assert_eq!(
        st.account(T0, "tw:bob").unwrap().as_ref(),
        Some(&run.accounts[2])
    );
    assert_eq!(st.account(T0, "tw:nobody").unwrap(), None);
    assert_eq!(st.account(T0 + 1, "tw:bob").unwrap(), None);
    assert_eq!(
        st.leaderboard(T0, "cooking").unwrap().as_ref(),
        Some(&run.leaderboards[1])
    );
    assert_eq!(st.leaderboard(T0, "poetry").unwrap(), None);
    let topics = st.topics(T0).unwrap();
    let slugs: Vec<&str> = topics.iter().map(|t| t.topic.as_str()).collect();
    assert_eq!(slugs, ["cooking", "gardening"]);
    // gardening: tw:ada, fb:ada, tw:cy
    assert_eq!(topics[1].entries, 3);
    assert_eq!(topics[1].path, ["hobbies", "gardening"]);
    assert_eq!(topics[1].name, "Gardening");
}

#[test]
fn store_fixture_scores_follow_the_day_and_boards_rank_by_value() {
    let run = fixture::sample_run(T0);
    // 1_700_006_400 / 86_400 = 19676 days, 19676 mod 7 = 6.
    assert_eq!(run.accounts[0].score, 86.0);
    assert_eq!(fixture::sample_run(T0 + DAY).accounts[0].score, 80.0);
    let g = &run.leaderboards[0];
    let order: Vec<&str> = g.entries.iter().map(|e| e.account.as_str()).collect();
    // values: 0.9·86 = 77.4, 0.7·76 = 53.2, 0.5·56 = 28
    assert_eq!(order, ["tw:ada", "fb:ada", "tw:cy"]);
    assert!((g.entries[1].value - 53.2).abs() < 1e-9);
}

#[test]
fn store_posts_come_back_in_the_order_asked() {
    let dir = tmp();
    let st = created(&dir.path().join("s"), &[T0]);
    let ids = vec![
        fixture::post_id("tw:bob", "cooking"),
        "missing".to_string(),
        fixture::post_id("tw:ada", "gardening"),
    ];
    let posts = st.posts(T0, &ids).unwrap();
    let got: Vec<&str> = posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(got, [ids[0].as_str(), ids[2].as_str()]);
    assert_eq!(posts[0].author, "tw:bob");
    assert!(st.posts(T0 - DAY, &ids).unwrap().is_empty());
}

#[test]
fn store_identity_is_case_insensitive_and_per_network() {
    let dir = tmp();
    let st = created(&dir.path().join("s"), &[T0]);
    let ada_fb = st.identity(T0, "Facebook", "ADA").unwrap().unwrap();
    assert_eq!(ada_fb.id, "fb:ada");
    assert_eq!(ada_fb.handle, "Ada");
    assert_eq!(ada_fb.person, "ada");
    assert_eq!(
        st.identity(T0, "twitter", "@Ada").unwrap().unwrap().id,
        "tw:ada"
    );
    assert_eq!(st.identity(T0, "facebook", "bob").unwrap(), None);
    assert_eq!(st.identity(T0, "twitter", "zed").unwrap(), None);
}

#[test]
fn store_same_as_of_replaces_and_other_dates_accumulate() {
    let dir = tmp();
    let path = dir.path().join("s");
    let st = created(&path, &[T0, T0 + DAY, T0 - 7 * DAY]);
    // Rewrite T0 with one account fewer and a changed score.
    let mut run = fixture::sample_run(T0);
    run.accounts.pop();
    run.accounts[0].score = 99.5;
    st.write_run(&run).unwrap();
    let runs: Vec<i64> = st.runs().unwrap().iter().map(|r| r.as_of).collect();
    assert_eq!(runs, [T0 - 7 * DAY, T0, T0 + DAY]);
    assert_eq!(st.latest().unwrap().unwrap().as_of, T0 + DAY);
    assert_eq!(st.accounts(T0).unwrap().len(), 5);
    assert_eq!(st.accounts(T0 + DAY).unwrap().len(), 6);
    let h = st.history("tw:ada").unwrap();
    let got: Vec<(i64, f64)> = h.iter().map(|p| (p.as_of, p.score)).collect();
    // shifts: T0-7d → 6, T0 → replaced 99.5, T0+1d → 0
    assert_eq!(got, [(T0 - 7 * DAY, 86.0), (T0, 99.5), (T0 + DAY, 80.0)]);
    // tw:eve is missing from the replaced run.
    let eve: Vec<i64> = st
        .history("tw:eve")
        .unwrap()
        .iter()
        .map(|p| p.as_of)
        .collect();
    assert_eq!(eve, [T0 - 7 * DAY, T0 + DAY]);
    assert!(st.history("nobody").unwrap().is_empty());
}

#[test]
fn store_a_failed_write_leaves_the_previous_run() {
    let dir = tmp();
    let st = created(&dir.path().join("s"), &[T0]);
    let mut bad = fixture::sample_run(T0);
    bad.accounts[0].score = 1.0;
    let dup = bad.accounts[1].clone();
    bad.accounts.push(dup);
    let err = st.write_run(&bad).unwrap_err().to_string();
    assert!(err.contains("`fb:ada` appears twice"), "{err}");
    assert_eq!(st.accounts(T0).unwrap(), fixture::sample_run(T0).accounts);
    let no_meta = RunData::default();
    assert!(st
        .write_run(&no_meta)
        .unwrap_err()
        .to_string()
        .contains("meta"));
}

#[test]
fn store_open_names_what_is_wrong() {
    let dir = tmp();
    let missing = dir.path().join("none.store");
    let err = Store::open(&missing).unwrap_err().to_string();
    assert!(
        err.contains("none.store") && err.contains("no such store"),
        "{err}"
    );

    let garbage = dir.path().join("garbage.store");
    std::fs::write(&garbage, vec![b'x'; 8192]).unwrap();
    let err = Store::open(&garbage).unwrap_err().to_string();
    assert!(
        err.contains("garbage.store") && err.contains("not a clout store"),
        "{err}"
    );

    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x INTEGER);")
        .unwrap();
    let err = Store::open(&other).unwrap_err().to_string();
    assert!(err.contains("not a clout store"), "{err}");

    let old = dir.path().join("old.store");
    created(&old, &[]);
    rusqlite::Connection::open(&old)
        .unwrap()
        .execute_batch("UPDATE clout_store SET value = '0' WHERE key = 'version';")
        .unwrap();
    let err = Store::open(&old).unwrap_err().to_string();
    assert!(err.contains("version 0"), "{err}");
    let err = Store::create(&old).unwrap_err().to_string();
    assert!(err.contains("version 0"), "{err}");
}

#[test]
fn store_open_is_read_only() {
    let dir = tmp();
    let path = dir.path().join("s");
    created(&path, &[T0]);
    let st = Store::open(&path).unwrap();
    let err = st.write_run(&fixture::sample_run(T0 + DAY)).unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(st.runs().unwrap().len(), 1);
}

#[test]
fn store_is_shared_between_threads() {
    let dir = tmp();
    let path = dir.path().join("s");
    created(&path, &[T0, T0 + DAY]);
    let st = std::sync::Arc::new(Store::open(&path).unwrap());
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let st = st.clone();
            std::thread::spawn(move || {
                let t = T0 + (i % 2) * DAY;
                (0..50)
                    .map(|_| st.account(t, "tw:cy").unwrap().unwrap().score)
                    .sum::<f64>()
            })
        })
        .collect();
    let sums: Vec<f64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    // tw:cy: 50 + 6 at T0, 50 + 0 at T0 + 1 day.
    assert_eq!(sums, [50.0 * 56.0, 50.0 * 50.0, 50.0 * 56.0, 50.0 * 50.0]);
}

#[test]
fn store_top_accounts_pages_in_rank_order() {
    let dir = tmp();
    let st = created(&dir.path().join("s"), &[T0]);
    let page: Vec<String> = st
        .top_accounts(T0, 2, 3)
        .unwrap()
        .into_iter()
        .map(|a| a.account.id)
        .collect();
    assert_eq!(page, ["tw:bob", "tw:cy", "fb:dee"].map(String::from));
    assert_eq!(st.top_accounts(T0, 0, usize::MAX).unwrap().len(), 6);
}

//! The run store: its API on the fixture run (round trip, replacement, history, look-ups, clear
//! errors), and `clout run` / `clout history` end to end, including a killed run.

use std::path::Path;

use clout::ingest::lookup::IdMatch;
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
    let ada_fb = st.identity(T0, "Facebook", "ADA").unwrap().found().unwrap();
    assert_eq!(ada_fb.id, "fb:ada");
    assert_eq!(ada_fb.handle, "Ada");
    assert_eq!(ada_fb.person, "ada");
    assert_eq!(
        st.identity(T0, "twitter", "@Ada")
            .unwrap()
            .found()
            .unwrap()
            .id,
        "tw:ada"
    );
    assert_eq!(
        st.identity(T0, "facebook", "bob").unwrap(),
        IdMatch::Missing
    );
    assert_eq!(st.identity(T0, "twitter", "zed").unwrap(), IdMatch::Missing);
}

/// A handle stored with its `@` is found without it (exactly, then ignoring case), as the
/// API's snapshot finds it.
#[test]
fn store_identity_ignores_a_stored_at_sign() {
    let dir = tmp();
    let st = Store::create(&dir.path().join("s")).unwrap();
    let mut run = fixture::sample_run(T0);
    let eve = run
        .accounts
        .iter_mut()
        .find(|a| a.account.id == "tw:eve")
        .unwrap();
    eve.account.handle = "@Eve".into();
    st.write_run(&run).unwrap();
    for q in ["Eve", "@Eve", "eve"] {
        let found = st.identity(T0, "twitter", q).unwrap().found();
        assert_eq!(found.map(|a| a.id), Some("tw:eve".to_owned()), "{q}");
    }
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

/// Issue 13: `clout serve` start-up and `clout report` read a run with several queries; while
/// `clout run` replaced the same as-of they could mix two runs. Inside `read_consistent` every
/// query sees the state of the first, whatever is written meanwhile; outside, the new run.
#[test]
fn store_consistent_reads_never_mix_two_runs() {
    let dir = tmp();
    let path = dir.path().join("s");
    let writer = created(&path, &[T0]);
    let reader = Store::open(&path).unwrap();
    let mut replaced = fixture::sample_run(T0);
    replaced.accounts.pop();
    replaced.accounts[0].score = 99.5;
    let (before, during) = reader
        .read_consistent(|s| {
            let before = s.accounts(T0)?;
            writer.write_run(&replaced).unwrap();
            let during = (s.accounts(T0)?, s.history("tw:ada")?, s.latest()?);
            Ok((before, during))
        })
        .unwrap();
    assert_eq!(before.len(), 6);
    assert_eq!(during.0, before);
    assert_eq!(
        during.1.iter().map(|p| p.score).collect::<Vec<_>>(),
        [before[0].score]
    );
    assert!(during.2.is_some());
    let after = reader.accounts(T0).unwrap();
    assert_eq!((after.len(), after[0].score), (5, 99.5));
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

/// A run of `n` accounts (the fixture's, renamed) whose ids are in no particular order of rank,
/// and `n` evidence posts likewise: several batches of rows for the writer.
fn big_run(as_of: i64, n: usize) -> RunData {
    let mut run = fixture::sample_run(as_of);
    let (accounts, posts) = (run.accounts.clone(), run.posts.clone());
    // 7919 is prime, so `(i * 7919) % n` numbers the accounts 0..n in a scrambled order.
    let name = |i: usize| format!("u{:06}", (i * 7919) % n);
    run.accounts = (0..n)
        .map(|i| {
            let mut a = accounts[i % accounts.len()].clone();
            a.account.id = format!("tw:{}", name(i));
            a.account.handle = name(i).to_uppercase();
            a.account.network = "twitter".into();
            a.score = 100.0 - i as f64 / n as f64;
            a
        })
        .collect();
    run.posts = (0..n)
        .map(|i| {
            let mut p = posts[i % posts.len()].clone();
            p.id = format!("p{}", name(i));
            p
        })
        .collect();
    run
}

/// The writer inserts rows in key order, encoded in batches on another thread: what it stores
/// and how it reads back (rank order, look-ups, posts, history) is the run as given, and a
/// duplicate anywhere still fails the whole write.
#[test]
fn store_large_runs_round_trip_across_batches() {
    let dir = tmp();
    let st = Store::create(&dir.path().join("s")).unwrap();
    let n = 10_007;
    let run = big_run(T0, n);
    let mut calls = Vec::new();
    st.write_run_with(&run, &mut |done, total| calls.push((done, total)))
        .unwrap();
    let total = (2 * n + run.leaderboards.len()) as u64;
    assert_eq!(calls.last(), Some(&(total, total)));
    assert_eq!(st.accounts(T0).unwrap(), run.accounts);
    assert_eq!(
        st.top_accounts(T0, 4095, 3).unwrap(),
        run.accounts[4095..4098]
    );
    for i in [0, 4096, 8191, n - 1] {
        let a = &run.accounts[i];
        assert_eq!(st.account(T0, &a.account.id).unwrap().as_ref(), Some(a));
        let found = st
            .identity(T0, "twitter", &a.account.handle)
            .unwrap()
            .found();
        assert_eq!(found.map(|r| r.id).as_ref(), Some(&a.account.id));
    }
    let ids: Vec<String> = [n - 1, 0, 5000]
        .iter()
        .map(|&i| run.posts[i].id.clone())
        .collect();
    let posts = st.posts(T0, &ids).unwrap();
    assert_eq!(posts, [n - 1, 0, 5000].map(|i| run.posts[i].clone()));

    let mut next = big_run(T0 + DAY, n);
    next.accounts[0].score = 1.0;
    st.write_run(&next).unwrap();
    let h = st.history(&run.accounts[0].account.id).unwrap();
    let got: Vec<(i64, f64)> = h.iter().map(|p| (p.as_of, p.score)).collect();
    assert_eq!(got, [(T0, 100.0), (T0 + DAY, 1.0)]);

    let mut bad = big_run(T0, n);
    bad.accounts[9000].account.id = bad.accounts[10].account.id.clone();
    let err = st.write_run(&bad).unwrap_err().to_string();
    let dup = format!("`{}` appears twice", bad.accounts[10].account.id);
    assert!(err.contains(&dup), "{err}");
    assert_eq!(st.accounts(T0).unwrap(), run.accounts);
}

/// A new store has 16 KiB pages (an account row fits in its page); a store made with SQLite's
/// default 4 KiB pages, as before, keeps them and is read and written as ever.
#[test]
fn store_keeps_the_page_size_it_was_made_with() {
    use clout::store::db::{FORMAT, PAGE_SIZE, SCHEMA};
    let page_size = |p: &Path| -> i64 {
        rusqlite::Connection::open(p)
            .unwrap()
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .unwrap()
    };
    let dir = tmp();
    let new = dir.path().join("new.store");
    created(&new, &[T0]);
    assert_eq!(page_size(&new), i64::from(PAGE_SIZE));

    let old = dir.path().join("old.store");
    rusqlite::Connection::open(&old)
        .unwrap()
        .execute_batch(&format!(
            "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; {SCHEMA}
             INSERT INTO clout_store VALUES ('format', '{FORMAT}');
             INSERT INTO clout_store VALUES ('version', '{}');",
            clout::store::MODEL_VERSION
        ))
        .unwrap();
    let run = big_run(T0, 5000);
    let st = Store::create(&old).unwrap();
    st.write_run(&run).unwrap();
    st.write_run(&fixture::sample_run(T0 + DAY)).unwrap();
    drop(st);
    assert_eq!(page_size(&old), 4096);
    let st = Store::open(&old).unwrap();
    assert_eq!(st.accounts(T0).unwrap(), run.accounts);
    assert_eq!(
        st.accounts(T0 + DAY).unwrap(),
        fixture::sample_run(T0 + DAY).accounts
    );
}

// ---- `clout run` and `clout history` end to end ----

use crate::common::{clout, stderr, stdout};

/// A dataset directory: `n` accounts `tw:u<i>`, `m` interactions over 60 days ending at
/// [`END`], with post ids, a follow graph and a posts file; a few accounts link to `fb:` ones.
fn dataset(dir: &Path, n: u64, m: u64) {
    use std::fmt::Write as _;
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rnd = move |k: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % k
    };
    let kinds = ["share", "mention", "reply", "comment", "like"];
    let mut inter = String::new();
    for _ in 0..m {
        // Heavy-ish tail: targets skewed toward low ids.
        let t = rnd(n).min(rnd(n));
        let a = rnd(n);
        let time = END - rnd(60 * DAY as u64) as i64;
        let post = t * 10 + rnd(5);
        let k = kinds[rnd(5) as usize];
        writeln!(inter, "tw:u{a} tw:u{t} {k} {time} p{post} twitter").unwrap();
    }
    let mut follows = String::new();
    for i in 0..n {
        for _ in 0..3 {
            writeln!(follows, "tw:u{i} tw:u{}", rnd(n).min(rnd(n))).unwrap();
        }
    }
    let mut posts = String::new();
    for i in 0..n.min(500) {
        writeln!(
            posts,
            r#"{{"id":"p{}","author":"tw:u{i}","time":{},"text":"post {i}","network":"twitter","lang":"en"}}"#,
            i * 10,
            END - 5 * DAY
        )
        .unwrap();
    }
    let ids = "person_0 tw:u0\nperson_0 fb:u0\nperson_1 tw:u1\n";
    for (name, text) in [
        ("interactions.txt", inter),
        ("follows.txt", follows),
        ("posts.jsonl", posts),
        ("identities.txt", ids.to_string()),
        ("truth.json", "{}".to_string()),
        ("notes.txt", "not an input".to_string()),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// The end of the generated data: 2024-03-01T00:00:00Z.
const END: i64 = 1_709_251_200;

fn run_ok(args: &[&str]) -> String {
    let o = clout(args, None);
    assert!(o.status.success(), "clout {args:?}: {}", stderr(&o));
    stdout(&o)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn store_run_stores_what_score_computes() {
    let dir = tmp();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    dataset(&data, 80, 1500);
    let st = dir.path().join("clout.store");
    let o = clout(&["run", s(&data), "--store", s(&st), "--quiet"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("80 accounts"), "{out}");
    assert!(out.contains("2024-02-29"), "{out}");
    assert!(stderr(&o).contains("notes.txt") && !stderr(&o).contains("truth.json"));
    // The independent reference: `clout score --json` on the same files.
    let f = |n: &str| data.join(n).to_str().unwrap().to_string();
    let (i, fo, p) = (f("interactions.txt"), f("follows.txt"), f("posts.jsonl"));
    let json = run_ok(&[
        "score",
        "--interactions",
        &i,
        "--follows",
        &fo,
        "--posts",
        &p,
        "--json",
    ]);
    let reference: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let store = Store::open(&st).unwrap();
    let meta = store.latest().unwrap().unwrap();
    let max_time = std::fs::read_to_string(&i)
        .unwrap()
        .lines()
        .map(|l| l.split(' ').nth(3).unwrap().parse::<i64>().unwrap())
        .max()
        .unwrap();
    assert_eq!(meta.as_of, max_time);
    assert_eq!(meta.window, Some(90 * DAY));
    assert_eq!((meta.interactions, meta.posts), (1500, 80));
    let accounts = store.accounts(meta.as_of).unwrap();
    assert_eq!(accounts.len(), reference.len());
    for (a, r) in accounts.iter().zip(&reference) {
        assert_eq!(a.account.id, r["id"].as_str().unwrap());
        assert!((a.score - r["score"].as_f64().unwrap()).abs() <= 0.005 + 1e-9);
        let engaged = r["true_reach"]["engaged"].as_f64().unwrap();
        assert_eq!(a.true_reach.raw, engaged);
        assert_eq!(a.ledger.engaged_accounts as f64, engaged);
        let week = r["delta"]["week"].as_f64().unwrap();
        assert!(
            (a.delta.week.unwrap() - week).abs() <= 0.005 + 1e-9,
            "{}",
            a.account.id
        );
        assert_eq!(a.account.network, "twitter");
        assert_eq!(a.account.handle, a.account.id.strip_prefix("tw:").unwrap());
    }
    // The identity file links tw:u0 (and a fb account with no interactions) to person_0.
    let u0 = store.account(meta.as_of, "tw:u0").unwrap().unwrap();
    assert_eq!(u0.account.person, "person_0");
    assert_eq!(
        store
            .identity(meta.as_of, "Twitter", "U1")
            .unwrap()
            .found()
            .unwrap()
            .person,
        "person_1"
    );
    assert_eq!(meta.people, 80);
}

/// A mistyped directory is an error naming it, and no store file is left behind.
#[test]
fn store_run_on_a_missing_directory_creates_no_store() {
    let dir = tmp();
    let st = dir.path().join("clout.store");
    let missing = dir.path().join("no-such-dir");
    let o = clout(&["run", s(&missing), "--store", s(&st), "--quiet"], None);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no-such-dir"), "{}", stderr(&o));
    assert!(!st.exists(), "a failed run must not create the store");
}

/// A dataset directory whose files are symbolic links (as when a shared dataset is linked
/// in) is read like one holding the files.
#[cfg(unix)]
#[test]
fn store_run_follows_symbolic_links_to_files() {
    let dir = tmp();
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    dataset(&real, 20, 200);
    let linked = dir.path().join("linked");
    std::fs::create_dir(&linked).unwrap();
    for e in std::fs::read_dir(&real).unwrap() {
        let e = e.unwrap();
        std::os::unix::fs::symlink(e.path(), linked.join(e.file_name())).unwrap();
    }
    let (a, b) = (dir.path().join("a.store"), dir.path().join("b.store"));
    run_ok(&["run", s(&real), "--store", s(&a), "--keywords", "-q"]);
    run_ok(&["run", s(&linked), "--store", s(&b), "--keywords", "-q"]);
    let top = |p: &Path| {
        let st = Store::open(p).unwrap();
        let m = st.latest().unwrap().unwrap();
        let ids: Vec<String> = st
            .accounts(m.as_of)
            .unwrap()
            .into_iter()
            .map(|r| r.account.id)
            .collect();
        (m.interactions, ids)
    };
    assert_eq!(top(&a), top(&b));
    assert!(!top(&b).1.is_empty());
}

#[test]
fn store_run_replaces_same_as_of_and_accumulates_dates() {
    let dir = tmp();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    dataset(&data, 50, 800);
    let st = dir.path().join("s.store");
    let days = ["2024-02-15", "2024-02-22", "2024-02-22", "2024-02-29"];
    for d in days {
        run_ok(&["run", s(&data), "--store", s(&st), "--as-of", d, "-q"]);
    }
    let store = Store::open(&st).unwrap();
    let runs: Vec<i64> = store.runs().unwrap().iter().map(|r| r.as_of).collect();
    let t = |d: &str| clout::ingest::time::parse_time(d).unwrap();
    assert_eq!(runs, [t("2024-02-15"), t("2024-02-22"), t("2024-02-29")]);
    let n = store.accounts(runs[1]).unwrap().len();
    assert_eq!(n, 50);
    // The week change of the last run comes from the stored run a week earlier.
    let best = &store.accounts(runs[2]).unwrap()[0];
    let before = store.account(runs[1], &best.account.id).unwrap().unwrap();
    assert!((best.delta.week.unwrap() - (best.score - before.score)).abs() < 1e-9);
    // History, through the CLI.
    let id = best.account.id.as_str();
    let json = run_ok(&["history", id, "--store", s(&st), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let h = v["history"].as_array().unwrap();
    assert_eq!(h.len(), 3);
    let points = store.history(id).unwrap();
    for (row, p) in h.iter().zip(&points) {
        assert_eq!(row["as_of"].as_i64().unwrap(), p.as_of);
        assert_eq!(row["score"].as_f64().unwrap(), p.score);
    }
    assert!(h[0]["change"].is_null());
    let change = h[2]["change"].as_f64().unwrap();
    assert!((change - (points[2].score - points[1].score)).abs() < 1e-9);
    let text = run_ok(&["history", id, "--store", s(&st)]);
    assert!(text.contains("2024-02-22T00:00:00Z") && text.contains(&format!("{change:+.2}")));
    let o = clout(&["history", "tw:nobody", "--store", s(&st)], None);
    assert!(!o.status.success() && stderr(&o).contains("no account \"tw:nobody\" in the 3 runs"));
}

#[test]
fn store_failed_run_leaves_the_previous_run() {
    let dir = tmp();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    dataset(&data, 40, 400);
    let st = dir.path().join("s.store");
    run_ok(&["run", s(&data), "--store", s(&st), "-q"]);
    let before = Store::open(&st).unwrap();
    let meta = before.latest().unwrap().unwrap();
    let accounts = before.accounts(meta.as_of).unwrap();
    drop(before);
    // A malformed line, and a later as-of so the run would have been a new one.
    let path = data.join("interactions.txt");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("tw:u1 tw:u2 like not-a-time p1 twitter\n");
    std::fs::write(&path, text).unwrap();
    let o = clout(
        &["run", s(&data), "--store", s(&st), "--as-of", "2024-03-05"],
        None,
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("interactions.txt:401"),
        "{}",
        stderr(&o)
    );
    let after = Store::open(&st).unwrap();
    assert_eq!(after.runs().unwrap(), vec![meta.clone()]);
    assert_eq!(after.accounts(meta.as_of).unwrap(), accounts);
    // A directory without interactions is named as such.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = clout(&["run", s(&empty), "--store", s(&st)], None);
    assert!(
        stderr(&o).contains("has no interactions.txt"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn store_killed_run_leaves_the_previous_run() {
    let dir = tmp();
    let (small, big) = (dir.path().join("small"), dir.path().join("big"));
    std::fs::create_dir(&small).unwrap();
    std::fs::create_dir(&big).unwrap();
    dataset(&small, 40, 400);
    dataset(&big, 30_000, 150_000);
    let st = dir.path().join("s.store");
    run_ok(&["run", s(&small), "--store", s(&st), "-q"]);
    let (meta, accounts) = {
        let store = Store::open(&st).unwrap();
        let meta = store.latest().unwrap().unwrap();
        let accounts = store.accounts(meta.as_of).unwrap();
        (meta, accounts)
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clout"))
        .args([
            "run",
            s(&big),
            "--store",
            s(&st),
            "--as-of",
            "2024-03-10",
            "-q",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once the write transaction has spilled pages into the write-ahead log.
    let wal = dir.path().join("s.store-wal");
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the big run finished before it could be killed mid-write"
        );
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 1 << 20) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());
    let store = Store::open(&st).unwrap();
    assert_eq!(store.runs().unwrap(), vec![meta.clone()]);
    assert_eq!(store.accounts(meta.as_of).unwrap(), accounts);
    drop(store);
    // The store takes new runs afterwards.
    run_ok(&[
        "run",
        s(&small),
        "--store",
        s(&st),
        "--as-of",
        "2024-02-20",
        "-q",
    ]);
    assert_eq!(Store::open(&st).unwrap().runs().unwrap().len(), 2);
}

#[test]
fn store_run_stores_the_topic_leaderboards_of_top() {
    let demo = crate::common::repo("data/demo");
    let dir = tmp();
    let st = dir.path().join("demo.store");
    let out = run_ok(&[
        "run",
        s(&demo),
        "--store",
        s(&st),
        "-q",
        "--topic",
        "Gardening",
    ]);
    assert!(
        out.contains("Top influencers on Gardening (hobbies › gardening)"),
        "{out}"
    );
    // The independent reference: `clout top` over the same files and window.
    let json = run_ok(&[
        "top",
        "--topic",
        "gardening",
        "--dir",
        s(&demo),
        "--window",
        "90d",
        "--json",
        "-n",
        "20",
    ]);
    let reference: clout::store::Leaderboard = serde_json::from_str(&json).unwrap();
    let store = Store::open(&st).unwrap();
    let t = store.latest().unwrap().unwrap().as_of;
    let board = store.leaderboard(t, "gardening").unwrap().unwrap();
    assert!(board.entries.len() >= 20, "{}", board.entries.len());
    assert_eq!(board.entries[..20], reference.entries[..]);
    assert_eq!(
        (board.name.as_str(), board.path.clone()),
        ("Gardening", reference.path)
    );
    let topics = store.topics(t).unwrap();
    let g = topics.iter().find(|x| x.topic == "gardening").unwrap();
    assert_eq!(g.entries as usize, board.entries.len());
    // The leader's own record lists gardening with the same expertise, and its evidence posts
    // are stored.
    let lead = store
        .account(t, &board.entries[0].account)
        .unwrap()
        .unwrap();
    let mine = lead.topics.iter().find(|x| x.topic == "gardening").unwrap();
    assert_eq!(mine.expertise, board.entries[0].expertise);
    assert!(!mine.evidence.is_empty());
    let posts = store.posts(t, &mine.evidence).unwrap();
    assert_eq!(posts.len(), mine.evidence.len());
    assert!(posts
        .iter()
        .all(|p| p.author == lead.account.id && p.reactors > 0));
    // Topics are best first.
    assert!(lead
        .topics
        .windows(2)
        .all(|w| w[0].expertise >= w[1].expertise));
    // `clout top --store` reads the stored board: the reference's first rows, by display name
    // too; text output names the stored run; an unknown topic lists the closest ones.
    let json = run_ok(&[
        "top",
        "--topic",
        "GARDENING",
        "--store",
        s(&st),
        "--json",
        "-n",
        "7",
    ]);
    let stored: clout::store::Leaderboard = serde_json::from_str(&json).unwrap();
    assert_eq!(stored.entries[..], reference.entries[..7]);
    let text = run_ok(&["top", "--topic", "gardening", "--store", s(&st), "-n", "3"]);
    assert!(text.contains("[stored run as of "), "{text}");
    assert!(text.contains(&reference.entries[0].account), "{text}");
    assert_eq!(text.lines().count(), 2 + 3, "{text}");
    let o = crate::common::clout(&["top", "--topic", "gardenin", "--store", s(&st)], None);
    assert!(!o.status.success());
    assert!(crate::common::stderr(&o).contains("closest: Gardening (gardening)"));
    // Issue 12: `sports` begins "Sports and Recreation", which comes first (edit distance
    // alone suggested Pets, Birds, …).
    let o = crate::common::clout(&["top", "--topic", "sports", "--store", s(&st)], None);
    let err = crate::common::stderr(&o);
    assert!(
        err.contains(
            "unknown topic \"sports\"; closest: Sports and Recreation (sports-and-recreation)"
        ),
        "{err}"
    );
    // With neither inputs nor a store: a clear error that says what to do.
    let missing = dir.path().join("none.store");
    let o = crate::common::clout(
        &["top", "--topic", "gardening", "--store", s(&missing)],
        None,
    );
    assert!(!o.status.success());
    assert!(
        crate::common::stderr(&o).contains("clout run DIR"),
        "{}",
        crate::common::stderr(&o)
    );
}

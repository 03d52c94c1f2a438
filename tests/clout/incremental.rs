//! Issue 17: daily runs on a directory that only grows. The store keeps what each run read
//! (files, sizes, digests, record counts); a run whose look-back instant (a day, a week back)
//! has a stored run that read the start of today's files takes its changes from it instead of
//! re-scoring, and the result equals a run from scratch: scores, changes and leaderboards.

use std::fmt::Write as _;
use std::path::Path;

use clout::store::{AccountRecord, Store};

use crate::common::{clout, stderr};

const T0: i64 = 1_709_251_200; // 2024-03-01T00:00:00Z
const DAY: i64 = 86_400;
const DAYS: i64 = 12;

/// Twelve days of data, every file in time order. `star` is engaged from the first day and
/// posts about gardening; `late` first acts on day 9, but the follow file (which has no times)
/// says from the start that fans follow it and it follows `star`: before day 9 that edge must
/// not carry rank.
struct Data {
    interactions: Vec<(i64, String)>,
    posts: Vec<(i64, String)>,
    follows: String,
    identities: String,
}

fn data() -> Data {
    let mut d = Data {
        interactions: Vec::new(),
        posts: Vec::new(),
        follows: String::new(),
        identities: "ann star\nann star_ig\n".into(),
    };
    for day in 0..DAYS {
        let t = T0 + day * DAY + 3_600;
        let text = if day % 2 == 0 {
            "tomato seedlings, compost and pruning in the vegetable garden"
        } else {
            "basketball playoffs tonight: the point guard and the three-pointer"
        };
        for (author, net) in [("star", "tw"), ("star_ig", "ig"), ("hoops", "tw")] {
            let id = format!("{author}-{day}");
            d.posts.push((t, post(&id, author, t, text)));
            for e in 0..(3 + day % 4) {
                let who = if net == "ig" { "igfan" } else { "fan" };
                let at = t + 60 * (e + 1);
                d.interactions
                    .push((at, format!("{who}{e} {author} share {at} {id} {net}")));
            }
        }
        if day >= 9 {
            let at = t + 1_800;
            d.interactions
                .push((at, format!("late star reply {at} star-{day} tw")));
            d.interactions
                .push((at + 1, format!("fan1 late share {} late-{day} tw", at + 1)));
        }
    }
    for e in 0..6 {
        writeln!(d.follows, "fan{e} star\nfan{e} late").unwrap();
    }
    d.follows.push_str("late star\nhoops star\n");
    d.interactions.sort();
    d.posts.sort();
    d
}

fn post(id: &str, author: &str, t: i64, text: &str) -> String {
    serde_json::json!({"id": id, "author": author, "time": t, "text": text}).to_string()
}

/// The data up to `as_of` written into `dir` (the files grow from one day to the next).
fn write_until(d: &Data, dir: &Path, as_of: i64) {
    let lines = |v: &[(i64, String)]| -> String {
        v.iter()
            .filter(|(t, _)| *t <= as_of)
            .map(|(_, l)| format!("{l}\n"))
            .collect()
    };
    std::fs::write(dir.join("interactions.txt"), lines(&d.interactions)).unwrap();
    std::fs::write(dir.join("posts.jsonl"), lines(&d.posts)).unwrap();
    std::fs::write(dir.join("follows.txt"), &d.follows).unwrap();
    std::fs::write(dir.join("identities.txt"), &d.identities).unwrap();
}

fn end_of(day: i64) -> i64 {
    T0 + (day + 1) * DAY - 1
}

fn run(dir: &Path, store: &Path, as_of: i64) -> String {
    let t = as_of.to_string();
    let args = [
        "run",
        dir.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
        "--as-of",
        &t,
        "--window",
        "7d",
        "--quiet",
        "--keywords",
    ];
    let o = clout(&args, None);
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

fn close(a: Option<f64>, b: Option<f64>, what: &str) {
    match (a, b) {
        (Some(x), Some(y)) => assert!((x - y).abs() < 1e-9, "{what}: {x} vs {y}"),
        (x, y) => assert_eq!(x, y, "{what}"),
    }
}

/// The run at `as_of` in `a` equals the one in `b`: accounts, scores, changes, topics and
/// leaderboards.
fn same_run(a: &Store, b: &Store, as_of: i64) {
    let key = |v: Vec<AccountRecord>| {
        let mut v = v;
        v.sort_by(|x, y| x.account.id.cmp(&y.account.id));
        v
    };
    let (x, y) = (
        key(a.accounts(as_of).unwrap()),
        key(b.accounts(as_of).unwrap()),
    );
    assert!(!x.is_empty());
    let ids = |v: &[AccountRecord]| v.iter().map(|r| r.account.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&x), ids(&y));
    for (p, q) in x.iter().zip(&y) {
        let id = &p.account.id;
        close(Some(p.score), Some(q.score), &format!("score of {id}"));
        close(p.delta.day, q.delta.day, &format!("day change of {id}"));
        close(p.delta.week, q.delta.week, &format!("week change of {id}"));
        close(
            p.delta.month,
            q.delta.month,
            &format!("month change of {id}"),
        );
        let topics =
            |r: &AccountRecord| r.topics.iter().map(|t| t.topic.clone()).collect::<Vec<_>>();
        assert_eq!(topics(p), topics(q), "topics of {id}");
    }
    let (tx, ty) = (a.topics(as_of).unwrap(), b.topics(as_of).unwrap());
    assert_eq!(tx.len(), ty.len());
    assert!(!tx.is_empty(), "the gardening posts give leaderboards");
    for t in &tx {
        let (p, q) = (
            a.leaderboard(as_of, &t.topic).unwrap().unwrap(),
            b.leaderboard(as_of, &t.topic).unwrap().unwrap(),
        );
        let rows = |l: &clout::store::Leaderboard| {
            l.entries
                .iter()
                .map(|e| (e.rank, e.account.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(rows(&p), rows(&q), "leaderboard {}", t.topic);
        for (e, f) in p.entries.iter().zip(&q.entries) {
            close(
                Some(e.value),
                Some(f.value),
                &format!("{} on {}", e.account, t.topic),
            );
        }
    }
}

#[test]
fn daily_runs_on_a_growing_directory_equal_runs_from_scratch() {
    let d = data();
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    std::fs::create_dir(&live).unwrap();
    let daily = tmp.path().join("daily.store");
    let mut notes = Vec::new();
    for day in 0..DAYS {
        write_until(&d, &live, end_of(day));
        notes.push(run(&live, &daily, end_of(day)));
    }
    // The first run has nothing stored a day back; from the second on the day change comes
    // from the run a day before, and from the eighth on the week change too.
    assert!(
        !notes[0].contains("come from the stored runs"),
        "{}",
        notes[0]
    );
    assert!(notes[1].contains("changes over a day ("), "{}", notes[1]);
    assert!(!notes[1].contains("week ("), "{}", notes[1]);
    let last = &notes[DAYS as usize - 1];
    assert!(
        last.contains("changes over a day (") && last.contains("week ("),
        "{last}"
    );
    let daily = Store::open(&daily).unwrap();
    // What each run read is in the store.
    let meta = daily.run(end_of(DAYS - 1)).unwrap().unwrap();
    let inter = meta
        .inputs
        .iter()
        .find(|f| f.role == "interactions")
        .unwrap();
    let lines = std::fs::read_to_string(live.join("interactions.txt")).unwrap();
    assert_eq!(inter.size, lines.len() as u64);
    assert_eq!(inter.records, Some(lines.lines().count() as u64));
    let roles: Vec<&str> = meta.inputs.iter().map(|f| f.role.as_str()).collect();
    assert_eq!(roles, ["interactions", "follows", "posts", "identities"]);
    // Runs from scratch on the whole data, at the last day and at day 9 (when `late`
    // appears), equal the daily ones.
    for day in [DAYS - 1, 9] {
        let fresh_dir = tmp.path().join(format!("fresh{day}"));
        std::fs::create_dir(&fresh_dir).unwrap();
        write_until(&d, &fresh_dir, end_of(DAYS - 1));
        let fresh = tmp.path().join(format!("fresh{day}.store"));
        let note = run(&fresh_dir, &fresh, end_of(day));
        assert!(!note.contains("come from the stored runs"), "{note}");
        same_run(&daily, &Store::open(&fresh).unwrap(), end_of(day));
    }
    // `late` did not exist a week before the last day: no week change, while `star` has one.
    let rec = |id: &str| daily.account(end_of(DAYS - 1), id).unwrap().unwrap();
    assert!(rec("late").delta.week.is_none() && rec("late").delta.day.is_some());
    assert!(rec("star").delta.week.is_some());
}

#[test]
fn a_stored_run_is_not_reused_when_the_data_before_it_changed() {
    let d = data();
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    std::fs::create_dir(&live).unwrap();
    let store = tmp.path().join("s.store");
    write_until(&d, &live, end_of(5));
    run(&live, &store, end_of(5));
    // A record dated day 5 arrives late, appended after day 6's records.
    write_until(&d, &live, end_of(6));
    let late = end_of(5) - 100;
    let mut f = std::fs::read_to_string(live.join("interactions.txt")).unwrap();
    writeln!(f, "fan7 star like {late} star-5 tw").unwrap();
    std::fs::write(live.join("interactions.txt"), &f).unwrap();
    let note = run(&live, &store, end_of(6));
    assert!(
        note.contains("was not reused for the day change")
            && note.contains("holds records dated 2024-03-06T23:58:19Z that it did not see"),
        "{note}"
    );
    let fresh6 = tmp.path().join("fresh6.store");
    run(&live, &fresh6, end_of(6));
    same_run(
        &Store::open(&store).unwrap(),
        &Store::open(&fresh6).unwrap(),
        end_of(6),
    );
    // A file that lost its last line end, then grew from inside that line, is no growth.
    let posts = live.join("posts.jsonl");
    let mut f = std::fs::read_to_string(&posts).unwrap();
    f.pop();
    std::fs::write(&posts, &f).unwrap();
    let note = run(&live, &store, end_of(7));
    assert!(
        note.contains("posts.jsonl is shorter than it was"),
        "{note}"
    );
    f.push('\n');
    f.push_str(&post("star-8", "star", end_of(8) - 10, "compost"));
    f.push('\n');
    std::fs::write(&posts, &f).unwrap();
    let note = run(&live, &store, end_of(8));
    assert!(
        note.contains("posts.jsonl grew inside its last line"),
        "{note}"
    );
    // A changed follow graph changes every score before it too.
    std::fs::write(live.join("follows.txt"), "fan0 hoops\n").unwrap();
    let note = run(&live, &store, end_of(9));
    assert!(note.contains("follows.txt changed since"), "{note}");
    // Either way the changes are re-scored: equal to a run from scratch.
    let fresh = tmp.path().join("fresh.store");
    run(&live, &fresh, end_of(9));
    same_run(
        &Store::open(&store).unwrap(),
        &Store::open(&fresh).unwrap(),
        end_of(9),
    );
}

/// The data up to `as_of` written into `dir` file by file atomically (as a collector that
/// renames finished files would), so that a service never reads half a file.
fn write_atomically(d: &Data, dir: &Path, as_of: i64) {
    let staging = dir.join(".staging");
    std::fs::create_dir_all(&staging).unwrap();
    write_until(d, &staging, as_of);
    for name in [
        "interactions.txt",
        "posts.jsonl",
        "follows.txt",
        "identities.txt",
    ] {
        std::fs::rename(staging.join(name), dir.join(name)).unwrap();
    }
}

/// The as-of instants of the runs in the store at `path` (none while it does not exist).
fn runs(path: &Path) -> Vec<i64> {
    let Ok(s) = Store::open(path) else {
        return Vec::new();
    };
    let mut r: Vec<i64> = s
        .runs()
        .unwrap_or_default()
        .iter()
        .map(|m| m.as_of)
        .collect();
    r.sort_unstable();
    r
}

/// Waits up to a minute for the store to hold runs at `want`.
fn wait_for_runs(path: &Path, want: &[i64], service: &mut std::process::Child) {
    let start = std::time::Instant::now();
    while runs(path) != want {
        if let Ok(Some(status)) = service.try_wait() {
            panic!("the service stopped: {status}");
        }
        assert!(
            start.elapsed().as_secs() < 60,
            "the store holds runs at {:?}, not {want:?}",
            runs(path)
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

fn service(dir: &Path, store: &Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_clout"))
        .args([
            "run",
            dir.to_str().unwrap(),
            "--store",
            store.to_str().unwrap(),
        ])
        .args([
            "--every",
            "1d",
            "--poll",
            "1s",
            "--window",
            "7d",
            "--keywords",
            "--quiet",
        ])
        .env("CLOUT_CACHE_DIR", dir.join(".cache"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("clout starts")
}

/// `clout run DIR --every 1d` runs each day once the data has moved past it, and after being
/// killed picks up where it stopped, catching up on the days it missed; its runs equal runs
/// from scratch.
#[test]
fn a_service_runs_each_day_and_catches_up_after_a_kill() {
    let d = data();
    let tmp = tempfile::tempdir().unwrap();
    let live = tmp.path().join("live");
    std::fs::create_dir(&live).unwrap();
    let store = tmp.path().join("service.store");
    // Data into the early hours of day 3: days 0–2 are complete, and the latest is run.
    write_atomically(&d, &live, end_of(2) + 7_200);
    let mut s = service(&live, &store);
    wait_for_runs(&store, &[end_of(2)], &mut s);
    write_atomically(&d, &live, end_of(3) + 7_200);
    wait_for_runs(&store, &[end_of(2), end_of(3)], &mut s);
    s.kill().unwrap();
    s.wait().unwrap();
    // Down for three days; restarted, it runs the latest complete day and the two it missed.
    write_atomically(&d, &live, end_of(6) + 7_200);
    let mut s = service(&live, &store);
    let want: Vec<i64> = (2..=6).map(end_of).collect();
    wait_for_runs(&store, &want, &mut s);
    // Nothing new: no run is repeated or replaced.
    let created = |t| {
        Store::open(&store)
            .unwrap()
            .run(t)
            .unwrap()
            .unwrap()
            .created
    };
    let before = created(end_of(5));
    std::thread::sleep(std::time::Duration::from_millis(2_500));
    s.kill().unwrap();
    s.wait().unwrap();
    assert_eq!(runs(&store), want);
    assert_eq!(created(end_of(5)), before);
    let fresh = tmp.path().join("fresh.store");
    let all = tmp.path().join("all");
    std::fs::create_dir(&all).unwrap();
    write_until(&d, &all, end_of(6) + 7_200);
    for day in [5, 6] {
        run(&all, &fresh, end_of(day));
        same_run(
            &Store::open(&store).unwrap(),
            &Store::open(&fresh).unwrap(),
            end_of(day),
        );
    }
}

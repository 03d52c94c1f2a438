//! Platform data read as the platforms give it: Bluesky fixtures typed from the documented
//! shapes (`data/fixtures/bluesky/README.md`), imported into clout's files and run directly.

use std::path::PathBuf;

use clout::ingest::platform::{import, Platform};
use clout::ingest::SkipKind;

use crate::common::{clout, repo, stderr, stdout};

fn fixture(name: &str) -> PathBuf {
    repo(&format!("data/fixtures/bluesky/{name}"))
}

const POST_A: &str = "at://did:plc:alice/app.bsky.feed.post/3l3qo2vuowo2b";

/// Every record kind of the Jetstream fixture, worked out by hand: the reply (and its mention)
/// is deleted, so is bob's follow; the profile and the delete of an unseen like are skipped.
#[test]
fn jetstream_fixture_imports_to_hand_computed_records() {
    let out = tempfile::tempdir().unwrap();
    let imported = import(&[fixture("jetstream.jsonl")], out.path(), false).unwrap();
    let (_, platform, skips) = &imported.files[0];
    assert_eq!(*platform, Platform::Bluesky);
    assert_eq!(skips.count(SkipKind::UnknownRecord), 1);
    assert_eq!(skips.count(SkipKind::UnknownDelete), 1);
    assert_eq!(skips.total(), 2);
    let act = |actor: &str, kind: &str, time: u64, post: &str| {
        format!("{{\"actor\":\"{actor}\",\"target\":\"{}\",\"kind\":\"{kind}\",\"time\":{time},\"post_id\":\"{post}\",\"network\":\"bsky\"}}", if post == POST_A { "alice.bsky.social" } else { "did:plc:bob" })
    };
    let want = [
        act("did:plc:bob", "like", 1725911163, POST_A),
        act("did:plc:carol", "share", 1725911164, POST_A),
        act("did:plc:dave", "share", 1725911166, POST_A),
        act(
            "did:plc:erin",
            "like",
            1725911173,
            "at://did:plc:bob/app.bsky.feed.post/3l3qo2yrep1",
        ),
    ];
    let got = std::fs::read_to_string(&imported.written.interactions).unwrap();
    assert_eq!(got.lines().collect::<Vec<_>>(), want);
    let posts = std::fs::read_to_string(imported.written.posts.as_ref().unwrap()).unwrap();
    let want = [
        format!("{{\"id\":\"{POST_A}\",\"author\":\"alice.bsky.social\",\"time\":1725911162,\"text\":\"Tomatoes love #gardening mulch #compost\",\"network\":\"bsky\",\"lang\":\"en\"}}"),
        "{\"id\":\"at://did:plc:dave/app.bsky.feed.post/3l3qo2zq1\",\"author\":\"did:plc:dave\",\"time\":1725911166,\"text\":\"This, with pictures\",\"network\":\"bsky\"}".to_string(),
    ];
    assert_eq!(posts.lines().collect::<Vec<_>>(), want);
    let follows = std::fs::read_to_string(imported.written.follows.as_ref().unwrap()).unwrap();
    assert_eq!(follows, "did:plc:dave alice.bsky.social\n");
}

/// Plain listRecords records: author, collection and key from the at-URI, time from createdAt.
#[test]
fn list_records_without_the_envelope() {
    let out = tempfile::tempdir().unwrap();
    let imported = import(&[fixture("records.jsonl")], out.path(), false).unwrap();
    let got = std::fs::read_to_string(&imported.written.interactions).unwrap();
    assert_eq!(
        got,
        format!("{{\"actor\":\"did:plc:frank\",\"target\":\"did:plc:alice\",\"kind\":\"like\",\"time\":1704193200,\"post_id\":\"{POST_A}\",\"network\":\"bsky\"}}\n")
    );
    let posts = std::fs::read_to_string(imported.written.posts.as_ref().unwrap()).unwrap();
    assert!(posts.contains("\"time\":1704189600,\"text\":\"Kompost im Winter\",\"network\":\"bsky\",\"lang\":\"de\""), "{posts}");
    assert!(imported.written.follows.is_none());
}

/// `clout run` on a directory of platform files (compressed, any name) with no conversion.
#[test]
fn run_reads_a_directory_of_jetstream_files() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read(fixture("jetstream.jsonl")).unwrap();
    std::fs::write(
        dir.path().join("part-1.zst"),
        zstd::encode_all(&text[..], 3).unwrap(),
    )
    .unwrap();
    std::fs::copy(fixture("records.jsonl"), dir.path().join("more")).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "just some notes\n").unwrap();
    let store = dir.path().join("s.store");
    let o = clout(
        &[
            "run",
            dir.path().to_str().unwrap(),
            "--store",
            store.to_str().unwrap(),
            "--keywords",
            "--window",
            "all",
        ],
        None,
    );
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(o.status.success(), "{err}");
    assert!(
        out.contains("6 accounts") && out.contains("5 interactions") && out.contains("3 posts"),
        "{out}"
    );
    let first = out
        .lines()
        .find(|l| l.trim_start().starts_with("1 "))
        .unwrap();
    assert!(first.contains("alice.bsky.social"), "{out}");
    assert!(
        err.contains("notes.txt") && err.contains("tried:") && err.contains("Bluesky"),
        "{err}"
    );
}

/// A malformed record names the file, the line and the platform field; `--lenient` counts it.
#[test]
fn bad_bluesky_records_name_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events");
    let good = std::fs::read_to_string(fixture("jetstream.jsonl")).unwrap();
    let bad_like = good.lines().nth(2).unwrap().replace(
        "\"uri\":\"at://did:plc:alice",
        "\"uri\":\"https://did:plc:alice",
    );
    let bad_time = good
        .lines()
        .nth(3)
        .unwrap()
        .replace("1725911164000000", "\"soon\"");
    std::fs::write(
        &path,
        format!(
            "{}\n{bad_like}\n{bad_time}\n{}\n",
            good.lines().next().unwrap(),
            good.lines().nth(1).unwrap()
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let err = import(std::slice::from_ref(&path), out.path(), false)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&format!("{}:2:", path.display()))
            && err.contains("commit.record.subject.uri"),
        "{err}"
    );
    let imported = import(std::slice::from_ref(&path), out.path(), true)
        .unwrap_err()
        .to_string();
    assert!(imported.contains("no interactions"), "{imported}");
    let std = fixture("jetstream.jsonl");
    let lenient = import(&[path.clone(), std], out.path(), true).unwrap();
    let skips = &lenient.files[0].2;
    assert_eq!(
        (
            skips.count(SkipKind::BadId),
            skips.count(SkipKind::BadJson),
            skips.total()
        ),
        (1, 1, 2),
        "{skips}"
    );
    let o = clout(
        &[
            "import",
            "--out",
            out.path().to_str().unwrap(),
            path.to_str().unwrap(),
        ],
        None,
    );
    let msg = stderr(&o);
    assert!(
        !o.status.success() && msg.contains("events:2: Bluesky field `commit.record.subject.uri`"),
        "{msg}"
    );
    std::fs::write(&path, format!("{bad_time}\n")).unwrap();
    let err = import(&[path], out.path(), false).unwrap_err().to_string();
    assert!(
        err.contains("events:1: bad Bluesky field `time_us`: invalid type"),
        "{err}"
    );
}

/// A file in no known format: the sources tried are named.
#[test]
fn a_file_of_no_known_source_says_what_was_tried() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mystery.json");
    std::fs::write(&path, "{\"hello\":1}\n").unwrap();
    let err = import(&[path], dir.path(), false).unwrap_err().to_string();
    assert!(
        err.contains("mystery.json") && err.contains("tried: Bluesky"),
        "{err}"
    );
}

/// Issue 14's bar, as issue 5's for clout's own files: the demo generated in Jetstream shape
/// (`clout generate social --format bluesky`) and run with no conversion step finds the planted
/// experts — precision@20 at least 0.8 for every topic with at least 20 planted experts.
#[test]
fn clout_top_finds_the_planted_experts_through_jetstream() {
    use clout::generate::social::bluesky::handle;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("bsky");
    let dir_s = dir.to_str().unwrap();
    let o = clout(
        &[
            "generate",
            "social",
            "--accounts",
            "3000",
            "--seed",
            "1",
            "--format",
            "bluesky",
            "--out",
            dir_s,
            "--quiet",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("jetstream.jsonl").exists() && !dir.join("interactions.txt").exists());
    let store = tmp.path().join("b.store");
    let store = store.to_str().unwrap();
    let o = clout(
        &["run", dir_s, "--store", store, "--window", "all", "--quiet"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("truth.json")).unwrap()).unwrap();
    let checked = crate::common::precision_at_20(store, &truth, handle);
    eprintln!("precision@20 through Jetstream: {checked:?}");
    assert!(checked.len() >= 10, "{checked:?}");
    let low: Vec<_> = checked.iter().filter(|(_, p)| *p < 0.8).collect();
    assert!(
        low.is_empty(),
        "precision@20 below 0.8: {low:?} (all: {checked:?})"
    );
}

/// The lines of a written file.
fn lines_of(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn act_line(
    actor: &str,
    target: &str,
    kind: &str,
    time: i64,
    post: Option<&str>,
    net: &str,
) -> String {
    let post = post.map_or(String::new(), |p| format!(",\"post_id\":\"{p}\""));
    format!("{{\"actor\":\"{actor}\",\"target\":\"{target}\",\"kind\":\"{kind}\",\"time\":{time}{post},\"network\":\"{net}\"}}")
}

/// X API v1.1: the retweet is deleted; the reply's mention of the replied-to account is not
/// counted twice; the quote is a share; accounts are shown by screen name.
#[test]
fn x_v1_fixture_imports_to_hand_computed_records() {
    let out = tempfile::tempdir().unwrap();
    let imported = import(&[repo("data/fixtures/x/v1.jsonl")], out.path(), false).unwrap();
    let (_, platform, skips) = &imported.files[0];
    assert_eq!(*platform, Platform::X);
    assert_eq!(
        (skips.count(SkipKind::UnknownDelete), skips.total()),
        (1, 1)
    );
    assert_eq!(
        lines_of(&imported.written.interactions),
        [
            act_line("cy", "ana", "reply", 1539208800, Some("1001"), "x"),
            act_line("cy", "bo", "mention", 1539208800, None, "x"),
            act_line("bo", "ana", "share", 1539212400, Some("1001"), "x"),
        ]
    );
    let posts = lines_of(imported.written.posts.as_ref().unwrap());
    assert_eq!(posts.len(), 3);
    assert_eq!(posts[0], "{\"id\":\"1001\",\"author\":\"ana\",\"time\":1539202764,\"text\":\"Compost tips #gardening\",\"network\":\"x\",\"lang\":\"en\"}");
    assert!(
        posts[1].contains("\"text\":\"@ana @bo thanks, trying it this weekend\""),
        "{}",
        posts[1]
    );
    assert!(
        posts[2].ends_with("\"text\":\"So true, my garden agrees\",\"network\":\"x\"}"),
        "{}",
        posts[2]
    );
}

/// X API v2 pages: retweet and reply authors from `includes` / `in_reply_to_user_id`.
#[test]
fn x_v2_fixture_imports_to_hand_computed_records() {
    let out = tempfile::tempdir().unwrap();
    let imported = import(&[repo("data/fixtures/x/v2.jsonl")], out.path(), false).unwrap();
    assert_eq!(imported.files[0].1, Platform::X);
    assert_eq!(
        lines_of(&imported.written.interactions),
        [
            act_line("eve", "dee", "share", 1709290800, Some("2001"), "x"),
            act_line("fay", "dee", "reply", 1709294400, Some("2001"), "x"),
        ]
    );
    let posts = lines_of(imported.written.posts.as_ref().unwrap());
    assert_eq!(posts.len(), 2);
    assert!(
        posts[0].starts_with("{\"id\":\"2001\",\"author\":\"dee\",\"time\":1709287200"),
        "{}",
        posts[0]
    );
}

/// Mastodon Statuses (a page as an array, then one status): the boost is a share, the reply
/// also mentions a remote account; HTML is reduced to text, tags not in it appended.
#[test]
fn mastodon_fixture_imports_to_hand_computed_records() {
    let out = tempfile::tempdir().unwrap();
    let imported = import(
        &[repo("data/fixtures/mastodon/statuses.jsonl")],
        out.path(),
        false,
    )
    .unwrap();
    assert_eq!(imported.files[0].1, Platform::Mastodon);
    assert_eq!(
        lines_of(&imported.written.interactions),
        [
            act_line(
                "bo@other.social",
                "ana",
                "share",
                1667646000,
                Some("109001"),
                "mastodon"
            ),
            act_line("cy", "ana", "reply", 1667649600, Some("109001"), "mastodon"),
            act_line(
                "cy",
                "bo@other.social",
                "mention",
                1667649600,
                None,
                "mastodon"
            ),
        ]
    );
    assert_eq!(
        lines_of(imported.written.posts.as_ref().unwrap()),
        [
            "{\"id\":\"109001\",\"author\":\"ana\",\"time\":1667642400,\"text\":\"Compost & mulch for winter #gardening #compost\",\"network\":\"mastodon\",\"lang\":\"en\"}",
            "{\"id\":\"109003\",\"author\":\"cy\",\"time\":1667649600,\"text\":\"@ana @bo thanks!\",\"network\":\"mastodon\",\"lang\":\"en\"}",
        ]
    );
}

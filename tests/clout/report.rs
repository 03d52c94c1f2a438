//! `clout::report`: each format's content against hand-made records (values, order, escaping,
//! CSV and JSON parse-back, byte-identical reruns), and the HTML page rendered by headless
//! Chromium (it parses, the table rows and the SVG charts are in the DOM).

use std::path::{Path, PathBuf};
use std::process::Command;

use clout::report::{render, Format, ReportData, ReportParts};
use clout::store::*;

use crate::common::{clout, stderr, stdout};

const AS_OF: i64 = 1_700_000_000; // 2023-11-14T22:13:20Z
const HOSTILE_ID: &str = "<script>alert('id')</script>";
const HOSTILE_TEXT: &str = "Roses & <img src=x onerror=alert(1)> \"quoted\", | piped\nsecond line";
const PIPE_ID: &str = "bob|\"x\",y";

fn measure(raw: f64, score: f64) -> Measure {
    Measure { raw, score }
}

fn topic(slug: &str, name: &str, path: &[&str], entries: u32) -> TopicInfo {
    TopicInfo {
        topic: slug.into(),
        name: name.into(),
        path: path.iter().map(|s| s.to_string()).collect(),
        entries,
    }
}

fn account_topic(slug: &str, expertise: f64, evidence: &[&str]) -> AccountTopic {
    AccountTopic {
        topic: slug.into(),
        expertise,
        evidence: evidence.iter().map(|s| s.to_string()).collect(),
        plus_k: None,
    }
}

fn record(
    id: &str,
    score: f64,
    topics: Vec<AccountTopic>,
    influencers: &[(&str, u32)],
) -> AccountRecord {
    AccountRecord {
        account: AccountRef {
            id: id.into(),
            network: "tw".into(),
            handle: id.into(),
            person: format!("p-{id}"),
        },
        score,
        percentile: score - 0.5,
        true_reach: measure(score * 4.0, score - 1.0),
        amplification: measure(score / 200.0, score - 2.0),
        network_impact: measure(score * 1e-6, score - 3.0),
        delta: Deltas {
            day: Some(0.5),
            week: None,
            month: Some(-2.25),
        },
        topics,
        influencers: influencers
            .iter()
            .map(|&(id, actions)| Counterpart {
                id: id.into(),
                actions,
                weight: actions as f64 / 10.0,
            })
            .collect(),
        influencees: vec![],
        ledger: LedgerSummary {
            engaged_accounts: (score * 4.0) as u32,
            followers_engaged: Some(7),
            posts: 40,
            posts_acted_on: 12,
            actions_by_kind: vec![("share".into(), 30), ("reply".into(), 9)],
            followers: Some(100),
            following: None,
            formula: format!("score = f({score})"),
            flags: Vec::new(),
        },
    }
}

fn post(id: &str, author: &str, text: &str, reactors: u32) -> EvidencePost {
    EvidencePost {
        id: id.into(),
        author: author.into(),
        time: AS_OF - 3600,
        text: text.into(),
        reactors,
    }
}

fn leader(rank: u32, account: &str, value: f64, expertise: f64) -> LeaderEntry {
    LeaderEntry {
        rank,
        account: account.into(),
        value,
        expertise,
        topical_impact: value / 2.0,
        score: 0.0,
    }
}

/// Four ranked accounts for "gardening": a hostile id first, one whose evidence comes from a
/// sub-topic (roses), one with a CSV/Markdown-hostile id, and one with a three-run history.
fn parts() -> ReportParts {
    let topics = vec![
        topic("hobbies", "Hobbies", &["hobbies"], 3),
        topic("gardening", "Gardening", &["hobbies", "gardening"], 4),
        topic("roses", "Roses <u>", &["hobbies", "gardening", "roses"], 2),
    ];
    let accounts = vec![
        record(
            "ada",
            71.0,
            vec![account_topic(
                "roses",
                0.8,
                &["p3", "p-missing", "p4", "p5", "p6"],
            )],
            &[],
        ),
        record(
            HOSTILE_ID,
            88.5,
            vec![
                account_topic("hobbies", 0.2, &["p9"]),
                account_topic("gardening", 0.9, &["p1", "p2"]),
            ],
            &[("ada", 12), ("carol", 5), (PIPE_ID, 3), ("zed", 1)],
        ),
        record(PIPE_ID, 55.25, vec![], &[]),
        record(
            "carol",
            40.0,
            vec![account_topic("gardening", 0.1, &[])],
            &[],
        ),
        record("unranked", 10.0, vec![], &[]),
    ];
    let board = Leaderboard {
        topic: "gardening".into(),
        name: "Gardening".into(),
        path: vec!["hobbies".into(), "gardening".into()],
        entries: vec![
            leader(1, HOSTILE_ID, 4e-3, 0.9),
            leader(2, "ada", 3e-3, 0.8),
            leader(3, PIPE_ID, 2e-3, 0.0),
            leader(4, "carol", 1e-3, 0.1),
        ],
    };
    ReportParts {
        run: Some(RunMeta {
            as_of: AS_OF,
            window: Some(90 * 86_400),
            created: 1_700_000_123,
            input_digest: "abc123".into(),
            source: "data/demo".into(),
            calibration: "v1".into(),
            ontology: "builtin".into(),
            accounts: 5,
            people: 5,
            interactions: 1000,
            posts: 200,
            inputs: Vec::new(),
            scoring: 0,
        }),
        topics,
        board: Some(board),
        scores: vec![88.5, 71.0, 55.25, 40.0, 10.0],
        accounts,
        posts: vec![
            post("p1", HOSTILE_ID, HOSTILE_TEXT, 14),
            post("p2", HOSTILE_ID, "plain", 3),
            post("p3", "ada", "rose one", 9),
            post("p4", "ada", "rose two", 8),
            post("p5", "ada", "rose three", 7),
            post("p6", "ada", "rose four", 6),
            post("p9", HOSTILE_ID, "hobby post", 1),
        ],
        history: vec![
            (
                "ada".into(),
                vec![
                    HistoryPoint {
                        as_of: AS_OF,
                        score: 71.0,
                        window: None,
                        calibration: String::new(),
                        topics: Vec::new(),
                    },
                    HistoryPoint {
                        as_of: AS_OF - 2 * 86_400,
                        score: 60.0,
                        window: None,
                        calibration: String::new(),
                        topics: Vec::new(),
                    },
                    HistoryPoint {
                        as_of: AS_OF - 86_400,
                        score: 65.0,
                        window: None,
                        calibration: String::new(),
                        topics: Vec::new(),
                    },
                ],
            ),
            (
                HOSTILE_ID.into(),
                vec![HistoryPoint {
                    as_of: AS_OF,
                    score: 88.5,
                    window: None,
                    calibration: String::new(),
                    topics: Vec::new(),
                }],
            ),
        ],
        names: vec![],
        networks: vec![],
    }
}

fn report(n: usize) -> ReportData {
    ReportData::assemble(parts(), n).unwrap()
}

fn text(format: Format) -> String {
    String::from_utf8(render(&report(20), format)).unwrap()
}

#[test]
fn assembly_keeps_rank_order_evidence_and_history() {
    let r = report(20);
    let ids: Vec<&str> = r
        .entries
        .iter()
        .map(|e| e.record.account.id.as_str())
        .collect();
    assert_eq!(ids, [HOSTILE_ID, "ada", PIPE_ID, "carol"]);
    // Exact-topic evidence only when the account has the topic itself (not its hobbies post).
    let ev = |i: usize| -> Vec<&str> {
        r.entries[i]
            .evidence
            .iter()
            .map(|p| p.id.as_str())
            .collect()
    };
    assert_eq!(ev(0), ["p1", "p2"]);
    // Sub-topic evidence, missing posts skipped, at most three.
    assert_eq!(ev(1), ["p3", "p4", "p5"]);
    assert!(ev(2).is_empty() && ev(3).is_empty());
    let hist: Vec<i64> = r.entries[1].history.iter().map(|p| p.as_of).collect();
    assert_eq!(hist, [AS_OF - 2 * 86_400, AS_OF - 86_400, AS_OF]);
    let counts: Vec<u64> = r.distribution.iter().map(|b| b.count).collect();
    assert_eq!(counts, [0, 1, 0, 0, 1, 1, 0, 1, 1, 0]);
    assert_eq!(report(2).entries.len(), 2);
}

#[test]
fn assembly_errors_on_bad_parts() {
    assert!(ReportData::assemble(parts(), 0).is_err());
    let mut p = parts();
    p.accounts.retain(|a| a.account.id != "carol");
    let err = ReportData::assemble(p.clone(), 3).map(|_| ()); // carol is 4th: not needed
    assert!(err.is_ok());
    let err = ReportData::assemble(p, 4).unwrap_err().to_string();
    assert!(
        err.contains("\"carol\"") && err.contains("gardening"),
        "{err}"
    );
}

#[test]
fn same_records_give_the_same_bytes_whatever_their_order() {
    let mut shuffled = parts();
    shuffled.accounts.reverse();
    shuffled.posts.reverse();
    shuffled.history.reverse();
    shuffled.topics.reverse();
    let other = ReportData::assemble(shuffled, 20).unwrap();
    for f in [Format::Html, Format::Md, Format::Csv, Format::Json] {
        assert_eq!(render(&report(20), f), render(&other, f), "{f}");
    }
}

/// JSON numbers parse back within an ulp or so (serde_json's fast float parser).
fn assert_close(got: Option<f64>, want: f64) {
    let got = got.expect("a number");
    assert!((got - want).abs() <= 1e-12 * want.abs(), "{got} vs {want}");
}

#[test]
fn json_parses_back_to_the_records() {
    let v: serde_json::Value = serde_json::from_str(&text(Format::Json)).unwrap();
    assert_eq!(v["run"]["as_of"], AS_OF);
    assert_eq!(v["run"]["as_of_utc"], "2023-11-14T22:13:20Z");
    assert!(v["run"].get("created").is_none());
    assert_eq!(v["topic"]["topic"], "gardening");
    assert_eq!(
        v["topic"]["path"],
        serde_json::json!(["hobbies", "gardening"])
    );
    let p = parts();
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 4);
    for (e, l) in entries.iter().zip(&p.board.as_ref().unwrap().entries) {
        let rec = p
            .accounts
            .iter()
            .find(|a| a.account.id == l.account)
            .unwrap();
        assert_eq!(e["rank"], l.rank);
        assert_eq!(e["account"]["id"].as_str(), Some(l.account.as_str()));
        assert_close(e["topic_influence"].as_f64(), l.value);
        assert_close(e["expertise"].as_f64(), l.expertise);
        assert_close(e["topical_impact"].as_f64(), l.topical_impact);
        assert_close(e["score"].as_f64(), rec.score);
        assert_close(e["true_reach"]["raw"].as_f64(), rec.true_reach.raw);
        assert_close(
            e["amplification"]["score"].as_f64(),
            rec.amplification.score,
        );
        assert_close(e["network_impact"]["raw"].as_f64(), rec.network_impact.raw);
        assert_eq!(e["ledger"]["posts_acted_on"], 12);
        assert_eq!(e["delta"]["week"], serde_json::Value::Null);
    }
    let first = &entries[0];
    assert_eq!(first["evidence"][0]["text"].as_str(), Some(HOSTILE_TEXT));
    assert_eq!(first["evidence"][0]["reactors"], 14);
    assert_eq!(first["influencers"][0]["id"], "ada");
    assert_eq!(
        first["ledger"]["actions_by_kind"][0],
        serde_json::json!(["share", 30])
    );
    assert_eq!(entries[1]["history"].as_array().unwrap().len(), 3);
    assert_eq!(entries[1]["history"][0]["score"].as_f64(), Some(60.0));
    let total: u64 = v["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 5);
}

#[test]
fn csv_parses_back_one_row_per_entry() {
    let out = text(Format::Csv);
    let mut rd = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    let ids: Vec<&str> = rows.iter().map(|r| &r[col("account")]).collect();
    assert_eq!(ids, [HOSTILE_ID, "ada", PIPE_ID, "carol"]);
    let r0 = &rows[0];
    assert_eq!(&r0[col("rank")], "1");
    assert_eq!(r0[col("score")].parse::<f64>().unwrap(), 88.5);
    assert_eq!(
        r0[col("true_reach_raw")].parse::<f64>().unwrap(),
        88.5 * 4.0
    );
    assert_eq!(
        r0[col("network_impact_raw")].parse::<f64>().unwrap(),
        88.5 * 1e-6
    );
    assert_eq!(r0[col("topic_influence")].parse::<f64>().unwrap(), 4e-3);
    assert_eq!(r0[col("topical_impact")].parse::<f64>().unwrap(), 2e-3);
    assert_eq!(&r0[col("actions")], "share=30;reply=9");
    assert_eq!(
        &r0[col("top_influencers")],
        format!("ada=12;carol=5;{PIPE_ID}=3")
    );
    assert_eq!(&r0[col("evidence_ids")], "p1;p2");
    assert_eq!(&r0[col("evidence_text")], format!("{HOSTILE_TEXT}\nplain"));
    assert_eq!(&rows[2][col("account")], PIPE_ID);
    // RFC 4180: the quote in the id is doubled inside a quoted field.
    assert!(out.contains("\"bob|\"\"x\"\",y\""), "{out}");
}

/// `--format parquet`: the CSV report's columns, typed, read back by arrow-rs's reader; text
/// (the hostile id, the multi-line evidence) exactly as in the records.
#[test]
fn parquet_reads_back_with_the_csv_columns_typed() {
    use arrow_array::{Array, Float64Array, StringArray, UInt32Array};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let bytes = render(&report(4), Format::Parquet);
    let mut rd = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes))
        .unwrap()
        .build()
        .unwrap();
    let b = rd.next().unwrap().unwrap();
    assert!(rd.next().is_none());
    let csv = text(Format::Csv);
    let csv = csv::Reader::from_reader(csv.as_bytes())
        .headers()
        .unwrap()
        .clone();
    let names: Vec<&str> = b
        .schema_ref()
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    assert_eq!(names, csv.iter().collect::<Vec<_>>());
    assert_eq!(b.num_rows(), 4);
    let col = |name: &str| {
        b.column(names.iter().position(|n| *n == name).unwrap())
            .clone()
    };
    let rank = col("rank");
    let rank = rank.as_any().downcast_ref::<UInt32Array>().unwrap();
    assert_eq!(rank.values().to_vec(), [1, 2, 3, 4]);
    let ids = col("account");
    let ids = ids.as_any().downcast_ref::<StringArray>().unwrap();
    let ids: Vec<&str> = (0..4).map(|i| ids.value(i)).collect();
    assert_eq!(ids, [HOSTILE_ID, "ada", PIPE_ID, "carol"]);
    let score = col("score");
    let score = score.as_any().downcast_ref::<Float64Array>().unwrap();
    assert_eq!(score.value(0), 88.5);
    let raw = col("network_impact_raw");
    let raw = raw.as_any().downcast_ref::<Float64Array>().unwrap();
    assert_eq!(raw.value(0), 88.5 * 1e-6);
    let texts = col("evidence_text");
    let texts = texts.as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!(texts.value(0), format!("{HOSTILE_TEXT}\nplain"));
    let actions = col("actions");
    let actions = actions.as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!(actions.value(0), "share=30;reply=9");
}

/// The CLI writes a Parquet report only to a file.
#[test]
fn cli_parquet_needs_out_and_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture_store(dir.path());
    let o = report_cli(&[
        "--topic", "cooking", "--format", "parquet", "--store", &store,
    ]);
    assert!(
        !o.status.success() && stderr(&o).contains("--out"),
        "{}",
        stderr(&o)
    );
    let out = dir.path().join("r.parquet");
    let o = report_cli(&[
        "--topic",
        "cooking",
        "--format",
        "parquet",
        "--store",
        &store,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..4], b"PAR1");
}

/// Issue 13: a cell a spreadsheet would run as a formula is neutralised (OWASP: a leading `'`),
/// numbers stay numbers.
#[test]
fn csv_cells_never_start_a_formula() {
    let mut p = parts();
    p.posts[0].text = "=HYPERLINK(\"http://evil\",\"click\")".into();
    let out =
        String::from_utf8(render(&ReportData::assemble(p, 20).unwrap(), Format::Csv)).unwrap();
    let mut rd = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    let cell = &rows[0][col("evidence_text")];
    assert!(cell.starts_with("'=HYPERLINK("), "{cell}");
    for r in &rows {
        for c in r.iter() {
            assert!(!c.starts_with(['=', '+', '@', '\t', '\r']), "{c}");
            assert!(!c.starts_with('-') || c.parse::<f64>().is_ok(), "{c}");
        }
    }
}

/// Pipes not escaped by a backslash: the table's cell separators.
fn cell_separators(line: &str) -> usize {
    let b = line.as_bytes();
    (0..b.len())
        .filter(|&i| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\'))
        .count()
}

#[test]
fn markdown_table_and_why_lines_escape_the_data() {
    let md = text(Format::Md);
    assert!(md.starts_with("# Top influencers: Gardening\n"));
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| ")).collect();
    assert_eq!(rows.len(), 5, "{md}"); // header + 4 entries
    for r in &rows {
        assert_eq!(cell_separators(r), 10, "{r}");
    }
    assert!(rows[1].starts_with("| 1 | &lt;script&gt;alert('id')&lt;/script&gt; | 0.004000 | 88.5 | 87.5 (354 engaged accounts) |"), "{}", rows[1]);
    assert!(rows[3].starts_with("| 3 | bob\\|\"x\",y |"), "{}", rows[3]);
    assert!(!md.contains("<script") && !md.contains("<img"));
    assert!(md.contains("- posts acted on: 12 of 40\n"));
    assert!(md.contains(
        "- top influencers: ada (12 actions), carol (5 actions), bob\\|\"x\",y (3 actions)\n"
    ));
    assert!(md.contains("- evidence p1 (2023-11-14T21:13:20Z, 14 reactors): Roses &amp; &lt;img src=x onerror=alert(1)&gt; \"quoted\", \\| piped second line\n"), "{md}");
}

/// What the HTML of [`parts`] must hold: one bar per histogram bin, three sub-score bars per
/// entry, one topic-mix bar per topic of the entry (at most six), one sparkline (ada's).
fn expected_bars() -> usize {
    let p = parts();
    let board = p.board.unwrap();
    let topic_bars: usize = board
        .entries
        .iter()
        .map(|l| {
            p.accounts
                .iter()
                .find(|a| a.account.id == l.account)
                .unwrap()
                .topics
                .len()
                .min(6)
        })
        .sum();
    10 + 3 * board.entries.len() + topic_bars
}

#[test]
fn html_is_self_contained_escaped_and_complete() {
    let html = text(Format::Html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<u>"));
    assert!(html.contains("&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;"));
    assert!(html.contains("Roses &lt;u&gt;"));
    assert!(html.contains("Roses &amp; &lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot;"));
    for external in [" src=\"", "<link", "url(", "href=\"http", "@import"] {
        assert!(!html.contains(external), "{external}");
    }
    // The only URL is the SVG namespace.
    assert_eq!(
        html.matches("http").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert_eq!(html.matches("<tr class=\"entry-row\">").count(), 4);
    assert_eq!(html.matches("<rect class=\"bar\"").count(), expected_bars());
    assert_eq!(html.matches("<path class=\"spark\"").count(), 1);
    assert!(html.contains(
        "Score history, 3 runs: 60.0 (2023-11-12T22:13:20Z) → 71.0 (2023-11-14T22:13:20Z)"
    ));
    assert!(html.contains("as of 2023-11-14T22:13:20Z (90-day window)"));
    assert!(!html.contains("1700000123") && !html.contains("2023-11-14T22:15:23Z"));
}

/// The Chromium binary, or `None` (skip) outside CI; under `CI=true` a missing one fails.
fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    if let Some(p) = candidates.into_iter().flatten().find(|p| p.exists()) {
        return Some(p);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("chromium is missing under CI (apt-get install -y chromium; .ci/run does it)");
    }
    eprintln!("skipping: chromium not found (apt-get install -y chromium, or set CHROMIUM)");
    None
}

/// The DOM of `page` after headless Chromium loaded it, serialised.
fn dump_dom(chromium: &Path, page: &Path, profile: &Path) -> String {
    let o = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        o.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn html_renders_in_headless_chromium() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, render(&report(20), Format::Html)).unwrap();
    let dom = dump_dom(&chromium, &page, &dir.path().join("profile"));
    assert!(dom.contains("<table id=\"leaderboard\">"), "{dom}");
    assert_eq!(dom.matches("<tr class=\"entry-row\">").count(), 4, "{dom}");
    assert_eq!(dom.matches("<article class=\"entry\"").count(), 4);
    // The histogram, a sub-score chart per entry, a topic mix per entry with topics, and ada's
    // sparkline: every chart is an <svg> element of the parsed DOM.
    let svgs = 1
        + 4
        + parts()
            .accounts
            .iter()
            .filter(|a| a.account.id != "unranked" && !a.topics.is_empty())
            .count()
        + 1;
    assert_eq!(dom.matches("<svg ").count(), svgs, "{dom}");
    assert_eq!(dom.matches("<rect class=\"bar\"").count(), expected_bars());
    assert_eq!(dom.matches("<path class=\"spark\" d=\"M").count(), 1);
    // The hostile id and post text stayed text: no element was injected.
    assert!(!dom.contains("<script") && !dom.contains("<img"));
    assert!(dom.contains("&lt;script&gt;alert('id')&lt;/script&gt;"));
}

/// Runs at three consecutive days of the store's fixture, written to a store in `dir`.
const T0: i64 = 1_700_006_400; // 2023-11-15T00:00:00Z
const DAY: i64 = 86_400;

fn fixture_store(dir: &Path) -> String {
    let path = dir.join("runs.store");
    let store = Store::create(&path).unwrap();
    for k in 0..3 {
        store.write_run(&fixture::sample_run(T0 + k * DAY)).unwrap();
    }
    path.to_str().unwrap().to_string()
}

fn report_cli(args: &[&str]) -> std::process::Output {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    clout(&all, None)
}

#[test]
fn cli_json_matches_the_stored_fixture() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture_store(dir.path());
    let o = report_cli(&[
        "--topic",
        "GARDENING",
        "--format",
        "json",
        "--store",
        &store,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let latest = fixture::sample_run(T0 + 2 * DAY);
    let board = latest.leaderboard("gardening").unwrap();
    assert_eq!(v["run"]["as_of"], T0 + 2 * DAY);
    let entries = v["entries"].as_array().unwrap();
    let ids: Vec<&str> = entries
        .iter()
        .map(|e| e["account"]["id"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = board.entries.iter().map(|e| e.account.as_str()).collect();
    assert_eq!(ids, want);
    for (e, l) in entries.iter().zip(&board.entries) {
        assert_eq!(e["rank"], l.rank);
        assert_close(e["topic_influence"].as_f64(), l.value);
        assert_close(e["score"].as_f64(), l.score);
        let post = fixture::post_id(&l.account, "gardening");
        assert_eq!(e["evidence"][0]["id"].as_str(), Some(post.as_str()));
        // One point per run, oldest first, each the fixture's score that day.
        let hist: Vec<f64> = e["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["score"].as_f64().unwrap())
            .collect();
        let base = l.score - fixture::shift(T0 + 2 * DAY);
        let want: Vec<f64> = (0..3)
            .map(|k| base + fixture::shift(T0 + k * DAY))
            .collect();
        assert_eq!(hist, want, "{}", l.account);
    }
    let total: u64 = v["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, latest.accounts.len() as u64);
}

#[test]
fn cli_html_file_is_atomic_and_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture_store(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let page = out.join("gardening.html");
    let mut pages = Vec::new();
    for _ in 0..2 {
        let o = report_cli(&[
            "--topic",
            "gardening",
            "--store",
            &store,
            "--out",
            page.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(o.stdout.is_empty());
        pages.push(std::fs::read(&page).unwrap());
    }
    assert_eq!(pages[0], pages[1]);
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["gardening.html"]);
    let html = String::from_utf8(pages.swap_remove(0)).unwrap();
    assert_eq!(html.matches("<tr class=\"entry-row\">").count(), 3);
    assert_eq!(html.matches("<path class=\"spark\"").count(), 3);
    // The path's super-topic has no leaderboard: its name comes from the built-in taxonomy.
    assert!(html.contains("(Hobbies › Gardening)"));
    // An older run: one point of history each, so no sparkline.
    let o = report_cli(&[
        "--topic",
        "Gardening",
        "--store",
        &store,
        "--as-of",
        "2023-11-15",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let old = stdout(&o);
    assert!(old.contains("as of 2023-11-15T00:00:00Z"));
    assert_eq!(old.matches("<path class=\"spark\"").count(), 0);
}

#[test]
fn cli_md_csv_top_n_and_unknown_topic() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture_store(dir.path());
    let o = report_cli(&["--topic", "cooking", "--format", "md", "--store", &store]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("# Top influencers: Cooking\n"));
    let o = report_cli(&[
        "--topic", "cooking", "--format", "csv", "-n", "2", "--store", &store,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut rd = csv::Reader::from_reader(o.stdout.as_slice());
    let ids: Vec<String> = rd.records().map(|r| r.unwrap()[1].to_string()).collect();
    let run = fixture::sample_run(T0 + 2 * DAY);
    let board = run.leaderboard("cooking").unwrap();
    let want: Vec<&str> = board.entries[..2]
        .iter()
        .map(|e| e.account.as_str())
        .collect();
    assert_eq!(ids, want);
    let o = report_cli(&["--topic", "gardenin", "--store", &store]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("closest: Gardening (gardening)"),
        "{}",
        stderr(&o)
    );
    let o = report_cli(&["--topic", "gardening", "--format", "pdf", "--store", &store]);
    assert!(
        !o.status.success() && stderr(&o).contains("html, md, csv, json or parquet"),
        "{}",
        stderr(&o)
    );
}

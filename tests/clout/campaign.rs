//! Issue 17: campaigns (Klout Perks) — a topic leaderboard of a stored run filtered by network,
//! score range, reach and gaming flags, the same from the CLI and the API (JSON and page).

use clout::store::{fixture, Store};

use crate::common::{clout, stderr, stdout};

/// An as-of instant whose fixture scores are the base scores (shift 0).
fn as_of() -> i64 {
    let t = (1_700_000_000 / 86_400) * 86_400;
    (0..7)
        .map(|k| t + k * 86_400)
        .find(|&t| fixture::shift(t) == 0.0)
        .unwrap()
}

/// The fixture run, with `tw:cy` (gardening, score 50, 30 engaged) flagged as in a ring.
fn store(dir: &std::path::Path) -> std::path::PathBuf {
    let mut run = fixture::sample_run(as_of());
    let cy = run
        .accounts
        .iter_mut()
        .find(|a| a.account.id == "tw:cy")
        .unwrap();
    cy.ledger.flags = vec!["closed cluster of 3 accounts engaging one another".into()];
    let path = dir.join("c.store");
    Store::create(&path).unwrap().write_run(&run).unwrap();
    path
}

fn campaign(st: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "campaign",
        "--store",
        st.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let o = clout(&args, None);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

fn accounts(c: &serde_json::Value) -> Vec<String> {
    c["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["account"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn campaign_filters_a_leaderboard_with_reasons_in_cli_and_api() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(dir.path());
    // Gardening: tw:ada (80, reach 60), fb:ada (70, reach 50), tw:cy (50, reach 30, flagged).
    let all = campaign(&st, &["--topic", "Gardening"]);
    assert_eq!(accounts(&all), ["tw:ada", "fb:ada", "tw:cy"]);
    let c = campaign(&st, &["--topic", "gardening", "--min-score", "60"]);
    assert_eq!(accounts(&c), ["tw:ada", "fb:ada"]);
    assert_eq!(c["excluded"]["score"], 1);
    let why = c["targets"][1]["why"].as_array().unwrap();
    assert!(
        why[0]
            .as_str()
            .unwrap()
            .starts_with("#2 on Gardening (expertise 0.700, 1 topic posts"),
        "{why:?}"
    );
    assert!(
        why.iter().any(|w| w == "score 70.0 within 60–100"),
        "{why:?}"
    );
    let c = campaign(
        &st,
        &[
            "--topic",
            "gardening",
            "--network",
            "Twitter",
            "--exclude-suspicious",
        ],
    );
    assert_eq!(accounts(&c), ["tw:ada"]);
    assert_eq!(
        (
            c["excluded"]["network"].as_u64(),
            c["excluded"]["suspicious"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let c = campaign(
        &st,
        &[
            "--topic",
            "gardening",
            "--max-score",
            "75",
            "--min-reach",
            "40",
        ],
    );
    assert_eq!(accounts(&c), ["fb:ada"]);
    let c = campaign(&st, &["--topic", "gardening", "-n", "1"]);
    assert_eq!(accounts(&c), ["tw:ada"]);
    assert_eq!(c["excluded"]["beyond_limit"], 2);
    // Without the exclusion a flagged account stays, its flags shown.
    assert_eq!(
        all["targets"][2]["flags"][0],
        "closed cluster of 3 accounts engaging one another"
    );
    // CSV and Markdown carry the same rows.
    let s = st.to_str().unwrap();
    let o = clout(
        &[
            "campaign",
            "--store",
            s,
            "--topic",
            "gardening",
            "--format",
            "csv",
        ],
        None,
    );
    let csv = stdout(&o);
    let rows: Vec<&str> = csv.lines().collect();
    assert!(
        rows[0].starts_with("rank,board_rank,account,network"),
        "{csv}"
    );
    assert_eq!(rows.len(), 4);
    assert!(
        rows[3].contains("tw:cy") && rows[3].contains("closed cluster"),
        "{csv}"
    );
    let o = clout(
        &[
            "campaign",
            "--store",
            s,
            "--topic",
            "gardening",
            "--format",
            "md",
        ],
        None,
    );
    assert!(
        stdout(&o).contains("| 1 | tw:ada | twitter | 80.0 | 60 | 1 |"),
        "{}",
        stdout(&o)
    );
    // Bad ranges are refused.
    let o = clout(
        &[
            "campaign",
            "--store",
            s,
            "--topic",
            "gardening",
            "--min-score",
            "70",
            "--max-score",
            "50",
        ],
        None,
    );
    assert!(
        !o.status.success() && stderr(&o).contains("--min-score 70 is above --max-score 50"),
        "{}",
        stderr(&o)
    );
    // A network the run lacks is an error naming the run's networks; Klout codes are taken.
    let o = clout(
        &[
            "campaign",
            "--store",
            s,
            "--topic",
            "gardening",
            "--network",
            "myspace",
        ],
        None,
    );
    assert!(
        !o.status.success()
            && stderr(&o).contains("--network")
            && stderr(&o).contains("this run has: facebook, twitter"),
        "{}",
        stderr(&o)
    );
    let by_code = campaign(&st, &["--topic", "gardening", "--network", "TW"]);
    assert_eq!(
        by_code["targets"],
        campaign(&st, &["--topic", "gardening", "--network", "twitter"])["targets"]
    );
    assert_eq!(by_code["filters"]["network"], "twitter");
    // The API: the same list as JSON, and the page with its form.
    let (_serve, addr) = crate::api::cli::spawn(&st);
    let v = crate::api::get_json(
        addr,
        "/v2/topics/gardening/campaign?network=twitter&excludeSuspicious=true",
    );
    assert_eq!(
        v["targets"],
        campaign(
            &st,
            &[
                "--topic",
                "gardening",
                "--network",
                "twitter",
                "--exclude-suspicious"
            ]
        )["targets"]
    );
    let page = crate::api::get(
        addr,
        "/campaign?topic=gardening&minScore=60&network=&maxScore=",
    );
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("href=\"/account/tw%3Aada\"")
            || page.body.contains("href=\"/account/tw:ada\""),
        "{}",
        page.body
    );
    assert!(!page.body.contains("tw:cy</a>"), "filtered out");
    assert!(page.body.contains("name=\"minScore\""));
    for bad in [
        "minScore=abc",
        "excludeSuspicious=maybe",
        "maxScore=101",
        "minReach=-1",
        "limit=0",
    ] {
        let r = crate::api::get(addr, &format!("/v2/topics/gardening/campaign?{bad}"));
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
    }
    let r = crate::api::get(addr, "/v2/topics/gardening/campaign?maxScore=101");
    assert!(
        r.body.contains("maxScore"),
        "named as the API names it: {}",
        r.body
    );
    // An empty score range is a valid query that selects nobody (the OpenAPI document cannot
    // tie two parameters together); an unknown network is not found.
    let v = crate::api::get_json(
        addr,
        "/v2/topics/gardening/campaign?minScore=70&maxScore=50",
    );
    assert_eq!(v["targets"].as_array().unwrap().len(), 0);
    assert_eq!(v["excluded"]["score"], v["considered"]);
    let r = crate::api::get(addr, "/v2/topics/gardening/campaign?network=myspace");
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(
        r.body.contains("this run has: facebook, twitter"),
        "{}",
        r.body
    );
    assert_eq!(
        crate::api::get(addr, "/v2/topics/knitting/campaign").status,
        404
    );
}

/// A stored run records each account's gaming flags: here a 5-account ring engaging only
/// itself beside a larger organic core is a closed cluster; the core is unflagged.
#[test]
fn a_run_stores_gaming_flags_in_the_ledger() {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let t0: i64 = 1_709_251_200;
    let mut inter = String::new();
    let mut t = t0 - 20 * 86_400;
    let mut line = |a: String, b: String| {
        t += 3_607;
        writeln!(inter, "{a} {b} share {t} p{t} twitter").unwrap();
    };
    for i in 0..20 {
        for k in [1, 2] {
            line(format!("c{i}"), format!("c{}", (i + k) % 20));
        }
    }
    for i in 0..5 {
        for _ in 0..3 {
            line(format!("r{i}"), format!("r{}", (i + 1) % 5));
        }
    }
    for f in 0..10 {
        line(format!("f{f}"), "c0".into());
    }
    std::fs::write(data.join("interactions.txt"), inter).unwrap();
    let st = dir.path().join("f.store");
    let o = clout(
        &[
            "run",
            data.to_str().unwrap(),
            "--store",
            st.to_str().unwrap(),
            "--keywords",
            "-q",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let store = Store::open(&st).unwrap();
    let m = store.latest().unwrap().unwrap();
    let flags = |id: &str| store.account(m.as_of, id).unwrap().unwrap().ledger.flags;
    assert_eq!(
        flags("r0"),
        ["closed cluster of 5 accounts engaging one another"]
    );
    assert!(flags("c0").is_empty(), "{:?}", flags("c0"));
}

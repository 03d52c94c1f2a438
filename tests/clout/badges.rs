//! Issue 17: achievements (badges with levels) from the ledger and the history, the same from
//! the CLI, the API, the account page and the reports; levels checked by hand on the store
//! fixture (`clout::store::fixture`: `tw:ada` reaches 60 accounts, receives 120 shares, is
//! engaged on twitter and, as person `ada`, on facebook; gardening is its best topic).

use clout::store::{fixture, Store};

use crate::common::{clout, stderr, stdout};

const DAY: i64 = 86_400;
const T0: i64 = 1_700_006_400;

/// Five weekly runs (T0, T0 + 7 d, …, T0 + 28 d); in the last, `tw:cy` gained 12 points over a
/// week and received 7 replies and 5 mentions.
fn store(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("b.store");
    let st = Store::create(&path).unwrap();
    for k in 0..5 {
        let mut run = fixture::sample_run(T0 + 7 * k * DAY);
        if k == 4 {
            let cy = run
                .accounts
                .iter_mut()
                .find(|a| a.account.id == "tw:cy")
                .unwrap();
            cy.delta.week = Some(12.0);
            cy.ledger
                .actions_by_kind
                .extend([("reply".into(), 7), ("mention".into(), 5)]);
        }
        st.write_run(&run).unwrap();
    }
    path
}

fn badges(st: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["badges", "--store", st.to_str().unwrap(), "--json"];
    args.extend_from_slice(extra);
    let o = clout(&args, None);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

/// `(id, level, value)` of each earned badge.
fn levels(v: &serde_json::Value) -> Vec<(String, u64, f64)> {
    v["badges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["id"].as_str().unwrap().to_string(),
                b["level"].as_u64().unwrap(),
                b["value"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn l(id: &str, level: u64, value: f64) -> (String, u64, f64) {
    (id.to_string(), level, value)
}

#[test]
fn badges_by_hand_from_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(dir.path());
    // tw:ada: 60 engaged (Heard 1: ≥ 10), 120 shares (Amplified 2: ≥ 100), engaged on 2
    // networks (Everywhere 1), gardening among its best topics in 5 weekly runs (Expert 2:
    // ≥ 4 weeks), a week change of −1.25 (no Rising), no replies nor mentions.
    let ada = badges(&st, &["TW:ADA"]);
    assert_eq!(ada["account"], "tw:ada");
    assert_eq!(ada["as_of"], T0 + 28 * DAY);
    assert_eq!(
        levels(&ada),
        [
            l("heard", 1, 60.0),
            l("amplified", 2, 120.0),
            l("networks", 1, 2.0),
            l("expert", 2, 5.0)
        ]
    );
    let expert = &ada["badges"][3];
    assert_eq!(expert["topic"], "gardening");
    assert_eq!(expert["next"], 8.0);
    assert_eq!(
        ada["badges"][1]["why"],
        "120 shares received: level 2 of 4 (from 100; next level at 1,000)"
    );
    // A week earlier, two weekly runs: Expert level 1.
    let earlier = badges(&st, &["tw:ada", "--as-of", &(T0 + 7 * DAY).to_string()]);
    assert!(levels(&earlier).contains(&l("expert", 1, 2.0)));
    // tw:cy in the last run: 12 replies and mentions, +12 over a week; one network.
    let cy = badges(&st, &["tw:cy"]);
    assert_eq!(
        levels(&cy),
        [
            l("heard", 1, 30.0),
            l("amplified", 1, 60.0),
            l("conversation", 1, 12.0),
            l("expert", 2, 5.0),
            l("rising", 2, 12.0)
        ]
    );
    // Text: one line per badge, then what is not earned yet.
    let o = clout(&["badges", "tw:cy", "--store", st.to_str().unwrap()], None);
    let text = stdout(&o);
    assert!(
        text.contains("Rising") && text.contains("level 2/3"),
        "{text}"
    );
    assert!(text.contains("Not yet: Everywhere"), "{text}");
    // An unknown account is an error naming it.
    let o = clout(
        &["badges", "tw:nobody", "--store", st.to_str().unwrap()],
        None,
    );
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("no account \"tw:nobody\""),
        "{}",
        stderr(&o)
    );
}

#[test]
fn badges_in_the_api_the_page_and_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let st = store(dir.path());
    let cli = badges(&st, &["tw:ada"]);
    let (_serve, addr) = crate::api::cli::spawn(&st);
    assert_eq!(
        crate::api::get_json(addr, "/v2/user.json/tw%3Aada/badges"),
        cli
    );
    assert_eq!(
        crate::api::get(addr, "/v2/user.json/tw%3Anobody/badges").status,
        404
    );
    let page = crate::api::get(addr, "/account/tw%3Aada");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h2>Badges</h2>"), "{}", page.body);
    assert!(
        page.body.contains("<strong>Expert</strong> level 2 of 3"),
        "{}",
        page.body
    );
    let s = st.to_str().unwrap();
    let o = clout(
        &[
            "report",
            "--topic",
            "gardening",
            "--format",
            "json",
            "--store",
            s,
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let r: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["entries"][0]["account"]["id"], "tw:ada");
    assert_eq!(r["entries"][0]["badges"], cli["badges"]);
    let o = clout(
        &[
            "report",
            "--topic",
            "gardening",
            "--format",
            "md",
            "--store",
            s,
        ],
        None,
    );
    assert!(
        stdout(&o).contains("- badges: Heard 1/4 (60 distinct accounts engaged with it"),
        "{}",
        stdout(&o)
    );
}

//! Issue 17: account ids are matched the same way by the CLI (`explain`, `history`), the API
//! and the store — the id as written first, else the only id equal to it ignoring case; ids
//! that differ only in case are ambiguous, and the answer names them.

use std::fmt::Write as _;

use crate::common::{clout, stderr, stdout};

const T: i64 = 1_709_251_200; // 2024-03-01T00:00:00Z

/// `Ada` and `ADA` differ only in case; `Bob` is alone.
fn dataset(dir: &std::path::Path) {
    let mut inter = String::new();
    for (e, target) in ["Ada", "ADA", "Bob", "Bob"].iter().enumerate() {
        for f in 0..3 {
            let t = T - 3_600 * (e + f) as i64;
            writeln!(inter, "fan{e}{f} {target} share {t} p{e}{f} twitter").unwrap();
        }
    }
    std::fs::write(dir.join("interactions.txt"), inter).unwrap();
}

#[test]
fn ids_are_matched_exactly_then_case_insensitively_when_unambiguous_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    dataset(&data);
    let i = data.join("interactions.txt");
    let i = i.to_str().unwrap();
    // explain
    let explain = |name: &str| clout(&["explain", name, "--interactions", i, "--json"], None);
    let id_of = |o: &std::process::Output| -> String {
        assert!(o.status.success(), "{}", stderr(o));
        let v: serde_json::Value = serde_json::from_str(&stdout(o)).unwrap();
        v["id"].as_str().unwrap().to_owned()
    };
    assert_eq!(id_of(&explain("ADA")), "ADA");
    assert_eq!(id_of(&explain("bob")), "Bob");
    let o = explain("ada");
    assert!(!o.status.success());
    assert!(stderr(&o).contains("ADA, Ada"), "{}", stderr(&o));
    assert!(stderr(&explain("nobody")).contains("no account \"nobody\""));
    // history, from a stored run
    let st = dir.path().join("runs.store");
    let s = st.to_str().unwrap();
    let o = clout(
        &[
            "run",
            data.to_str().unwrap(),
            "--store",
            s,
            "--quiet",
            "--keywords",
        ],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let history = |name: &str| clout(&["history", name, "--store", s, "--json"], None);
    assert_eq!(id_of(&history("BOB")), "Bob");
    assert_eq!(id_of(&history("Ada")), "Ada");
    let o = history("ada");
    assert!(
        !o.status.success() && stderr(&o).contains("ADA, Ada"),
        "{}",
        stderr(&o)
    );
    // the API serving that run
    let (_serve, addr) = crate::api::cli::spawn(&st);
    let score = |name: &str| crate::api::get(addr, &format!("/v2/user.json/{name}/score"));
    for (name, id) in [("BOB", "Bob"), ("Ada", "Ada"), ("ADA", "ADA")] {
        let r = score(name);
        assert_eq!(r.status, 200, "{name}: {}", r.body);
        let user = crate::api::get_json(addr, &format!("/v2/user.json/{name}"));
        assert_eq!(user["id"], id, "{user}");
    }
    let r = score("ada");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("ADA, Ada"), "{}", r.body);
    // handles follow the same rule
    let who = |h: &str| crate::api::get(addr, &format!("/v2/identity.json/tw/{h}"));
    assert_eq!(who("BOB").status, 200);
    assert_eq!(who("ADA").status, 200);
    let r = who("ada");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("differ only in case"), "{}", r.body);
}

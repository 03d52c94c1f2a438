//! Helpers shared by the integration tests: the shared data directory, running the binary.

use std::path::PathBuf;
use std::process::Output;

/// The shared datasets (`$CLOUT_DATA_DIR`, default `../shared/data`). Under CI (`CI=true`) a
/// missing directory fails the test; elsewhere the test is skipped with a message.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let base = std::env::var_os("CLOUT_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    let path = base.join(rel);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("shared data {} is missing under CI", path.display());
    }
    eprintln!(
        "skipping: shared data {} not found (set CLOUT_DATA_DIR)",
        path.display()
    );
    None
}

/// A file under the repository root.
pub fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Runs `clout` with `args`, with its graph cache in `cache` (or a shared temporary one).
pub fn clout(args: &[&str], cache: Option<&std::path::Path>) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_clout"));
    cmd.args(args).env_remove("CLOUT_CACHE_DIR");
    let shared = std::env::temp_dir().join("clout-test-cache");
    cmd.env("CLOUT_CACHE_DIR", cache.unwrap_or(&shared));
    cmd.output().expect("clout runs")
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `(topic, precision@20)` of the stored run's leaderboards against the planted experts of
/// `truth` (a generated dataset's `truth.json`), for every topic with at least 20 of them;
/// `account` maps a truth id to the id the leaderboard shows.
pub fn precision_at_20(
    store: &str,
    truth: &serde_json::Value,
    account: impl Fn(&str) -> String,
) -> Vec<(String, f64)> {
    let mut checked = Vec::new();
    for (slug, ids) in truth["experts"].as_object().unwrap() {
        let ids: std::collections::HashSet<String> = ids
            .as_array()
            .unwrap()
            .iter()
            .map(|x| account(x.as_str().unwrap()))
            .collect();
        if ids.len() < 20 {
            continue;
        }
        let o = clout(
            &[
                "top", "--store", store, "--topic", slug, "-n", "20", "--json",
            ],
            None,
        );
        assert!(o.status.success(), "{slug}: {}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let rows = v["entries"].as_array().unwrap();
        let hits = rows
            .iter()
            .filter(|r| ids.contains(r["account"].as_str().unwrap()))
            .count();
        checked.push((slug.clone(), hits as f64 / 20.0));
    }
    checked
}

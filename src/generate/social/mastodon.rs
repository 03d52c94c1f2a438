//! The generated dataset in Mastodon's shape: one file of API `Status` entities
//! (`statuses.jsonl`), time-ordered. Posts are statuses (HTML content) carrying the accounts
//! that favourited them as `favourited_by` (as a collector joins
//! `GET /api/v1/statuses/:id/favourited_by` in); shares are boosts, replies and comments
//! replies, mentions statuses mentioning the target. Follows go to `following.jsonl`, one
//! line per account with the accounts it follows, as a collector stores
//! `GET /api/v1/accounts/:id/following` with its account (read by
//! `ingest::platform::mastodon_follows`). The generator's truth keeps clout's ids; [`acct`]
//! maps them.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Value};

use super::shape::{remove_own_files, write_platform_file, Demo, DemoPost};
use crate::error::Result;
use crate::ingest::time::format_time;

/// The Mastodon `acct` of a generated account id (`tw:ines_nguyen0` → `tw_ines_nguyen0`).
pub fn acct(id: &str) -> String {
    id.replace(':', "_")
}

fn account(id: &str) -> Value {
    json!({"id": acct(id), "acct": acct(id), "username": acct(id)})
}

fn status(p: &DemoPost, favourited_by: &[&str]) -> Value {
    json!({"id": p.id, "created_at": format_time(p.time), "account": account(&p.author),
        "content": format!("<p>{}</p>", html_escape(&p.text)), "language": p.lang,
        "favourited_by": favourited_by.iter().map(|a| account(a)).collect::<Vec<_>>()})
}

/// Rewrites the clout files in `dir` as `statuses.jsonl`; returns the number of statuses.
pub fn rewrite_as_statuses(dir: &Path) -> Result<usize> {
    let demo = Demo::read(dir)?;
    let (likers, by_id) = (demo.likers(), demo.by_id());
    let mut lines = Vec::new();
    for p in &demo.posts {
        let likes = likers.get(p.id.as_str()).map_or(&[][..], Vec::as_slice);
        lines.push((p.time, status(p, likes).to_string()));
    }
    for (k, a) in demo.acts.iter().enumerate() {
        let id = format!("e{}", k + 1);
        let base =
            json!({"id": id, "created_at": format_time(a.time), "account": account(&a.actor)});
        let mut s = base.as_object().cloned().unwrap_or_default();
        match a.kind.as_str() {
            "like" => continue,
            "share" => {
                let Some(original) = by_id.get(a.post.as_str()) else {
                    continue;
                };
                s.insert("content".into(), "".into());
                s.insert("reblog".into(), status(original, &[]));
            }
            "mention" => {
                let m = acct(&a.target);
                s.insert("content".into(), format!("<p>@{m} 👋</p>").into());
                s.insert("mentions".into(), json!([{"id": m, "acct": m}]));
            }
            _ => {
                s.insert("content".into(), "<p>Good point!</p>".into());
                s.insert("in_reply_to_id".into(), a.post.clone().into());
                s.insert("in_reply_to_account_id".into(), acct(&a.target).into());
            }
        }
        lines.push((a.time, Value::Object(s).to_string()));
    }
    let n = write_platform_file(dir, "statuses.jsonl", lines)?;
    write_platform_file(dir, "following.jsonl", following_lists(&demo.follows))?;
    remove_own_files(dir)?;
    Ok(n)
}

/// One `{"account", "following"}` line per account that follows someone, by account id.
fn following_lists(follows: &[(String, String)]) -> Vec<(i64, String)> {
    let mut lists: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for (a, b) in follows {
        lists.entry(a).or_default().push(account(b));
    }
    lists
        .into_iter()
        .map(|(a, following)| {
            (
                0,
                json!({"account": account(a), "following": following}).to_string(),
            )
        })
        .collect()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

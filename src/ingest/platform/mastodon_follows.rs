//! Mastodon follower and following lists: what `GET /api/v1/accounts/:id/followers` and
//! `…/following` return (arrays of Account entities) says nothing of whose list it is, so a
//! collector writes each with its account, one JSON object per line:
//! `{"account": {Account}, "followers": [Account, …]}` and/or `"following": [Account, …]`.
//! Each follower follows the account, the account follows each account it is following; a
//! list collected again for the same account replaces the earlier one. Accounts are named as
//! the statuses reader ([`super::mastodon`]) names them (the instance's account `id`, shown
//! by `acct`), so these follows join the accounts of statuses from the same instance.

use serde_json::Value;

use super::canonical::{record_key, Event, Made};
use super::mastodon::{Bad, NETWORK};
use crate::ingest::skips::SkipKind;

/// The lists a record may hold: the account's followers, and the accounts it follows.
const LISTS: [&str; 2] = ["followers", "following"];

/// Whether `v` is an account with its follower or following list.
pub fn is_follow_list(v: &Value) -> bool {
    v.get("account").is_some_and(Value::is_object)
        && LISTS.iter().any(|l| v.get(*l).is_some_and(Value::is_array))
        && v.get("content").is_none()
}

fn missing(field: &str) -> Bad {
    (
        SkipKind::TooFewFields,
        format!("Mastodon field `{field}` is missing"),
    )
}

/// An account's id (named by its `acct` when it has one); `field` names it in messages.
fn account_id<'v>(a: &'v Value, field: &str, events: &mut Vec<Event>) -> Result<&'v str, Bad> {
    let id = a["id"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| missing(&format!("{field}.id")))?;
    if let Some(acct) = a["acct"].as_str().filter(|s| !s.is_empty()) {
        events.push(Event::Handle {
            did: id.to_string(),
            handle: acct.to_string(),
        });
    }
    Ok(id)
}

/// One account's follower and/or following list as follows; `at` prefixes field names in
/// messages. Keyed by the account and the list, so a list read again replaces the first.
pub fn follow_list(v: &Value, at: &str) -> Result<Event, Bad> {
    let mut events = Vec::new();
    let owner = account_id(&v["account"], &format!("{at}account"), &mut events)?;
    for list in LISTS {
        let Some(accounts) = v[list].as_array() else {
            continue;
        };
        let mut made = Made::default();
        for (i, a) in accounts.iter().enumerate() {
            let other = account_id(a, &format!("{at}{list}[{i}]"), &mut events)?;
            if other == owner {
                continue;
            }
            let edge = match list {
                "followers" => (other, owner),
                _ => (owner, other),
            };
            made.follows.push((edge.0.to_string(), edge.1.to_string()));
        }
        events.push(Event::Create {
            key: record_key(&[NETWORK, list, owner]),
            made,
        });
    }
    Ok(Event::Batch(events))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn follows(line: &str) -> Result<Vec<(String, String)>, Bad> {
        let Event::Batch(events) = follow_list(&serde_json::from_str(line).unwrap(), "")? else {
            panic!("not a batch");
        };
        Ok(events
            .into_iter()
            .filter_map(|e| match e {
                Event::Create { made, .. } => Some(made.follows),
                _ => None,
            })
            .flatten()
            .collect())
    }

    #[test]
    fn followers_follow_the_account_which_follows_its_following() {
        let line = r#"{"account":{"id":"1","acct":"ana"},"followers":[{"id":"2","acct":"bo"},{"id":"1","acct":"ana"}],"following":[{"id":"3","acct":"cy@x.y"}]}"#;
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(follows(line).unwrap(), [pair("2", "1"), pair("1", "3")]);
        assert!(is_follow_list(&serde_json::from_str(line).unwrap()));
        let bad = r#"{"account":{"id":"1"},"following":[{"acct":"bo"}]}"#;
        let err = follows(bad).unwrap_err().1;
        assert!(err.contains("`following[0].id`"), "{err}");
    }
}

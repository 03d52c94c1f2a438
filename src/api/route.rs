//! The routing table: a request's method and target, checked into a [`Route`] with decoded,
//! validated parameters. Knows nothing about the data.

use super::error::ApiError;
use super::params::{account_id, campaign, name, Limit, Query, MAX_TARGET};
use crate::report::campaign::CampaignParams;

/// What a request asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// `/`: the HTML leaderboard of `topic` (default: the first topic).
    Home { topic: Option<String>, limit: Limit },
    /// `/account/{id}`: the HTML explanation of an account.
    AccountPage(String),
    /// `/openapi.json`.
    OpenApi,
    /// `/v2/identity.json/{network}/{handle}`.
    Identity { network: String, handle: String },
    /// `/v2/user.json/{id}`.
    User(String),
    /// `/v2/user.json/{id}/score`.
    Score(String),
    /// `/v2/user.json/{id}/topics`.
    UserTopics(String),
    /// `/v2/user.json/{id}/influence`.
    Influence(String),
    /// `/v2/user.json/{id}/explain`.
    Explain(String),
    /// `/v2/user.json/{id}/badges`.
    Badges(String),
    /// `/v2/topics`.
    Topics,
    /// `/v2/topics/{slug}/leaders?limit=N`.
    Leaders { topic: String, limit: Limit },
    /// `/v2/topics/{slug}/campaign?…` (JSON) or `/campaign?topic=…&…` (`page`: the HTML form
    /// and list; without a topic, the first one).
    Campaign {
        topic: Option<String>,
        filters: CampaignParams,
        page: bool,
    },
}

/// Routes `method target` (target = path with an optional `?query`).
pub fn route(method: &str, target: &str) -> Result<Route, ApiError> {
    if method != "GET" && method != "HEAD" {
        return Err(ApiError::method_not_allowed(method));
    }
    if target.len() > MAX_TARGET {
        return Err(ApiError::uri_too_long(target.len(), MAX_TARGET));
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let query = Query::parse(query)?;
    let segs: Vec<&str> = path.split('/').skip(1).collect();
    let id = account_id;
    let r = match segs.as_slice() {
        [""] => Route::Home {
            // The page's "All topics" option submits an empty topic.
            topic: query
                .get("topic")
                .filter(|t| !t.is_empty())
                .map(|t| name(t, "topic"))
                .transpose()?,
            limit: Limit::parse(query.get("limit"))?,
        },
        ["account", a] => Route::AccountPage(id(a)?),
        ["openapi.json"] => Route::OpenApi,
        ["v2", "identity.json", n, h] => Route::Identity {
            network: name(n, "network")?,
            handle: name(h, "handle")?,
        },
        ["v2", "user.json", a] => Route::User(id(a)?),
        ["v2", "user.json", a, "score"] => Route::Score(id(a)?),
        ["v2", "user.json", a, "topics"] => Route::UserTopics(id(a)?),
        ["v2", "user.json", a, "influence"] => Route::Influence(id(a)?),
        ["v2", "user.json", a, "explain"] => Route::Explain(id(a)?),
        ["v2", "user.json", a, "badges"] => Route::Badges(id(a)?),
        ["v2", "topics"] => Route::Topics,
        ["campaign"] => Route::Campaign {
            topic: query
                .get("topic")
                .filter(|t| !t.is_empty())
                .map(|t| name(t, "topic"))
                .transpose()?,
            filters: campaign(&query)?,
            page: true,
        },
        ["v2", "topics", t, "campaign"] => Route::Campaign {
            topic: Some(name(t, "topic")?),
            filters: campaign(&query)?,
            page: false,
        },
        ["v2", "topics", t, "leaders"] => Route::Leaders {
            topic: name(t, "topic")?,
            limit: Limit::parse(query.get("limit"))?,
        },
        _ => {
            return Err(ApiError::not_found(format!(
                "no such endpoint {:?} (see /openapi.json)",
                super::params::shorten(path)
            )))
        }
    };
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_every_endpoint() {
        let ok = |t: &str| route("GET", t).unwrap();
        assert_eq!(
            ok("/v2/user.json/tw%3Aada/score"),
            Route::Score("tw:ada".into())
        );
        assert_eq!(
            ok("/v2/identity.json/tw/Ada"),
            Route::Identity {
                network: "tw".into(),
                handle: "Ada".into()
            }
        );
        assert_eq!(
            ok("/v2/topics/gardening/leaders?limit=5&key=k"),
            Route::Leaders {
                topic: "gardening".into(),
                limit: Limit::parse(Some("5")).unwrap()
            }
        );
        assert_eq!(ok("/openapi.json"), Route::OpenApi);
        assert_eq!(ok("/v2/topics"), Route::Topics);
        assert!(matches!(ok("/?topic=nba"), Route::Home { topic: Some(t), .. } if t == "nba"));
        assert_eq!(ok("/account/a%2Fb"), Route::AccountPage("a/b".into()));
        // Issue 13: "All topics" submits `?topic=`; ids the inputs accept (spaces, control
        // characters) are reachable percent-encoded.
        assert!(matches!(ok("/?topic="), Route::Home { topic: None, .. }));
        assert_eq!(
            ok("/account/a%20b%1B"),
            Route::AccountPage("a b\u{1b}".into())
        );
        assert_eq!(ok("/v2/user.json/x%09y/score"), Route::Score("x\ty".into()));
        assert_eq!(
            route("HEAD", "/v2/user.json/a").unwrap(),
            Route::User("a".into())
        );
    }

    #[test]
    fn refuses_with_the_right_status() {
        let status = |m: &str, t: &str| route(m, t).unwrap_err().status;
        assert_eq!(status("POST", "/v2/user.json/a/score"), 405);
        assert_eq!(status("DELETE", "/"), 405);
        assert_eq!(status("GET", "/v2/user.json/a/nope"), 404);
        assert_eq!(status("GET", "/v2/user.json//score"), 400);
        assert_eq!(status("GET", "/v2/topics/x/leaders?limit=0"), 400);
        assert_eq!(status("GET", "/v2/topics/x/leaders?limit=abc"), 400);
        assert_eq!(status("GET", &format!("/{}", "a".repeat(MAX_TARGET))), 414);
        assert_eq!(status("GET", "/v2/user.json/%ff/score"), 400);
    }
}

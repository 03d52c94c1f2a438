//! From a routed request to a reply: lookups in the [`Snapshot`], the JSON or HTML body, and
//! the 4xx answers for what is not there. Pure functions; the HTTP plumbing is in `server`.

use bytes::Bytes;

use super::error::ApiError;
use super::route::{route, Route};
use super::snapshot::Snapshot;
use super::{html, json};
use crate::ingest::lookup::{match_network, networks_hint, IdMatch};
use crate::report::campaign::{select, Campaign, CampaignParams, Names};
use crate::store::AccountRecord;

/// The OpenAPI 3 document served at `/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// What to send back.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub kind: Kind,
    pub body: Bytes,
}

/// The body's media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Json,
    Html,
}

impl Kind {
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Json => "application/json",
            Kind::Html => "text/html; charset=utf-8",
        }
    }
}

impl Reply {
    fn json(body: impl Into<Bytes>) -> Reply {
        Reply {
            status: 200,
            kind: Kind::Json,
            body: body.into(),
        }
    }

    fn html(body: String) -> Reply {
        Reply {
            status: 200,
            kind: Kind::Html,
            body: body.into(),
        }
    }

    fn error(e: &ApiError) -> Reply {
        Reply {
            status: e.status,
            kind: Kind::Json,
            body: e.to_json().into(),
        }
    }
}

/// Answers `method target` from `snap`.
pub fn respond(snap: &Snapshot, method: &str, target: &str) -> Reply {
    match route(method, target).and_then(|r| answer(snap, r)) {
        Ok(reply) => reply,
        Err(e) => Reply::error(&e),
    }
}

fn answer(snap: &Snapshot, r: Route) -> Result<Reply, ApiError> {
    Ok(match r {
        Route::Score(id) => {
            let body = snap.score_body(&id);
            Reply::json(found(body, &id, "account", " in this run")?)
        }
        Route::User(id) => Reply::json(json::user_body(account(snap, &id)?)),
        Route::UserTopics(id) => Reply::json(json::topics_body(snap, account(snap, &id)?)),
        Route::Influence(id) => Reply::json(json::influence_body(snap, account(snap, &id)?)),
        Route::Explain(id) => Reply::json(json::explain_body(snap, account(snap, &id)?)),
        Route::Badges(id) => Reply::json(json::badges_body(snap, account(snap, &id)?)),
        Route::Identity { network, handle } => {
            let net = network_name(snap, &network)?;
            let on = format!(" on network {net}");
            let rec = found(snap.by_handle(net, &handle), &handle, "handle", &on)?;
            Reply::json(json::identity_body(rec))
        }
        Route::Topics => Reply::json(json::topic_list_body(snap)),
        Route::Leaders { topic, limit } => {
            Reply::json(json::leaders_body(snap, board(snap, &topic)?, limit.get()))
        }
        Route::OpenApi => Reply::json(Bytes::from_static(OPENAPI.as_bytes())),
        Route::Home { topic, limit } => {
            let b = match topic.as_deref() {
                None | Some("") => None,
                Some(t) => Some(board(snap, t)?),
            };
            Reply::html(html::home(snap, b, limit.get()))
        }
        Route::Campaign {
            topic,
            filters,
            page,
        } => {
            let c = campaign(snap, topic.as_deref(), filters)?;
            if page {
                Reply::html(html::campaign(snap, &c))
            } else {
                Reply::json(Bytes::from(serde_json::to_vec(&c).unwrap_or_default()))
            }
        }
        Route::AccountPage(id) => Reply::html(html::account(snap, account(snap, &id)?)),
    })
}

/// The campaign over `topic` (default: the first leaderboard) with `filters`.
fn campaign(
    snap: &Snapshot,
    topic: Option<&str>,
    filters: CampaignParams,
) -> Result<Campaign, ApiError> {
    let f = filters
        .check(&Names::API)
        .map_err(|e| ApiError::bad_request(e.to_string()))?
        .on_networks(snap.networks())
        .map_err(|e| ApiError::not_found(e.to_string()))?;
    let b = match topic {
        Some(t) => board(snap, t)?,
        None => snap
            .leaderboards()
            .first()
            .ok_or_else(|| ApiError::not_found("this run has no topic leaderboards"))?,
    };
    let meta = snap
        .meta()
        .ok_or_else(|| ApiError::not_found("the store holds no run"))?;
    select(meta, b, |id| snap.account(id), &f).map_err(|e| ApiError::not_found(e.to_string()))
}

fn account<'a>(snap: &'a Snapshot, id: &str) -> Result<&'a AccountRecord, ApiError> {
    found(snap.resolve(id), id, "account", " in this run")
}

/// The one match of `name`, else a 404 saying there is none or naming the ids that differ
/// only in case (`what`: account or handle; `place`: where it was looked for).
fn found<T>(m: IdMatch<T>, name: &str, what: &str, place: &str) -> Result<T, ApiError> {
    let short = super::params::shorten(name);
    match m.failure(&short, what) {
        Some(why) => Err(ApiError::not_found(format!("{why}{place}"))),
        None => Ok(m.found().expect("a match")),
    }
}

fn board<'a>(snap: &'a Snapshot, slug: &str) -> Result<&'a crate::store::Leaderboard, ApiError> {
    snap.leaderboard(slug).ok_or_else(|| {
        let hint = if snap.leaderboards().is_empty() {
            " (this run has no topic leaderboards)".to_owned()
        } else {
            let near: Vec<String> = snap
                .closest_topics(slug, 3)
                .into_iter()
                .map(str::to_owned)
                .collect();
            crate::topics::suggestion(&near)
        };
        ApiError::not_found(format!(
            "unknown topic {:?}{hint}",
            super::params::shorten(slug)
        ))
    })
}

/// The run's name for `raw`: a network of the run (case-insensitive) or a Klout code (`tw`).
fn network_name<'a>(snap: &'a Snapshot, raw: &str) -> Result<&'a str, ApiError> {
    match_network(raw, snap.networks()).ok_or_else(|| {
        ApiError::not_found(format!(
            "unknown network {:?}; {}",
            super::params::shorten(raw),
            networks_hint(snap.networks())
        ))
    })
}

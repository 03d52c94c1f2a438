//! `clout serve`: a read-only HTTP API shaped like Klout's API v2, plus two HTML pages, over a
//! [`Snapshot`] of the latest run held in memory.
//!
//! Layers, each in its own file: [`route`] (method + target → checked [`Route`]), [`handlers`]
//! (route → JSON or HTML [`Reply`] from the snapshot; pure), [`json`] and [`html`] (bodies),
//! [`server`] (hyper/tokio plumbing and limits). The endpoints are documented in
//! `openapi.json`, served at `/openapi.json`.
//!
//! ```
//! use std::sync::Arc;
//! use clout::api::{respond, Snapshot};
//!
//! let snap = Snapshot::from_run(clout::store::RunData::default());
//! let reply = respond(&snap, "GET", "/v2/user.json/nobody/score");
//! assert_eq!(reply.status, 404);
//! let reply = respond(&snap, "POST", "/v2/user.json/nobody/score");
//! assert_eq!(reply.status, 405);
//! ```

mod error;
pub mod handlers;
pub mod html;
pub mod json;
mod load;
pub mod params;
pub mod route;
pub mod server;
mod snapshot;

pub use error::ApiError;
pub use handlers::{respond, Kind, Reply, OPENAPI};
pub use route::Route;
pub use server::{start, ServeConfig, Server};
pub use snapshot::{Snapshot, TopicLabel};

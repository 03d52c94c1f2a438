//! The embedded store of runs: what `clout run` computed (scores, topics, leaderboards, history),
//! persisted so that `serve`, `report`, `history` and `top --store` answer without recomputing.
//! [`model`] holds the record types, [`db`] the storage engine ([`Store`], one SQLite file),
//! [`fixture`] a small complete run for readers' tests, [`build`] the records from a scoring run.
//!
//! ```
//! use clout::store::{fixture, Store};
//!
//! let dir = tempfile::tempdir().expect("a temporary directory");
//! let path = dir.path().join("clout.store");
//! let store = Store::create(&path)?;
//! store.write_run(&fixture::sample_run(1_700_000_000))?;
//! let store = Store::open(&path)?;
//! let latest = store.latest()?.expect("one run");
//! let best = &store.accounts(latest.as_of)?[0];
//! assert_eq!(best.account.id, "tw:ada");
//! let board = store.leaderboard(latest.as_of, "gardening")?.expect("a leaderboard");
//! assert_eq!(board.entries[0].account, "tw:ada");
//! # Ok::<(), clout::Error>(())
//! ```

pub mod build;
pub mod db;
pub mod fixture;
pub mod model;

pub use db::{default_path, Store};
pub use model::*;

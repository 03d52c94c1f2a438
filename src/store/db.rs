//! The storage engine: [`Store`], one SQLite file (bundled SQLite, write-ahead log) holding every
//! run, each written in one transaction.
//!
//! Why SQLite: a store is something researchers open with the `sqlite3` shell
//! (`SELECT id, score FROM accounts WHERE as_of = …`, `json_extract(record, '$.true_reach.raw')`),
//! its transactions survive a killed writer (the write-ahead log is rolled back on the next
//! open), readers keep reading while a run is written, and it is the most widely deployed and
//! tested embedded database there is. The bundled build needs no system library.
//!
//! Tables (see [`SCHEMA`]): `clout_store` (format name and version), `runs` (one row per as-of,
//! the [`RunMeta`] as JSON), `accounts` (one row per account and run: the keys readers look up
//! by, the score, and the whole [`AccountRecord`] as JSON), `leaderboards`, `posts`. The records
//! are JSON text so that the file explains itself; a run's rows are replaced as a whole.
//!
//! Writing a large run (a million accounts, about 1 KB of JSON each) is dominated by the B-trees,
//! so a new store uses [`PAGE_SIZE`] pages (a row fits in its page instead of spilling into an
//! overflow page of its own); rows go in in primary-key order, so that the table is filled at
//! one end and the history index `(id, as_of, …)` in one ordered pass, however many runs the
//! store holds; and the JSON of the next batch of rows is encoded on another thread while one
//! batch is inserted. The rows stored are the same whatever the order they went in. (A larger
//! page cache for the writer, 128 MiB instead of SQLite's 2 MiB, made no measurable difference
//! once rows go in in key order, so the default is kept.)

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::de::DeserializeOwned;

use super::model::*;
use crate::error::{Error, Result};
use crate::ingest::lookup::{match_name, IdMatch};

/// The `format` value of a clout store.
pub const FORMAT: &str = "clout-store";

/// The store schema, created by [`Store::create`].
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS clout_store (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (as_of INTEGER PRIMARY KEY, meta TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    as_of INTEGER NOT NULL, id TEXT NOT NULL, rank INTEGER NOT NULL,
    network TEXT NOT NULL, handle TEXT NOT NULL, handle_key TEXT NOT NULL, person TEXT NOT NULL,
    score REAL NOT NULL, record TEXT NOT NULL,
    PRIMARY KEY (as_of, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS accounts_rank ON accounts (as_of, rank);
CREATE INDEX IF NOT EXISTS accounts_handle ON accounts (as_of, handle_key);
CREATE INDEX IF NOT EXISTS accounts_history ON accounts (id, as_of, score);
CREATE TABLE IF NOT EXISTS leaderboards (
    as_of INTEGER NOT NULL, topic TEXT NOT NULL, name TEXT NOT NULL, path TEXT NOT NULL,
    entries INTEGER NOT NULL, board TEXT NOT NULL,
    PRIMARY KEY (as_of, topic)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS posts (
    as_of INTEGER NOT NULL, id TEXT NOT NULL, record TEXT NOT NULL,
    PRIMARY KEY (as_of, id)) WITHOUT ROWID;
";

/// Page size of a new store, in bytes. An index B-tree (a `WITHOUT ROWID` table is one) keeps
/// at most about a quarter of a page of a row in the page and the rest in overflow pages, so
/// with SQLite's default 4 KiB an account row of more than ~1000 bytes took a 4 KiB overflow
/// page of its own: a file three times its data, and three times the writes. 16 KiB pages hold rows
/// up to ~4 KB. Stores made with another page size keep it (SQLite fixes it at creation) and are
/// read and written as before.
pub const PAGE_SIZE: u32 = 16_384;

/// Rows whose JSON is encoded in one go, on another thread while the previous batch is inserted.
const BATCH: usize = 4096;

/// The store path when none is given: `$CLOUT_STORE`, else `clout.store` in the current
/// directory.
pub fn default_path() -> PathBuf {
    std::env::var_os("CLOUT_STORE")
        .filter(|p| !p.is_empty())
        .map_or_else(|| PathBuf::from("clout.store"), PathBuf::from)
}

/// A run store on disk. `Send + Sync`: share it between threads behind an `Arc`; each call
/// takes a pooled connection.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    writable: bool,
    pool: Mutex<Vec<Connection>>,
    /// Inside [`Store::read_consistent`]: the pool holds the one connection with the open read
    /// transaction, and no other may be opened.
    pinned: bool,
}

impl Store {
    /// Opens the store at `path` for writing, creating it (and its schema) if it does not exist.
    pub fn create(path: &Path) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = connect(path, flags)?;
        let st = Store {
            path: path.to_path_buf(),
            writable: true,
            pool: Mutex::new(Vec::new()),
            pinned: false,
        };
        st.init(&conn)?;
        st.release(conn);
        Ok(st)
    }

    /// Opens an existing store for reading; errors say whether it is missing, not a clout
    /// store, of another format version, or corrupt.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(Error::store(
                path,
                "no such store (create one with `clout run DIR --store FILE`)",
            ));
        }
        let st = Store {
            path: path.to_path_buf(),
            writable: false,
            pool: Mutex::new(Vec::new()),
            pinned: false,
        };
        let conn = st.connect()?;
        st.check(&conn)?;
        st.release(conn);
        Ok(st)
    }

    /// Runs `f` inside one read transaction: every query `f` makes through the store it is
    /// given sees the same state, even while `clout run` replaces the run being read (separate
    /// queries could otherwise mix two versions of a run).
    pub fn read_consistent<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let conn = self.take()?;
        if let Err(e) = conn.execute_batch("BEGIN DEFERRED") {
            return Err(self.err(e));
        }
        let view = Store {
            path: self.path.clone(),
            writable: false,
            pool: Mutex::new(vec![conn]),
            pinned: true,
        };
        let out = f(&view);
        let conn = view
            .pool
            .into_inner()
            .unwrap_or_else(|p| p.into_inner())
            .pop()
            .expect("the pinned connection is returned after each query");
        // A read transaction: ending it cannot lose anything.
        let ended = conn.execute_batch("COMMIT");
        self.release(conn);
        let out = out?;
        ended.map_err(|e| self.err(e))?;
        Ok(out)
    }

    /// The file this store lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes one run in one transaction, replacing any run with the same as-of instant.
    pub fn write_run(&self, run: &RunData) -> Result<()> {
        self.write_run_with(run, &mut |_, _| {})
    }

    /// [`write_run`](Store::write_run), calling `progress(rows written, rows)` as it goes.
    pub fn write_run_with(&self, run: &RunData, progress: &mut dyn FnMut(u64, u64)) -> Result<()> {
        if !self.writable {
            return Err(Error::store(
                &self.path,
                "opened read-only (use Store::create to write)",
            ));
        }
        let meta = run
            .meta
            .as_ref()
            .ok_or_else(|| Error::store(&self.path, "a run to write needs its meta"))?;
        let mut conn = self.take()?;
        let res = self.write_tx(&mut conn, meta, run, progress);
        self.release(conn);
        res
    }

    /// Every run, ascending as-of.
    pub fn runs(&self) -> Result<Vec<RunMeta>> {
        self.rows("SELECT meta FROM runs ORDER BY as_of", params![])
    }

    /// The run with the largest as-of, if any.
    pub fn latest(&self) -> Result<Option<RunMeta>> {
        self.row(
            "SELECT meta FROM runs ORDER BY as_of DESC LIMIT 1",
            params![],
        )
    }

    /// The run at `as_of`, if any.
    pub fn run(&self, as_of: i64) -> Result<Option<RunMeta>> {
        self.row("SELECT meta FROM runs WHERE as_of = ?1", params![as_of])
    }

    /// Every account of the run at `as_of`, best first (empty if there is no such run).
    pub fn accounts(&self, as_of: i64) -> Result<Vec<AccountRecord>> {
        self.rows(
            "SELECT record FROM accounts WHERE as_of = ?1 ORDER BY rank",
            params![as_of],
        )
    }

    /// The `limit` best accounts of the run at `as_of`, from `offset` (0-based rank).
    pub fn top_accounts(
        &self,
        as_of: i64,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<AccountRecord>> {
        self.rows(
            "SELECT record FROM accounts WHERE as_of = ?1 ORDER BY rank LIMIT ?2 OFFSET ?3",
            params![as_of, clamp(limit), clamp(offset)],
        )
    }

    /// One account of the run at `as_of`, by id (exact).
    pub fn account(&self, as_of: i64, id: &str) -> Result<Option<AccountRecord>> {
        self.row(
            "SELECT record FROM accounts WHERE as_of = ?1 AND id = ?2",
            params![as_of, id],
        )
    }

    /// The account with `handle` (a leading `@` ignored) on `network` (case-insensitive) in the
    /// run at `as_of`, by the rule of [`crate::ingest::lookup`]: the handle as written first,
    /// else the only one equal to it ignoring case.
    pub fn identity(&self, as_of: i64, network: &str, handle: &str) -> Result<IdMatch<AccountRef>> {
        let (network, handle) = (network.to_lowercase(), handle.trim_start_matches('@'));
        self.with_conn(|c| {
            let mut st = c.prepare_cached(
                // By the handle index: without it SQLite walks the whole run in rank order
                // (seconds on a run of a million accounts) to sort the few matches.
                "SELECT id, network, handle, person FROM accounts INDEXED BY accounts_handle
                 WHERE as_of = ?1 AND handle_key = ?2 ORDER BY rank",
            )?;
            let rows = st.query_map(params![as_of, key(handle)], |r| {
                Ok(AccountRef {
                    id: r.get(0)?,
                    network: r.get(1)?,
                    handle: r.get(2)?,
                    person: r.get(3)?,
                })
            })?;
            let mut on: Vec<AccountRef> = Vec::new();
            for r in rows {
                let r = r?;
                if r.network.to_lowercase() == network {
                    on.push(r);
                }
            }
            // Stored handles may keep a leading `@`; they compare without it, as queries do.
            let bare = |a: &AccountRef| a.handle.trim_start_matches('@').to_owned();
            let exact = on.iter().position(|a| bare(a) == handle);
            let names: Vec<String> = on.iter().map(bare).collect();
            let m = match_name(
                handle,
                exact,
                names.iter().enumerate().map(|(i, h)| (h.as_str(), i)),
            );
            Ok(m.map(|i| on.swap_remove(i)))
        })
    }

    /// The topics with a leaderboard in the run at `as_of`, by slug.
    pub fn topics(&self, as_of: i64) -> Result<Vec<TopicInfo>> {
        self.with_conn(|c| {
            let mut st = c.prepare_cached(
                "SELECT topic, name, path, entries FROM leaderboards WHERE as_of = ?1 ORDER BY topic",
            )?;
            let rows = st.query_map(params![as_of], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get(3)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (topic, name, path, entries) = row?;
                out.push(TopicInfo {
                    topic,
                    name,
                    path: self.decode(&path)?,
                    entries,
                });
            }
            Ok(out)
        })
    }

    /// The leaderboard of `topic` (slug, exact) in the run at `as_of`.
    pub fn leaderboard(&self, as_of: i64, topic: &str) -> Result<Option<Leaderboard>> {
        self.row(
            "SELECT board FROM leaderboards WHERE as_of = ?1 AND topic = ?2",
            params![as_of, topic],
        )
    }

    /// The evidence posts of the run at `as_of` with these ids, in the order asked (unknown ids
    /// are left out).
    pub fn posts(&self, as_of: i64, ids: &[String]) -> Result<Vec<EvidencePost>> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let p: Option<EvidencePost> = self.row(
                "SELECT record FROM posts WHERE as_of = ?1 AND id = ?2",
                params![as_of, id],
            )?;
            out.extend(p);
        }
        Ok(out)
    }

    /// The stored account id a person means by `name`, over every run, by the rule of
    /// [`crate::ingest::lookup`] (exact first; on a miss, every distinct stored id is compared
    /// ignoring case).
    pub fn resolve_id(&self, name: &str) -> Result<IdMatch<String>> {
        self.with_conn(|c| {
            let exact: Option<String> = c
                .prepare_cached("SELECT id FROM accounts WHERE id = ?1 LIMIT 1")?
                .query_row(params![name], |r| r.get(0))
                .optional()?;
            if exact.is_some() {
                return Ok(IdMatch::Exact(name.to_owned()));
            }
            let mut st = c.prepare_cached("SELECT DISTINCT id FROM accounts")?;
            let ids = st
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            let m = match_name(name, None, ids.iter().map(|x| (x.as_str(), x.as_str())));
            Ok(m.map(str::to_owned))
        })
    }

    /// The networks on which accounts of `person` were engaged (True Reach above 0) in the run
    /// at `as_of`, sorted.
    pub fn engaged_networks(&self, as_of: i64, person: &str) -> Result<Vec<String>> {
        self.with_conn(|c| {
            let mut st = c.prepare_cached(
                "SELECT DISTINCT network FROM accounts WHERE as_of = ?1 AND person = ?2 \
                 AND json_extract(record, '$.ledger.engaged_accounts') > 0 ORDER BY network",
            )?;
            let rows = st.query_map(params![as_of, person], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// The account's score at every run it appears in, ascending as-of (from the history
    /// index alone; `topics` empty: see [`Store::history_with_topics`]).
    pub fn history(&self, account: &str) -> Result<Vec<HistoryPoint>> {
        self.history_query(
            account,
            "SELECT a.as_of, a.score, json_extract(r.meta, '$.window'), \
             json_extract(r.meta, '$.calibration'), NULL, NULL, NULL FROM accounts a \
             JOIN runs r ON r.as_of = a.as_of WHERE a.id = ?1 ORDER BY a.as_of",
        )
    }

    /// [`Store::history`] with the account's best topics in each run (at most
    /// [`HISTORY_TOPICS`], for achievements): reads each run's record of the account, so it
    /// costs more than the score history alone.
    pub fn history_with_topics(&self, account: &str) -> Result<Vec<HistoryPoint>> {
        self.history_query(
            account,
            "SELECT a.as_of, a.score, json_extract(r.meta, '$.window'), \
             json_extract(r.meta, '$.calibration'), json_extract(a.record, '$.topics[0].topic'), \
             json_extract(a.record, '$.topics[1].topic'), json_extract(a.record, '$.topics[2].topic') \
             FROM accounts a JOIN runs r ON r.as_of = a.as_of WHERE a.id = ?1 ORDER BY a.as_of",
        )
    }

    /// Every account's score in the run at `as_of`, `(id, score)` (empty if there is no such
    /// run): what a later run needs of it to compute its changes.
    pub fn scores(&self, as_of: i64) -> Result<Vec<(String, f64)>> {
        self.with_conn(|c| {
            let mut st = c.prepare_cached("SELECT id, score FROM accounts WHERE as_of = ?1")?;
            let rows = st.query_map(params![as_of], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    fn history_query(&self, account: &str, sql: &str) -> Result<Vec<HistoryPoint>> {
        self.with_conn(|c| {
            let mut st = c.prepare_cached(sql)?;
            let rows = st.query_map(params![account], |r| {
                let mut topics = Vec::with_capacity(HISTORY_TOPICS);
                for i in 0..HISTORY_TOPICS {
                    if let Some(t) = r.get::<_, Option<String>>(4 + i)? {
                        topics.push(t);
                    }
                }
                Ok(HistoryPoint {
                    as_of: r.get(0)?,
                    score: r.get(1)?,
                    window: r.get(2)?,
                    calibration: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                    topics,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    fn init(&self, c: &Connection) -> Result<()> {
        let fresh: bool = c
            .query_row(
                "SELECT count(*) = 0 FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        if !fresh {
            return self.check(c);
        }
        // The page size can only be set before the first table and the write-ahead log.
        c.execute_batch(&format!(
            "PRAGMA page_size = {PAGE_SIZE}; PRAGMA journal_mode = WAL; BEGIN IMMEDIATE; {SCHEMA}
             INSERT OR REPLACE INTO clout_store VALUES ('format', '{FORMAT}');
             INSERT OR REPLACE INTO clout_store VALUES ('version', '{MODEL_VERSION}');
             COMMIT;"
        ))
        .map_err(|e| self.err(e))
    }

    /// Checks the format name and version.
    fn check(&self, c: &Connection) -> Result<()> {
        let tables: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'clout_store'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        let get = |k: &str| {
            c.query_row(
                "SELECT value FROM clout_store WHERE key = ?1",
                params![k],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(|e| self.err(e))
        };
        if tables == 0 || get("format")?.as_deref() != Some(FORMAT) {
            return Err(Error::store(&self.path, "not a clout store"));
        }
        let version = get("version")?.unwrap_or_default();
        if version != MODEL_VERSION.to_string() {
            return Err(Error::store(
                &self.path,
                format!(
                    "store format version {version}, this clout reads version {MODEL_VERSION} \
                     (recreate it with `clout run`)"
                ),
            ));
        }
        Ok(())
    }

    fn write_tx(
        &self,
        conn: &mut Connection,
        meta: &RunMeta,
        run: &RunData,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<()> {
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| self.err(e))?;
        let t = meta.as_of;
        for table in ["runs", "accounts", "leaderboards", "posts"] {
            tx.execute(&format!("DELETE FROM {table} WHERE as_of = ?1"), params![t])
                .map_err(|e| self.err(e))?;
        }
        tx.execute(
            "INSERT INTO runs VALUES (?1, ?2)",
            params![t, self.encode(meta)?],
        )
        .map_err(|e| self.err(e))?;
        let total = (run.accounts.len() + run.leaderboards.len() + run.posts.len()) as u64;
        let mut rows = Rows {
            done: 0,
            total,
            progress,
        };
        self.insert_accounts(&tx, t, &run.accounts, &mut rows)?;
        self.insert_boards(&tx, t, &run.leaderboards, &mut rows)?;
        self.insert_posts(&tx, t, &run.posts, &mut rows)?;
        tx.commit().map_err(|e| self.err(e))
    }

    fn insert_accounts(
        &self,
        tx: &Connection,
        t: i64,
        accounts: &[AccountRecord],
        rows: &mut Rows,
    ) -> Result<()> {
        let mut st = tx
            .prepare("INSERT INTO accounts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
            .map_err(|e| self.err(e))?;
        let order = key_order(accounts, |a| &a.account.id);
        self.each_encoded(accounts, &order, |rank, json| {
            let a = &accounts[rank];
            let r = &a.account;
            st.execute(params![
                t,
                r.id,
                rank as i64,
                r.network,
                r.handle,
                key(&r.handle),
                r.person,
                a.score,
                json
            ])
            .map_err(|e| self.dup(e, "account", &r.id))?;
            rows.one();
            Ok(())
        })
    }

    fn insert_boards(
        &self,
        tx: &Connection,
        t: i64,
        boards: &[Leaderboard],
        rows: &mut Rows,
    ) -> Result<()> {
        let mut st = tx
            .prepare("INSERT INTO leaderboards VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .map_err(|e| self.err(e))?;
        for b in boards {
            st.execute(params![
                t,
                b.topic,
                b.name,
                self.encode(&b.path)?,
                b.entries.len() as i64,
                self.encode(b)?
            ])
            .map_err(|e| self.dup(e, "leaderboard", &b.topic))?;
            rows.one();
        }
        Ok(())
    }

    fn insert_posts(
        &self,
        tx: &Connection,
        t: i64,
        posts: &[EvidencePost],
        rows: &mut Rows,
    ) -> Result<()> {
        let mut st = tx
            .prepare("INSERT INTO posts VALUES (?1, ?2, ?3)")
            .map_err(|e| self.err(e))?;
        let order = key_order(posts, |p| &p.id);
        self.each_encoded(posts, &order, |i, json| {
            let p = &posts[i];
            st.execute(params![t, p.id, json])
                .map_err(|e| self.dup(e, "post", &p.id))?;
            rows.one();
            Ok(())
        })
    }

    /// Calls `insert(i, JSON of items[i])` for each `i` of `order`, in that order, stopping at
    /// the first error. Batches of [`BATCH`] items are encoded on a scoped thread, the next
    /// while the current one is inserted (`insert` stays on this thread, with the connection).
    fn each_encoded<T: serde::Serialize + Sync>(
        &self,
        items: &[T],
        order: &[usize],
        mut insert: impl FnMut(usize, String) -> Result<()>,
    ) -> Result<()> {
        let encode = |batch: &[usize]| -> Result<Vec<String>> {
            batch.iter().map(|&i| self.encode(&items[i])).collect()
        };
        let batches: Vec<&[usize]> = order.chunks(BATCH).collect();
        std::thread::scope(|s| {
            let mut next = batches.first().map(|&b| s.spawn(move || encode(b)));
            for (n, batch) in batches.iter().enumerate() {
                let json = next
                    .take()
                    .expect("each batch is encoded before it is inserted")
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
                next = batches.get(n + 1).map(|&b| s.spawn(move || encode(b)));
                for (&i, json) in batch.iter().zip(json) {
                    insert(i, json)?;
                }
            }
            Ok(())
        })
    }

    /// All rows of a one-column JSON query.
    fn rows<T: DeserializeOwned>(&self, sql: &str, p: impl rusqlite::Params) -> Result<Vec<T>> {
        self.with_conn(|c| {
            let mut st = c.prepare_cached(sql)?;
            let texts = st
                .query_map(p, |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(texts
                .iter()
                .map(|s| self.decode(s))
                .collect::<Result<Vec<T>>>()?)
        })
    }

    /// The first row of a one-column JSON query.
    fn row<T: DeserializeOwned>(&self, sql: &str, p: impl rusqlite::Params) -> Result<Option<T>> {
        self.with_conn(|c| {
            let mut st = c.prepare_cached(sql)?;
            let text: Option<String> = st.query_row(p, |r| r.get(0)).optional()?;
            Ok(text.map(|s| self.decode(&s)).transpose()?)
        })
    }

    /// Runs `f` on a pooled connection, mapping SQLite errors to [`Error::Store`].
    fn with_conn<T>(&self, f: impl FnOnce(&Connection) -> Result<T, Fail>) -> Result<T> {
        let conn = self.take()?;
        let res = f(&conn);
        self.release(conn);
        res.map_err(|e| match e {
            Fail::Sql(e) => self.err(e),
            Fail::Clout(e) => e,
        })
    }

    fn take(&self) -> Result<Connection> {
        let pooled = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        match pooled {
            Some(c) => Ok(c),
            None if self.pinned => Err(Error::store(
                &self.path,
                "a consistent read made overlapping queries",
            )),
            None => self.connect(),
        }
    }

    fn release(&self, c: Connection) {
        let mut pool = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < 16 {
            pool.push(c);
        }
    }

    /// A new connection. Readers open read-write when they can (so that a run killed
    /// mid-write is rolled back on open) but with `query_only`; read-only files are opened
    /// read-only.
    fn connect(&self) -> Result<Connection> {
        let rw = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if self.writable {
            return connect(&self.path, rw);
        }
        let c = connect(&self.path, rw).or_else(|_| {
            connect(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
        })?;
        c.pragma_update(None, "query_only", true)
            .map_err(|e| self.err(e))?;
        Ok(c)
    }

    fn encode<T: serde::Serialize + ?Sized>(&self, v: &T) -> Result<String> {
        serde_json::to_string(v).map_err(|e| Error::store(&self.path, format!("encoding: {e}")))
    }

    fn decode<T: DeserializeOwned>(&self, s: &str) -> Result<T> {
        serde_json::from_str(s)
            .map_err(|e| Error::store(&self.path, format!("corrupt record: {e}")))
    }

    fn err(&self, e: rusqlite::Error) -> Error {
        sql_error(&self.path, e)
    }

    fn dup(&self, e: rusqlite::Error, what: &str, id: &str) -> Error {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation) => Error::store(
                &self.path,
                format!("{what} `{id}` appears twice in the run"),
            ),
            _ => self.err(e),
        }
    }
}

/// Rows written so far, reported every 1024 rows and at the end.
struct Rows<'a> {
    done: u64,
    total: u64,
    progress: &'a mut dyn FnMut(u64, u64),
}

impl Rows<'_> {
    fn one(&mut self) {
        self.done += 1;
        if self.done % 1024 == 0 || self.done == self.total {
            (self.progress)(self.done, self.total);
        }
    }
}

/// A failure inside a query: SQLite's, or a clout error (a record that does not decode).
enum Fail {
    Sql(rusqlite::Error),
    Clout(Error),
}

impl From<rusqlite::Error> for Fail {
    fn from(e: rusqlite::Error) -> Self {
        Fail::Sql(e)
    }
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Clout(e)
    }
}

fn connect(path: &Path, flags: OpenFlags) -> Result<Connection> {
    let c = Connection::open_with_flags(path, flags).map_err(|e| sql_error(path, e))?;
    c.busy_timeout(Duration::from_secs(10))
        .map_err(|e| sql_error(path, e))?;
    Ok(c)
}

fn sql_error(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode::*;
    let reason = match e.sqlite_error_code() {
        Some(NotADatabase) => "not a clout store (not an SQLite database)".to_string(),
        Some(DatabaseCorrupt) => format!("the store is corrupt: {e}"),
        Some(DatabaseBusy) | Some(DatabaseLocked) => {
            format!("the store is busy (another clout run is writing it): {e}")
        }
        Some(CannotOpen) => format!("cannot open the store: {e}"),
        _ => format!("store error: {e}"),
    };
    Error::store(path, reason)
}

/// The indexes of `items` in ascending `key` (SQLite's default `BINARY` text order, which is
/// Rust's `str` order), equal keys in their own order: the order to insert rows keyed by it.
fn key_order<T>(items: &[T], key: impl Fn(&T) -> &str) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| key(&items[a]).cmp(key(&items[b])));
    order
}

/// The lookup key of a handle: lower case, no leading `@`.
fn key(handle: &str) -> String {
    handle.trim_start_matches('@').to_lowercase()
}

fn clamp(n: usize) -> i64 {
    n.min(i64::MAX as usize) as i64
}
